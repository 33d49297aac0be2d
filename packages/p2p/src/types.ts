import type { Logger } from "pino";

/** Named channels multiplexed over one TLS connection; each has its own frame size limit. */
export type ChannelName = "consensus" | "mempool" | "sync";
export const CHANNELS: readonly ChannelName[] = ["consensus", "mempool", "sync"];

/** This node's TLS identity: certificate issued by its organisation's CA, and the private key. */
export interface TlsIdentity {
  certPem: string;
  keyPem: string;
}

export type PeerHandler = (peerId: string, message: unknown) => void;
export type PeerEvent =
  | { type: "connected"; peerId: string }
  | { type: "disconnected"; peerId: string; reason: string };
export type Logged = Pick<Logger, "info" | "warn" | "debug" | "error">;
