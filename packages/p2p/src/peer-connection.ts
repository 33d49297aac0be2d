/**
 * One authenticated TLS connection to a peer, from the end of the TLS handshake to close:
 * hello exchange with timeout, frame decoding, counters, and writes with mempool backpressure.
 * Policy (what to ban, which connection wins) is the host's; this reports and obeys.
 */
import type { TLSSocket } from "node:tls";
import type { RejectCode } from "./errors.js";
import { P2PError } from "./errors.js";
import { channelName, FrameDecoder, HANDSHAKE_CHANNEL } from "./frame.js";
import { type Hello, helloMismatch } from "./handshake.js";
import type { PeerCounters } from "./host-api.js";
import { safely } from "./safely.js";
import type { ChannelName, Logged } from "./types.js";

export interface ConnectionEvents {
  /** The peer's hello matched; the connection may carry channel frames. */
  open(conn: PeerConnection): void;
  frame(conn: PeerConnection, channel: ChannelName, message: unknown): void;
  /** The peer broke the protocol; the host decides whether to ban, and closes. */
  refused(conn: PeerConnection, code: RejectCode, detail: string): void;
  /** Called exactly once, synchronously from `close()` or when the socket closes. */
  closed(conn: PeerConnection, reason: string): void;
}

export interface ConnectionParams {
  /** Our hello, already encoded as a channel-0 frame. */
  helloFrame: Buffer;
  expectedHello: Hello;
  maxFrameBytes: Record<ChannelName, number>;
  maxQueuedBytes: number;
  handshakeTimeoutMs: number;
  counters: PeerCounters;
  events: ConnectionEvents;
  log: Logged;
}

export class PeerConnection {
  readonly socket: TLSSocket;
  readonly peerId: string;
  readonly direction: "inbound" | "outbound";
  readonly #p: ConnectionParams;
  readonly #decoder: FrameDecoder;
  #open = false;
  #closed = false;
  #socketError: string | undefined;
  #timer: NodeJS.Timeout | undefined;

  constructor(
    socket: TLSSocket,
    peerId: string,
    direction: "inbound" | "outbound",
    params: ConnectionParams,
  ) {
    this.socket = socket;
    this.peerId = peerId;
    this.direction = direction;
    this.#p = params;
    this.#decoder = new FrameDecoder(params.maxFrameBytes);
  }

  get isOpen(): boolean {
    return this.#open && !this.#closed;
  }

  start(): void {
    const { log } = this.#p;
    // Notices a peer that vanished without closing (power loss, partition) within minutes, not hours.
    this.socket.setKeepAlive(true, 15_000);
    this.socket.on("data", (chunk: Buffer) => safely(log, "p2p data", () => this.#onData(chunk)));
    this.socket.on("error", (err) => {
      this.#socketError ??= err.message;
    });
    this.socket.on("close", () =>
      safely(log, "p2p close", () =>
        this.#finish(this.#socketError ? `socket error: ${this.#socketError}` : "closed by peer"),
      ),
    );
    this.#timer = setTimeout(
      () =>
        safely(log, "p2p handshake timeout", () => {
          if (!this.#open) this.#p.events.refused(this, "P2P_HANDSHAKE_TIMEOUT", "no hello in time");
        }),
      this.#p.handshakeTimeoutMs,
    );
    this.#writeRaw(this.#p.helloFrame);
  }

  /** Queues an encoded frame; false when closed, or when a mempool frame meets a full queue. */
  write(frame: Buffer, channel: ChannelName): boolean {
    if (!this.isOpen || this.socket.destroyed) return false;
    if (channel === "mempool" && this.socket.writableLength > this.#p.maxQueuedBytes) {
      this.#p.counters.framesDropped++;
      return false;
    }
    this.#writeRaw(frame);
    this.#p.counters.framesOut++;
    return true;
  }

  close(reason: string): void {
    this.socket.destroy();
    this.#finish(reason);
  }

  #writeRaw(frame: Buffer): void {
    this.socket.write(frame);
    this.#p.counters.bytesOut += frame.length;
  }

  #finish(reason: string): void {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#p.events.closed(this, reason);
  }

  #onData(chunk: Buffer): void {
    if (this.#closed) return;
    this.#p.counters.bytesIn += chunk.length;
    let frames: ReturnType<FrameDecoder["push"]>;
    try {
      frames = this.#decoder.push(chunk);
    } catch (e) {
      const err = e instanceof P2PError ? e : undefined;
      const code =
        err?.code === "P2P_FRAME_TOO_LARGE" || err?.code === "P2P_UNKNOWN_CHANNEL"
          ? err.code
          : "P2P_MALFORMED_FRAME";
      this.#p.events.refused(this, code, err?.message ?? String(e));
      return;
    }
    for (const { channelId, message } of frames) {
      if (this.#closed) return;
      if (!this.#open) {
        this.#onHello(channelId, message);
        continue;
      }
      const channel = channelName(channelId);
      if (channel === undefined) {
        this.#p.events.refused(this, "P2P_UNEXPECTED_FRAME", "handshake frame after the handshake");
        return;
      }
      this.#p.counters.framesIn++;
      this.#p.events.frame(this, channel, message);
    }
  }

  #onHello(channelId: number, message: unknown): void {
    if (channelId !== HANDSHAKE_CHANNEL) {
      this.#p.events.refused(this, "P2P_UNEXPECTED_FRAME", `channel ${channelId} frame before the hello`);
      return;
    }
    const mismatch = helloMismatch(message, this.#p.expectedHello);
    if (mismatch !== undefined) {
      this.#p.events.refused(this, "P2P_HANDSHAKE_MISMATCH", mismatch);
      return;
    }
    this.#open = true;
    clearTimeout(this.#timer);
    this.#p.events.open(this);
  }
}
