import canonicalizeModule from "canonicalize";
import { CodecError } from "../errors.js";
import { fromUtf8, utf8 } from "./bytes.js";

/**
 * The one canonical encoding for everything hashed or signed: RFC 8785 (JCS) canonical JSON.
 * On-chain values are restricted further so every node and browser produces the same bytes:
 * only strings, booleans, null, safe integers, arrays and plain objects. Amounts and other
 * big numbers travel as decimal strings; floats are refused rather than rounded.
 */
// The package is CommonJS and its typings describe an ES default export; accept either shape.
type Serialize = (input: unknown) => string | undefined;
const canonicalize: Serialize =
  typeof canonicalizeModule === "function"
    ? (canonicalizeModule as Serialize)
    : (canonicalizeModule as unknown as { default: Serialize }).default;

export type CanonicalValue =
  | string
  | number
  | boolean
  | null
  | CanonicalValue[]
  | { [key: string]: CanonicalValue };

export function assertCanonicalValue(value: unknown, path = "$"): asserts value is CanonicalValue {
  if (value === null || typeof value === "string" || typeof value === "boolean") return;
  if (typeof value === "number") {
    if (!Number.isSafeInteger(value)) {
      throw new CodecError({
        code: "CODEC_UNSUPPORTED_VALUE",
        message: `${path}: only safe integers are allowed (got ${value}); send large or fractional numbers as strings`,
        path,
      });
    }
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((v, i) => assertCanonicalValue(v, `${path}[${i}]`));
    return;
  }
  if (typeof value === "object") {
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) {
      throw new CodecError({ code: "CODEC_UNSUPPORTED_VALUE", message: `${path}: not a plain object`, path });
    }
    for (const [k, v] of Object.entries(value)) {
      if (v === undefined) continue; // dropped by JSON, like a missing field
      assertCanonicalValue(v, `${path}.${k}`);
    }
    return;
  }
  throw new CodecError({
    code: "CODEC_UNSUPPORTED_VALUE",
    message: `${path}: ${typeof value} cannot be encoded canonically`,
    path,
  });
}

export function canonicalString(value: unknown): string {
  assertCanonicalValue(value);
  const text = canonicalize(value);
  if (text === undefined) throw new CodecError({ code: "CODEC_UNSUPPORTED_VALUE", message: "nothing to encode" });
  return text;
}

export function canonicalBytes(value: unknown): Uint8Array {
  return utf8(canonicalString(value));
}

/** Strict JSON parsing for untrusted bytes: invalid UTF-8 or JSON becomes a typed error. */
export function parseJson(input: Uint8Array | string): unknown {
  let text: string;
  try {
    text = typeof input === "string" ? input : fromUtf8(input);
  } catch {
    throw new CodecError({ code: "CODEC_INVALID_JSON", message: "input is not valid UTF-8" });
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CodecError({ code: "CODEC_INVALID_JSON", message: `malformed JSON: ${(e as Error).message}` });
  }
}

/** Parses bytes that must already be canonical (stored records): re-encoding must give the same bytes. */
export function parseCanonical(input: Uint8Array): CanonicalValue {
  const value = parseJson(input);
  const again = canonicalString(value);
  if (again !== fromUtf8(input)) {
    throw new CodecError({ code: "CODEC_NOT_CANONICAL", message: "bytes are not in canonical form" });
  }
  return value as CanonicalValue;
}
