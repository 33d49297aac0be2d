import canonicalizeModule from "canonicalize";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CodecError, canonicalString, parseCanonical, utf8 } from "../../src/index.js";

type Serialize = (input: unknown) => string | undefined;
const reference: Serialize =
  typeof canonicalizeModule === "function"
    ? (canonicalizeModule as Serialize)
    : (canonicalizeModule as unknown as { default: Serialize }).default;

// Values of the on-chain domain: no floats, no undefined inside arrays.
const value = fc.letrec((tie) => ({
  v: fc.oneof(
    { depthSize: "small" },
    fc.string({ unit: "grapheme" }),
    fc.string({ unit: "binary" }),
    fc.maxSafeInteger(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie("v"), { maxLength: 5 }),
    fc.dictionary(fc.string({ unit: "binary" }), tie("v"), { maxKeys: 5 }),
  ),
})).v;

describe("canonical JSON (RFC 8785)", () => {
  it("matches the reference canonicalize package byte for byte on 5,000 generated values", () => {
    fc.assert(
      fc.property(value, (v) => {
        expect(canonicalString(v)).toBe(reference(v));
      }),
      { numRuns: 5_000, seed: 8785 },
    );
  });

  it("sorts keys by UTF-16 code units and escapes like JCS", () => {
    expect(canonicalString({ "\u20ac": 1, "\r": 2, "\ud83d\ude00": 3, a: 4, "\u0080": 5 })).toBe(
      '{"\\r":2,"a":4,"\u0080":5,"\u20ac":1,"\ud83d\ude00":3}',
    );
    expect(canonicalString(["\u2028", "\u001f", '"\\'])).toBe('["\u2028","\\u001f","\\"\\\\"]');
    expect(canonicalString(-0)).toBe("0");
  });

  it("refuses floats, bigints, non-plain objects and functions with typed errors", () => {
    for (const bad of [1.5, Number.NaN, 2 ** 60, 10n, new Date(0), () => 1, { a: { b: [1, 0.1] } }]) {
      expect(() => canonicalString(bad)).toThrow(CodecError);
    }
  });

  it("parseCanonical accepts only canonical bytes", () => {
    expect(parseCanonical(utf8('{"a":1,"b":[true]}'))).toEqual({ a: 1, b: [true] });
    expect(() => parseCanonical(utf8('{"b":1,"a":2}'))).toThrow(CodecError);
    expect(() => parseCanonical(utf8('{"a": 1}'))).toThrow(CodecError);
  });
});
