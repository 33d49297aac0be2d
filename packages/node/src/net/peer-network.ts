import type { ChannelName, PeerEvent } from "@weft/p2p";

/**
 * What the node's reactors (consensus, block sync, mempool gossip) need from the network. The
 * mutual-TLS host of @weft/p2p provides it; tests may use an in-memory hub with the same shape.
 */
export interface PeerNetwork {
  on(channel: ChannelName, handler: (peerId: string, message: unknown) => void): void;
  onPeerEvent(handler: (event: PeerEvent) => void): void;
  send(peerId: string, channel: ChannelName, message: unknown): boolean;
  broadcast(channel: ChannelName, message: unknown): void;
  connectedPeers(): string[];
  /** Disconnects and bans a peer that broke the protocol; the reason is logged. */
  penalize(peerId: string, reason: string): void;
}
