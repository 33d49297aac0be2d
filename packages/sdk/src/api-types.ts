import type { CanonicalValue, NodeEvent, StateProofBundle, TxStatus } from "@weft/core";

export type { BlockView, NodeEvent, NodeHealth, TxStatus } from "@weft/core";

// Wire shapes of the node's HTTP API. The shared ones live in @weft/core (the SDK depends on
// core only, so it bundles for browsers); these are the SDK's own views of API responses.

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

/** A state read or module query: the key it comes from, and a proof when `prove` was asked for. */
export interface QueryResult {
  key: string;
  value: CanonicalValue | null;
  height: number;
  proof?: StateProofBundle;
}

export type NodeEventType = NodeEvent["type"];
