import { Type } from "@sinclair/typebox";
import type { ApiApp, RouteContext } from "../context.js";
import { NodeHealth, ref } from "../schemas.js";

export function healthRoutes(app: ApiApp, { service, metrics }: RouteContext): void {
  app.get(
    "/healthz",
    {
      schema: {
        tags: ["ops"],
        summary: "Node health: 200 when healthy, 503 otherwise (same body)",
        response: { 200: ref(NodeHealth, "healthy"), 503: ref(NodeHealth, "unhealthy") },
      },
    },
    async (_request, reply) => {
      const health = service.health();
      return reply.code(health.ok ? 200 : 503).send(health);
    },
  );

  app.get(
    "/metrics",
    {
      schema: {
        tags: ["ops"],
        summary: "Prometheus metrics (text exposition format)",
        response: { 200: { description: "metrics", content: { "text/plain": { schema: Type.String() } } } },
      },
    },
    async (_request, reply) => {
      const text = await metrics.registry.metrics();
      return reply.type(metrics.registry.contentType).send(text);
    },
  );
}
