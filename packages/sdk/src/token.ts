import { addressOf, hexToBytes, type KeyPair, signBytes, toBase64, utf8 } from "@weft/core";
import { SdkError } from "./errors.js";

/** The longest token lifetime a node accepts (exp − iat). */
export const MAX_TOKEN_TTL_SECONDS = 3600;

export interface BearerTokenOptions {
  /** The member's id inside its organisation (its `identity/member` record's id). */
  memberId: string;
  /** The chain the token is for (its `aud`): a token for one chain is refused by every other. */
  chainId: string;
  /** Lifetime in seconds, 1..3600; default 900. */
  ttlSeconds?: number;
  /** Issue time in ms (default: now). */
  now?: number;
  /** A token id (`jti`), e.g. for audit logs. */
  jti?: string;
}

/**
 * A bearer token for a node's API: a compact JWS (RFC 7515) signed with the member's key —
 * EdDSA for Ed25519, ES256 (r || s, low-S) for P-256 — with claims iss (the member's address),
 * sub (its id), aud (chain id), iat and exp. Send it as `Authorization: Bearer <token>`
 * (client option `token`). Browser-safe: core crypto only.
 */
export function createBearerToken(key: KeyPair, options: BearerTokenOptions): string {
  const ttl = options.ttlSeconds ?? 900;
  if (!Number.isSafeInteger(ttl) || ttl < 1 || ttl > MAX_TOKEN_TTL_SECONDS) {
    throw new SdkError({
      code: "SDK_INVALID_ARGUMENT",
      message: `ttlSeconds must be an integer in 1..${MAX_TOKEN_TTL_SECONDS} (got ${ttl})`,
    });
  }
  if (options.memberId === "" || options.chainId === "") {
    throw new SdkError({ code: "SDK_INVALID_ARGUMENT", message: "memberId and chainId must not be empty" });
  }
  const iat = Math.floor((options.now ?? Date.now()) / 1000);
  const header = { alg: key.alg === "ed25519" ? "EdDSA" : "ES256", typ: "JWT" };
  const payload = {
    iss: addressOf(key),
    sub: options.memberId,
    aud: options.chainId,
    iat,
    exp: iat + ttl,
    ...(options.jti === undefined ? {} : { jti: options.jti }),
  };
  const signingInput = `${segment(utf8(JSON.stringify(header)))}.${segment(utf8(JSON.stringify(payload)))}`;
  const signature = signBytes(key, utf8(signingInput));
  return `${signingInput}.${segment(hexToBytes(signature))}`;
}

const segment = (bytes: Uint8Array): string =>
  toBase64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
