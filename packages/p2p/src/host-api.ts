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

/** A TLS certificate as the host saw it (times in ms since the epoch). */
export interface PeerCertificate {
  subject: string;
  org: string;
  /** SHA-256 of the DER, lower-case hex. */
  fingerprint: string;
  notBefore: number;
  notAfter: number;
}

/** Counters are cumulative over all connections to the peer (monotonic, for metrics). */
export interface PeerStats extends PeerCounters {
  id: string;
  connected: boolean;
  /** The certificate the peer presented on its open connection. */
  certificate?: PeerCertificate;
}

/** `updateNetwork`'s input: a peer book plus the revoked node certificates. */
export type NetworkUpdate = NetworkConfig & {
  /** SHA-256 fingerprints of node certificates to refuse (hex, any case, colons allowed). */
  revoked?: string[];
};

export interface P2PStats {
  /** This node's own certificate (the one new connections present). */
  identity: PeerCertificate;
  /** Whether this node is in its current peer book (false: it was removed and talks to no one). */
  listed: boolean;
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
  /**
   * Replaces the peer book (membership changed on chain, say): connections to peers no longer
   * listed, or whose certificate is now revoked or no longer issued by their organisation's
   * CAs, are closed and refused from then on; new peers are dialed (lower id dials); the TLS
   * trust roots become the new organisations' CA certificates. Throws
   * `P2P_BAD_NETWORK_CONFIG` for a config of another chain or a malformed one.
   */
  updateNetwork(config: NetworkUpdate): void;
  /**
   * A rotated certificate and key for this node: new connections (both directions) use it;
   * open ones are kept unless `reconnect`, which closes them so every peer re-handshakes.
   * Throws `P2P_BAD_IDENTITY` for an identity peers would refuse (and keeps the old one).
   */
  reloadIdentity(identity: TlsIdentity, opts?: { reconnect?: boolean }): void;
}
