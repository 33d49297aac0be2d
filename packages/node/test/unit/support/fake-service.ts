import {
  addressOf,
  type BlockHeader,
  type CanonicalValue,
  type ChainEvent,
  type CommitCertificate,
  decodeTx,
  type Genesis,
  generateKeyPair,
  type KeyPair,
  type SignedTx,
  type StateProofBundle,
  signTx,
  type TxBody,
  TxError,
  type TxProofBundle,
  type TxReceipt,
  verifyTxSignature,
} from "@weft/core";
import { AppError, NodeError } from "../../../src/errors.js";
import type {
  BlockView,
  NodeEvent,
  NodeHealth,
  NodeService,
  QueryResult,
  StateRead,
  SubmitOutcome,
  TxStatus,
} from "../../../src/service.js";

const hex = (byte: number, bytes = 32) => byte.toString(16).padStart(2, "0").repeat(bytes);

/**
 * An in-memory NodeService for testing the HTTP mapping only: no consensus, no real proofs.
 * Transactions are decoded and signature-checked for real so the API sees genuine TxErrors.
 */
export class FakeNodeService implements NodeService {
  readonly chainId = "weft-test";
  readonly key: KeyPair = generateKeyPair();
  readonly address = addressOf(this.key);
  readonly genesis: Genesis = {
    chainId: this.chainId,
    genesisTime: 1_700_000_000_000,
    validators: [{ address: this.address, publicKey: this.key, power: 1, name: "v1" }],
    params: { maxBlockBytes: 1 << 20, maxBlockTxs: 1000, maxTxBytes: 65_536 },
    appState: {},
  };
  readonly genesisHash = hex(0x99);

  /** Thrown by the next submitTxs / query call, to test error mapping. */
  submitError: Error | undefined;
  queryError: Error | undefined;
  /** When set, waitForCommit commits everything pending shortly after it is called. */
  autoCommit = false;
  healthy = true;

  readonly state = new Map<string, CanonicalValue>();
  private readonly txs = new Map<string, TxStatus>();
  private readonly pending: string[] = [];
  private readonly blocks: BlockView[] = [];
  private readonly listeners = new Set<(event: NodeEvent) => void>();
  private readonly waiters = new Map<string, Set<(status: TxStatus) => void>>();
  private sequence = 0;

  get listenerCount(): number {
    return this.listeners.size;
  }

  /** A correctly signed transfer; `overrides` change the body before signing. */
  signedTx(overrides: Partial<TxBody> = {}): SignedTx {
    const body: TxBody = {
      chainId: this.chainId,
      signer: { alg: this.key.alg, publicKey: this.key.publicKey },
      sequence: this.sequence++,
      expiresAt: 1000,
      module: "token",
      method: "transfer",
      args: { asset: "ACME", to: hex(0x11, 20), amount: "5" },
      ...overrides,
    };
    return signTx(body, this.key);
  }

  async submitTxs(inputs: readonly unknown[]): Promise<SubmitOutcome[]> {
    if (this.submitError) throw this.submitError;
    return inputs.map((input) => {
      let hash: string | undefined;
      try {
        const decoded = decodeTx(input);
        hash = decoded.hash;
        if (decoded.tx.body.chainId !== this.chainId) {
          throw new TxError({ code: "TX_WRONG_CHAIN", message: "wrong chain", expected: this.chainId });
        }
        if (!verifyTxSignature(decoded.tx))
          throw new TxError({ code: "TX_BAD_SIGNATURE", message: "bad signature" });
        if (this.txs.has(hash)) throw new TxError({ code: "TX_DUPLICATE", message: "already known", hash });
        this.txs.set(hash, { hash, status: "pending", tx: decoded.tx });
        this.pending.push(hash);
        return { hash, accepted: true as const };
      } catch (error) {
        if (!(error instanceof TxError)) throw error;
        return { ...(hash ? { hash } : {}), accepted: false as const, error };
      }
    });
  }

  async waitForCommit(hash: string, timeoutMs: number): Promise<TxStatus> {
    const current = this.txs.get(hash);
    if (!current) throw new NodeError({ code: "NODE_NOT_FOUND", message: `no transaction ${hash}` });
    if (current.status === "committed") return current;
    if (this.autoCommit) setTimeout(() => this.commitPending(), 5);
    return new Promise((resolve) => {
      const waiters = this.waiters.get(hash) ?? new Set();
      this.waiters.set(hash, waiters);
      const done = (status: TxStatus) => {
        clearTimeout(timer);
        waiters.delete(done);
        resolve(status);
      };
      const timer = setTimeout(() => done(this.txs.get(hash) ?? current), timeoutMs);
      waiters.add(done);
    });
  }

  /** Commits every pending transaction in a new block and tells subscribers and waiters. */
  commitPending(): BlockView {
    const height = this.blocks.length + 1;
    const hashes = this.pending.splice(0);
    const header = this.header(height, hashes.length);
    const view: BlockView = {
      hash: hex(height),
      block: { header, txs: hashes.map((h) => this.txs.get(h)!.tx), lastCommit: null },
      commit: this.commit(height),
    };
    this.blocks.push(view);
    this.emit({ type: "block", header, hash: view.hash });
    hashes.forEach((hash, index) => {
      const receipt: TxReceipt = {
        kind: "receipt",
        chainId: this.chainId,
        height,
        index,
        txHash: hash,
        status: "ok",
        eventCount: 1,
      };
      const event: ChainEvent = {
        kind: "event",
        chainId: this.chainId,
        height,
        txIndex: index,
        index: 0,
        module: "token",
        type: "transfer",
        attributes: { amount: "5" },
      };
      const status: TxStatus = {
        ...this.txs.get(hash)!,
        status: "committed",
        height,
        index,
        receipt,
        events: [event],
      };
      this.txs.set(hash, status);
      this.emit({ type: "tx", hash, height, index, status: "ok" });
      this.emit({ type: "event", event });
      for (const waiter of [...(this.waiters.get(hash) ?? [])]) waiter(status);
    });
    return view;
  }

  emit(event: NodeEvent): void {
    for (const listener of this.listeners) listener(event);
  }

  getTx(hash: string): TxStatus | undefined {
    return this.txs.get(hash);
  }

  latestBlock(): BlockView | undefined {
    return this.blocks.at(-1);
  }

  getBlock(height: number): BlockView | undefined {
    return this.blocks[height - 1];
  }

  getState(key: string, height?: number): StateRead {
    const latest = this.blocks.length;
    if (height !== undefined && height > latest) {
      throw new NodeError({ code: "NODE_NOT_FOUND", message: `no state at height ${height}`, height });
    }
    return { key, value: this.state.get(key) ?? null, height: height ?? latest };
  }

  proveState(key: string): StateProofBundle {
    const latest = this.requireLatest();
    return {
      kind: "weft.proof.state/v1",
      chainId: this.chainId,
      genesisHash: this.genesisHash,
      key,
      value: this.state.get(key) ?? null,
      proof: { siblings: [hex(0xaa)] },
      header: latest.block.header,
      commit: this.commit(latest.block.header.height),
    };
  }

  proveTx(hash: string): TxProofBundle {
    const status = this.txs.get(hash);
    if (status?.status !== "committed" || !status.receipt || status.height === undefined) {
      throw new NodeError({ code: "NODE_NOT_FOUND", message: `transaction ${hash} is not committed` });
    }
    const block = this.blocks[status.height - 1]!;
    return {
      kind: "weft.proof.tx/v1",
      chainId: this.chainId,
      genesisHash: this.genesisHash,
      tx: status.tx,
      receipt: { entry: status.receipt, logIndex: 0, path: [] },
      events: (status.events ?? []).map((entry, i) => ({ entry, logIndex: i + 1, path: [hex(0xbb)] })),
      header: block.block.header,
      commit: this.commit(status.height),
    };
  }

  query(module: string, name: string, params: Record<string, unknown>): QueryResult {
    if (this.queryError) throw this.queryError;
    if (module !== "token")
      throw new AppError({ code: "APP_UNKNOWN_MODULE", message: `no module ${module}`, module });
    const { asset, address } = params;
    if (typeof asset !== "string")
      throw new AppError({ code: "APP_INVALID_ARGS", message: "asset is required" });
    const height = this.blocks.length;
    if (name === "balance") {
      if (typeof address !== "string")
        throw new AppError({ code: "APP_INVALID_ARGS", message: "address is required" });
      const key = `token/balance/${asset}/${address}`;
      return { key, value: this.state.get(key) ?? "0", height };
    }
    if (name === "asset") {
      const key = `token/asset/${asset}`;
      const value = this.state.get(key);
      if (value === undefined)
        throw new AppError({ code: "APP_INVALID_ARGS", message: `no asset ${asset}`, asset });
      return { key, value, height };
    }
    throw new AppError({ code: "APP_UNKNOWN_QUERY", message: `no query token/${name}` });
  }

  listQueries() {
    return [
      { module: "token", name: "balance", params: {}, description: "an account's balance" },
      { module: "token", name: "asset", params: {}, description: "an asset's definition" },
    ];
  }

  subscribe(listener: (event: NodeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  health(): NodeHealth {
    return {
      ok: this.healthy,
      chainId: this.chainId,
      height: this.blocks.length,
      mempoolSize: this.pending.length,
      lastBlockAgeMs: this.blocks.length > 0 ? 10 : null,
    };
  }

  private requireLatest(): BlockView {
    const latest = this.latestBlock();
    if (!latest) throw new NodeError({ code: "NODE_NOT_FOUND", message: "no block committed yet" });
    return latest;
  }

  private header(height: number, txCount: number): BlockHeader {
    return {
      version: 1,
      chainId: this.chainId,
      height,
      time: this.genesis.genesisTime + height * 1000,
      previousBlockHash: height === 1 ? this.genesisHash : hex(height - 1),
      lastCommitHash: hex(0),
      proposer: this.address,
      validatorSetHash: hex(0x01),
      txRoot: hex(0x02),
      txCount,
      stateRoot: hex(0x03),
      logRoot: hex(0x04),
      logSize: txCount * 2,
    };
  }

  private commit(height: number): CommitCertificate {
    return {
      chainId: this.chainId,
      height,
      round: 0,
      blockHash: hex(height),
      signatures: [{ validator: this.address, timestamp: 0, signature: hex(0x05, 64) }],
    };
  }
}
