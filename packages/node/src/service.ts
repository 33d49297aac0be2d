import type {
  Block,
  BlockHeader,
  CanonicalValue,
  ChainEvent,
  CommitCertificate,
  Genesis,
  SignedTx,
  StateProofBundle,
  TxProofBundle,
  TxReceipt,
  WeftError,
} from "@weft/core";

/** Where a transaction stands, as the API reports it. */
export interface TxStatus {
  hash: string;
  /** pending: in the mempool; committed: in a block (its receipt says ok or failed). */
  status: "pending" | "committed";
  height?: number;
  index?: number;
  tx: SignedTx;
  receipt?: TxReceipt;
  events?: ChainEvent[];
}

export type SubmitOutcome =
  | { hash: string; accepted: true }
  | { hash?: string; accepted: false; error: WeftError };

export interface BlockView {
  hash: string;
  block: Block;
  /** The certificate that committed this block (from the next block, or the latest seen commit). */
  commit: CommitCertificate | null;
}

export interface StateRead {
  key: string;
  value: CanonicalValue | null;
  height: number;
}

export interface QueryResult {
  /** The state key the answer comes from: what `prove=true` proves. */
  key: string;
  value: CanonicalValue | null;
  height: number;
}

/** What a node tells its subscribers, in commit order. */
export type NodeEvent =
  | { type: "block"; header: BlockHeader; hash: string }
  | {
      type: "tx";
      hash: string;
      height: number;
      index: number;
      status: "ok" | "failed";
      error?: { code: string; message: string };
    }
  | { type: "event"; event: ChainEvent };

export interface NodeHealth {
  ok: boolean;
  chainId: string;
  height: number;
  mempoolSize: number;
  /** ms since the last block was committed */
  lastBlockAgeMs: number | null;
}

/**
 * The node as the API and CLI see it. Every method either returns data or throws a WeftError
 * with a stable code (the API maps codes to HTTP statuses).
 */
export interface NodeService {
  readonly genesis: Genesis;
  readonly genesisHash: string;
  readonly chainId: string;
  /** Admits transactions to the mempool; each input gets its own outcome (a batch is not atomic). */
  submitTxs(inputs: readonly unknown[]): Promise<SubmitOutcome[]>;
  /** Resolves when the transaction is committed, or with its pending status after `timeoutMs`. */
  waitForCommit(hash: string, timeoutMs: number): Promise<TxStatus>;
  getTx(hash: string): TxStatus | undefined;
  latestBlock(): BlockView | undefined;
  getBlock(height: number): BlockView | undefined;
  /** Raw state read; `height` reads an earlier version. */
  getState(key: string, height?: number): StateRead;
  /** A self-contained proof of the key's value (or absence) at the latest height. */
  proveState(key: string): StateProofBundle;
  proveTx(hash: string): TxProofBundle;
  /** Module query, e.g. ("token", "balance", { asset, address }). */
  query(module: string, name: string, params: Record<string, unknown>): QueryResult;
  /** Module queries and their parameter schemas, for the API description. */
  listQueries(): { module: string; name: string; params: unknown; description: string }[];
  subscribe(listener: (event: NodeEvent) => void): () => void;
  health(): NodeHealth;
}
