import { STATUS_CODES } from "node:http";
import { WeftError } from "@weft/core";
import { NodeError } from "../errors.js";
import { AUTH_STATUS } from "./auth/errors.js";

/** Errors the HTTP layer raises itself (the node's own errors keep their codes). */
export type ApiErrorCode =
  | "API_VALIDATION"
  | "API_MALFORMED_JSON"
  | "API_BAD_REQUEST"
  | "API_BODY_TOO_LARGE"
  | "API_UNSUPPORTED_MEDIA_TYPE"
  | "API_NOT_FOUND"
  | "API_TOO_MANY_CLIENTS"
  | "API_INTERNAL";
export class ApiError extends WeftError<{ code: ApiErrorCode; message: string; [field: string]: unknown }> {}

/** An RFC 9457 problem document; extra members carry the WeftError's data fields. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: string;
  instance: string;
  [field: string]: unknown;
}

export const PROBLEM_CONTENT_TYPE = "application/problem+json; charset=utf-8";
export const PROBLEM_TYPE_PREFIX = "urn:weft:problem:";

const STATUS_BY_CODE: Readonly<Record<string, number>> = {
  API_VALIDATION: 400,
  API_MALFORMED_JSON: 400,
  API_BAD_REQUEST: 400,
  TX_MALFORMED: 400,
  TX_INVALID_SIGNER_KEY: 400,
  APP_INVALID_ARGS: 400,
  APP_UNKNOWN_MODULE: 400,
  APP_UNKNOWN_METHOD: 400,
  APP_UNKNOWN_QUERY: 400,
  NODE_INVALID_ARGUMENT: 400,
  API_NOT_FOUND: 404,
  NODE_NOT_FOUND: 404,
  ...AUTH_STATUS,
  TX_DUPLICATE: 409,
  TX_SEQUENCE_TOO_LOW: 409,
  API_BODY_TOO_LARGE: 413,
  TX_TOO_LARGE: 413,
  API_UNSUPPORTED_MEDIA_TYPE: 415,
  TX_BAD_SIGNATURE: 422,
  TX_WRONG_CHAIN: 422,
  TX_EXPIRED: 422,
  TX_SEQUENCE_TOO_HIGH: 422,
  // Identity arguments the registry refuses at admission: the request's content, not the caller.
  IDENTITY_BAD_ARGS: 422,
  IDENTITY_BAD_CERTIFICATE: 422,
  API_INTERNAL: 500,
  NODE_MEMPOOL_FULL: 503,
  NODE_STOPPED: 503,
  API_TOO_MANY_CLIENTS: 503,
};

// Whole families whose members are all the client's fault.
const STATUS_BY_PREFIX: readonly (readonly [string, number])[] = [
  ["CODEC_", 400],
  ["TOKEN_", 422],
  ["ESCROW_", 422],
  // The signer may not do this: not an active identity, or the action's policy denies it.
  ["IDENTITY_", 403],
  ["POLICY_", 403],
];

/** The HTTP status for an error code; undefined means "not a known client error": a 500. */
export function statusForCode(code: string): number | undefined {
  const exact = STATUS_BY_CODE[code];
  if (exact !== undefined) return exact;
  return STATUS_BY_PREFIX.find(([prefix]) => code.startsWith(prefix))?.[1];
}

// Members a WeftError's data may not override: they define the problem itself.
const RESERVED = new Set(["type", "title", "status", "detail", "code", "instance", "message"]);

/**
 * The problem document for an error. Errors without a mapped code become API_INTERNAL with a
 * generic detail: their message may describe internals and is only logged.
 */
export function problemFor(error: WeftError, instance: string): Problem {
  const status = statusForCode(error.code);
  if (status === undefined) return internalProblem(instance);
  const problem: Problem = {
    type: PROBLEM_TYPE_PREFIX + error.code,
    title: STATUS_CODES[status] ?? "Error",
    status,
    detail: error.message,
    code: error.code,
    instance,
  };
  for (const [key, value] of Object.entries(error.toJSON())) {
    if (!RESERVED.has(key) && value !== undefined) problem[key] = value;
  }
  return problem;
}

export function internalProblem(instance: string): Problem {
  return {
    type: `${PROBLEM_TYPE_PREFIX}API_INTERNAL`,
    title: STATUS_CODES[500] ?? "Internal Server Error",
    status: 500,
    detail: "The node failed to handle the request; the node log has the details",
    code: "API_INTERNAL",
    instance,
  };
}

/** The node has no such resource (an unknown route is API_NOT_FOUND instead). */
export const notFound = (what: string, id: string | number): NodeError =>
  new NodeError({ code: "NODE_NOT_FOUND", message: `no ${what} ${id}`, id });
