import { Type } from "@sinclair/typebox";
import type { ApiApp } from "../../context.js";
import { queryDocument } from "../../epcis/documents.js";
import { noSuchResource } from "../../epcis/errors.js";
import type { EpcisApiOptions } from "../../epcis/options.js";
import { eventQueryStringSchema, parseEventQuery, perPageOf } from "../../epcis/query-params.js";
import { nextLink, queryPage, queryTrace } from "../../epcis/query-run.js";
import type { EpcisRuntime } from "../../epcis/runtime.js";
import { baseUrl, epcisProblems, need, sendJson } from "./common.js";

export function eventRoutes(app: ApiApp, runtime: EpcisRuntime | undefined, options: EpcisApiOptions): void {
  app.get(
    "/events",
    {
      schema: {
        tags: ["epcis"],
        summary: "Query EPCIS events (SimpleEventQuery parameters; paged)",
        description:
          "Every parameter is ANDed; a list parameter matches any of its values (separated by | or repeated). " +
          "Results are in recordTime order unless orderBy/orderDirection say otherwise. perPage events per page; " +
          'when there are more, Link: <…&nextPageToken=…>; rel="next". Unknown or unsupported parameters and bad ' +
          "values get 400 epcisException:QueryParameterException naming the parameter.",
        querystring: eventQueryStringSchema(options),
        response: {
          200: Type.Unsafe({ $ref: "EPCISQueryDocument#", description: "matching events" }),
          ...epcisProblems(400, 406, 413, 503),
        },
      },
    },
    async (request, reply) => {
      const rt = need(runtime);
      const { perPage: rawPerPage, nextPageToken, ...params } = request.query as Record<string, unknown>;
      const perPage = perPageOf(rawPerPage, options);
      const parsed = parseEventQuery(params, true);
      const page = queryPage(rt.trace, parsed, perPage, nextPageToken, "events");
      if (page.nextPageToken) {
        reply.header(
          "Link",
          nextLink(baseUrl(request, options.publicBaseUrl), request.url, perPage, page.nextPageToken),
        );
      }
      return sendJson(reply, 200, queryDocument(page.events, { now: rt.now() }));
    },
  );

  app.get(
    "/events/:eventID",
    {
      schema: {
        tags: ["epcis"],
        summary:
          "One event by its ledger id (CBV 2.0 event hash, URL-encoded) or the eventID it was captured with",
        params: Type.Object(
          { eventID: Type.String({ minLength: 1, maxLength: 2048 }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Unsafe({
            $ref: "EPCISQueryDocument#",
            description: "the event (and error declarations of it)",
          }),
          ...epcisProblems(404, 503),
        },
      },
    },
    async (request, reply) => {
      const rt = need(runtime);
      const id = request.params.eventID;
      // The ledger id names the event and any error declarations of it (same hash); a captured
      // eventID names whatever was captured with it.
      const events = queryTrace(rt.trace, { EQ_eventID: [id] }, { perPage: 100 }).events;
      if (events.length === 0) {
        const one = rt.trace.getEvent(id);
        if (one) events.push(one);
      }
      if (events.length === 0) throw noSuchResource("event", id);
      return sendJson(reply, 200, queryDocument(events, { now: rt.now() }));
    },
  );
}
