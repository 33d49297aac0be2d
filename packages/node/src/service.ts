import type {
  BlockView,
  CanonicalValue,
  Genesis,
  NodeEvent,
  NodeHealth,
  StateProofBundle,
  TxProofBundle,
  TxStatus,
  WeftError,
} from "@weft/core";

export type { BlockView, NodeEvent, NodeHealth, TxStatus } from "@weft/core";

export type SubmitOutcome =
  | { hash: string; accepted: true }
  | { hash?: string; accepted: false; error: WeftError };

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
