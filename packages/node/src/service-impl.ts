import {
  blockHash,
  bytesToHex,
  type CanonicalValue,
  type ChainEvent,
  type ConsensusStatus,
  type DecodedTx,
  type Genesis,
  genesisHash,
  hexToBytes,
  inclusionProof,
  parseJson,
  proveState,
  type StateProofBundle,
  type TxProofBundle,
  type ValidatorSetChange,
  WeftError,
} from "@weft/core";
import type { Logger } from "pino";
import type { Application } from "./app/application.js";
import { authorizeAtHead, HeadStateCache } from "./app/authorize-now.js";
import type { ExecutedBlock } from "./app/executor.js";
import { NodeError } from "./errors.js";
import { badSignature } from "./mempool/mempool.js";
import type { SignatureVerifier } from "./mempool/verifier.js";
import type { Metrics } from "./metrics/metrics.js";
import { validatorSetChanges } from "./modules/validators/proof.js";
import type {
  BlockView,
  NodeEvent,
  NodeHealth,
  NodeService,
  QueryResult,
  StateRead,
  SubmitOutcome,
  TxStatus,
} from "./service.js";
import type { ChainStore } from "./storage/chain-store.js";

const HASH = /^[0-9a-f]{64}$/;

/** Where a submitted transaction came from: an API client, or a peer relaying its mempool. */
export type TxSource = "client" | "peer";
const MAX_KEY_LENGTH = 1024;

/** NodeService over the application, store and mempool of one node. */
export class LocalNodeService implements NodeService {
  readonly genesisHash: string;
  readonly chainId: string;
  private readonly listeners = new Set<(event: NodeEvent) => void>();
  private readonly waiters = new Map<string, Set<(status: TxStatus) => void>>();
  private lastBlockAt: number | null = null;
  /** Called with the transactions a submission added to the mempool, and where they came from. */
  onAdmitted: (txs: DecodedTx[], source: TxSource) => void = () => {};
  /** Set by a BFT node: what /healthz reports about consensus and peers. */
  consensusStatus: (() => ConsensusStatus) | undefined;

  /** Parsed head state for admission's policy checks, reset at each commit. */
  private readonly headState: HeadStateCache;

  constructor(
    readonly genesis: Genesis,
    private readonly app: Application,
    private readonly store: ChainStore,
    private readonly metrics: Metrics,
    private readonly log: Logger,
    private readonly verifier: SignatureVerifier,
  ) {
    this.genesisHash = genesisHash(genesis);
    this.chainId = genesis.chainId;
    this.headState = new HeadStateCache(store);
    app.onCommit((executed) => this.committed(executed));
    this.metrics.height.set(store.head()?.height ?? 0);
  }

  async submitTxs(inputs: readonly unknown[], source: TxSource = "client"): Promise<SubmitOutcome[]> {
    const head = this.app.lastCommitted();
    const ctx = {
      chainId: this.chainId,
      height: head.height,
      maxTxBytes: this.app.params().maxTxBytes,
      nextSequence: this.app.nextSequence,
      isCommitted: (hash: string) => this.store.getTxLocation(hash) !== undefined,
      checkCall: (module: string, method: string, args: unknown) =>
        this.app.registry.admit(module, method, args),
    };
    const reject = (e: unknown, hash?: string): SubmitOutcome => {
      const error =
        e instanceof WeftError
          ? e
          : new NodeError({ code: "NODE_INVALID_ARGUMENT", message: "transaction rejected" });
      if (!(e instanceof WeftError)) this.log.error({ err: e }, "unexpected error admitting a transaction");
      this.metrics.txsRejected.inc({ code: error.code });
      this.log.debug({ code: error.code, reason: error.message }, "transaction rejected");
      return hash === undefined ? { accepted: false, error } : { hash, accepted: false, error };
    };
    // Cheap checks first, synchronously; then all surviving signatures in one off-thread batch.
    const outcomes: SubmitOutcome[] = [];
    const checked: { slot: number; decoded: DecodedTx }[] = [];
    inputs.forEach((input, slot) => {
      try {
        const decoded = this.app.mempool.check(input, ctx);
        // A call its policy denies now is refused here, with the error the chain would give.
        authorizeAtHead(this.app.registry, this.store, this.chainId, decoded, this.headState);
        checked.push({ slot, decoded });
        outcomes.push({ hash: "", accepted: true });
      } catch (e) {
        outcomes.push(reject(e));
      }
    });
    const valid = await this.verifier.verify(checked.map((c) => c.decoded));
    const latest = { ...ctx, height: this.app.lastCommitted().height };
    const admitted: DecodedTx[] = [];
    checked.forEach(({ slot, decoded }, i) => {
      try {
        if (!valid[i]) throw badSignature();
        this.app.mempool.insert(decoded, latest);
        admitted.push(decoded);
        outcomes[slot] = { hash: decoded.hash, accepted: true };
      } catch (e) {
        outcomes[slot] = reject(e, decoded.hash);
      }
    });
    this.metrics.mempoolSize.set(this.app.mempool.size);
    this.metrics.mempoolBytes.set(this.app.mempool.sizeBytes);
    if (admitted.length > 0) this.onAdmitted(admitted, source);
    return outcomes;
  }

  waitForCommit(hash: string, timeoutMs: number): Promise<TxStatus> {
    const now = this.getTx(hash);
    if (!now) return Promise.reject(notFound(`transaction ${hash}`));
    if (now.status === "committed") return Promise.resolve(now);
    return new Promise((resolve) => {
      let set = this.waiters.get(hash);
      if (!set) {
        set = new Set();
        this.waiters.set(hash, set);
      }
      const waiter = (status: TxStatus) => {
        clearTimeout(timer);
        resolve(status);
      };
      const timer = setTimeout(() => {
        set.delete(waiter);
        if (set.size === 0) this.waiters.delete(hash);
        resolve(this.getTx(hash) ?? now);
      }, timeoutMs);
      set.add(waiter);
    });
  }

  getTx(hash: string): TxStatus | undefined {
    if (!HASH.test(hash)) throw invalid("transaction hash must be 64 lowercase hex characters");
    const loc = this.store.getTxLocation(hash);
    if (loc) {
      const block = this.store.getBlock(loc.height);
      const result = this.store.getResult(loc.height, loc.index);
      const tx = block?.txs[loc.index];
      if (!block || !result || !tx)
        throw new NodeError({ code: "NODE_NOT_FOUND", message: `transaction ${hash} index is inconsistent` });
      return {
        hash,
        status: "committed",
        height: loc.height,
        index: loc.index,
        tx,
        receipt: result.receipt,
        events: result.events.map((e) => e.entry),
      };
    }
    const pending = this.app.mempool.get(hash);
    return pending ? { hash, status: "pending", tx: pending.tx } : undefined;
  }

  latestBlock(): BlockView | undefined {
    const head = this.store.head();
    return head && head.height > 0 ? this.getBlock(head.height) : undefined;
  }

  getBlock(height: number): BlockView | undefined {
    if (!Number.isSafeInteger(height) || height < 1) throw invalid("height must be a positive integer");
    const block = this.store.getBlock(height);
    if (!block) return undefined;
    return { hash: blockHash(block.header), block, commit: this.store.getCommit(height) ?? null };
  }

  getState(key: string, height?: number): StateRead {
    checkKey(key);
    const head = this.app.lastCommitted();
    if (height !== undefined && (!Number.isSafeInteger(height) || height < 0 || height > head.height)) {
      throw invalid(`height must be between 0 and ${head.height}`);
    }
    const bytes = height === undefined ? this.store.getState(key) : this.store.getStateAt(key, height);
    return {
      key,
      value: bytes === undefined ? null : (parseJson(bytes) as CanonicalValue),
      height: height ?? head.height,
    };
  }

  proveState(key: string): StateProofBundle {
    checkKey(key);
    const { header, commit } = this.certifiedHead();
    const bytes = this.store.getState(key);
    const proof = proveState(
      this.store.stateNodes,
      hexToBytes(header.stateRoot, 32),
      new TextEncoder().encode(key),
    );
    return {
      kind: "weft.proof.state/v1",
      chainId: this.chainId,
      genesisHash: this.genesisHash,
      key,
      value: bytes === undefined ? null : (parseJson(bytes) as CanonicalValue),
      proof,
      header,
      commit,
      ...this.setChanges(header.height),
    };
  }

  /** The validator set changes a verifier walks from genesis to `height` (none: field left out). */
  private setChanges(height: number): { validatorSetChanges?: ValidatorSetChange[] } {
    const changes = validatorSetChanges(this.store, height);
    return changes.length > 0 ? { validatorSetChanges: changes } : {};
  }

  proveTx(hash: string): TxProofBundle {
    if (!HASH.test(hash)) throw invalid("transaction hash must be 64 lowercase hex characters");
    const loc = this.store.getTxLocation(hash);
    if (!loc) throw notFound(`committed transaction ${hash}`);
    const block = this.store.getBlock(loc.height);
    const result = this.store.getResult(loc.height, loc.index);
    const commit = this.store.getCommit(loc.height);
    const tx = block?.txs[loc.index];
    if (!block || !result || !commit || !tx) throw notFound(`proof data for ${hash}`);
    const size = block.header.logSize;
    const path = (logIndex: number) => inclusionProof(this.store.logNodes, logIndex, size).map(bytesToHex);
    return {
      kind: "weft.proof.tx/v1",
      chainId: this.chainId,
      genesisHash: this.genesisHash,
      tx,
      receipt: { entry: result.receipt, logIndex: result.logIndex, path: path(result.logIndex) },
      events: result.events.map((e) => ({ entry: e.entry, logIndex: e.logIndex, path: path(e.logIndex) })),
      header: block.header,
      commit,
      ...this.setChanges(block.header.height),
    };
  }

  query(module: string, name: string, params: Record<string, unknown>): QueryResult {
    const def = this.app.registry.query(module, name, params);
    const key = `${module}/${def.key(params)}`;
    const read = this.getState(key);
    return { key, value: read.value ?? def.absent ?? null, height: read.height };
  }

  listQueries() {
    return this.app.registry.modules.flatMap((m) =>
      Object.entries(m.queries).map(([name, q]) => ({
        module: m.name,
        name,
        params: q.params as unknown,
        description: q.description,
      })),
    );
  }

  subscribe(listener: (event: NodeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  health(): NodeHealth {
    const head = this.store.head();
    return {
      ok: head !== undefined,
      chainId: this.chainId,
      height: head?.height ?? 0,
      mempoolSize: this.app.mempool.size,
      lastBlockAgeMs: this.lastBlockAt === null ? null : Date.now() - this.lastBlockAt,
      ...(this.consensusStatus ? { consensus: this.consensusStatus() } : {}),
    };
  }

  private certifiedHead() {
    const head = this.store.head();
    const block = head && head.height > 0 ? this.store.getBlock(head.height) : undefined;
    if (!head || !block || !head.commit)
      throw notFound("a committed block to prove against (the chain has no blocks yet)");
    return { header: block.header, commit: head.commit };
  }

  private committed(executed: ExecutedBlock): void {
    const { block, hash, write } = executed;
    this.lastBlockAt = Date.now();
    this.metrics.height.set(block.header.height);
    this.metrics.blocksCommitted.inc();
    this.metrics.blockTxs.observe(block.txs.length);
    this.metrics.mempoolSize.set(this.app.mempool.size);
    this.metrics.mempoolBytes.set(this.app.mempool.sizeBytes);
    this.emit({ type: "block", header: block.header, hash });
    write.results.forEach((result, index) => {
      const { receipt } = result;
      this.metrics.txsCommitted.inc({ status: receipt.status });
      this.emit({
        type: "tx",
        hash: receipt.txHash,
        height: receipt.height,
        index,
        status: receipt.status,
        ...(receipt.error ? { error: receipt.error } : {}),
      });
      for (const e of result.events) this.emit({ type: "event", event: e.entry });
      const waiters = this.waiters.get(receipt.txHash);
      const tx = block.txs[index];
      if (waiters && tx) {
        this.waiters.delete(receipt.txHash);
        const status: TxStatus = {
          hash: receipt.txHash,
          status: "committed",
          height: receipt.height,
          index,
          tx,
          receipt,
          events: result.events.map((e): ChainEvent => e.entry),
        };
        for (const w of waiters) w(status);
      }
    });
    for (const e of write.blockEvents) {
      this.metrics.blockEvents.inc({ module: e.entry.module, type: e.entry.type });
      this.emit({ type: "event", event: e.entry });
    }
  }

  private emit(event: NodeEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (e) {
        this.log.warn({ err: e }, "event subscriber failed");
      }
    }
  }
}

function checkKey(key: string): void {
  if (typeof key !== "string" || key.length === 0 || key.length > MAX_KEY_LENGTH) {
    throw invalid(`state key must be 1..${MAX_KEY_LENGTH} characters`);
  }
}

const invalid = (message: string) => new NodeError({ code: "NODE_INVALID_ARGUMENT", message });
const notFound = (what: string) => new NodeError({ code: "NODE_NOT_FOUND", message: `${what} not found` });
