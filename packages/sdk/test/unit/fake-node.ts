import { createServer, type IncomingMessage, STATUS_CODES } from "node:http";
import type { AddressInfo } from "node:net";

// A stand-in for a node's HTTP API: records every request and answers with canned responses.

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage["headers"];
  body: unknown;
}

export interface CannedResponse {
  status?: number;
  body?: unknown;
  /** Raw text instead of JSON, e.g. an HTML error page. */
  text?: string;
  contentType?: string;
  /** Never answer (for timeouts). */
  hang?: boolean;
  /** Answer after this long, so concurrent client calls really overlap. */
  delayMs?: number;
}

/** Keyed by "METHOD /path" (query excluded); a function answers per request. */
export type Routes = Record<string, CannedResponse | ((req: RecordedRequest) => CannedResponse)>;

export interface FakeNode {
  url: string;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

export const notFound = (detail: string): CannedResponse => problem(404, "NODE_NOT_FOUND", detail);

/** Shaped like the node's problem documents (RFC 9457 plus the WeftError's code and fields). */
export function problem(status: number, code: string, detail: string, extra: object = {}): CannedResponse {
  return {
    status,
    contentType: "application/problem+json; charset=utf-8",
    body: {
      type: `urn:weft:problem:${code}`,
      title: STATUS_CODES[status],
      status,
      detail,
      code,
      instance: "/",
      ...extra,
    },
  };
}

export async function startFakeNode(routes: Routes): Promise<FakeNode> {
  const requests: RecordedRequest[] = [];
  const server = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://fake");
    const recorded: RecordedRequest = {
      method: req.method ?? "GET",
      path: url.pathname,
      query: url.searchParams,
      headers: req.headers,
      body: raw ? JSON.parse(raw) : undefined,
    };
    requests.push(recorded);
    const route = routes[`${recorded.method} ${recorded.path}`];
    let answer: CannedResponse;
    try {
      answer =
        typeof route === "function" ? route(recorded) : (route ?? notFound(`no route ${recorded.path}`));
    } catch (e) {
      // A bug in a test's route must fail that test, not leave the request hanging.
      answer = { status: 500, text: String(e), contentType: "text/plain" };
    }
    if (answer.hang) return;
    if (answer.delayMs) await new Promise((resolve) => setTimeout(resolve, answer.delayMs));
    const status = answer.status ?? 200;
    const text = answer.text ?? JSON.stringify(answer.body);
    res.writeHead(status, { "content-type": answer.contentType ?? "application/json" });
    res.end(text);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
