import { readFileSync } from "node:fs";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import websocket from "@fastify/websocket";
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from "fastify";
import type { Logger } from "pino";
import { createMetrics, type Metrics } from "../metrics/metrics.js";
import type { CertificateLister } from "../net/cert-expiry.js";
import type { NodeService } from "../service.js";
import { ApiAuthenticator, type AuthenticatorDeps } from "./auth/authenticator.js";
import { installAuth } from "./auth/hook.js";
import { classifyRoute } from "./auth/routes.js";
import type { RouteContext } from "./context.js";
import type { EpcisDeps } from "./epcis/context.js";
import { sendProblem } from "./error-handler.js";
import { countRequests } from "./metrics-hook.js";
import { type ApiOptions, type ApiTlsOptions, resolveApiOptions } from "./options.js";
import { ApiError } from "./problem.js";
import { blockRoutes } from "./routes/blocks.js";
import { certificateRoutes } from "./routes/certificates.js";
import { epcisRoutes } from "./routes/epcis/index.js";
import { escrowRoutes } from "./routes/escrow.js";
import { eventRoutes } from "./routes/events-ws.js";
import { govRoutes } from "./routes/gov.js";
import { healthRoutes } from "./routes/health.js";
import { proofRoutes } from "./routes/proofs.js";
import { queryRoutes } from "./routes/query.js";
import { stateRoutes } from "./routes/state.js";
import { txRoutes } from "./routes/txs.js";
import { registerSchemas } from "./schemas.js";

export interface ApiDeps {
  metrics: Metrics;
  /** Fastify logs through this logger; without one the API does not log. */
  logger?: Logger;
  /** The trace reader and capture key behind /epcis, the resolver and /verify. */
  epcis?: EpcisDeps;
  /** The node's certificate view behind /v1/identity/certificates. */
  certificates?: CertificateLister;
  /** What the access policy needs besides the options: the node's identity and the network's public reads. */
  auth?: Omit<AuthenticatorDeps, "service" | "options">;
}

export type OpenApiDocument = Exclude<ReturnType<FastifyInstance["swagger"]>, string>;

/** Builds the node's HTTP API. It does not listen: the caller calls `listen`. */
export async function createApiServer(
  service: NodeService,
  options: Partial<ApiOptions>,
  deps: ApiDeps,
): Promise<FastifyInstance> {
  const resolved = resolveApiOptions(options);
  // Widened so the instance is typed with Fastify's logger interface, not pino's concrete one.
  const loggerInstance: FastifyBaseLogger | undefined = deps.logger;
  const clientCerts = resolved.tls?.clientCa === "registry";
  const app = Fastify({
    // Typed as the HTTP server's options: routes see requests and replies, alike for both kinds.
    ...((resolved.tls ? { https: httpsOptions(resolved.tls) } : {}) as object),
    ...(loggerInstance ? { loggerInstance } : { logger: false }),
    bodyLimit: resolved.bodyLimit,
    // One log line per failed request (sendProblem) instead of two per request.
    logController: new LogController({ disableRequestLogging: true }),
    ajv: {
      // Unknown fields are an error, not silently dropped (Fastify's default removes them).
      customOptions: { removeAdditional: false, coerceTypes: "array", useDefaults: true, allErrors: false },
    },
    frameworkErrors: (error, request, reply) => {
      sendProblem(request, reply, error);
    },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // JSON only: a text/plain body is refused with 415 rather than read as a string.
  app.removeContentTypeParser("text/plain");
  app.setErrorHandler((error, request, reply) => sendProblem(request, reply, error));
  app.setNotFoundHandler((request, reply) =>
    sendProblem(
      request,
      reply,
      new ApiError({ code: "API_NOT_FOUND", message: `no route for ${request.method} ${request.url}` }),
    ),
  );
  registerSchemas(app);
  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Weft node API",
        version: "1",
        description: "Submit transactions, read blocks and state, fetch proofs and follow events.",
      },
      tags: [
        { name: "txs", description: "Transactions" },
        { name: "blocks", description: "Blocks and their commit certificates" },
        { name: "state", description: "State reads and module queries, optionally with proofs" },
        { name: "proofs", description: "Self-contained proof bundles" },
        { name: "events", description: "Live event stream" },
        {
          name: "epcis",
          description: "EPCIS 2.0 REST binding: capture, events, named queries, subscriptions",
        },
        { name: "resolver", description: "GS1 Digital Link resolver (RFC 9264 linksets)" },
        {
          name: "verify",
          description: "Item verification by scan (GS1 Lightweight Verification + ledger proofs)",
        },
        { name: "ops", description: "Health and metrics" },
      ],
      components: {
        securitySchemes: {
          bearer: {
            type: "http",
            scheme: "bearer",
            bearerFormat: "JWT",
            description:
              "A member's token: compact JWS (EdDSA or ES256 by the member's key) with iss = member address, sub = member id, aud = chain id, iat, exp ≤ iat + 1 h (`weft token`, sdk createBearerToken). Needed on a permissioned chain by routes acting on behalf of the node's organisation, and by reads the node does not keep public.",
          },
        },
      },
    },
    // Routes acting on behalf of the node's organisation say so; reads may be public (per node).
    transform: ({ schema, url, route }) => {
      const write = classifyRoute(String(route.method), url).kind === "write";
      return { schema: write ? { ...schema, security: [{ bearer: [] }] } : schema, url };
    },
    // Components keep their schema names instead of def-N.
    refResolver: {
      buildLocalReference: (json, _baseUri, _fragment, i) =>
        typeof json.$id === "string" ? json.$id : `def-${i}`,
    },
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });
  await app.register(websocket, { options: { maxPayload: 4096 } });
  countRequests(app, deps.metrics);
  const authenticator = new ApiAuthenticator({ ...deps.auth, service, options: resolved.auth });
  installAuth(app, authenticator, deps.metrics, app.log.child({ module: "api-auth" }), clientCerts);

  const context: RouteContext = {
    service,
    options: resolved,
    metrics: deps.metrics,
    ...(deps.epcis ? { epcis: deps.epcis } : {}),
    ...(deps.certificates ? { certificates: deps.certificates } : {}),
  };
  for (const routes of [
    txRoutes,
    blockRoutes,
    stateRoutes,
    queryRoutes,
    govRoutes,
    escrowRoutes,
    proofRoutes,
    eventRoutes,
    healthRoutes,
    certificateRoutes,
    epcisRoutes,
  ]) {
    routes(app, context);
  }
  return app;
}

/**
 * TLS server options. Client certificates are requested, never required, and not checked by
 * OpenSSL against a fixed CA list: the on-chain registry decides (auth/client-cert.ts), so a CA
 * added or rotated by governance counts at once.
 */
function httpsOptions(tls: ApiTlsOptions): Record<string, unknown> {
  const pem = (value: string) =>
    value.trimStart().startsWith("-----BEGIN") ? value : readFileSync(value, "utf8");
  const request = tls.clientCa === "registry";
  return {
    cert: pem(tls.cert),
    key: pem(tls.key),
    minVersion: "TLSv1.2",
    requestCert: request,
    rejectUnauthorized: false,
  };
}

/** The OpenAPI document of the API as `service` would serve it (for dumping from a test or CLI). */
export async function openApiDocument(
  service: NodeService,
  options: Partial<ApiOptions> = {},
): Promise<OpenApiDocument> {
  const app = await createApiServer(service, options, { metrics: createMetrics({ defaultMetrics: false }) });
  try {
    await app.ready();
    return app.swagger();
  } finally {
    await app.close();
  }
}
