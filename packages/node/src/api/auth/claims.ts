import { AuthError, badToken } from "./errors.js";

/** The claims of a Weft API bearer token. */
export interface TokenClaims {
  /** The member's address (the key the token is signed with). */
  iss: string;
  /** The member's id inside its organisation. */
  sub: string;
  /** The chain id: a token for one chain is useless on another. */
  aud: string;
  /** Seconds since the epoch. */
  iat: number;
  exp: number;
  jti?: string;
}

export interface ClaimLimits {
  chainId: string;
  /** Node clock, ms. */
  now: number;
  /** Tolerated clock difference between client and node, seconds. */
  skewSeconds: number;
  /** Longest accepted exp − iat, seconds. */
  maxTtlSeconds: number;
}

const ADDRESS = /^[0-9a-f]{40}$/;

/**
 * Checks the claims' shapes, audience and times. The signature and the member behind `iss` are
 * checked by the caller (the key comes from the chain).
 */
export function checkClaims(payload: Record<string, unknown>, limits: ClaimLimits): TokenClaims {
  const { iss, sub, aud, iat, exp, jti } = payload;
  if (typeof iss !== "string" || !ADDRESS.test(iss))
    throw badToken("iss must be the member's address (40 hex)");
  if (typeof sub !== "string" || sub === "") throw badToken("sub must be the member's id");
  if (!isSeconds(iat) || !isSeconds(exp))
    throw badToken("iat and exp must be integer seconds since the epoch");
  if (jti !== undefined && (typeof jti !== "string" || jti.length > 128))
    throw badToken("jti must be a string");
  // RFC 7519 allows an array audience; it must name this chain either way.
  const audiences = typeof aud === "string" ? [aud] : Array.isArray(aud) ? aud : [];
  if (!audiences.includes(limits.chainId)) {
    throw new AuthError({
      code: "AUTH_BAD_TOKEN",
      message: `the token is for ${JSON.stringify(aud)}, not this chain (${limits.chainId})`,
    });
  }
  if (exp <= iat) throw badToken("exp must be after iat");
  if (exp - iat > limits.maxTtlSeconds) {
    throw badToken(`the token lives ${exp - iat} s; at most ${limits.maxTtlSeconds} s are accepted`);
  }
  const nowSeconds = Math.floor(limits.now / 1000);
  if (iat > nowSeconds + limits.skewSeconds) throw badToken("the token is issued in the future (iat)");
  if (exp < nowSeconds - limits.skewSeconds) {
    throw new AuthError({
      code: "AUTH_EXPIRED",
      message: `the token expired at ${new Date(exp * 1000).toISOString()}`,
    });
  }
  return { iss, sub, aud: limits.chainId, iat, exp, ...(jti === undefined ? {} : { jti }) };
}

const isSeconds = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
