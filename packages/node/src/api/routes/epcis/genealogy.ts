import { Type } from "@sinclair/typebox";
import { canonicalIdentifier } from "@weft/epcis";
import type { ApiApp } from "../../context.js";
import type { EpcisRuntime } from "../../epcis/runtime.js";
import { notFound } from "../../problem.js";
import { problems } from "../../schemas.js";
import { need, sendJson } from "./common.js";

/**
 * Genealogy over the trace indexes (Weft extensions; EPCIS 2.0 defines no lineage query):
 * upstream / downstream lineage through transformations, aggregations and associations, recall
 * of every finished item made from a lot, and an item's current status. Identifiers are EPC URNs
 * or GS1 Digital Links (either form of one item meets at the same key).
 */
const Id = Type.String({
  minLength: 1,
  maxLength: 2048,
  description: "EPC URN or GS1 Digital Link of an item, lot, logistic unit or location",
});

export function genealogyRoutes(app: ApiApp, runtime: EpcisRuntime | undefined): void {
  const tags = ["trace"];
  app.get(
    "/trace/lineage",
    {
      schema: {
        tags,
        summary: "What went into an item (upstream) or where a lot went (downstream)",
        querystring: Type.Object(
          {
            id: Id,
            direction: Type.Union([Type.Literal("upstream"), Type.Literal("downstream")]),
            maxDepth: Type.Optional(Type.Integer({ minimum: 1, maximum: 64 })),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Unknown({ description: "{root, direction, nodes: [{id, depth}], edges}" }),
          ...problems(400, 503),
        },
      },
    },
    async (request, reply) => {
      const { id, direction, maxDepth } = request.query;
      canonicalIdentifier(id); // a malformed identifier is a 400 naming it
      const lineage = need(runtime).trace.lineage(id, direction, maxDepth ? { maxDepth } : {});
      return sendJson(reply, 200, lineage);
    },
  );

  app.get(
    "/trace/recall",
    {
      schema: {
        tags,
        summary: "Every finished item made from a lot (or item), with its current status and custodian",
        querystring: Type.Object({ id: Id }, { additionalProperties: false }),
        response: {
          200: Type.Unknown({ description: "{source, items: [ItemStatus]}" }),
          ...problems(400, 503),
        },
      },
    },
    async (request, reply) => {
      canonicalIdentifier(request.query.id);
      return sendJson(reply, 200, need(runtime).trace.recall(request.query.id));
    },
  );

  app.get(
    "/trace/status",
    {
      schema: {
        tags,
        summary: "An item's current status: disposition, custodian, location, parent container, last event",
        querystring: Type.Object({ id: Id }, { additionalProperties: false }),
        response: { 200: Type.Unknown({ description: "ItemStatus" }), ...problems(400, 404, 503) },
      },
    },
    async (request, reply) => {
      canonicalIdentifier(request.query.id);
      const status = need(runtime).trace.itemStatus(request.query.id);
      if (!status) throw notFound("item", request.query.id);
      return sendJson(reply, 200, status);
    },
  );
}
