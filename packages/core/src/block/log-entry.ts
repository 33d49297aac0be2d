import type { CanonicalValue } from "../encoding/canonical.js";

/**
 * Records appended to the chain's RFC 6962 log. Each is hashed as the canonical JSON of the
 * object (leaf = SHA-256(0x00 || bytes)). For every transaction: its receipt, then its events;
 * then the block's end-of-block events.
 */
export interface TxReceipt {
  kind: "receipt";
  chainId: string;
  height: number;
  index: number;
  txHash: string;
  status: "ok" | "failed";
  /** Present when status is "failed": the typed reason. No state changed except the sequence. */
  error?: { code: string; message: string };
  eventCount: number;
}

export interface ChainEvent {
  kind: "event";
  chainId: string;
  height: number;
  /** Index of the emitting transaction in the block, or null for end-of-block events. */
  txIndex: number | null;
  index: number;
  module: string;
  type: string;
  attributes: { [key: string]: CanonicalValue };
}

export type LogEntry = TxReceipt | ChainEvent;
