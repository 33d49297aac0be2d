import { CodecError } from "../errors.js";

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });
const HEX = /^(?:[0-9a-f]{2})*$/;
const HEX_VALUES = new Uint8Array(128);
for (let i = 0; i < 16; i++) HEX_VALUES["0123456789abcdef".charCodeAt(i)] = i;
const BYTE_HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

export function utf8(text: string): Uint8Array {
  return encoder.encode(text);
}

export function fromUtf8(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

export function bytesToHex(bytes: Uint8Array): string {
  let out = "";
  for (let i = 0; i < bytes.length; i++) out += BYTE_HEX[bytes[i] as number];
  return out;
}

/** Lowercase hex only: one spelling per value keeps hashes and signatures unambiguous. */
export function hexToBytes(hex: string, expectedLength?: number): Uint8Array {
  if (typeof hex !== "string" || !HEX.test(hex)) {
    throw new CodecError({
      code: "CODEC_INVALID_HEX",
      message: "expected lowercase hex with an even length",
    });
  }
  if (expectedLength !== undefined && hex.length !== expectedLength * 2) {
    throw new CodecError({
      code: "CODEC_INVALID_HEX",
      message: `expected ${expectedLength} bytes of hex, got ${hex.length / 2}`,
    });
  }
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) {
    out[i] =
      ((HEX_VALUES[hex.charCodeAt(i * 2)] as number) << 4) |
      (HEX_VALUES[hex.charCodeAt(i * 2 + 1)] as number);
  }
  return out;
}

export function bytesEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let length = 0;
  for (const p of parts) length += p.length;
  const out = new Uint8Array(length);
  let offset = 0;
  for (const p of parts) {
    out.set(p, offset);
    offset += p.length;
  }
  return out;
}

export function toBase64(bytes: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < bytes.length; i++) bin += String.fromCharCode(bytes[i] as number);
  return btoa(bin);
}

export function fromBase64(text: string): Uint8Array {
  let bin: string;
  try {
    bin = atob(text);
  } catch {
    throw new CodecError({ code: "CODEC_INVALID_BASE64", message: "invalid base64" });
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}
