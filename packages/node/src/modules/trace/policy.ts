import type { TxContext } from "../../app/module.js";

/** What a trace transaction does to one event id. */
export type TraceAction =
  /** Capture a full event. */
  | "capture"
  /** Capture an event whose hash was anchored before (disclosure). */
  | "disclose"
  /** Capture an error declaration of an event id. */
  | "declare"
  /** Put only an event's hash on chain. */
  | "anchor";

/**
 * The one place where trace permissions will be checked (the identity/permissions issue: member
 * organisations, roles, who may declare errors about whose events, who may disclose an anchor).
 * For now every account may do everything; a refusal must throw a `TraceError` with code
 * `TRACE_NOT_AUTHORISED` (typed, so every node fails the transaction identically).
 */
export function authorize(_ctx: TxContext, _action: TraceAction, _eventId: string): void {}
