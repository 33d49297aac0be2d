import { isWeftError, type WeftError } from "@weft/core";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { ApiError, internalProblem, PROBLEM_CONTENT_TYPE, type Problem, problemFor } from "./problem.js";

/** Fastify's own request errors, renamed into the API's codes. */
const FASTIFY_CODES: Readonly<Record<string, ApiError["code"]>> = {
  FST_ERR_CTP_INVALID_JSON_BODY: "API_MALFORMED_JSON",
  FST_ERR_CTP_EMPTY_JSON_BODY: "API_MALFORMED_JSON",
  FST_ERR_CTP_BODY_TOO_LARGE: "API_BODY_TOO_LARGE",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "API_UNSUPPORTED_MEDIA_TYPE",
};

/** Whatever was thrown, as a WeftError with a mapped code; undefined for a bug (a 500). */
export function toWeftError(error: unknown): WeftError | undefined {
  if (isWeftError(error)) return error;
  if (!(error instanceof Error)) return undefined;
  const fastifyError = error as FastifyError;
  if (fastifyError.validation) {
    const context = fastifyError.validationContext ?? "request";
    return new ApiError({
      code: "API_VALIDATION",
      message: error.message,
      errors: fastifyError.validation.map((v) => ({
        path: `${context}${v.instancePath}`,
        message: v.message ?? "invalid",
      })),
    });
  }
  const code = fastifyError.code ? FASTIFY_CODES[fastifyError.code] : undefined;
  if (code) return new ApiError({ code, message: error.message });
  // Any other error Fastify flags as the client's (bad URL, bad content-length, ...).
  const status = fastifyError.statusCode ?? 500;
  if (status >= 400 && status < 500) return new ApiError({ code: "API_BAD_REQUEST", message: error.message });
  return undefined;
}

/** Replies with the error as application/problem+json and logs it at a level fitting its status. */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, error: unknown): FastifyReply {
  const weftError = toWeftError(error);
  const problem: Problem = weftError ? problemFor(weftError, request.url) : internalProblem(request.url);
  const fields = { code: problem.code, status: problem.status, url: request.url };
  if (problem.status >= 500 && problem.status !== 503)
    request.log.error({ ...fields, err: error }, "request failed");
  else if (problem.status >= 500) request.log.warn({ ...fields, detail: problem.detail }, "request refused");
  else request.log.info({ ...fields, detail: problem.detail }, "request rejected");
  // A pre-serialized string: route response schemas must not reshape the problem.
  return reply.code(problem.status).type(PROBLEM_CONTENT_TYPE).send(JSON.stringify(problem));
}
