import { describe, expect, it } from "vitest";
import {
  addressOf,
  bytesToHex,
  CryptoError,
  canonicalString,
  cryptoBackendName,
  generateKeyPair,
  keyPairFromSecret,
  sha256Hex,
  signBytes,
  utf8,
  validatePublicKey,
  verifyBytes,
} from "../../src/index.js";

describe("crypto", () => {
  it("uses node:crypto in Node", () => {
    expect(cryptoBackendName).toBe("node:crypto");
  });

  it("hashes with SHA-256", () => {
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  for (const alg of ["ed25519", "p256"] as const) {
    it(`${alg}: signs and verifies, rejects tampering`, () => {
      const key = generateKeyPair(alg);
      const msg = utf8("hello weft");
      const sig = signBytes(key, msg);
      expect(verifyBytes(key, msg, sig)).toBe(true);
      expect(verifyBytes(key, utf8("hello weft!"), sig)).toBe(false);
      const flipped = (sig[0] === "0" ? "1" : "0") + sig.slice(1);
      expect(verifyBytes(key, msg, flipped)).toBe(false);
      expect(verifyBytes(generateKeyPair(alg), msg, sig)).toBe(false);
      expect(keyPairFromSecret(alg, key.secretKey).publicKey).toBe(key.publicKey);
      expect(addressOf(key)).toMatch(/^[0-9a-f]{40}$/);
    });
  }

  it("rejects high-S P-256 signatures", async () => {
    const { p256 } = await import("@noble/curves/nist.js");
    const key = generateKeyPair("p256");
    const msg = utf8("m");
    const sig = signBytes(key, msg);
    const n = p256.Point.Fn.ORDER;
    const s = BigInt(`0x${sig.slice(64)}`);
    const high = sig.slice(0, 64) + (n - s).toString(16).padStart(64, "0");
    expect(verifyBytes(key, msg, high)).toBe(false);
  });

  it("rejects small-order and non-canonical ed25519 keys", () => {
    // identity point (small order)
    const identity = `01${"00".repeat(31)}`;
    expect(() => validatePublicKey({ alg: "ed25519", publicKey: identity })).toThrow(CryptoError);
    try {
      validatePublicKey({ alg: "ed25519", publicKey: identity });
    } catch (e) {
      expect((e as CryptoError).code).toBe("CRYPTO_SMALL_ORDER_PUBLIC_KEY");
    }
    // y = p + 1 (non-canonical encoding of y = 1)
    const pPlus1 = `ee${"ff".repeat(30)}7f`;
    let code = "";
    try {
      validatePublicKey({ alg: "ed25519", publicKey: pPlus1 });
    } catch (e) {
      code = (e as CryptoError).code;
    }
    expect(["CRYPTO_NON_CANONICAL_PUBLIC_KEY", "CRYPTO_INVALID_PUBLIC_KEY"]).toContain(code);
    expect(() => validatePublicKey({ alg: "ed25519", publicKey: "zz" })).toThrow(CryptoError);
  });

  it("rejects uncompressed and off-curve P-256 keys", () => {
    const key = generateKeyPair("p256");
    expect(() => validatePublicKey({ alg: "p256", publicKey: `04${key.publicKey.slice(2)}` })).toThrow(
      CryptoError,
    );
    expect(() => validatePublicKey({ alg: "p256", publicKey: `02${"ff".repeat(32)}` })).toThrow(CryptoError);
    expect(bytesToHex(validatePublicKey(key))).toBe(key.publicKey);
  });

  it("encodes canonically (RFC 8785) and refuses floats", () => {
    expect(canonicalString({ b: 1, a: [true, null, "x"], é: "\u2028" })).toBe(
      '{"a":[true,null,"x"],"b":1,"é":"\u2028"}',
    );
    expect(() => canonicalString({ a: 1.5 })).toThrow();
    expect(() => canonicalString({ a: 10n })).toThrow();
  });
});
