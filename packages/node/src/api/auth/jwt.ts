import { createPublicKey } from "node:crypto";
import type { KeyAlgorithm, PublicKeyInfo } from "@weft/core";
import { decodeJwt, errors, type JWK, type JWTPayload, jwtVerify } from "jose";
import { AuthError, badToken } from "./errors.js";

/** JWS algorithm of each member key type (RFC 8037 EdDSA, RFC 7518 ES256): the key decides, never the token. */
export const JWS_ALG: Readonly<Record<KeyAlgorithm, "EdDSA" | "ES256">> = { ed25519: "EdDSA", p256: "ES256" };

/** Longer Authorization values are refused before any parsing. */
export const MAX_TOKEN_LENGTH = 4096;

/** The claims of a token, not yet verified: only to find the member whose key verifies it. */
export function unverifiedClaims(token: string): JWTPayload {
  if (token.length > MAX_TOKEN_LENGTH)
    throw badToken(`the token is longer than ${MAX_TOKEN_LENGTH} characters`);
  try {
    return decodeJwt(token);
  } catch (e) {
    throw badToken(`the token is not a compact JWT: ${(e as Error).message}`);
  }
}

export interface VerifyLimits {
  chainId: string;
  /** Node clock, ms. */
  now: number;
  skewSeconds: number;
  maxTtlSeconds: number;
}

/**
 * Verifies the token's signature with the member's key (jose): the algorithm must be the one of
 * that key, `crit` headers are refused, aud must be the chain, exp not past and iat not in the
 * future (both with the clock skew). Failures become AUTH_EXPIRED or AUTH_BAD_TOKEN.
 */
export async function verifyMemberJwt(
  token: string,
  key: PublicKeyInfo,
  limits: VerifyLimits,
): Promise<JWTPayload> {
  try {
    const { payload } = await jwtVerify(token, jwkOf(key), {
      algorithms: [JWS_ALG[key.alg]],
      audience: limits.chainId,
      clockTolerance: limits.skewSeconds,
      maxTokenAge: limits.maxTtlSeconds + limits.skewSeconds,
      requiredClaims: ["iss", "sub", "aud", "iat", "exp"],
      currentDate: new Date(limits.now),
    });
    return payload;
  } catch (e) {
    if (e instanceof errors.JWTExpired && e.claim === "exp") {
      throw new AuthError({ code: "AUTH_EXPIRED", message: "the token has expired" });
    }
    if (e instanceof errors.JWSSignatureVerificationFailed) {
      throw badToken("the token's signature does not verify with the member's key");
    }
    if (e instanceof errors.JOSEAlgNotAllowed) {
      throw badToken(`the member's ${key.alg} key signs ${JWS_ALG[key.alg]} tokens only`);
    }
    if (e instanceof errors.JOSEError) throw badToken(`the token is refused: ${e.message}`);
    throw e;
  }
}

// SubjectPublicKeyInfo prefixes of a raw Ed25519 key and of a compressed P-256 point.
const SPKI_PREFIX: Readonly<Record<KeyAlgorithm, string>> = {
  ed25519: "302a300506032b6570032100",
  p256: "3039301306072a8648ce3d020106082a8648ce3d030107032200",
};
const jwks = new Map<string, JWK>();

/** The member key as a JWK (P-256 decompressed to x, y); keys come from the chain, already validated. */
function jwkOf(key: PublicKeyInfo): JWK {
  const id = `${key.alg}:${key.publicKey}`;
  let jwk = jwks.get(id);
  if (!jwk) {
    const der = Buffer.from(SPKI_PREFIX[key.alg] + key.publicKey, "hex");
    jwk = createPublicKey({ key: der, format: "der", type: "spki" }).export({ format: "jwk" }) as JWK;
    if (jwks.size > 10_000) jwks.clear();
    jwks.set(id, jwk);
  }
  return jwk;
}
