import { Type } from "@sinclair/typebox";
import type { FastifyReply, FastifyRequest } from "fastify";
import type { ApiApp } from "../../context.js";
import { CBV_VERSION, EPCIS_VERSION } from "../../epcis/documents.js";
import { EpcisError, epcisUnavailable } from "../../epcis/errors.js";
import type { EpcisRuntime } from "../../epcis/runtime.js";

/** The JSON text of request bodies parsed in the EPCIS plugin (captures keep each event's text). */
const rawBodies = new WeakMap<FastifyRequest, string>();

export function rawBodyOf(request: FastifyRequest): string {
  const text = rawBodies.get(request);
  if (text === undefined) throw new EpcisError("ValidationException", "the request has no JSON body");
  return text;
}

/**
 * JSON (`application/json`, `application/ld+json`) parsed here rather than by Fastify, to keep the
 * text. `__proto__` / `constructor.prototype` keys are refused like Fastify's own parser does.
 */
export function installJsonParser(app: ApiApp): void {
  app.removeContentTypeParser("application/json");
  app.addContentTypeParser(
    ["application/json", "application/ld+json"],
    { parseAs: "string" },
    (request, body, done) => {
      const text = body as string;
      if (text.trim() === "") {
        done(
          new EpcisError("ValidationException", "the body is empty; a JSON document is expected"),
          undefined,
        );
        return;
      }
      try {
        const json: unknown = /"(__proto__|constructor)"/.test(text)
          ? JSON.parse(text, refusePoison)
          : JSON.parse(text);
        rawBodies.set(request, text);
        done(null, json);
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        done(
          new EpcisError("ValidationException", `the body is not JSON: ${message}`, {
            problems: [{ path: "", message }],
          }),
          undefined,
        );
      }
    },
  );
}

function refusePoison(this: unknown, key: string, value: unknown): unknown {
  if (key === "__proto__") throw new SyntaxError('the key "__proto__" is not accepted');
  if (key === "constructor" && value !== null && typeof value === "object" && "prototype" in value) {
    throw new SyntaxError('the key "constructor.prototype" is not accepted');
  }
  return value;
}

/** Version headers on every EPCIS response; requests for another EPCIS/CBV version get 406. */
export function installVersionHeaders(app: ApiApp): void {
  app.addHook("onRequest", async (request) => {
    for (const [header, supported] of [
      ["gs1-epcis-version", EPCIS_VERSION],
      ["gs1-cbv-version", CBV_VERSION],
    ] as const) {
      const value = request.headers[header];
      if (typeof value === "string" && !versionMatches(value, supported)) {
        throw new EpcisError(
          "ImplementationException",
          `this node speaks ${header} ${supported}, not ${value}`,
          {
            httpStatus: 406,
          },
        );
      }
    }
    const min = request.headers["gs1-epcis-min"];
    const max = request.headers["gs1-epcis-max"];
    if (
      (typeof min === "string" && compareVersion(min, EPCIS_VERSION) > 0) ||
      (typeof max === "string" && compareVersion(max, EPCIS_VERSION) < 0)
    ) {
      throw new EpcisError("ImplementationException", `this node speaks EPCIS ${EPCIS_VERSION} only`, {
        httpStatus: 406,
      });
    }
  });
  app.addHook("onSend", async (_request, reply, payload) => {
    reply.header("GS1-EPCIS-Version", EPCIS_VERSION);
    reply.header("GS1-CBV-Version", CBV_VERSION);
    return payload;
  });
}

function versionMatches(value: string, supported: string): boolean {
  return value.trim() === supported || value.trim().startsWith(`${supported}.`);
}

function compareVersion(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (Number.isNaN(d)) return 0;
    if (d !== 0) return d;
  }
  return 0;
}

/** This node's public base URL: the configured one, or the request's scheme and Host. */
export function baseUrl(request: FastifyRequest, configured: string): string {
  return configured !== "" ? configured : `${request.protocol}://${request.host}`;
}

/** Sends a value as pre-serialised JSON (route response schemas document it; they do not reshape it). */
export function sendJson(
  reply: FastifyReply,
  status: number,
  value: unknown,
  type = "application/json",
): FastifyReply {
  return reply.code(status).type(`${type}; charset=utf-8`).send(JSON.stringify(value));
}

/** The runtime, or 503 when this node runs without the trace module. */
export function need(runtime: EpcisRuntime | undefined): EpcisRuntime {
  if (!runtime) throw epcisUnavailable();
  return runtime;
}

/** Problem responses documented for EPCIS routes (epcisException types, RFC 7807). */
export const EpcisProblemSchema = Type.Object(
  {
    type: Type.String({ description: "epcisException:<Name>" }),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    instance: Type.String(),
    problems: Type.Optional(
      Type.Array(
        Type.Object(
          { path: Type.String(), message: Type.String(), value: Type.Optional(Type.Unknown()) },
          { additionalProperties: false },
        ),
      ),
    ),
  },
  { additionalProperties: true, $id: "EpcisProblem" },
);

const EXCEPTIONS_BY_STATUS: Record<number, string> = {
  400: "ValidationException, QueryParameterException or SubscriptionControlsException",
  404: "NoSuchResourceException",
  406: "ImplementationException (unsupported GS1-EPCIS-Version / GS1-CBV-Version)",
  409: "ResourceAlreadyExistsException",
  413: "CaptureLimitExceededException or QueryTooLargeException",
  415: "ImplementationException (media type)",
  503: "ImplementationException (the trace module is not running on this node)",
};

export function epcisProblems(...statuses: number[]) {
  return Object.fromEntries(
    statuses.map((s) => [
      s,
      {
        description: `epcisException:${EXCEPTIONS_BY_STATUS[s] ?? "ImplementationException"}`,
        content: { "application/problem+json": { schema: { $ref: "EpcisProblem#" } } },
      },
    ]),
  );
}

/** A loosely described JSON document (EPCIS documents are validated by @weft/epcis, not by the route). */
export const AnyDocument = (description: string) =>
  Type.Object({}, { additionalProperties: true, description });

/** EPCISQueryDocument schema for the documentation. */
export const QueryDocumentSchema = Type.Object(
  {
    "@context": Type.Unknown(),
    type: Type.Literal("EPCISQueryDocument"),
    schemaVersion: Type.String(),
    creationDate: Type.String(),
    epcisBody: Type.Object(
      {
        queryResults: Type.Object(
          {
            queryName: Type.String(),
            subscriptionID: Type.Optional(Type.String()),
            resultsBody: Type.Object({
              eventList: Type.Array(
                Type.Object(
                  {},
                  {
                    additionalProperties: true,
                    description:
                      "the event as captured, with recordTime, eventID (the captured one, else the ledger id) and weft:ledger {eventId, txHash, height, logIndex, capturedBy}",
                  },
                ),
              ),
            }),
          },
          { additionalProperties: true },
        ),
      },
      { additionalProperties: true },
    ),
  },
  { additionalProperties: true, $id: "EPCISQueryDocument" },
);
