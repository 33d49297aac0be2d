import { WeftError } from "@weft/core";

/**
 * Why an identifier was refused. Every error names the offending `value` (the component, AI value
 * or URI that failed) and, when that value is part of a larger input, the whole `input`.
 */
export type IdentifierErrorCode =
  /** Not an EPC URN / GS1 Digital Link shape: bad prefix, characters, percent-encoding, fragment. */
  | "ID_SYNTAX"
  /** An EPC URN scheme (or URN kind, e.g. tag URIs) this module does not handle. */
  | "ID_UNSUPPORTED_SCHEME"
  /** A character outside the set the field allows (GS1 AI encodable set 82 or 39, or digits). */
  | "ID_CHARSET"
  /** A field with the wrong number of characters or digits. */
  | "ID_LENGTH"
  /** A GS1 key whose mod-10 check digit does not match. */
  | "ID_CHECK_DIGIT"
  /** An EPC pattern URI with wildcards that does not denote one identifier or class. */
  | "ID_PATTERN"
  /** A GS1 Company Prefix length outside 6..12, or one that does not fit the key. */
  | "ID_GCP_LENGTH"
  /** No GS1 Company Prefix length was supplied or the supplied table has no entry for the key. */
  | "ID_GCP_UNKNOWN"
  /** A Digital Link path without a GS1 primary key. */
  | "ID_DL_NO_PRIMARY_KEY"
  /** A key qualifier that the primary key does not take, out of order, or put in the query string. */
  | "ID_DL_QUALIFIER"
  /** The same AI twice in one Digital Link. */
  | "ID_DL_DUPLICATE_AI"
  /** A GS1 invalid pair or a missing mandatory association (GS1 Barcode Syntax Dictionary). */
  | "ID_DL_AI_COMBINATION"
  /** Refused by the GS1 Digital Link grammar (checked by digital-link.js). */
  | "ID_DL_GRAMMAR"
  /** A compressed Digital Link that does not decompress. */
  | "ID_DL_COMPRESSED"
  /** A valid identifier that has no form in the requested representation (e.g. CPV without URN). */
  | "ID_NOT_CONVERTIBLE"
  /** A bad base URI for building Digital Links. */
  | "ID_BASE_URI";

export interface IdentifierErrorData {
  code: IdentifierErrorCode;
  message: string;
  /** The offending value. */
  value: string;
  /** The whole input when `value` is only a part of it. */
  input?: string;
  /** The GS1 Application Identifier the value belongs to, when there is one. */
  ai?: string;
  [field: string]: unknown;
}

export class IdentifierError extends WeftError<IdentifierErrorData> {}

export function idError(
  code: IdentifierErrorCode,
  message: string,
  value: string,
  extra: { input?: string; ai?: string } = {},
): IdentifierError {
  const data: IdentifierErrorData = { code, message, value };
  if (extra.input !== undefined && extra.input !== value) data.input = extra.input;
  if (extra.ai !== undefined) data.ai = extra.ai;
  return new IdentifierError(data);
}

/**
 * Runs `fn`; an IdentifierError it throws is re-thrown with `input` / `ai` filled in where it
 * had none, so callers always see which URI (and which AI) was being read.
 */
export function withContext<T>(ctx: { input?: string; ai?: string }, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    if (!(e instanceof IdentifierError)) throw e;
    const data: IdentifierErrorData = { ...e.type };
    if (data.input === undefined && ctx.input !== undefined && ctx.input !== data.value)
      data.input = ctx.input;
    if (data.ai === undefined && ctx.ai !== undefined) data.ai = ctx.ai;
    throw new IdentifierError(data, e.message);
  }
}
