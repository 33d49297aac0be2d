import { STATUS_CODES } from "node:http";
import { isWeftError, WeftError } from "@weft/core";
import { EpcisValidationError, IdentifierError, type ValidationProblem } from "@weft/epcis";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { PROBLEM_CONTENT_TYPE } from "../problem.js";

/**
 * The exceptions of the EPCIS 2.0 REST binding (EPCIS 2.0 §12, openapi.yaml), each with its HTTP
 * status. Problem documents carry `type: "epcisException:<Name>"` (RFC 7807 as the binding asks).
 */
export const EPCIS_EXCEPTIONS = {
  ValidationException: 400,
  QueryParameterException: 400,
  SubscriptionControlsException: 400,
  SecurityException: 403,
  NoSuchResourceException: 404,
  ResourceAlreadyExistsException: 409,
  CaptureLimitExceededException: 413,
  QueryTooLargeException: 413,
  QueryTooComplexException: 413,
  /** Also 406 (not acceptable), 415 (media type) and 503 (unavailable), as the binding uses it. */
  ImplementationException: 500,
} as const;
export type EpcisExceptionName = keyof typeof EPCIS_EXCEPTIONS;

export interface EpcisErrorData {
  code: "EPCIS_EXCEPTION";
  message: string;
  exception: EpcisExceptionName;
  /** HTTP status when not the exception's usual one (ImplementationException: 406, 415, 503). */
  httpStatus?: number;
  /** Validation problems: where (a path in the document or the parameter name) and what. */
  problems?: ValidationProblem[];
  [field: string]: unknown;
}

/** An error answered as an EPCIS problem document (`epcisException:<exception>`). */
export class EpcisError extends WeftError<EpcisErrorData> {
  constructor(exception: EpcisExceptionName, message: string, fields: Record<string, unknown> = {}) {
    super({ ...fields, code: "EPCIS_EXCEPTION", message, exception });
  }

  get exception(): EpcisExceptionName {
    return this.type.exception;
  }

  get status(): number {
    return this.type.httpStatus ?? EPCIS_EXCEPTIONS[this.type.exception];
  }
}

export const queryParameterError = (parameter: string, message: string, value?: unknown) =>
  new EpcisError("QueryParameterException", `${parameter}: ${message}`, {
    problems: [{ path: parameter, message, ...(value === undefined ? {} : { value }) }],
  });

export const noSuchResource = (what: string, id: string) =>
  new EpcisError("NoSuchResourceException", `no ${what} ${id}`, { id });

export const epcisUnavailable = () =>
  new EpcisError(
    "ImplementationException",
    "EPCIS is not available on this node (the trace module is not running)",
    {
      httpStatus: 503,
    },
  );

/** RFC 7807 body of an EPCIS problem. */
export interface EpcisProblem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance: string;
  [field: string]: unknown;
}

const RESERVED = new Set([
  "type",
  "title",
  "status",
  "detail",
  "instance",
  "message",
  "code",
  "exception",
  "httpStatus",
]);

export function epcisProblem(error: EpcisError, instance: string): EpcisProblem {
  const status = error.status;
  const problem: EpcisProblem = {
    type: `epcisException:${error.exception}`,
    title: STATUS_CODES[status] ?? "Error",
    status,
    detail: error.message,
    instance,
  };
  for (const [key, value] of Object.entries(error.toJSON())) {
    if (!RESERVED.has(key) && value !== undefined) problem[key] = value;
  }
  return problem;
}

/** Problems of a validation failure, with `value` kept short (it is echoed to the client). */
export function shortProblems(problems: readonly ValidationProblem[], max = 100): ValidationProblem[] {
  return problems.slice(0, max).map((p) => {
    if (p.value === undefined) return { path: p.path, message: p.message };
    const text = typeof p.value === "string" ? p.value : JSON.stringify(p.value);
    return {
      path: p.path,
      message: p.message,
      value: text !== undefined && text.length > 200 ? `${text.slice(0, 200)}…` : p.value,
    };
  });
}

/** A validation error of `@weft/epcis` as a ValidationException naming every problem's path. */
export function fromValidationError(error: EpcisValidationError): EpcisError {
  return new EpcisError("ValidationException", error.message, { problems: shortProblems(error.problems) });
}

/**
 * Whatever an EPCIS route threw, as an EpcisError; undefined for a bug (a 500). Fastify's own
 * request errors are renamed: bad JSON → ValidationException, body too large →
 * CaptureLimitExceededException, wrong media type → ImplementationException (415); schema
 * failures by where they happened (query string → QueryParameterException, path → NoSuchResource).
 */
export function toEpcisError(error: unknown): EpcisError | undefined {
  if (error instanceof EpcisError) return error;
  if (error instanceof EpcisValidationError) return fromValidationError(error);
  if (error instanceof IdentifierError) {
    return new EpcisError("ValidationException", error.message, {
      problems: [
        {
          path: error.type.ai ? `AI (${error.type.ai})` : "identifier",
          message: error.message,
          value: error.type.value,
        },
      ],
    });
  }
  if (isWeftError(error)) return undefined;
  if (!(error instanceof Error)) return undefined;
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const context = fastifyError.validationContext ?? "body";
    const problems = fastifyError.validation.map((v) => {
      const extra = (v.params as { additionalProperty?: unknown } | undefined)?.additionalProperty;
      const path = `${v.instancePath.replace(/^\//, "").replaceAll("/", ".")}${typeof extra === "string" ? (v.instancePath ? "." : "") + extra : ""}`;
      return { path: path || context, message: v.message ?? "invalid" };
    });
    if (context === "querystring") {
      const unknown = fastifyError.validation
        .map((v) => (v.params as { additionalProperty?: unknown } | undefined)?.additionalProperty)
        .find((p): p is string => typeof p === "string");
      if (unknown !== undefined) {
        const standard = /^(EQ|GT|GE|LT|LE|MATCH|EXISTS|HASATTR|WD|EQATTR)_/.test(unknown);
        return queryParameterError(
          unknown,
          standard ? "this EPCIS query parameter is not supported by this node" : "unknown query parameter",
        );
      }
      const first = problems[0];
      return new EpcisError(
        "QueryParameterException",
        `${first?.path ?? "query"}: ${first?.message ?? "invalid"}`,
        {
          problems,
        },
      );
    }
    if (context === "params") {
      return new EpcisError("NoSuchResourceException", `no such resource: ${error.message}`, { problems });
    }
    if (context === "headers") {
      return new EpcisError("ValidationException", `request header ${error.message}`, { problems });
    }
    const first = problems[0];
    return new EpcisError("ValidationException", `${first?.path ?? "body"}: ${first?.message ?? "invalid"}`, {
      problems,
    });
  }
  switch (fastifyError.code) {
    case "FST_ERR_CTP_INVALID_JSON_BODY":
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
      return new EpcisError("ValidationException", `the body is not JSON: ${error.message}`, {
        problems: [{ path: "", message: error.message }],
      });
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new EpcisError(
        "CaptureLimitExceededException",
        "the request body is larger than this node accepts",
      );
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new EpcisError("ImplementationException", error.message, { httpStatus: 415 });
  }
  const status = fastifyError.statusCode ?? 500;
  if (status >= 400 && status < 500) return new EpcisError("ValidationException", error.message);
  return undefined;
}

/** Headers sent with a problem (the capture limits with CaptureLimitExceededException). */
export type ProblemHeaders = (error: EpcisError) => Record<string, string>;

/** Replies with an EPCIS problem (application/problem+json); anything unmapped is a logged 500. */
export function sendEpcisProblem(
  request: FastifyRequest,
  reply: FastifyReply,
  error: unknown,
  headers?: ProblemHeaders,
): FastifyReply {
  const mapped = toEpcisError(error) ?? unmappedWeftError(error);
  const epcisError =
    mapped ??
    new EpcisError(
      "ImplementationException",
      "the node failed to handle the request; the node log has the details",
    );
  const problem = epcisProblem(epcisError, request.url);
  const fields = { type: problem.type, status: problem.status, url: request.url };
  if (mapped === undefined) request.log.error({ ...fields, err: error }, "request failed");
  else if (problem.status >= 500) request.log.warn({ ...fields, detail: problem.detail }, "request refused");
  else request.log.info({ ...fields, detail: problem.detail }, "request rejected");
  if (headers) for (const [name, value] of Object.entries(headers(epcisError))) reply.header(name, value);
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}

/** Node errors that reach an EPCIS route (a full mempool, a stopped node) keep their meaning. */
function unmappedWeftError(error: unknown): EpcisError | undefined {
  if (!isWeftError(error)) return undefined;
  switch (error.code) {
    case "NODE_MEMPOOL_FULL":
    case "NODE_STOPPED":
      return new EpcisError("ImplementationException", error.message, { httpStatus: 503 });
    case "NODE_NOT_FOUND":
      return new EpcisError("NoSuchResourceException", error.message);
    case "NODE_INVALID_ARGUMENT":
      return new EpcisError("ValidationException", error.message);
    default:
      return undefined;
  }
}
