import { backend } from "#crypto-backend";
import { bytesToHex, concatBytes, utf8 } from "../encoding/bytes.js";

export type Hash32 = Uint8Array;

export function sha256(data: Uint8Array): Hash32 {
  return backend.sha256(data);
}

export function sha256Hex(data: Uint8Array | string): string {
  return bytesToHex(backend.sha256(typeof data === "string" ? utf8(data) : data));
}

/** sha256(a || b || ...) without an intermediate allocation per part at call sites. */
export function sha256Concat(...parts: Uint8Array[]): Hash32 {
  return backend.sha256(concatBytes(...parts));
}

export const cryptoBackendName = backend.name;
