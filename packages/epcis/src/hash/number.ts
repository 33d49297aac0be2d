import { EpcisHashError } from "./errors.js";

/**
 * Numbers in the pre-hash string (CBV 2.0 event hash rules 6 and 7: no trailing zeros, no quotes).
 *
 * The reference implementation (and so every published vector) canonicalises any value that reads
 * as a number — JSON numbers and numeric strings alike, sensor values, quantities, extension values
 * — by parsing it as an IEEE-754 double and printing it back the way Python does: an integral value
 * as the exact integer (`452.0` → `452`, `1e3` → `1000`, `-0` → `0`, `007` → `7`), any other value
 * as the shortest decimal that round-trips (`12.10` → `12.1`, `0.1` stays `0.1`), in scientific
 * notation below 1e-4 (`0.00001` → `1e-05`). There is no other rounding: the double nearest to the
 * written decimal is what is printed (`0.30000000000000004` stays; 17+ significant digits collapse to
 * the nearest double, e.g. `1.00000000000000001` → `1`). We reproduce exactly that, with integer
 * printing through BigInt so large integral values are not rounded a second time.
 */

// Python `float()` syntax: digits with single `_` separators, optional fraction and exponent.
const DIGITS = String.raw`\d(?:_?\d)*`;
const PY_FLOAT = new RegExp(`^[+-]?(?:${DIGITS}(?:\\.(?:${DIGITS})?)?|\\.${DIGITS})(?:[eE][+-]?${DIGITS})?$`);
const PY_NON_FINITE = /^[+-]?(?:nan|inf|infinity)$/i;

/** A double printed as Python's `str()` prints the value after `int()` if integral, else `repr(float)`. */
export function formatNumber(value: number, path = ""): string {
  if (!Number.isFinite(value)) {
    throw new EpcisHashError({
      code: "EPCIS_HASH_UNSUPPORTED_VALUE",
      message: `${String(value)} has no place in a pre-hash string`,
      path,
    });
  }
  if (Number.isInteger(value)) return BigInt(value).toString();
  // toExponential() without an argument gives the shortest round-trip digits, like Python's repr.
  const [mantissa = "", exponentText = "0"] = value.toExponential().split("e");
  const negative = mantissa.startsWith("-");
  const digits = mantissa.replace("-", "").replace(".", "");
  const exponent = Number(exponentText);
  const sign = negative ? "-" : "";
  if (exponent < -4 || exponent >= 16) {
    const head = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    const magnitude = String(Math.abs(exponent)).padStart(2, "0");
    return `${sign}${head}e${exponent < 0 ? "-" : "+"}${magnitude}`;
  }
  if (exponent < 0) return `${sign}0.${"0".repeat(-exponent - 1)}${digits}`;
  const integer = digits.slice(0, exponent + 1).padEnd(exponent + 1, "0");
  const fraction = digits.slice(exponent + 1);
  return fraction === "" ? `${sign}${integer}` : `${sign}${integer}.${fraction}`;
}

/**
 * `text` printed as a canonical number when it reads as one, else `undefined` (not a number: keep
 * the text). `nan` stays text (the reference cannot print it as an integer and keeps the text); an
 * infinite value (`inf`, `1e400`) is refused: the reference fails on it and produces no hash.
 */
export function canonicalNumberText(text: string, path = ""): string | undefined {
  if (PY_FLOAT.test(text)) return formatNumber(Number(text.replaceAll("_", "")), path);
  if (PY_NON_FINITE.test(text) && !/nan$/i.test(text)) formatNumber(Number.POSITIVE_INFINITY, path);
  return undefined;
}
