import type { ConsensusApplication, ProposalRequest } from "@weft/consensus";
import {
  addressOf,
  type Block,
  blockHash,
  type CommitCertificate,
  canonicalString,
  type DecodedTx,
  decodeTx,
  type Genesis,
  parseJson,
  TxError,
  type Validator,
  verifyTxSignature,
} from "@weft/core";
import type { Mempool } from "../mempool/mempool.js";
import { validatorSetFor } from "../modules/validators/state.js";
import type { ChainStore } from "../storage/chain-store.js";
import { blockLinkProblem } from "./block-links.js";
import { type ChainParamsOnChain, chainParamsFor } from "./chain-params.js";
import { type ExecutedBlock, executeBlock, sequenceKey } from "./executor.js";
import type { ModuleRegistry } from "./registry.js";

/** Validator sets of committed heights never change: this many recent ones are kept parsed. */
const SET_CACHE_SIZE = 64;

export type CommitListener = (executed: ExecutedBlock, commit: CommitCertificate) => void;

/**
 * The application side of the consensus boundary: builds and checks blocks by executing them,
 * and persists decided ones. Consensus engines call it; it never decides anything itself.
 */
export class Application implements ConsensusApplication {
  private readonly executed = new Map<string, ExecutedBlock>();
  private readonly listeners: CommitListener[] = [];
  private readonly sets = new Map<number, readonly Validator[]>();

  constructor(
    readonly genesis: Genesis,
    readonly registry: ModuleRegistry,
    readonly store: ChainStore,
    readonly mempool: Mempool,
  ) {}

  onCommit(listener: CommitListener): void {
    this.listeners.push(listener);
  }

  /** The transaction hashes of a block this node built or checked at the current height. */
  txHashesOf(blockHash: string): string[] | undefined {
    return this.executed.get(blockHash)?.write.txHashes;
  }

  nextSequence = (address: string): number => {
    const bytes = this.store.getState(sequenceKey(address));
    return bytes === undefined ? 0 : (parseJson(bytes) as number);
  };

  lastCommitted() {
    const head = this.store.head();
    if (!head) throw new Error("chain store has no genesis state");
    return { height: head.height, blockHash: head.blockHash, time: head.time, commit: head.commit };
  }

  /**
   * The validator set of `height` (at most the head + 1): `validators/set` in the state after
   * height - 1, the genesis set while governance never changed it.
   */
  validatorsAt(height: number): readonly Validator[] {
    const cached = this.sets.get(height);
    if (cached) return cached;
    const head = this.lastCommitted().height;
    if (!Number.isSafeInteger(height) || height < 1 || height > head + 1)
      throw new Error(`the validator set of height ${height} is not known yet (head ${head})`);
    const set = validatorSetFor((key) => this.store.getStateAt(key, height - 1), this.genesis);
    if (this.sets.size >= SET_CACHE_SIZE) this.sets.delete(Math.min(...this.sets.keys()));
    this.sets.set(height, set);
    return set;
  }

  /** Chain parameters for the next block: `gov/params` in the head state over genesis params. */
  params(): ChainParamsOnChain {
    return chainParamsFor((key) => this.store.getState(key), this.genesis);
  }

  prepareProposal(request: ProposalRequest): Block {
    const { maxBlockTxs, maxBlockBytes, maxTxBytes } = this.params();
    const reaped = this.mempool.reap(maxBlockTxs, maxBlockBytes, this.nextSequence);
    // Admitted under a larger limit before governance lowered maxTxBytes: never includable now.
    const oversized = reaped.filter((d) => d.size > maxTxBytes);
    for (const d of oversized) this.mempool.remove(d.hash);
    const txs = oversized.length === 0 ? reaped : reaped.filter((d) => d.size <= maxTxBytes);
    const executed = this.execute(request, txs, "propose");
    for (const d of executed.dropped) this.mempool.remove(d.hash);
    return executed.block;
  }

  processProposal(block: Block): boolean {
    return this.proposalProblem(block) === undefined;
  }

  /**
   * Why a block from elsewhere cannot follow the head, or undefined when it executes to its
   * header. `decoded` are its transactions already decoded and verified (from this mempool).
   */
  proposalProblem(block: Block, decoded?: readonly DecodedTx[]): string | undefined {
    try {
      const head = this.lastCommitted();
      const height = head.height + 1;
      const link = blockLinkProblem(this.genesis, block, height, head.blockHash, {
        current: this.validatorsAt(height),
        previous: height > 1 ? this.validatorsAt(height - 1) : [],
      });
      if (link) return `${link.field} ${link.message}`;
      const maxTxBytes = this.params().maxTxBytes;
      const txs = decoded ?? block.txs.map((tx) => this.decodeKnown(tx, maxTxBytes));
      // The limit in force at this height, whichever way the transactions arrived.
      const big = txs.find((d) => d.size > maxTxBytes);
      if (big) return `transaction ${big.hash} is ${big.size} bytes, limit ${maxTxBytes}`;
      const executed = this.execute(
        {
          height: block.header.height,
          time: block.header.time,
          proposer: block.header.proposer,
          lastCommit: block.lastCommit,
        },
        txs,
        "replay",
      );
      // Replay executes exactly these transactions (or throws) with this lastCommit, so the
      // header, which commits to both and to every root, decides: no need to compare the body.
      return canonicalString(executed.block.header) === canonicalString(block.header)
        ? undefined
        : "the block does not execute to its header";
    } catch (e) {
      return e instanceof Error ? e.message : "the block could not be decoded";
    }
  }

  /**
   * A transaction already admitted to the mempool had its signature checked there: reuse that
   * verdict when the bytes are identical (same body hash and same signature), else verify here.
   */
  private decodeKnown(input: unknown, maxTxBytes: number): DecodedTx {
    const decoded = decodeTx(input, maxTxBytes);
    const pooled = this.mempool.get(decoded.hash);
    if (pooled && pooled.tx.signature === decoded.tx.signature) return decoded;
    if (!verifyTxSignature(decoded.tx)) {
      throw new TxError({
        code: "TX_BAD_SIGNATURE",
        message: `transaction ${decoded.hash} has an invalid signature`,
      });
    }
    return decoded;
  }

  async commitBlock(block: Block, commit: CommitCertificate): Promise<void> {
    const hash = blockHash(block.header);
    let executed = this.executed.get(hash);
    if (!executed) {
      if (!this.processProposal(block))
        throw new Error(`block ${block.header.height} does not execute to its header`);
      executed = this.executed.get(hash) as ExecutedBlock;
    }
    this.executed.clear();
    await this.store.commitBlock({
      ...executed.write,
      blockHash: hash,
      blockBytes: executed.blockBytes,
      commit,
    });
    const touched = new Set<string>();
    for (const tx of block.txs) touched.add(addressOf(tx.body.signer));
    for (const h of executed.write.txHashes) this.mempool.remove(h);
    this.mempool.prune(block.header.height, this.nextSequence, touched);
    // Signers that stay silent are not touched above; sweep their expired transactions now and then.
    if (block.header.height % 100 === 0) this.mempool.pruneExpired(block.header.height);
    for (const listener of this.listeners) listener(executed, commit);
  }

  private execute(
    request: ProposalRequest,
    txs: readonly DecodedTx[],
    mode: "propose" | "replay",
  ): ExecutedBlock {
    const head = this.store.head();
    if (!head) throw new Error("chain store has no genesis state");
    const executed = executeBlock(
      this.genesis,
      this.registry,
      this.store,
      {
        height: request.height,
        time: request.time,
        proposer: request.proposer,
        previousBlockHash: head.blockHash,
        lastCommit: request.lastCommit,
        stateRoot: head.stateRoot,
        logSize: head.logSize,
      },
      txs,
      mode,
    );
    this.executed.set(executed.hash, executed);
    return executed;
  }
}

/** For blocks from elsewhere (peers, the store): full decode and signature check. */
export function decodeVerified(input: unknown, maxTxBytes: number): DecodedTx {
  const decoded = decodeTx(input, maxTxBytes);
  if (!verifyTxSignature(decoded.tx)) {
    throw new TxError({
      code: "TX_BAD_SIGNATURE",
      message: `transaction ${decoded.hash} has an invalid signature`,
    });
  }
  return decoded;
}
