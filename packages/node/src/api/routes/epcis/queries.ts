import { Type } from "@sinclair/typebox";
import type { ApiApp } from "../../context.js";
import { queryDocument } from "../../epcis/documents.js";
import { EpcisError, queryParameterError } from "../../epcis/errors.js";
import type { EpcisApiOptions } from "../../epcis/options.js";
import { assertQueryObject, parseEventQuery, perPageOf } from "../../epcis/query-params.js";
import { nextLink, queryPage } from "../../epcis/query-run.js";
import type { EpcisRuntime } from "../../epcis/runtime.js";
import { type QuerySchedule, SCHEDULE_FIELDS } from "../../epcis/schedule.js";
import type { SubscriptionRequest } from "../../epcis/subscriptions.js";
import { baseUrl, epcisProblems, need, sendJson } from "./common.js";

/** A client this far behind is dropped rather than buffered for without bound. */
const SLOW_CLIENT_BYTES = 4 * 1024 * 1024;
/** RFC 6455 "try again later". */
const TRY_AGAIN_LATER = 1013;

const QueryName = Type.String({
  pattern: "^[A-Za-z0-9_.~-]{1,128}$",
  description: "1..128 characters of A-Z a-z 0-9 _ . ~ -",
});
const NameParams = Type.Object({ queryName: QueryName }, { additionalProperties: false });

const field = (description: string) => Type.Optional(Type.String({ maxLength: 200, description }));
const ScheduleSchema = Type.Object(
  {
    second: field("0..59"),
    minute: field("0..59"),
    hour: field("0..23"),
    dayOfMonth: field("1..31"),
    month: field("1..12"),
    dayOfWeek: field("1 (Monday)..7"),
  },
  {
    additionalProperties: false,
    description:
      "cron-like, UTC: each field a list of N, [A-B], A-B or * with optional /step. Fields finer than the finest given run at their lowest value.",
  },
);

const NamedQuerySchema = Type.Object(
  {
    name: QueryName,
    query: Type.Object(
      {},
      { additionalProperties: true, description: "SimpleEventQuery parameters (lists as arrays)" },
    ),
    createdAt: Type.Optional(Type.String()),
  },
  { additionalProperties: false, $id: "NamedQuery" },
);

export const SubscriptionSchema = Type.Object(
  {
    subscriptionID: Type.String(),
    queryName: Type.String(),
    createdAt: Type.String(),
    dest: Type.String(),
    signed: Type.Boolean({ description: "deliveries carry GS1-Signature (a signatureToken was given)" }),
    stream: Type.Optional(Type.Boolean()),
    schedule: Type.Optional(ScheduleSchema),
    reportIfEmpty: Type.Boolean(),
    initialRecordTime: Type.Optional(Type.String()),
    minRecordTime: Type.Optional(Type.String()),
    nextRunAt: Type.Optional(Type.String()),
    deliveries: Type.Object(
      {
        sent: Type.Integer(),
        failed: Type.Integer(),
        lastAt: Type.Optional(Type.String()),
        lastError: Type.Optional(Type.String()),
      },
      { additionalProperties: false },
    ),
  },
  { additionalProperties: false, $id: "Subscription" },
);

const SubscriptionBody = Type.Object(
  {
    dest: Type.String({
      minLength: 1,
      maxLength: 2048,
      description: "webhook URL (http or https) receiving EPCISQueryDocuments",
    }),
    signatureToken: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 1024,
        description:
          "client secret: each delivery carries GS1-Signature: sha256=<hex HMAC-SHA256(signatureToken, body)>",
      }),
    ),
    stream: Type.Optional(Type.Boolean({ description: "true: deliver every new matching event at once" })),
    schedule: Type.Optional(ScheduleSchema),
    reportIfEmpty: Type.Optional(
      Type.Boolean({ description: "scheduled: deliver an empty document when nothing matched" }),
    ),
    initialRecordTime: Type.Optional(
      Type.String({
        description: "also deliver matching events recorded since this time (the first delivery)",
      }),
    ),
  },
  { additionalProperties: false },
);

const StreamQuery = Type.Object(
  {
    perPage: Type.Optional(Type.String()),
    nextPageToken: Type.Optional(Type.String()),
    stream: Type.Optional(
      Type.String({ description: "WebSocket: true to receive every new matching event" }),
    ),
    reportIfEmpty: Type.Optional(Type.String({ description: "WebSocket, scheduled: send empty documents" })),
    initialRecordTime: Type.Optional(
      Type.String({ description: "WebSocket: also send events recorded since" }),
    ),
    ...Object.fromEntries(
      SCHEDULE_FIELDS.map((f) => [
        f,
        Type.Optional(Type.String({ description: `WebSocket schedule: ${f}` })),
      ]),
    ),
  },
  { additionalProperties: false },
);

const boolParam = (name: string, raw: string | undefined): boolean | undefined => {
  if (raw === undefined) return undefined;
  if (raw === "true" || raw === "") return true;
  if (raw === "false") return false;
  throw new EpcisError("SubscriptionControlsException", `${name} must be true or false`, {
    problems: [{ path: name, message: "not true or false", value: raw }],
  });
};

function streamRequest(query: Record<string, string | undefined>): Omit<SubscriptionRequest, "dest"> {
  const schedule: QuerySchedule = {};
  for (const f of SCHEDULE_FIELDS) if (query[f] !== undefined) schedule[f] = query[f];
  const stream = boolParam("stream", query.stream);
  const reportIfEmpty = boolParam("reportIfEmpty", query.reportIfEmpty);
  return {
    ...(stream === undefined ? {} : { stream }),
    ...(Object.keys(schedule).length > 0 ? { schedule } : {}),
    ...(reportIfEmpty === undefined ? {} : { reportIfEmpty }),
    ...(query.initialRecordTime === undefined ? {} : { initialRecordTime: query.initialRecordTime }),
  };
}

const isSubscriptionRequest = (query: Record<string, string | undefined>) =>
  query.stream !== undefined || SCHEDULE_FIELDS.some((f) => query[f] !== undefined);

export function queryRoutes(app: ApiApp, runtime: EpcisRuntime | undefined, options: EpcisApiOptions): void {
  app.post(
    "/queries",
    {
      schema: {
        tags: ["epcis"],
        summary: "Create a named query",
        body: Type.Object(
          {
            name: QueryName,
            query: Type.Object(
              {},
              { additionalProperties: true, description: "SimpleEventQuery parameters" },
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          201: Type.Unsafe({ $ref: "NamedQuery#", description: "created; Location: /epcis/queries/{name}" }),
          ...epcisProblems(400, 409, 503),
        },
      },
    },
    async (request, reply) => {
      const rt = need(runtime);
      const query = parseEventQuery(assertQueryObject(request.body.query), false);
      if (query.maxEventCount !== undefined) {
        throw queryParameterError("maxEventCount", "applies to one request, not to a named query");
      }
      const named = await rt.subscriptions.createQuery(request.body.name, query.query);
      reply.header("Location", `${baseUrl(request, options.publicBaseUrl)}/epcis/queries/${named.name}`);
      return sendJson(reply, 201, named);
    },
  );

  app.get(
    "/queries",
    {
      schema: {
        tags: ["epcis"],
        summary: "Named queries (paged by name)",
        querystring: Type.Object(
          {
            perPage: Type.Optional(Type.Integer({ minimum: 1, maximum: options.maxPerPage })),
            nextPageToken: Type.Optional(QueryName),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Array(Type.Unsafe({ $ref: "NamedQuery#" })), ...epcisProblems(400, 503) },
      },
    },
    async (request, reply) => {
      const rt = need(runtime);
      const perPage = request.query.perPage ?? options.defaultPerPage;
      const { queries, next } = rt.subscriptions.listQueries(perPage, request.query.nextPageToken);
      if (next !== undefined) {
        reply.header(
          "Link",
          `<${baseUrl(request, options.publicBaseUrl)}/epcis/queries?perPage=${perPage}&nextPageToken=${next}>; rel="next"`,
        );
      }
      return sendJson(reply, 200, queries);
    },
  );

  app.get(
    "/queries/:queryName",
    {
      schema: {
        tags: ["epcis"],
        summary: "A named query's definition",
        params: NameParams,
        response: { 200: Type.Unsafe({ $ref: "NamedQuery#" }), ...epcisProblems(404, 503) },
      },
    },
    async (request, reply) =>
      sendJson(reply, 200, need(runtime).subscriptions.getQuery(request.params.queryName)),
  );

  app.delete(
    "/queries/:queryName",
    {
      schema: {
        tags: ["epcis"],
        summary: "Delete a named query, its subscriptions, and close its WebSocket streams",
        params: NameParams,
        response: { 204: { description: "deleted" }, ...epcisProblems(404, 503) },
      },
    },
    async (request, reply) => {
      await need(runtime).subscriptions.deleteQuery(request.params.queryName);
      return reply.code(204).send();
    },
  );

  let streams = 0;
  app.route({
    method: "GET",
    url: "/queries/:queryName/events",
    schema: {
      tags: ["epcis"],
      summary: "A named query's results (paged), or a WebSocket subscription with Upgrade: websocket",
      description:
        "Without Upgrade: one page of results like GET /epcis/events. With Upgrade: websocket and stream=true or a " +
        "schedule (second, minute, hour, dayOfMonth, month, dayOfWeek; reportIfEmpty): every message is an " +
        "EPCISQueryDocument of new matching events (at most 500 per message). A client more than 4 MiB behind is " +
        "closed with code 1013; deleting the query closes the socket with 1000.",
      params: NameParams,
      querystring: StreamQuery,
      response: {
        101: { description: "switching to the WebSocket protocol" },
        200: Type.Unsafe({ $ref: "EPCISQueryDocument#" }),
        ...epcisProblems(400, 404, 503),
      },
    },
    // Refuse before the upgrade, so the client gets a problem document rather than a dropped socket.
    preValidation: async (request) => {
      if (!request.ws) return;
      const rt = need(runtime);
      const params = request.params as { queryName: string };
      const query = request.query as Record<string, string | undefined>;
      if (!isSubscriptionRequest(query)) {
        throw new EpcisError(
          "SubscriptionControlsException",
          "a WebSocket subscription needs stream=true or a schedule",
        );
      }
      rt.subscriptions.checkStream(params.queryName, streamRequest(query));
      if (streams >= options.wsMaxStreams) {
        throw new EpcisError("ImplementationException", `at most ${options.wsMaxStreams} query streams`, {
          httpStatus: 503,
        });
      }
    },
    handler: async (request, reply) => {
      const rt = need(runtime);
      const { queryName } = request.params;
      const {
        perPage: rawPerPage,
        nextPageToken,
        ...rest
      } = request.query as Record<string, string | undefined>;
      if (isSubscriptionRequest(rest)) {
        throw new EpcisError(
          "SubscriptionControlsException",
          "stream and schedule parameters need a WebSocket upgrade (or POST …/subscriptions for a webhook)",
        );
      }
      const named = rt.subscriptions.getQuery(queryName);
      const perPage = perPageOf(rawPerPage, options);
      const page = queryPage(
        rt.trace,
        { query: named.query },
        perPage,
        nextPageToken,
        `queries/${queryName}/${named.createdAt}`,
      );
      if (page.nextPageToken) {
        reply.header(
          "Link",
          nextLink(baseUrl(request, options.publicBaseUrl), request.url, perPage, page.nextPageToken),
        );
      }
      return sendJson(reply, 200, queryDocument(page.events, { now: rt.now(), queryName }));
    },
    wsHandler: (socket, request) => {
      const rt = need(runtime);
      const { queryName } = request.params as { queryName: string };
      streams++;
      let open = true;
      let detach = () => {};
      const stop = () => {
        if (!open) return;
        open = false;
        streams--;
        detach();
      };
      try {
        detach = rt.subscriptions.openStream(
          queryName,
          streamRequest(request.query as Record<string, string | undefined>),
          {
            send: (text) => {
              if (!open) return;
              if (socket.bufferedAmount > SLOW_CLIENT_BYTES) {
                stop();
                socket.close(TRY_AGAIN_LATER, "client too slow");
                return;
              }
              socket.send(text);
            },
            close: (code, reason) => {
              stop();
              socket.close(code, reason);
            },
          },
        );
      } catch (e) {
        stop();
        socket.close(1008, e instanceof Error ? e.message.slice(0, 120) : "refused");
        return;
      }
      socket.on("close", stop);
      socket.on("error", stop);
    },
  });

  app.post(
    "/queries/:queryName/subscriptions",
    {
      schema: {
        tags: ["epcis"],
        summary: "Subscribe a webhook to a named query (stream or schedule)",
        description:
          "Each delivery is an HTTP POST of an EPCISQueryDocument (queryName, subscriptionID, at most 500 events) " +
          "with headers GS1-Subscription-ID and, with a signatureToken, GS1-Signature: sha256=<hex> — HMAC-SHA256 " +
          "keyed with the UTF-8 signatureToken over the exact body bytes. A 2xx answer acknowledges; otherwise it is " +
          "retried (1 s, 5 s, 25 s) and then dropped.",
        params: NameParams,
        body: SubscriptionBody,
        response: {
          201: Type.Unsafe({
            $ref: "Subscription#",
            description: "Location: …/subscriptions/{subscriptionID}",
          }),
          ...epcisProblems(400, 404, 503),
        },
      },
    },
    async (request, reply) => {
      const rt = need(runtime);
      const view = await rt.subscriptions.subscribe(request.params.queryName, request.body);
      reply.header(
        "Location",
        `${baseUrl(request, options.publicBaseUrl)}/epcis/queries/${view.queryName}/subscriptions/${view.subscriptionID}`,
      );
      return sendJson(reply, 201, view);
    },
  );

  app.get(
    "/queries/:queryName/subscriptions",
    {
      schema: {
        tags: ["epcis"],
        summary: "A named query's webhook subscriptions",
        params: NameParams,
        response: { 200: Type.Array(Type.Unsafe({ $ref: "Subscription#" })), ...epcisProblems(404, 503) },
      },
    },
    async (request, reply) =>
      sendJson(reply, 200, need(runtime).subscriptions.listSubscriptions(request.params.queryName)),
  );

  const SubscriptionParams = Type.Object(
    { queryName: QueryName, subscriptionID: Type.String({ minLength: 1, maxLength: 64 }) },
    { additionalProperties: false },
  );

  app.get(
    "/queries/:queryName/subscriptions/:subscriptionID",
    {
      schema: {
        tags: ["epcis"],
        summary: "One subscription, with its delivery counters",
        params: SubscriptionParams,
        response: { 200: Type.Unsafe({ $ref: "Subscription#" }), ...epcisProblems(404, 503) },
      },
    },
    async (request, reply) =>
      sendJson(
        reply,
        200,
        need(runtime).subscriptions.getSubscription(request.params.queryName, request.params.subscriptionID),
      ),
  );

  app.delete(
    "/queries/:queryName/subscriptions/:subscriptionID",
    {
      schema: {
        tags: ["epcis"],
        summary: "Unsubscribe",
        params: SubscriptionParams,
        response: { 204: { description: "unsubscribed" }, ...epcisProblems(404, 503) },
      },
    },
    async (request, reply) => {
      await need(runtime).subscriptions.unsubscribe(request.params.queryName, request.params.subscriptionID);
      return reply.code(204).send();
    },
  );
}

export { NamedQuerySchema };
