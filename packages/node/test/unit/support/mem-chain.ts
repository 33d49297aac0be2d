import {
  addressOf,
  type CanonicalValue,
  type ChainEvent,
  decodeTx,
  type Genesis,
  type KeyPair,
  MemoryLogStore,
  parseJson,
  signTx,
  type TxReceipt,
  ZERO_HASH,
} from "@weft/core";
import { type ExecutedBlock, executeBlock } from "../../../src/app/executor.js";
import { buildGenesisState } from "../../../src/app/genesis-state.js";
import type { Module } from "../../../src/app/module.js";
import { ModuleRegistry } from "../../../src/app/registry.js";

/** What one block did: each transaction's receipt and events, and the block's own events. */
export interface BlockOutcome {
  executed: ExecutedBlock;
  receipts: TxReceipt[];
  txEvents: ChainEvent[][];
  blockEvents: ChainEvent[];
  changedKeys: string[];
}

/**
 * A chain in memory driven by `executeBlock` with a chosen module list and block time, so
 * module tests control time (deadlines) and which authorizer runs, without storage or consensus.
 */
export class MemChain {
  readonly registry: ModuleRegistry;
  private readonly state = new Map<string, Uint8Array>();
  private readonly stateNodes = new Map<string, Uint8Array>();
  private readonly logNodes = new MemoryLogStore();
  private readonly sequences = new Map<string, number>();
  height = 0;
  private stateRoot: string;
  private logSize = 0;

  constructor(
    readonly genesis: Genesis,
    modules: readonly Module[],
  ) {
    this.registry = new ModuleRegistry(modules);
    const initial = buildGenesisState(genesis, this.registry);
    this.apply(initial.stateChanges, initial.stateNodes);
    this.stateRoot = initial.stateRoot;
  }

  private apply(changes: [string, Uint8Array | null][], nodes: Map<string, Uint8Array>): void {
    for (const [key, value] of changes) {
      if (value === null) this.state.delete(key);
      else this.state.set(key, value);
    }
    for (const [k, v] of nodes) this.stateNodes.set(k, v);
  }

  get(key: string): CanonicalValue | undefined {
    const bytes = this.state.get(key);
    return bytes === undefined ? undefined : (parseJson(bytes) as CanonicalValue);
  }

  /** A signed transaction with the signer's next sequence. */
  tx(signer: KeyPair, module: string, method: string, args: Record<string, unknown>) {
    const address = addressOf(signer);
    const sequence = this.sequences.get(address) ?? 0;
    this.sequences.set(address, sequence + 1);
    return signTx(
      {
        chainId: this.genesis.chainId,
        signer: { alg: signer.alg, publicKey: signer.publicKey },
        sequence,
        expiresAt: 1_000_000,
        module,
        method,
        args: args as never,
      },
      signer,
    );
  }

  /** Executes and commits one block at `time` (ms) with the given transactions. */
  block(time: number, txs: ReturnType<MemChain["tx"]>[] = []): BlockOutcome {
    const height = this.height + 1;
    const base = {
      getState: (key: string) => this.state.get(key),
      stateNodes: { getNode: (hash: Uint8Array) => this.stateNodes.get(Buffer.from(hash).toString("hex")) },
      logNodes: this.logNodes,
    };
    const executed = executeBlock(
      this.genesis,
      this.registry,
      base,
      {
        height,
        time,
        proposer: this.genesis.validators[0]?.address ?? "",
        previousBlockHash: ZERO_HASH,
        lastCommit: null,
        stateRoot: this.stateRoot,
        logSize: this.logSize,
      },
      txs.map((t) => decodeTx(t)),
      "propose",
    );
    const { write } = executed;
    this.apply(write.stateChanges, write.stateNodes);
    for (const [level, index, hash] of write.logNodes) this.logNodes.putNode(level, index, hash);
    this.height = height;
    this.stateRoot = write.stateRoot;
    this.logSize = write.logSize;
    return {
      executed,
      receipts: write.results.map((r) => r.receipt),
      txEvents: write.results.map((r) => r.events.map((e) => e.entry)),
      blockEvents: write.blockEvents.map((e) => e.entry),
      changedKeys: write.stateChanges.map(([key]) => key),
    };
  }
}
