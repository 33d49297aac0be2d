import type { NetworkConfig } from "./network-config.js";
import type { P2POptions } from "./options.js";
import type { ChannelName, Logged, PeerEvent, PeerHandler, TlsIdentity } from "./types.js";

export interface P2PHostParams {
  /** This node's id: its entry in `network` and the CN of `identity`'s certificate. */
  self: string;
  network: NetworkConfig;
  identity: TlsIdentity;
  /** Pinned in the hello: peers on another chain or genesis are refused. */
  chainId: string;
  genesisHash: string;
  options?: Partial<P2POptions>;
  log: Logged;
}

export interface PeerCounters {
  bytesIn: number;
  bytesOut: number;
  framesIn: number;
  framesOut: number;
  /** Mempool frames not sent because the peer's queue was over `maxQueuedBytes`. */
  framesDropped: number;
}

/** Counters are cumulative over all connections to the peer (monotonic, for metrics). */
export interface PeerStats extends PeerCounters {
  id: string;
  connected: boolean;
}

export interface P2PStats {
  /** Every configured peer other than this node. */
  peers: PeerStats[];
  /** Refused or dropped connections by `RejectCode`. */
  rejected: Record<string, number>;
}

export interface P2PHost {
  /** The bound port; throws `P2P_HOST_STATE` before `start()` has resolved. */
  readonly listenPort: number;
  start(): Promise<void>;
  /** Closes the server, every connection and timer; idempotent. */
  stop(): Promise<void>;
  on(channel: ChannelName, handler: PeerHandler): void;
  /** A replaced connection (peer restarted) reports "disconnected" then "connected". */
  onPeerEvent(handler: (e: PeerEvent) => void): void;
  /**
   * False when the peer is not connected, or a mempool frame was dropped for backpressure.
   * Throws `P2P_UNENCODABLE_MESSAGE` / `P2P_FRAME_TOO_LARGE` for a message no peer would accept.
   */
  send(peerId: string, channel: ChannelName, message: unknown): boolean;
  /** Encodes once and queues to every connected peer (mempool frames subject to backpressure). */
  broadcast(channel: ChannelName, message: unknown): void;
  connectedPeers(): string[];
  /** Logs, disconnects and refuses the peer for `banMs` (and does not dial it meanwhile). */
  penalize(peerId: string, reason: string): void;
  stats(): P2PStats;
}
