import type { FastifyInstance } from "fastify";
import type { Metrics } from "../metrics/metrics.js";

/** Counts every answered request by route pattern (not raw URL, to bound label cardinality). */
export function countRequests(app: FastifyInstance, metrics: Metrics): void {
  app.addHook("onResponse", (request, reply, done) => {
    const route = request.routeOptions.url ?? "unmatched";
    metrics.httpRequests.inc({ route, status: String(reply.statusCode) });
    done();
  });
}
