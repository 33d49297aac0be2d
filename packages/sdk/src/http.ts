import { ApiError, type ApiErrorData, SdkError } from "./errors.js";

/** The subset of `fetch` the SDK uses; pass one to add auth, retries or a test double. */
export type FetchLike = (url: string, init: RequestInit) => Promise<Response>;

export type QueryValue = string | number | boolean | bigint | undefined;

export interface HttpOptions {
  /** Base URL of the node, e.g. http://127.0.0.1:8080 (a path prefix is kept). */
  url: string;
  fetch?: FetchLike;
  /** Sent with every request, e.g. an Authorization header for a gateway in front of the node. */
  headers?: Record<string, string>;
  /**
   * A member's bearer token (createBearerToken), sent as `Authorization: Bearer <token>`; a
   * function is called for every request, so a long-lived client can renew short-lived tokens.
   */
  token?: string | (() => string);
  /** Per-request limit; default 30 s. */
  timeoutMs?: number;
}

export interface RequestOptions {
  query?: Record<string, QueryValue>;
  body?: unknown;
  timeoutMs?: number;
  /** Error statuses whose body is an answer, not a problem (e.g. 503 from /healthz). */
  acceptStatus?: readonly number[];
}

export interface Http {
  readonly baseUrl: string;
  request<T>(method: "GET" | "POST", path: string, opts?: RequestOptions): Promise<T>;
}

export const DEFAULT_REQUEST_TIMEOUT_MS = 30_000;

export function createHttp(opts: HttpOptions): Http {
  const baseUrl = checkBaseUrl(opts.url);
  // Calling the global through a wrapper keeps `this` right in browsers ("Illegal invocation").
  const doFetch: FetchLike = opts.fetch ?? ((url, init) => globalThis.fetch(url, init));
  const defaultTimeout = opts.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;

  return {
    baseUrl,
    async request<T>(method: "GET" | "POST", path: string, req: RequestOptions = {}): Promise<T> {
      const url = baseUrl + path + queryString(req.query);
      const timeoutMs = req.timeoutMs ?? defaultTimeout;
      const headers: Record<string, string> = {
        accept: "application/json, application/problem+json",
        ...opts.headers,
      };
      const token = typeof opts.token === "function" ? opts.token() : opts.token;
      if (token !== undefined) headers.authorization = `Bearer ${token}`;
      const init: RequestInit = { method, headers, signal: AbortSignal.timeout(timeoutMs) };
      if (req.body !== undefined) {
        headers["content-type"] = "application/json";
        init.body = JSON.stringify(req.body);
      }
      let text: string;
      let status: number;
      try {
        const res = await doFetch(url, init);
        status = res.status;
        text = await res.text();
      } catch (e) {
        throw transportError(e, method, url, timeoutMs);
      }
      const ok = (status >= 200 && status <= 299) || req.acceptStatus?.includes(status);
      if (!ok) throw problemError(status, text);
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new SdkError({
          code: "SDK_BAD_RESPONSE",
          message: `${method} ${url}: response is not JSON`,
          status,
        });
      }
    },
  };
}

/** Encodes one path segment; state keys keep their slashes as separate segments. */
export function segment(value: string | number): string {
  return encodeURIComponent(String(value));
}

export function keyPath(key: string): string {
  return key.split("/").map(segment).join("/");
}

function checkBaseUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new SdkError({ code: "SDK_INVALID_ARGUMENT", message: `not a URL: ${url}` });
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new SdkError({ code: "SDK_INVALID_ARGUMENT", message: `node URL must be http(s): ${url}` });
  }
  return url.replace(/\/+$/, "");
}

function queryString(query: Record<string, QueryValue> | undefined): string {
  if (!query) return "";
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, String(v));
  const text = params.toString();
  return text ? `?${text}` : "";
}

function transportError(e: unknown, method: string, url: string, timeoutMs: number): SdkError {
  const name = (e as { name?: unknown } | null)?.name;
  if (name === "TimeoutError" || name === "AbortError") {
    return new SdkError({
      code: "SDK_TIMEOUT",
      message: `${method} ${url}: no answer within ${timeoutMs} ms`,
      url,
    });
  }
  // Node's fetch says only "fetch failed"; the useful part (ECONNREFUSED, ...) is in `cause`.
  const cause = (e as { cause?: { message?: unknown } } | null)?.cause?.message;
  const reason = typeof cause === "string" ? cause : e instanceof Error ? e.message : String(e);
  return new SdkError({ code: "SDK_NETWORK", message: `${method} ${url}: ${reason}`, url });
}

function problemError(status: number, text: string): ApiError {
  let problem: Record<string, unknown> = {};
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) {
      problem = parsed as Record<string, unknown>;
    }
  } catch {
    // Not a problem document (a proxy's HTML page, say): status alone describes it.
  }
  const { type, code, title, detail, status: _status, message: _message, ...extra } = problem;
  const str = (v: unknown): string | undefined => (typeof v === "string" ? v : undefined);
  const data: ApiErrorData = {
    ...extra,
    code: str(code) ?? "SDK_HTTP_ERROR",
    status,
    message: str(detail) ?? str(title) ?? `HTTP ${status}`,
  };
  if (str(title) !== undefined) data.title = str(title);
  if (str(detail) !== undefined) data.detail = str(detail);
  if (str(type) !== undefined) data.problemType = str(type);
  return new ApiError(data);
}
