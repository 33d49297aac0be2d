import { CodecError } from "../errors.js";
import { fromUtf8, utf8 } from "./bytes.js";

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
    for (let i = 0; i < value.length; i++) assertCanonicalValue(value[i], `${path}[${i}]`);
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

/**
 * RFC 8785 serialisation for the value domain above, validating while it writes (one pass: this
 * runs for every transaction, receipt and state value). Strings use JSON.stringify, which is
 * exactly JCS's string form; keys sort by UTF-16 code units, as JCS requires. Tests check it
 * byte for byte against the reference `canonicalize` package on generated values.
 */
export function canonicalString(value: unknown): string {
  return write(value, "$");
}

function write(value: unknown, path: string): string {
  switch (typeof value) {
    case "string":
      return JSON.stringify(value);
    case "boolean":
      return value ? "true" : "false";
    case "number":
      if (!Number.isSafeInteger(value)) {
        throw new CodecError({
          code: "CODEC_UNSUPPORTED_VALUE",
          message: `${path}: only safe integers are allowed (got ${value}); send large or fractional numbers as strings`,
          path,
        });
      }
      return Object.is(value, -0) ? "0" : String(value);
    case "object": {
      if (value === null) return "null";
      if (Array.isArray(value)) {
        let out = "[";
        for (let i = 0; i < value.length; i++) {
          if (i > 0) out += ",";
          const item: unknown = value[i];
          out += item === undefined ? "null" : write(item, `${path}[${i}]`);
        }
        return `${out}]`;
      }
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        throw new CodecError({
          code: "CODEC_UNSUPPORTED_VALUE",
          message: `${path}: not a plain object`,
          path,
        });
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record).sort();
      let out = "{";
      let first = true;
      for (const key of keys) {
        const item = record[key];
        if (item === undefined) continue; // dropped by JSON, like a missing field
        out += `${first ? "" : ","}${JSON.stringify(key)}:${write(item, `${path}.${key}`)}`;
        first = false;
      }
      return `${out}}`;
    }
    default:
      throw new CodecError({
        code: "CODEC_UNSUPPORTED_VALUE",
        message: `${path}: ${typeof value} cannot be encoded canonically`,
        path,
      });
  }
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
