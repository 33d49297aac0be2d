import { ApiError, SdkError } from "@weft/sdk";

/**
 * GET of a node route the SDK has no method for yet (`/v1/gov/proposals`), with the SDK's error
 * types: ApiError for a problem answer, SdkError SDK_NETWORK / SDK_TIMEOUT / SDK_BAD_RESPONSE.
 */
export async function nodeGet<T>(
  baseUrl: string,
  path: string,
  query: Record<string, string | undefined> = {},
  timeoutMs = 30_000,
): Promise<T> {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k, v);
  const url = `${baseUrl.replace(/\/+$/, "")}${path}${params.size > 0 ? `?${params}` : ""}`;
  let res: Response;
  let text: string;
  try {
    res = await fetch(url, {
      headers: { accept: "application/json, application/problem+json" },
      signal: AbortSignal.timeout(timeoutMs),
    });
    text = await res.text();
  } catch (e) {
    const name = (e as { name?: unknown } | null)?.name;
    if (name === "TimeoutError" || name === "AbortError")
      throw new SdkError({
        code: "SDK_TIMEOUT",
        message: `GET ${url}: no answer within ${timeoutMs} ms`,
        url,
      });
    const cause = (e as { cause?: { message?: unknown } } | null)?.cause?.message;
    const reason = typeof cause === "string" ? cause : (e as Error).message;
    throw new SdkError({ code: "SDK_NETWORK", message: `GET ${url}: ${reason}`, url });
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    if (res.ok)
      throw new SdkError({ code: "SDK_BAD_RESPONSE", message: `GET ${url}: response is not JSON`, url });
  }
  if (!res.ok) {
    const p = (body ?? {}) as { code?: unknown; detail?: unknown; title?: unknown };
    const str = (v: unknown) => (typeof v === "string" ? v : undefined);
    throw new ApiError({
      code: str(p.code) ?? "SDK_HTTP_ERROR",
      status: res.status,
      message: str(p.detail) ?? str(p.title) ?? `HTTP ${res.status}`,
    });
  }
  return body as T;
}
