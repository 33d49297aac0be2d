import type { TypeBoxTypeProvider } from "@fastify/type-provider-typebox";
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from "fastify";
import type { Metrics } from "../metrics/metrics.js";
import type { CertificateLister } from "../net/cert-expiry.js";
import type { NodeService } from "../service.js";
import type { EpcisDeps } from "./epcis/context.js";
import type { ApiOptions } from "./options.js";

/** The Fastify instance routes are declared on: request and reply types come from TypeBox schemas. */
export type ApiApp = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  TypeBoxTypeProvider
>;

/** What every route module needs. */
export interface RouteContext {
  service: NodeService;
  options: ApiOptions;
  metrics: Metrics;
  /** The trace reader, capture key and node-local repositories; absent: the EPCIS routes answer 503. */
  epcis?: EpcisDeps;
  /** Certificates the node knows, for /v1/identity/certificates; absent: that route answers 404. */
  certificates?: CertificateLister;
}
