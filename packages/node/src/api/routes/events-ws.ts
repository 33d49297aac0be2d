import { Type } from "@sinclair/typebox";
import { IdentifierSchema } from "@weft/core";
import type { NodeEvent } from "../../service.js";
import type { ApiApp, RouteContext } from "../context.js";
import { ApiError } from "../problem.js";
import { problems } from "../schemas.js";

/** A client this far behind is dropped rather than buffered for without bound. */
export const SLOW_CLIENT_BYTES = 4 * 1024 * 1024;
/** RFC 6455 "try again later": sent to refused and too-slow clients. */
const TRY_AGAIN_LATER = 1013;

const EVENT_TYPES = ["block", "tx", "event"] as const;
const Querystring = Type.Object(
  {
    types: Type.Optional(
      Type.String({
        pattern: `^(?:${EVENT_TYPES.join("|")})(?:,(?:${EVENT_TYPES.join("|")}))*$`,
        description: "comma-separated event types to receive (default: all)",
      }),
    ),
    module: Type.Optional({ ...IdentifierSchema, description: "only chain events emitted by this module" }),
  },
  { additionalProperties: false },
);

export function eventRoutes(app: ApiApp, { service, options, metrics }: RouteContext): void {
  let clients = 0;
  // Every subscriber gets the same event object: encode it once, not once per client.
  const encoded = new WeakMap<NodeEvent, string>();
  const encode = (event: NodeEvent) => {
    let text = encoded.get(event);
    if (text === undefined) {
      text = JSON.stringify(event);
      encoded.set(event, text);
    }
    return text;
  };
  const tooMany = () =>
    new ApiError({
      code: "API_TOO_MANY_CLIENTS",
      message: `at most ${options.wsMaxClients} event subscribers`,
    });

  app.get(
    "/v1/events",
    {
      websocket: true,
      schema: {
        tags: ["events"],
        summary: "WebSocket stream of node events (JSON text messages, NodeEvent schema) in commit order",
        description:
          "Upgrade to a WebSocket. Each message is one NodeEvent (see components). `module` filters " +
          "chain events only; combine with types=event for one module's events. A client more than " +
          "4 MiB behind is closed with code 1013.",
        querystring: Querystring,
        response: { 101: { description: "switching to the WebSocket protocol" }, ...problems(400, 503) },
      },
      // @fastify/websocket hides WebSocket routes from the document; this one is part of the API.
      config: { swaggerTransform: ({ schema, url }) => ({ schema: { ...schema, hide: false }, url }) },
      // Refuse before the upgrade so the client gets a 503 problem, not a dropped socket.
      preValidation: async () => {
        if (clients >= options.wsMaxClients) throw tooMany();
      },
    },
    (socket, request) => {
      // The upgrade is asynchronous: a burst of clients can pass the check above together.
      if (clients >= options.wsMaxClients) {
        socket.close(TRY_AGAIN_LATER, "too many subscribers");
        return;
      }
      const wanted = filterFor(request.query);
      clients++;
      metrics.wsClients.inc();
      let open = true;
      let unsubscribe = () => {};
      const stop = () => {
        if (!open) return;
        open = false;
        unsubscribe();
        clients--;
        metrics.wsClients.dec();
      };
      unsubscribe = service.subscribe((event) => {
        if (!open || !wanted(event)) return;
        if (socket.bufferedAmount > SLOW_CLIENT_BYTES) {
          stop();
          request.log.warn({ bufferedAmount: socket.bufferedAmount }, "closing slow event subscriber");
          socket.close(TRY_AGAIN_LATER, "client too slow");
          return;
        }
        // The listener runs in the node's commit path: a failing socket must not disturb it.
        try {
          socket.send(encode(event));
        } catch (error) {
          request.log.warn({ err: error }, "event send failed");
          stop();
          socket.terminate();
        }
      });
      // A send failure during subscribe() stopped us before `unsubscribe` was assigned.
      if (!open) unsubscribe();
      socket.on("close", stop);
      socket.on("error", stop);
    },
  );
}

function filterFor(query: { types?: string; module?: string }): (event: NodeEvent) => boolean {
  const types = new Set(query.types ? query.types.split(",") : EVENT_TYPES);
  const module = query.module;
  return (event) => {
    if (!types.has(event.type)) return false;
    return module === undefined || event.type !== "event" || event.event.module === module;
  };
}
