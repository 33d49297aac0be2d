import type { ChannelName } from "./types.js";

export interface P2POptions {
  /** Interface to listen on for peers; the port comes from this node's entry in network.json unless set. */
  host: string;
  port?: number;
  /** Largest frame accepted per channel; a bigger one disconnects the sender. */
  maxFrameBytes: Record<ChannelName, number>;
  /** Reconnect backoff: first wait, doubling up to the max (with jitter). */
  reconnectInitialMs: number;
  reconnectMaxMs: number;
  /** A peer that has not completed the handshake within this time is dropped. */
  handshakeTimeoutMs: number;
  /** After misbehaving, a peer is refused for this long before it may reconnect. */
  banMs: number;
  /** Outbound bytes queued for one peer above which mempool frames are dropped (consensus/sync never are). */
  maxQueuedBytes: number;
}

export const defaultP2POptions: P2POptions = {
  host: "0.0.0.0",
  maxFrameBytes: { consensus: 64 * 1024 * 1024, mempool: 8 * 1024 * 1024, sync: 128 * 1024 * 1024 },
  reconnectInitialMs: 250,
  reconnectMaxMs: 10_000,
  handshakeTimeoutMs: 5_000,
  banMs: 30_000,
  maxQueuedBytes: 256 * 1024 * 1024,
};
