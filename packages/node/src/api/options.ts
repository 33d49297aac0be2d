import { NodeError } from "../errors.js";
import { type ApiAuthOptions, resolveAuthOptions } from "./auth/options.js";

export type { ApiAuthOptions, AuthMode, ReadGroup } from "./auth/options.js";

/** How the HTTP API listens and how much it accepts from a single request. */
export interface ApiOptions {
  host: string;
  port: number;
  /** Largest request body in bytes; larger bodies get 413. */
  bodyLimit: number;
  /** Most transactions in one `POST /v1/txs` batch. */
  maxBatch: number;
  /** How long `?wait=true` waits for a commit when the request gives no `timeoutMs`. */
  waitTimeoutMs: number;
  /** Upper bound for a requested `timeoutMs`: bounds how long a request can hold resources. */
  maxWaitTimeoutMs: number;
  /** Concurrent `/v1/events` WebSocket clients; more are refused with 503. */
  wsMaxClients: number;
  /**
   * Who may call what: bearer tokens of chain members for requests acting on behalf of the node's
   * organisation, and which reads stay public (see docs/API.md, "Authentication").
   */
  auth: ApiAuthOptions;
  /** Serve HTTPS (and optionally authenticate members by TLS client certificate); absent: plain HTTP. */
  tls?: ApiTlsOptions;
}

export interface ApiTlsOptions {
  /** The server certificate (chain): PEM text, or the path of a PEM file. */
  cert: string;
  /** Its private key: PEM text, or the path of a PEM file. */
  key: string;
  /**
   * "registry": ask clients for a certificate (not required); one issued by an active
   * organisation's CA on chain for an active member's key authenticates as that member.
   * "none" (default): no client certificates.
   */
  clientCa?: "registry" | "none";
}

export const defaultApiOptions: Readonly<ApiOptions> = Object.freeze({
  host: "127.0.0.1",
  port: 8080,
  bodyLimit: 1024 * 1024,
  maxBatch: 1000,
  waitTimeoutMs: 10_000,
  maxWaitTimeoutMs: 60_000,
  wsMaxClients: 256,
  auth: Object.freeze({ mode: "auto" }),
});

/** Fills in defaults and refuses settings that cannot work, before anything listens. */
export function resolveApiOptions(options: Partial<ApiOptions> = {}): ApiOptions {
  const resolved: ApiOptions = { ...defaultApiOptions };
  for (const [key, value] of Object.entries(options) as [keyof ApiOptions, unknown][]) {
    if (value !== undefined) Object.assign(resolved, { [key]: value });
  }
  const counts: (keyof ApiOptions)[] = ["bodyLimit", "maxBatch", "maxWaitTimeoutMs", "wsMaxClients"];
  for (const key of counts) {
    const value = resolved[key];
    if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 1) {
      throw badConfig(`api.${key} must be a positive integer (got ${String(value)})`);
    }
  }
  if (!Number.isSafeInteger(resolved.port) || resolved.port < 0 || resolved.port > 65_535) {
    throw badConfig(`api.port must be an integer in 0..65535 (got ${resolved.port})`);
  }
  const { waitTimeoutMs, maxWaitTimeoutMs } = resolved;
  if (!Number.isSafeInteger(waitTimeoutMs) || waitTimeoutMs < 0 || waitTimeoutMs > maxWaitTimeoutMs) {
    throw badConfig(`api.waitTimeoutMs must be an integer in 0..${maxWaitTimeoutMs} (got ${waitTimeoutMs})`);
  }
  if (typeof resolved.host !== "string" || resolved.host === "")
    throw badConfig("api.host must be a host name");
  resolved.auth = resolveAuthOptions(resolved.auth, badConfig);
  if (resolved.tls !== undefined) {
    const { cert, key, clientCa } = resolved.tls;
    if (typeof cert !== "string" || cert === "" || typeof key !== "string" || key === "") {
      throw badConfig("api.tls needs cert and key (PEM text or file paths)");
    }
    if (clientCa !== undefined && clientCa !== "registry" && clientCa !== "none") {
      throw badConfig(`api.tls.clientCa must be "registry" or "none" (got ${String(clientCa)})`);
    }
  }
  return resolved;
}

const badConfig = (message: string) => new NodeError({ code: "NODE_BAD_CONFIG", message });
