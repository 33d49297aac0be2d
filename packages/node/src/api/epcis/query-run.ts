import { isWeftError } from "@weft/core";
import type { SimpleEventQuery, StoredEpcisEvent, TraceReader } from "../../modules/trace/api.js";
import { EpcisError, queryParameterError } from "./errors.js";
import { decodePageToken, encodePageToken, type ParsedEventQuery, queryScope } from "./query-params.js";

/** Runs the trace module's query; its refusals (TRACE_BAD_QUERY) become QueryParameterException. */
export function queryTrace(
  trace: TraceReader,
  query: SimpleEventQuery,
  page: { perPage: number; cursor?: string },
): { events: StoredEpcisEvent[]; nextCursor?: string } {
  try {
    return trace.queryEvents(query, page);
  } catch (e) {
    if (isWeftError(e) && (e.code === "TRACE_BAD_QUERY" || e.code.startsWith("ID_"))) {
      const field = (e.type as { field?: unknown }).field;
      throw queryParameterError(typeof field === "string" ? field : "query", e.message);
    }
    throw e;
  }
}

/**
 * One page of a query's results. `scope` names the query (an endpoint or a named query) so a
 * `nextPageToken` only continues the query it came from. `maxEventCount` is checked on the first
 * page: more matching events is a QueryTooLargeException.
 */
export function queryPage(
  trace: TraceReader,
  parsed: ParsedEventQuery,
  perPage: number,
  token: unknown,
  scope: string,
): { events: StoredEpcisEvent[]; nextPageToken?: string } {
  const fullScope = queryScope(scope, parsed.query, parsed.maxEventCount);
  const cursor = token === undefined ? undefined : decodePageToken(token, fullScope);
  if (cursor === undefined && parsed.maxEventCount !== undefined) {
    let counted = 0;
    let next: string | undefined;
    do {
      const page = queryTrace(trace, parsed.query, {
        perPage: Math.min(10_000, parsed.maxEventCount + 1 - counted),
        ...(next ? { cursor: next } : {}),
      });
      counted += page.events.length;
      next = page.nextCursor;
    } while (next && counted <= parsed.maxEventCount);
    if (counted > parsed.maxEventCount) {
      throw new EpcisError(
        "QueryTooLargeException",
        `more than maxEventCount ${parsed.maxEventCount} events match the query`,
        { maxEventCount: parsed.maxEventCount },
      );
    }
  }
  const page = queryTrace(trace, parsed.query, { perPage, ...(cursor ? { cursor } : {}) });
  return page.nextCursor === undefined
    ? { events: page.events }
    : { events: page.events, nextPageToken: encodePageToken(page.nextCursor, fullScope) };
}

/** `Link: <…>; rel="next"` for the next page: the request's own URL with `nextPageToken` replaced. */
export function nextLink(base: string, url: string, perPage: number, token: string): string {
  const [path, search = ""] = url.split("?", 2) as [string, string?];
  const kept = search.split("&").filter((p) => p !== "" && !/^(nextPageToken|perPage)(=|$)/.test(p));
  kept.push(`perPage=${perPage}`, `nextPageToken=${encodeURIComponent(token)}`);
  return `<${base}${path}?${kept.join("&")}>; rel="next"`;
}
