import type { FastifyBaseLogger, FastifyInstance, FastifyRequest } from "fastify";
import type { Metrics } from "../../metrics/metrics.js";
import { PROBLEM_CONTENT_TYPE, problemFor } from "../problem.js";
import type { ApiAuthenticator, Principal } from "./authenticator.js";
import { clientCertificateOf } from "./client-cert.js";
import { AUTH_STATUS, AuthError } from "./errors.js";
import { classifyRoute } from "./routes.js";

const principals = new WeakMap<FastifyRequest, Principal>();

/** The member a request was authenticated as (undefined: auth off, or a public route). */
export function principalOf(request: FastifyRequest): Principal | undefined {
  return principals.get(request);
}

/** One refusal log line per code per this many ms; the others are counted into the next line. */
const LOG_INTERVAL_MS = 10_000;

/**
 * Checks every request against the access policy before its body is read: routes acting on
 * behalf of the node's org need a token of one of its members, reads outside the public groups a
 * token of any active member. Refusals are RFC 9457 problems with an AUTH_* code.
 */
export function installAuth(
  app: FastifyInstance,
  auth: ApiAuthenticator,
  metrics: Metrics,
  log: FastifyBaseLogger,
  /** Whether TLS client certificates authenticate (api.tls.clientCa "registry"). */
  clientCerts = false,
): void {
  const logged = new Map<string, { at: number; suppressed: number }>();
  const noteRefusal = (error: AuthError, request: FastifyRequest) => {
    metrics.apiAuthFailures.inc({ code: error.code });
    const now = Date.now();
    const last = logged.get(error.code);
    if (last && now - last.at < LOG_INTERVAL_MS) {
      last.suppressed++;
      return;
    }
    logged.set(error.code, { at: now, suppressed: 0 });
    log.warn(
      {
        code: error.code,
        url: request.url,
        ip: request.ip,
        detail: error.message,
        suppressed: last?.suppressed ?? 0,
      },
      "request refused: authentication",
    );
  };

  app.addHook("onRequest", async (request, reply) => {
    if (!auth.enabled()) return;
    const route = classifyRoute(request.method, request.routeOptions.url);
    if (route.kind === "open" || (route.kind === "read" && auth.isPublic(route.group))) return;
    try {
      // A bearer token wins; without one, a TLS client certificate (when the node asks for them).
      const der =
        request.headers.authorization === undefined && clientCerts ? clientCertificateOf(request) : undefined;
      const principal = der
        ? auth.authenticateCertificate(der)
        : await auth.authenticate(request.headers.authorization);
      if (route.kind === "write") {
        auth.assertOwnOrg(principal);
        auth.assertMayWrite(principal);
      }
      principals.set(request, principal);
    } catch (e) {
      if (!(e instanceof AuthError)) throw e;
      noteRefusal(e, request);
      const status = AUTH_STATUS[e.code];
      if (status === 401) {
        const error = e.code === "AUTH_REQUIRED" ? "" : ', error="invalid_token"';
        reply.header("WWW-Authenticate", `Bearer realm="weft"${error}`);
      }
      const problem = problemFor(e, request.url);
      return reply.code(status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
    }
  });
}
