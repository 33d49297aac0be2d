import { crc32 } from "node:zlib";
import { WeftError } from "@weft/core";

/** One consensus input as the WAL keeps it; `kind` tells the replayer how to read the rest. */
export interface WalRecord {
  height: number;
  kind: string;
  [field: string]: unknown;
}

export type WalErrorCode = "WAL_CLOSED" | "WAL_INVALID_RECORD" | "WAL_RECORD_TOO_LARGE";
export class WalError extends WeftError<{ code: WalErrorCode; message: string; [field: string]: unknown }> {}

/** u32 BE payload length, then u32 BE CRC32 of the payload. */
export const FRAME_HEADER_BYTES = 8;
/** Far above any consensus message; a larger length can only be a torn or corrupt header. */
export const MAX_RECORD_BYTES = 64 * 1024 * 1024;

export function encodeWalRecord(record: WalRecord): Uint8Array {
  if (!isWalRecord(record))
    throw new WalError({
      code: "WAL_INVALID_RECORD",
      message: "a WAL record needs an integer height and a kind",
    });
  const payload = Buffer.from(JSON.stringify(record), "utf8");
  if (payload.length > MAX_RECORD_BYTES) {
    throw new WalError({
      code: "WAL_RECORD_TOO_LARGE",
      message: `WAL record of ${payload.length} bytes exceeds ${MAX_RECORD_BYTES}`,
      bytes: payload.length,
    });
  }
  const frame = Buffer.allocUnsafe(FRAME_HEADER_BYTES + payload.length);
  frame.writeUInt32BE(payload.length, 0);
  frame.writeUInt32BE(crc32(payload), 4);
  payload.copy(frame, FRAME_HEADER_BYTES);
  return frame;
}

export interface DecodedWal {
  /** Every intact record, in order, each with the end offset of its frame. */
  frames: { record: WalRecord; end: number }[];
  /** Bytes of intact frames; anything after this is a torn or corrupt tail. */
  validLength: number;
  /** Why decoding stopped before the end, if it did. */
  problem?: string;
}

/** Reads frames until the first one that is short, fails its CRC or is not a record. */
export function decodeWal(bytes: Uint8Array): DecodedWal {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const frames: DecodedWal["frames"] = [];
  let offset = 0;
  const stop = (problem: string): DecodedWal => ({ frames, validLength: offset, problem });
  while (offset < buf.length) {
    if (buf.length - offset < FRAME_HEADER_BYTES) return stop("short frame header");
    const length = buf.readUInt32BE(offset);
    const checksum = buf.readUInt32BE(offset + 4);
    // Zero length never comes from encodeWalRecord; it is what a zero-filled tail looks like.
    if (length === 0 || length > MAX_RECORD_BYTES) return stop(`bad frame length ${length}`);
    const end = offset + FRAME_HEADER_BYTES + length;
    if (end > buf.length) return stop("short frame payload");
    const payload = buf.subarray(offset + FRAME_HEADER_BYTES, end);
    if (crc32(payload) !== checksum) return stop("CRC mismatch");
    let record: unknown;
    try {
      record = JSON.parse(payload.toString("utf8"));
    } catch {
      return stop("payload is not JSON");
    }
    if (!isWalRecord(record)) return stop("payload is not a WAL record");
    frames.push({ record, end });
    offset = end;
  }
  return { frames, validLength: offset };
}

function isWalRecord(value: unknown): value is WalRecord {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
  const { height, kind } = value as { height?: unknown; kind?: unknown };
  return Number.isSafeInteger(height) && (height as number) >= 0 && typeof kind === "string";
}
