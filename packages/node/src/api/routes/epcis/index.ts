import type { ApiApp, RouteContext } from "../../context.js";
import { EpcisError, sendEpcisProblem } from "../../epcis/errors.js";
import { resolveEpcisApiOptions } from "../../epcis/options.js";
import { EpcisRuntime } from "../../epcis/runtime.js";
import { CaptureJobSchema, captureLimitHeaders, captureRoutes } from "./capture.js";
import {
  EpcisProblemSchema,
  installJsonParser,
  installVersionHeaders,
  QueryDocumentSchema,
} from "./common.js";
import { eventRoutes } from "./events.js";
import { genealogyRoutes } from "./genealogy.js";
import { NamedQuerySchema, queryRoutes, SubscriptionSchema } from "./queries.js";
import { LinksetSchema, resolverRoutes, sendIdentifierProblem } from "./resolver.js";
import { VerificationResponseSchema, verifyRoutes } from "./verify.js";

/**
 * The EPCIS 2.0 REST binding under /epcis (capture, events, named queries, subscriptions), the
 * GS1 Digital Link resolver (/01/…, /00/…, /414/… and the other primary keys) and item verification
 * (/verify). Without the trace module (`context.epcis` absent) the routes exist and answer 503.
 */
export function epcisRoutes(app: ApiApp, context: RouteContext): void {
  const options = resolveEpcisApiOptions(context.epcis?.options);
  const runtime = context.epcis
    ? new EpcisRuntime(context.service, options, context.epcis, app.log.child({ module: "epcis" }))
    : undefined;
  if (runtime) {
    app.addHook("onReady", async () => runtime.start());
    app.addHook("onClose", async () => runtime.stop());
  }
  for (const schema of [
    EpcisProblemSchema,
    QueryDocumentSchema,
    CaptureJobSchema,
    NamedQuerySchema,
    SubscriptionSchema,
    LinksetSchema,
    VerificationResponseSchema,
  ]) {
    app.addSchema(schema);
  }

  void app.register(
    async (epcis) => {
      installJsonParser(epcis);
      installVersionHeaders(epcis);
      epcis.setErrorHandler((error, request, reply) =>
        sendEpcisProblem(request, reply, error, (e) =>
          e.exception === "CaptureLimitExceededException" ? captureLimitHeaders(options) : {},
        ),
      );
      epcis.setNotFoundHandler((request, reply) =>
        sendEpcisProblem(
          request,
          reply,
          new EpcisError("NoSuchResourceException", `no EPCIS resource ${request.method} ${request.url}`),
        ),
      );
      captureRoutes(epcis, runtime, options, context.options.waitTimeoutMs);
      eventRoutes(epcis, runtime, options);
      queryRoutes(epcis, runtime, options);
    },
    { prefix: "/epcis" },
  );

  void app.register(async (scope) => {
    scope.setErrorHandler((error, request, reply) => sendIdentifierProblem(request, reply, error));
    resolverRoutes(scope, options);
    verifyRoutes(scope, runtime);
    genealogyRoutes(scope, runtime);
  });
}
