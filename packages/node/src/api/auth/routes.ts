import type { ReadGroup } from "./options.js";

/**
 * What a route does, for the access policy: `open` needs nothing (POST /v1/txs carries its own
 * signature; unknown routes answer 404), `read` belongs to a group that may be kept public,
 * `write` acts on behalf of the node's organisation (signed with the node's key, or node-local
 * configuration such as named queries and subscriptions) and always needs a member of that org.
 */
export type RouteClass = { kind: "open" } | { kind: "read"; group: ReadGroup } | { kind: "write" };

const READ_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Classifies a request by its route pattern (`request.routeOptions.url`), not its raw path. */
export function classifyRoute(method: string, pattern: string | undefined): RouteClass {
  if (pattern === undefined) return { kind: "open" };
  const read = READ_METHODS.has(method);
  if (pattern === "/v1/txs" && method === "POST") return { kind: "open" };
  if (pattern === "/healthz") return { kind: "read", group: "health" };
  if (pattern === "/metrics") return { kind: "read", group: "metrics" };
  if (pattern === "/docs" || pattern.startsWith("/docs/")) return { kind: "read", group: "docs" };
  if (pattern.startsWith("/v1/txs/")) return { kind: "read", group: "txs-read" };
  if (pattern.startsWith("/v1/blocks/")) return { kind: "read", group: "blocks" };
  if (/^\/v1\/(state|query|token)\//.test(pattern)) return { kind: "read", group: "state" };
  if (pattern.startsWith("/v1/proofs/")) return { kind: "read", group: "proofs" };
  if (pattern === "/v1/events") return { kind: "read", group: "events" };
  // Other chain reads (module views such as governance proposals or identity certificates).
  if (pattern.startsWith("/v1/")) return read ? { kind: "read", group: "state" } : { kind: "write" };
  if (pattern === "/epcis" || pattern.startsWith("/epcis/")) {
    return read ? { kind: "read", group: "epcis-query" } : { kind: "write" };
  }
  if (pattern.startsWith("/trace/")) return { kind: "read", group: "epcis-query" };
  // POST /verify records a scan in the node-local log: a consumer's read, not the org's write.
  if (pattern === "/verify" || pattern.startsWith("/verify/")) return { kind: "read", group: "verify" };
  return read ? { kind: "read", group: "resolver" } : { kind: "write" };
}
