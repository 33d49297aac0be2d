import type { FastifyInstance } from "fastify";
import { afterEach } from "vitest";
import type { ApiOptions } from "../../../src/api/options.js";
import { createApiServer } from "../../../src/api/server.js";
import { createMetrics } from "../../../src/metrics/metrics.js";
import { FakeNodeService } from "./fake-service.js";

const open: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((app) => app.close()));
});

/** An API over a fresh fake node; closed after each test. */
export async function buildApi(options: Partial<ApiOptions> = {}) {
  const service = new FakeNodeService();
  const metrics = createMetrics({ defaultMetrics: false });
  const app = await createApiServer(service, options, { metrics });
  open.push(app);
  return { app, service, metrics };
}

export const PROBLEM_JSON = /^application\/problem\+json/;
