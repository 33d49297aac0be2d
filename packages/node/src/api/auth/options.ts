/**
 * auto: "required" on a chain with identity (genesis appState.identity), "off" on an open chain.
 * off: nobody is asked for a token. required: requests acting on behalf of the node's organisation
 * need a member's token, and reads outside `publicReads` need one too.
 */
export type AuthMode = "auto" | "off" | "required";

/** Route groups that only read; each may be kept public. */
export const READ_GROUPS = [
  "health",
  "metrics",
  "docs",
  "txs-read",
  "blocks",
  "state",
  "proofs",
  "events",
  "epcis-query",
  "resolver",
  "verify",
] as const;
export type ReadGroup = (typeof READ_GROUPS)[number];

export interface ApiAuthOptions {
  mode?: AuthMode;
  /**
   * Read groups anyone may call when auth is on. Absent: the network configuration's
   * `access.publicReads`, else every read group (only writes on behalf of the org need a token).
   */
  publicReads?: readonly ReadGroup[];
  /** The organisation this node acts for. Absent: the org of the node key's member record, or of its node id. */
  org?: string;
  /** Tolerated difference between client and node clocks, seconds (default 60). */
  clockSkewSeconds?: number;
  /** Longest accepted token lifetime exp − iat, seconds (default 3600). */
  maxTokenTtlSeconds?: number;
  /**
   * Roles of which a member needs one to act for the organisation (capture, create queries or
   * subscriptions); a reader or auditor only reads. Default admin, operator, writer, device.
   */
  writeRoles?: readonly string[];
}

export const AUTH_DEFAULTS = {
  clockSkewSeconds: 60,
  maxTokenTtlSeconds: 3600,
  writeRoles: ["admin", "operator", "writer", "device"],
} as const;

export function resolveAuthOptions(
  input: ApiAuthOptions | undefined,
  bad: (message: string) => Error,
): ApiAuthOptions {
  const auth = { mode: "auto" as AuthMode, ...input };
  if (!["auto", "off", "required"].includes(auth.mode)) {
    throw bad(`api.auth.mode must be auto, off or required (got ${String(auth.mode)})`);
  }
  if (auth.publicReads !== undefined) checkReadGroups(auth.publicReads, "api.auth.publicReads", bad);
  for (const key of ["clockSkewSeconds", "maxTokenTtlSeconds"] as const) {
    const v = auth[key];
    if (v !== undefined && (!Number.isSafeInteger(v) || v < 0))
      throw bad(`api.auth.${key} must be a non-negative integer`);
  }
  if (auth.org !== undefined && (typeof auth.org !== "string" || auth.org === ""))
    throw bad("api.auth.org must be an org name");
  if (
    auth.writeRoles !== undefined &&
    (!Array.isArray(auth.writeRoles) ||
      auth.writeRoles.length === 0 ||
      auth.writeRoles.some((r) => typeof r !== "string" || !/^[a-z][a-z0-9-]{0,31}$/.test(r)))
  )
    throw bad("api.auth.writeRoles must be a non-empty list of role names");
  return auth;
}

/** Refuses a list naming anything but read groups (node options, network.json access). */
export function checkReadGroups(list: unknown, what: string, bad: (message: string) => Error): void {
  if (!Array.isArray(list)) throw bad(`${what} must be a list of route groups`);
  const unknown = list.filter((g) => !(READ_GROUPS as readonly string[]).includes(g));
  if (unknown.length > 0) {
    throw bad(`${what}: unknown route group ${unknown.join(", ")} (known: ${READ_GROUPS.join(", ")})`);
  }
}
