import { WeftError } from "@weft/core";

export type TraceErrorCode =
  /** `document` is not JSON text. */
  | "TRACE_BAD_JSON"
  /** The capture document or one of its events breaks EPCIS 2.0 / CBV 2.0 (both validation layers). */
  | "TRACE_INVALID_DOCUMENT"
  /** The document has no events. */
  | "TRACE_EMPTY_DOCUMENT"
  /** More events than one transaction may capture. */
  | "TRACE_TOO_MANY_EVENTS"
  /** The CBV 2.0 event hash of an event could not be computed. */
  | "TRACE_HASH_FAILED"
  /** One transaction names the same event twice (two events of a document with one hash, or one id twice). */
  | "TRACE_DUPLICATE_IN_TX"
  /** An event with this id is already captured (or, for `trace.anchor`, captured or anchored). */
  | "TRACE_DUPLICATE_EVENT"
  /** An error declaration for this event id is already captured. */
  | "TRACE_ALREADY_DECLARED"
  /** The sender may not do this (the permissions issue fills the policy in). */
  | "TRACE_NOT_AUTHORISED"
  /** A query (node-local reads) that cannot be evaluated: bad time, pattern, cursor or page size. */
  | "TRACE_BAD_QUERY";

export class TraceError extends WeftError<{
  code: TraceErrorCode;
  message: string;
  [field: string]: unknown;
}> {}
