import type {
  Block,
  BlockHeader,
  CanonicalValue,
  ChainEvent,
  CommitCertificate,
  SignedTx,
  StateProofBundle,
  TxReceipt,
} from "@weft/core";

// Wire shapes of the node's HTTP API. They mirror @weft/node's service types, restated here
// because the SDK depends on @weft/core only (it must bundle for browsers).

/** Where a transaction stands. A committed receipt may still say `failed`. */
export interface TxStatus {
  hash: string;
  status: "pending" | "committed";
  height?: number;
  index?: number;
  tx: SignedTx;
  receipt?: TxReceipt;
  events?: ChainEvent[];
}

export interface SubmitAccepted {
  hash: string;
  accepted: true;
}

/** One entry of a batch submission; a batch is not atomic. */
export interface BatchSubmitResult {
  /** Absent when the node could not decode the transaction at all. */
  hash?: string;
  accepted: boolean;
  /** Why it was refused; `status` is the HTTP status a single submission would have got. */
  error?: { code: string; message: string; status?: number; [field: string]: unknown };
  /** With `wait`, for accepted transactions. */
  status?: TxStatus;
}

export interface BlockView {
  hash: string;
  block: Block;
  /** The certificate that committed this block; null until one is known. */
  commit: CommitCertificate | null;
}

/** A state read or module query: the key it comes from, and a proof when `prove` was asked for. */
export interface QueryResult {
  key: string;
  value: CanonicalValue | null;
  height: number;
  proof?: StateProofBundle;
}

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

export type NodeEventType = NodeEvent["type"];

export interface NodeHealth {
  ok: boolean;
  chainId: string;
  height: number;
  mempoolSize: number;
  lastBlockAgeMs: number | null;
}
