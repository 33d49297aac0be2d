import { Type } from "@sinclair/typebox";
import { validateEvent } from "@weft/epcis";
import type { FastifyRequest } from "fastify";
import { principalOf } from "../../auth/hook.js";
import type { ApiApp } from "../../context.js";
import type { CaptureJob, SubmittedBy } from "../../epcis/capture-jobs.js";
import type { CaptureErrorBehaviour } from "../../epcis/capture-plan.js";
import { WEFT_NAMESPACE } from "../../epcis/documents.js";
import { EpcisError, noSuchResource } from "../../epcis/errors.js";
import type { EpcisApiOptions } from "../../epcis/options.js";
import type { EpcisRuntime } from "../../epcis/runtime.js";
import { AnyDocument, baseUrl, epcisProblems, need, rawBodyOf, sendJson } from "./common.js";

const BEHAVIOURS: readonly CaptureErrorBehaviour[] = ["rollback", "proceed"];

const JobTx = Type.Object(
  {
    hash: Type.Optional(Type.String({ description: "transaction hash, once submitted" })),
    status: Type.Union(["queued", "pending", "committed", "failed", "cancelled"].map((s) => Type.Literal(s))),
    eventIndexes: Type.Array(Type.Integer(), { description: "positions of its events in the document" }),
    eventIDs: Type.Array(Type.String(), { description: "their ledger ids (CBV 2.0 event hashes)" }),
    height: Type.Optional(Type.Integer()),
    error: Type.Optional(Type.Object({ code: Type.String(), message: Type.String() })),
  },
  { additionalProperties: false },
);

export const CaptureJobSchema = Type.Object(
  {
    captureID: Type.String(),
    createdAt: Type.String(),
    finishedAt: Type.Optional(Type.String()),
    running: Type.Boolean(),
    success: Type.Boolean(),
    captureErrorBehaviour: Type.Union([Type.Literal("rollback"), Type.Literal("proceed")]),
    errors: Type.Array(Type.Object({}, { additionalProperties: true, description: "RFC 7807 problem" })),
    eventCount: Type.Integer(),
    capturedEventCount: Type.Integer(),
    txs: Type.Array(JobTx),
    submittedBy: Type.Optional(
      Type.Object(
        { org: Type.String(), id: Type.String() },
        { additionalProperties: false, description: "the authenticated member who asked for the capture" },
      ),
    ),
  },
  { additionalProperties: false, $id: "CaptureJob" },
);

const behaviourHeader = Type.Object(
  {
    "gs1-capture-error-behaviour": Type.Optional(
      Type.String({
        description:
          "rollback (default): nothing is captured if any event is invalid or already captured; proceed: valid events are captured, the others reported in the job",
      }),
    ),
  },
  { additionalProperties: true },
);

function behaviourOf(raw: string | string[] | undefined): CaptureErrorBehaviour {
  if (raw === undefined) return "rollback";
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim().toLowerCase();
  if (!BEHAVIOURS.includes(value as CaptureErrorBehaviour)) {
    throw new EpcisError(
      "ValidationException",
      `GS1-Capture-Error-Behaviour must be rollback or proceed, not ${raw}`,
      {
        problems: [{ path: "GS1-Capture-Error-Behaviour", message: "not rollback or proceed", value: raw }],
      },
    );
  }
  return value as CaptureErrorBehaviour;
}

export function captureLimitHeaders(options: EpcisApiOptions): Record<string, string> {
  return {
    "GS1-EPCIS-Capture-Limit": String(options.captureLimit),
    "GS1-EPCIS-Capture-File-Size-Limit": String(options.captureFileSizeLimit),
  };
}

const jobPath = (id: string) => `/epcis/capture/${encodeURIComponent(id)}`;

export function captureRoutes(
  app: ApiApp,
  runtime: EpcisRuntime | undefined,
  options: EpcisApiOptions,
  waitTimeoutMs: number,
): void {
  app.options(
    "/capture",
    {
      schema: {
        tags: ["epcis"],
        summary: "Capture interface discovery: limits and error behaviours",
        response: {
          204: {
            description:
              "Allow, GS1-EPCIS-Capture-Limit, GS1-EPCIS-Capture-File-Size-Limit, GS1-Capture-Error-Behaviour",
          },
        },
      },
    },
    async (_request, reply) => {
      for (const [name, value] of Object.entries(captureLimitHeaders(options))) reply.header(name, value);
      reply.header("Allow", "OPTIONS, GET, POST");
      reply.header("GS1-Capture-Error-Behaviour", BEHAVIOURS.join(", "));
      return reply.code(204).send();
    },
  );

  app.post(
    "/capture",
    {
      bodyLimit: options.captureFileSizeLimit,
      schema: {
        tags: ["epcis"],
        summary: "Capture an EPCIS 2.0 document (asynchronous: a capture job to poll)",
        description:
          "The whole document is checked before anything is submitted: the EPCIS 2.0 JSON schema and CBV 2.0 rules for " +
          "every event, duplicates inside it and against the ledger. A bad document gets 400 ValidationException " +
          "naming each problem's path; with rollback an event already captured gets 409 ResourceAlreadyExistsException. " +
          "Nothing is submitted then. Otherwise the events are split into trace.capture transactions (each within the " +
          "chain's maxTxBytes, same @context and header) signed by this node, and 202 returns the job " +
          "(Location: /epcis/capture/{captureID}). rollback submits one transaction at a time and stops at the first " +
          "failure; see docs/EPCIS-API.md for what that guarantees.",
        headers: behaviourHeader,
        body: AnyDocument("EPCISDocument (EPCIS 2.0 JSON / JSON-LD)"),
        response: {
          202: Type.Unsafe({
            $ref: "CaptureJob#",
            description: "the capture job (also at the Location URL)",
          }),
          ...epcisProblems(400, 406, 409, 413, 415, 503),
        },
      },
    },
    async (request, reply) => {
      const rt = need(runtime);
      const behaviour = behaviourOf(request.headers["gs1-capture-error-behaviour"]);
      const plan = rt.plan(rawBodyOf(request), request.body, behaviour);
      const job = await rt.jobs.create(plan, behaviour, submittedByOf(request));
      for (const [name, value] of Object.entries(captureLimitHeaders(options))) reply.header(name, value);
      reply.header("GS1-Capture-Error-Behaviour", behaviour);
      reply.header("Location", baseUrl(request, options.publicBaseUrl) + jobPath(job.captureID));
      return sendJson(reply, 202, job);
    },
  );

  app.get(
    "/capture",
    {
      schema: {
        tags: ["epcis"],
        summary: "Capture jobs of this node, newest first",
        querystring: Type.Object(
          {
            perPage: Type.Optional(Type.Integer({ minimum: 1, maximum: options.maxPerPage })),
            nextPageToken: Type.Optional(Type.String({ maxLength: 64 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Array(Type.Unsafe({ $ref: "CaptureJob#" }), {
            description: "jobs; Link rel=next for more",
          }),
          ...epcisProblems(400, 503),
        },
      },
    },
    async (request, reply) => {
      const rt = need(runtime);
      const perPage = request.query.perPage ?? options.defaultPerPage;
      const after = request.query.nextPageToken;
      const { jobs, next } = rt.jobs.list(perPage, after);
      if (next !== undefined) {
        const url = `${baseUrl(request, options.publicBaseUrl)}/epcis/capture?perPage=${perPage}&nextPageToken=${encodeURIComponent(next)}`;
        reply.header("Link", `<${url}>; rel="next"`);
      }
      return sendJson(reply, 200, jobs);
    },
  );

  app.get(
    "/capture/:captureID",
    {
      schema: {
        tags: ["epcis"],
        summary: "A capture job: running, success, errors and its transactions",
        params: Type.Object(
          { captureID: Type.String({ pattern: "^[0-9a-z]{9,16}[0-9a-f]{12}$" }) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Unsafe({ $ref: "CaptureJob#" }), ...epcisProblems(404, 503) },
      },
    },
    async (request, reply) => {
      const job = need(runtime).jobs.get(request.params.captureID);
      if (!job) throw noSuchResource("capture job", request.params.captureID);
      reply.header("GS1-Capture-Error-Behaviour", job.captureErrorBehaviour);
      return sendJson(reply, 200, job);
    },
  );

  app.post(
    "/events",
    {
      bodyLimit: options.captureFileSizeLimit,
      schema: {
        tags: ["epcis"],
        summary: "Capture one event (synchronous: 201 once committed)",
        description:
          "A standalone EPCIS 2.0 event with its own @context. 201 with Location /epcis/events/{eventID} once the " +
          "transaction is committed (eventID: the ledger id, the CBV 2.0 event hash); 202 with the capture job's " +
          "Location if it is not committed within the API wait timeout.",
        body: AnyDocument("one EPCIS 2.0 event (ObjectEvent, AggregationEvent, …) with @context"),
        response: {
          201: AnyDocument("the event as captured, with eventID and weft:ledger {eventId, txHash, height}"),
          202: Type.Unsafe({ $ref: "CaptureJob#", description: "not committed yet: the capture job" }),
          ...epcisProblems(400, 406, 409, 413, 415, 503),
        },
      },
    },
    async (request, reply) => {
      const rt = need(runtime);
      const validated = validateEvent(request.body);
      // The event goes into a one-event document that carries its @context (the module stores each
      // event with its document's context merged in).
      const { "@context": context, ...rest } = request.body as Record<string, unknown>;
      const documentText =
        `{"@context":${JSON.stringify(context)},"type":"EPCISDocument","schemaVersion":"2.0",` +
        `"creationDate":${JSON.stringify(new Date(rt.now()).toISOString())},"epcisBody":{"eventList":[${JSON.stringify(rest)}]}}`;
      const plan = rt.plan(documentText, JSON.parse(documentText), "rollback");
      const created = await rt.jobs.create(plan, "rollback", submittedByOf(request));
      const job = (await rt.jobs.waitFor(created.captureID, waitTimeoutMs)) ?? created;
      const base = baseUrl(request, options.publicBaseUrl);
      if (job.running) {
        reply.header("Location", base + jobPath(job.captureID));
        return sendJson(reply, 202, job);
      }
      if (!job.success) throw jobFailure(job);
      const tx = job.txs[0];
      const eventId = tx?.eventIDs[0] as string;
      const event = validated.event as unknown as Record<string, unknown>;
      reply.header("Location", `${base}/epcis/events/${encodeURIComponent(eventId)}`);
      return sendJson(reply, 201, {
        ...event,
        "@context": withWeftPrefix(event["@context"]),
        eventID: typeof event.eventID === "string" ? event.eventID : eventId,
        "weft:ledger": { eventId, txHash: tx?.hash, height: tx?.height },
      });
    },
  );
}

/** The member the request was authenticated as: the capture records who asked. */
function submittedByOf(request: FastifyRequest): SubmittedBy | undefined {
  const principal = principalOf(request);
  return principal ? { org: principal.org, id: principal.id } : undefined;
}

/** The event's context plus the `weft` prefix of the ledger fields. */
function withWeftPrefix(context: unknown): unknown[] {
  const list = context === undefined ? [] : Array.isArray(context) ? context : [context];
  return [...list, { weft: WEFT_NAMESPACE }];
}

/** A finished, failed single-event job as the error it stands for. */
function jobFailure(job: CaptureJob): EpcisError {
  const first = job.errors[0] as { type?: string; detail?: string } | undefined;
  const name = (first?.type ?? "").replace("epcisException:", "");
  const exception =
    name === "ResourceAlreadyExistsException" || name === "ValidationException"
      ? name
      : "ImplementationException";
  return new EpcisError(exception, first?.detail ?? "the capture failed", {
    captureID: job.captureID,
    errors: job.errors,
  });
}
