/**
 * Wire frames: u32 big-endian length of the rest, u8 channel id, UTF-8 JSON payload.
 * Channel 0 carries the handshake; 1..3 are `CHANNELS` in order. The decoder validates each
 * header before reading the payload, so an oversize or unknown frame is refused from its first
 * five bytes and never buffered.
 */
import { P2PError } from "./errors.js";
import { CHANNELS, type ChannelName } from "./types.js";

export const HANDSHAKE_CHANNEL = 0;
/** The hello is a few hundred bytes; anything near this is not a hello. */
export const HANDSHAKE_MAX_BYTES = 4096;
const HEADER_BYTES = 5;

export interface Frame {
  /** 0 = handshake, otherwise 1 + index in `CHANNELS`. */
  channelId: number;
  message: unknown;
}

export function channelId(channel: ChannelName): number {
  const index = CHANNELS.indexOf(channel);
  if (index < 0)
    throw new P2PError({ code: "P2P_UNKNOWN_CHANNEL", message: `unknown channel ${String(channel)}` });
  return index + 1;
}

/** The channel a (non-handshake) frame belongs to; undefined for 0 and unknown ids. */
export function channelName(id: number): ChannelName | undefined {
  return CHANNELS[id - 1];
}

/** Payload size limit per channel id; the handshake channel has its own small limit. */
function limitOf(id: number, maxFrameBytes: Record<ChannelName, number>): number | undefined {
  if (id === HANDSHAKE_CHANNEL) return HANDSHAKE_MAX_BYTES;
  const name = channelName(id);
  return name === undefined ? undefined : maxFrameBytes[name];
}

/** Encodes one frame; `maxPayloadBytes` keeps us from sending what the peer would refuse. */
export function encodeFrame(id: number, message: unknown, maxPayloadBytes?: number): Buffer {
  let json: string | undefined;
  try {
    json = JSON.stringify(message);
  } catch (e) {
    throw new P2PError({ code: "P2P_UNENCODABLE_MESSAGE", message: `message is not JSON: ${String(e)}` });
  }
  if (json === undefined) {
    throw new P2PError({ code: "P2P_UNENCODABLE_MESSAGE", message: "message is not JSON (undefined)" });
  }
  const size = Buffer.byteLength(json);
  if (maxPayloadBytes !== undefined && size > maxPayloadBytes) {
    throw new P2PError({
      code: "P2P_FRAME_TOO_LARGE",
      message: `frame payload of ${size} bytes exceeds ${maxPayloadBytes}`,
      size,
      limit: maxPayloadBytes,
    });
  }
  const frame = Buffer.allocUnsafe(HEADER_BYTES + size);
  frame.writeUInt32BE(size + 1, 0);
  frame.writeUInt8(id, 4);
  frame.write(json, HEADER_BYTES, "utf8");
  return frame;
}

/**
 * Streaming decoder: feed it chunks split anywhere, get whole frames back. After the first
 * error it stays failed (the connection is dropped anyway).
 */
export class FrameDecoder {
  readonly #maxFrameBytes: Record<ChannelName, number>;
  readonly #utf8 = new TextDecoder("utf-8", { fatal: true });
  #parts: Buffer[] = [];
  #buffered = 0;
  /** Header of the frame whose payload is being collected. */
  #pending: { id: number; size: number } | undefined;
  #failed: P2PError | undefined;

  constructor(maxFrameBytes: Record<ChannelName, number>) {
    this.#maxFrameBytes = maxFrameBytes;
  }

  push(chunk: Uint8Array): Frame[] {
    if (this.#failed) throw this.#failed;
    if (chunk.length > 0) {
      this.#parts.push(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length));
      this.#buffered += chunk.length;
    }
    const frames: Frame[] = [];
    try {
      for (;;) {
        if (!this.#pending) {
          if (this.#buffered < HEADER_BYTES) break;
          this.#pending = this.#header(this.#take(HEADER_BYTES));
        }
        if (this.#buffered < this.#pending.size) break;
        frames.push({ channelId: this.#pending.id, message: this.#payload(this.#take(this.#pending.size)) });
        this.#pending = undefined;
      }
    } catch (e) {
      this.#failed =
        e instanceof P2PError ? e : new P2PError({ code: "P2P_MALFORMED_FRAME", message: String(e) });
      this.#parts = [];
      throw this.#failed;
    }
    return frames;
  }

  #header(header: Buffer): { id: number; size: number } {
    const length = header.readUInt32BE(0);
    const id = header.readUInt8(4);
    const limit = limitOf(id, this.#maxFrameBytes);
    if (limit === undefined) {
      throw new P2PError({ code: "P2P_UNKNOWN_CHANNEL", message: `unknown channel id ${id}`, channelId: id });
    }
    if (length === 0) throw new P2PError({ code: "P2P_MALFORMED_FRAME", message: "frame length 0" });
    if (length - 1 > limit) {
      throw new P2PError({
        code: "P2P_FRAME_TOO_LARGE",
        message: `frame payload of ${length - 1} bytes on channel ${id} exceeds ${limit}`,
        channelId: id,
        size: length - 1,
        limit,
      });
    }
    return { id, size: length - 1 };
  }

  #payload(bytes: Buffer): unknown {
    try {
      return JSON.parse(this.#utf8.decode(bytes));
    } catch {
      throw new P2PError({ code: "P2P_MALFORMED_FRAME", message: "frame payload is not UTF-8 JSON" });
    }
  }

  /** Removes `n` buffered bytes (n <= buffered); copies only when they span chunks. */
  #take(n: number): Buffer {
    const first = this.#parts[0];
    if (first && first.length >= n) {
      if (first.length === n) this.#parts.shift();
      else this.#parts[0] = first.subarray(n);
      this.#buffered -= n;
      return first.subarray(0, n);
    }
    const out = Buffer.allocUnsafe(n);
    let filled = 0;
    while (filled < n) {
      const part = this.#parts[0]!;
      const used = Math.min(part.length, n - filled);
      part.copy(out, filled, 0, used);
      filled += used;
      if (used === part.length) this.#parts.shift();
      else this.#parts[0] = part.subarray(used);
    }
    this.#buffered -= n;
    return out;
  }
}
