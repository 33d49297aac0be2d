import {
  addressOf,
  bytesToHex,
  generateKeyPair,
  hexToBytes,
  type KeyPair,
  keyPairFromSecret,
  signBytes,
  utf8,
} from "@weft/core";
import { createBearerToken, createClient } from "@weft/sdk";
import { base64url, compactVerify, decodeProtectedHeader, importJWK } from "jose";
import { describe, expect, it } from "vitest";
import { bearerToken } from "../../src/api/auth/authenticator.js";
import { checkClaims } from "../../src/api/auth/claims.js";
import { unverifiedClaims, verifyMemberJwt } from "../../src/api/auth/jwt.js";
import { classifyRoute } from "../../src/api/auth/routes.js";

const NOW = Date.parse("2026-01-01T00:00:00Z");
const limits = { chainId: "weft-test", now: NOW, skewSeconds: 60, maxTtlSeconds: 3600 };
const b64 = (value: unknown) => base64url.encode(JSON.stringify(value));
const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
    return undefined;
  } catch (e) {
    return (e as { code?: string }).code;
  }
};

const VERIFY = { chainId: "weft-test", now: NOW, skewSeconds: 60, maxTtlSeconds: 3600 };
const sign = (key: KeyPair, header: unknown, payload: unknown) => {
  const input = `${b64(header)}.${b64(payload)}`;
  return `${input}.${base64url.encode(hexToBytes(signBytes(key, utf8(input))))}`;
};
const refusal = async (p: Promise<unknown>): Promise<string | undefined> => {
  try {
    await p;
    return undefined;
  } catch (e) {
    return (e as { code?: string }).code;
  }
};

describe("member tokens: sdk (core crypto) signs, the node (jose) verifies", () => {
  // RFC 8037 Appendix A.1 / A.4: the Ed25519 key and its JWS of "Example of Ed25519 signing".
  const d = bytesToHex(base64url.decode("nWGxne_9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A"));
  const x = "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo";
  const rfcJws =
    "eyJhbGciOiJFZERTQSJ9.RXhhbXBsZSBvZiBFZDI1NTE5IHNpZ25pbmc." +
    "hgyY0il_MGCjP0JzlnLWG1PPOt7-09PGcvMg3AIbQR6dWbhijcNR4ki4iylGjg5BhVsPt9g7sVvpAr_MuM0KAg";

  it("core's Ed25519 signs the RFC 8037 example as jose expects", async () => {
    const key = keyPairFromSecret("ed25519", d);
    expect(key.publicKey).toBe(bytesToHex(base64url.decode(x)));
    const [h, p] = rfcJws.split(".");
    expect(`${h}.${p}.${base64url.encode(hexToBytes(signBytes(key, utf8(`${h}.${p}`))))}`).toBe(rfcJws);
    const { payload } = await compactVerify(
      rfcJws,
      await importJWK({ kty: "OKP", crv: "Ed25519", x }, "EdDSA"),
    );
    expect(new TextDecoder().decode(payload)).toBe("Example of Ed25519 signing");
  });

  it("round-trips sdk tokens for Ed25519 (EdDSA) and P-256 (ES256)", async () => {
    for (const alg of ["ed25519", "p256"] as const) {
      const key = generateKeyPair(alg);
      const token = createBearerToken(key, {
        memberId: "ana",
        chainId: "weft-test",
        ttlSeconds: 600,
        now: NOW,
      });
      expect(decodeProtectedHeader(token)).toEqual({
        alg: alg === "ed25519" ? "EdDSA" : "ES256",
        typ: "JWT",
      });
      const payload = await verifyMemberJwt(token, key, VERIFY);
      expect(checkClaims(payload as Record<string, unknown>, limits)).toEqual({
        iss: addressOf(key),
        sub: "ana",
        aud: "weft-test",
        iat: NOW / 1000,
        exp: NOW / 1000 + 600,
      });
      expect(await refusal(verifyMemberJwt(token, generateKeyPair(alg), VERIFY))).toBe("AUTH_BAD_TOKEN");
    }
  });

  it("refuses none, other algorithms than the key's, crit and claims out of bounds", async () => {
    const key = generateKeyPair();
    const iat = NOW / 1000;
    const claims = { iss: addressOf(key), sub: "ana", aud: "weft-test", iat, exp: iat + 300 };
    const code = (header: unknown, payload: unknown = claims) =>
      refusal(verifyMemberJwt(sign(key, header, payload), key, VERIFY));
    expect(await code({ alg: "EdDSA" })).toBeUndefined();
    expect(await code({ alg: "none" })).toBe("AUTH_BAD_TOKEN");
    expect(await code({ alg: "ES256" })).toBe("AUTH_BAD_TOKEN");
    expect(await code({ alg: "EdDSA", crit: ["weft"], weft: 1 })).toBe("AUTH_BAD_TOKEN");
    expect(await code({ alg: "EdDSA" }, { ...claims, aud: "other" })).toBe("AUTH_BAD_TOKEN");
    expect(await code({ alg: "EdDSA" }, { ...claims, iat: iat - 7200, exp: iat - 3600 })).toBe(
      "AUTH_EXPIRED",
    );
    expect(await code({ alg: "EdDSA" }, { ...claims, iat: iat + 600, exp: iat + 900 })).toBe(
      "AUTH_BAD_TOKEN",
    );
    expect(await code({ alg: "EdDSA" }, { ...claims, exp: undefined })).toBe("AUTH_BAD_TOKEN");
    expect(await code({ alg: "EdDSA" }, { ...claims, iat: iat - 7200 })).toBe("AUTH_BAD_TOKEN");
    expect(codeOf(() => unverifiedClaims("a.b"))).toBe("AUTH_BAD_TOKEN");
    expect(codeOf(() => unverifiedClaims("x".repeat(5000)))).toBe("AUTH_BAD_TOKEN");
  });
});

describe("token claims", () => {
  const iat = NOW / 1000;
  const claims = { iss: "ab".repeat(20), sub: "ana", aud: "weft-test", iat, exp: iat + 300 };

  it("checks audience, lifetime and times with the clock skew", () => {
    expect(checkClaims(claims, limits).sub).toBe("ana");
    expect(checkClaims({ ...claims, aud: ["other", "weft-test"] }, limits).aud).toBe("weft-test");
    expect(codeOf(() => checkClaims({ ...claims, aud: "other-chain" }, limits))).toBe("AUTH_BAD_TOKEN");
    expect(codeOf(() => checkClaims({ ...claims, exp: iat + 3601 }, limits))).toBe("AUTH_BAD_TOKEN");
    expect(codeOf(() => checkClaims({ ...claims, exp: iat }, limits))).toBe("AUTH_BAD_TOKEN");
    expect(codeOf(() => checkClaims({ ...claims, iat: iat + 61, exp: iat + 100 }, limits))).toBe(
      "AUTH_BAD_TOKEN",
    );
    expect(checkClaims({ ...claims, iat: iat + 59, exp: iat + 100 }, limits).iat).toBe(iat + 59);
    expect(codeOf(() => checkClaims({ ...claims, iat: iat - 400, exp: iat - 61 }, limits))).toBe(
      "AUTH_EXPIRED",
    );
    expect(checkClaims({ ...claims, iat: iat - 400, exp: iat - 59 }, limits).exp).toBe(iat - 59);
    expect(codeOf(() => checkClaims({ ...claims, iss: "alice" }, limits))).toBe("AUTH_BAD_TOKEN");
    expect(codeOf(() => checkClaims({ ...claims, iat: 1.5 }, limits))).toBe("AUTH_BAD_TOKEN");
    expect(codeOf(() => checkClaims({ ...claims, sub: "" }, limits))).toBe("AUTH_BAD_TOKEN");
  });
});

describe("Authorization header", () => {
  it("takes Bearer <token> only", () => {
    expect(bearerToken("Bearer abc.def.ghi")).toBe("abc.def.ghi");
    expect(bearerToken("bearer abc.def.ghi")).toBe("abc.def.ghi");
    expect(codeOf(() => bearerToken(undefined))).toBe("AUTH_REQUIRED");
    expect(codeOf(() => bearerToken(""))).toBe("AUTH_REQUIRED");
    expect(codeOf(() => bearerToken("Basic dXNlcjpwYXNz"))).toBe("AUTH_BAD_TOKEN");
    expect(codeOf(() => bearerToken("Bearer"))).toBe("AUTH_BAD_TOKEN");
    expect(codeOf(() => bearerToken("Bearer a b"))).toBe("AUTH_BAD_TOKEN");
    expect(codeOf(() => bearerToken(["Bearer a", "Bearer b"]))).toBe("AUTH_BAD_TOKEN");
  });
});

describe("route groups", () => {
  it("classifies routes by pattern and method", () => {
    expect(classifyRoute("POST", "/v1/txs")).toEqual({ kind: "open" });
    expect(classifyRoute("GET", undefined)).toEqual({ kind: "open" });
    expect(classifyRoute("GET", "/v1/txs/:hash")).toEqual({ kind: "read", group: "txs-read" });
    expect(classifyRoute("GET", "/v1/state/*")).toEqual({ kind: "read", group: "state" });
    expect(classifyRoute("GET", "/v1/query/:module/:name")).toEqual({ kind: "read", group: "state" });
    expect(classifyRoute("POST", "/epcis/capture")).toEqual({ kind: "write" });
    expect(classifyRoute("POST", "/epcis/events")).toEqual({ kind: "write" });
    expect(classifyRoute("DELETE", "/epcis/queries/:queryName")).toEqual({ kind: "write" });
    expect(classifyRoute("GET", "/epcis/events")).toEqual({ kind: "read", group: "epcis-query" });
    expect(classifyRoute("POST", "/verify")).toEqual({ kind: "read", group: "verify" });
    expect(classifyRoute("GET", "/01/:gtin")).toEqual({ kind: "read", group: "resolver" });
    expect(classifyRoute("GET", "/healthz")).toEqual({ kind: "read", group: "health" });
  });
});

describe("sdk client option token", () => {
  it("sends Authorization: Bearer with every request (a function is asked each time)", async () => {
    const seen: (string | undefined)[] = [];
    const fetch = async (_url: string, init: RequestInit) => {
      seen.push((init.headers as Record<string, string>).authorization);
      return new Response(JSON.stringify({ hash: "h", block: {}, commit: null }), { status: 200 });
    };
    let n = 0;
    await createClient({ url: "http://node", fetch, token: "t0" }).latestBlock();
    const renewing = createClient({ url: "http://node", fetch, token: () => `t${++n}` });
    await renewing.latestBlock();
    await renewing.latestBlock();
    await createClient({ url: "http://node", fetch }).latestBlock();
    expect(seen).toEqual(["Bearer t0", "Bearer t1", "Bearer t2", undefined]);
  });

  it("refuses lifetimes over an hour", () => {
    const key = generateKeyPair();
    expect(codeOf(() => createBearerToken(key, { memberId: "a", chainId: "c", ttlSeconds: 3601 }))).toBe(
      "SDK_INVALID_ARGUMENT",
    );
    expect(codeOf(() => createBearerToken(key, { memberId: "", chainId: "c" }))).toBe("SDK_INVALID_ARGUMENT");
  });
});
