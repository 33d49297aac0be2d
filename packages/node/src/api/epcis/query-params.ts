import { createHash } from "node:crypto";
import { type TSchema, Type } from "@sinclair/typebox";
import { EVENT_TYPES } from "@weft/epcis";
import type { SimpleEventQuery } from "../../modules/trace/api.js";
import { EpcisError, queryParameterError } from "./errors.js";

/**
 * The EPCIS 2.0 SimpleEventQuery parameters this node answers (EPCIS 2.0 §8.2.7.1, REST binding
 * query-schema.json). In a URL, a list parameter takes values separated by `|` and/or repeated
 * parameters; in a named query body, a JSON array (or one string).
 */
export const LIST_PARAMETERS = [
  "eventType",
  "EQ_action",
  "EQ_bizStep",
  "EQ_disposition",
  "MATCH_epc",
  "MATCH_anyEPC",
  "MATCH_epcClass",
  "MATCH_anyEPCClass",
  "MATCH_parentID",
  "MATCH_inputEPC",
  "MATCH_outputEPC",
  "EQ_bizLocation",
  "WD_bizLocation",
  "EQ_readPoint",
  "WD_readPoint",
  "EQ_transformationID",
  "EQ_deviceID",
  "EQ_eventID",
] as const;
export const TIME_PARAMETERS = ["GE_eventTime", "LT_eventTime", "GE_recordTime", "LT_recordTime"] as const;

type ListParameter = (typeof LIST_PARAMETERS)[number];
type TimeParameter = (typeof TIME_PARAMETERS)[number];

const ACTIONS = ["ADD", "OBSERVE", "DELETE"];

const DESCRIPTIONS: Record<ListParameter | TimeParameter | string, string> = {
  eventType:
    "event types (ObjectEvent, AggregationEvent, TransactionEvent, TransformationEvent, AssociationEvent)",
  EQ_action: "action is one of (ADD, OBSERVE, DELETE)",
  EQ_bizStep: "bizStep is one of (CBV bare names or URIs)",
  EQ_disposition: "disposition is one of",
  MATCH_epc: "epcList / childEPCs contain one of (EPC URN, pattern or Digital Link)",
  MATCH_anyEPC: "any EPC field (epcList, childEPCs, parentID, inputEPCList, outputEPCList) matches",
  MATCH_epcClass: "quantityList / childQuantityList epcClass matches",
  MATCH_anyEPCClass: "any quantity list's epcClass matches",
  MATCH_parentID: "parentID matches",
  MATCH_inputEPC: "inputEPCList contains",
  MATCH_outputEPC: "outputEPCList contains",
  EQ_bizLocation: "bizLocation id is one of",
  WD_bizLocation: "bizLocation id is one of, or a descendant of one",
  EQ_readPoint: "readPoint id is one of",
  WD_readPoint: "readPoint id is one of, or a descendant of one",
  EQ_transformationID: "transformationID is one of",
  EQ_deviceID: "a sensor element's deviceID is one of",
  EQ_eventID: "eventID (the ledger's CBV 2.0 event hash or the captured eventID) is one of",
  GE_eventTime: "eventTime ≥ (RFC 3339 with time zone)",
  LT_eventTime: "eventTime <",
  GE_recordTime: "recordTime (the committing block's time) ≥",
  LT_recordTime: "recordTime <",
  EXISTS_errorDeclaration:
    "only events with an errorDeclaration (present, empty or true); false: only without",
  orderBy: "eventTime or recordTime",
  orderDirection: "ASC or DESC",
  eventCountLimit: "at most this many events in total (the first N in the order)",
  maxEventCount: "QueryTooLargeException (413) if more events than this match",
};

const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/i;

/** Query string schema of the events endpoints (documentation; values are checked by `parseEventQuery`). */
export function eventQueryStringSchema(paging: { defaultPerPage: number; maxPerPage: number }) {
  const props: Record<string, TSchema> = {};
  for (const name of LIST_PARAMETERS) {
    props[name] = Type.Optional(
      Type.Array(Type.String({ minLength: 1 }), {
        description: `${DESCRIPTIONS[name]}; values separated by |`,
      }),
    );
  }
  for (const name of TIME_PARAMETERS) {
    props[name] = Type.Optional(Type.String({ description: DESCRIPTIONS[name] }));
  }
  props.EXISTS_errorDeclaration = Type.Optional(
    Type.String({ description: DESCRIPTIONS.EXISTS_errorDeclaration }),
  );
  props.orderBy = Type.Optional(Type.String({ description: DESCRIPTIONS.orderBy }));
  props.orderDirection = Type.Optional(Type.String({ description: DESCRIPTIONS.orderDirection }));
  props.eventCountLimit = Type.Optional(Type.String({ description: DESCRIPTIONS.eventCountLimit }));
  props.maxEventCount = Type.Optional(Type.String({ description: DESCRIPTIONS.maxEventCount }));
  props.perPage = Type.Optional(
    Type.String({
      description: `events per page, 1..${paging.maxPerPage} (default ${paging.defaultPerPage}); the Link header (rel="next") points to the next page`,
    }),
  );
  props.nextPageToken = Type.Optional(
    Type.String({ description: "opaque token from the previous page's Link header" }),
  );
  return Type.Object(props, { additionalProperties: false });
}

/** The named-query parameters the query string or body named, normalised (no paging). */
export type QueryParameters = SimpleEventQuery;

function listValues(name: string, raw: unknown, fromUrl: boolean): string[] {
  const items = Array.isArray(raw) ? raw : [raw];
  const out: string[] = [];
  for (const item of items) {
    if (typeof item !== "string") throw queryParameterError(name, "values are strings", item);
    const parts = fromUrl ? item.split("|") : [item];
    for (const part of parts) {
      if (part === "") throw queryParameterError(name, "empty value", item);
      if (part.length > 2048) throw queryParameterError(name, "a value is longer than 2048 characters");
      out.push(part);
    }
  }
  if (out.length === 0) throw queryParameterError(name, "needs at least one value");
  if (out.length > 1000) throw queryParameterError(name, "at most 1000 values");
  return [...new Set(out)];
}

function timeValue(name: string, raw: unknown): string {
  const value = Array.isArray(raw) && raw.length === 1 ? raw[0] : raw;
  if (typeof value !== "string" || !RFC3339.test(value) || Number.isNaN(Date.parse(value))) {
    throw queryParameterError(
      name,
      "must be an RFC 3339 date-time with a time zone, e.g. 2024-05-01T10:00:00Z",
      value,
    );
  }
  return value;
}

function intValue(name: string, raw: unknown, min: number, max: number): number {
  const value = typeof raw === "string" && /^\d{1,15}$/.test(raw) ? Number(raw) : raw;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min || value > max) {
    throw queryParameterError(name, `must be an integer in ${min}..${max}`, raw);
  }
  return value;
}

function flagValue(name: string, raw: unknown): boolean {
  if (raw === "" || raw === true || raw === "true" || raw === null || raw === 1) return true;
  if (raw === false || raw === "false" || raw === 0) return false;
  throw queryParameterError(name, "is a flag: present (empty), true or false", raw);
}

function enumValue<T extends string>(name: string, raw: unknown, allowed: readonly T[]): T {
  if (typeof raw !== "string" || !(allowed as readonly string[]).includes(raw)) {
    throw queryParameterError(name, `must be one of ${allowed.join(", ")}`, raw);
  }
  return raw as T;
}

/** SimpleEventQuery parameters other than the event list filters. */
const SCALAR_NAMES = new Set([
  ...TIME_PARAMETERS,
  "EXISTS_errorDeclaration",
  "orderBy",
  "orderDirection",
  "eventCountLimit",
  "maxEventCount",
]);
const KNOWN = new Set<string>([...LIST_PARAMETERS, ...SCALAR_NAMES]);

export interface ParsedEventQuery {
  query: SimpleEventQuery;
  /** `maxEventCount`: more matching events than this is QueryTooLargeException. */
  maxEventCount?: number;
}

/**
 * Query parameters (from a URL: `fromUrl`, values `|`-separated; or a named query's JSON body) as a
 * SimpleEventQuery. `perPage` and `nextPageToken` must have been taken out. Throws a
 * QueryParameterException naming the parameter and value on anything it does not accept.
 */
export function parseEventQuery(params: Record<string, unknown>, fromUrl: boolean): ParsedEventQuery {
  const query: SimpleEventQuery = {};
  let maxEventCount: number | undefined;
  for (const [name, raw] of Object.entries(params)) {
    if (raw === undefined) continue;
    if (!KNOWN.has(name)) {
      const standard = /^(EQ|GT|GE|LT|LE|MATCH|EXISTS|HASATTR|WD|EQATTR)_/.test(name);
      throw queryParameterError(
        name,
        standard ? "this EPCIS query parameter is not supported by this node" : "unknown query parameter",
      );
    }
    if ((LIST_PARAMETERS as readonly string[]).includes(name)) {
      const values = listValues(name, raw, fromUrl);
      if (name === "eventType") {
        for (const v of values) enumValue(name, v, EVENT_TYPES);
        query.eventTypes = values;
      } else {
        if (name === "EQ_action") for (const v of values) enumValue(name, v, ACTIONS);
        query[name as Exclude<ListParameter, "eventType">] = values;
      }
      continue;
    }
    const scalar = Array.isArray(raw) && fromUrl ? onlyOne(name, raw) : raw;
    switch (name) {
      case "GE_eventTime":
      case "LT_eventTime":
      case "GE_recordTime":
      case "LT_recordTime":
        query[name] = timeValue(name, scalar);
        break;
      case "EXISTS_errorDeclaration":
        query.EXISTS_errorDeclaration = flagValue(name, scalar);
        break;
      case "orderBy":
        query.orderBy = enumValue(name, scalar, ["eventTime", "recordTime"] as const);
        break;
      case "orderDirection":
        query.orderDirection = enumValue(name, scalar, ["ASC", "DESC"] as const);
        break;
      case "eventCountLimit":
        query.eventCountLimit = intValue(name, scalar, 1, 1_000_000_000);
        break;
      case "maxEventCount":
        maxEventCount = intValue(name, scalar, 1, 1_000_000_000);
        break;
    }
  }
  if (query.eventCountLimit !== undefined && maxEventCount !== undefined) {
    throw queryParameterError("maxEventCount", "cannot be combined with eventCountLimit");
  }
  return maxEventCount === undefined ? { query } : { query, maxEventCount };
}

function onlyOne(name: string, values: unknown[]): unknown {
  if (values.length !== 1) throw queryParameterError(name, "given more than once");
  return values[0];
}

/** `perPage` from a URL, checked against the node's bounds. */
export function perPageOf(raw: unknown, paging: { defaultPerPage: number; maxPerPage: number }): number {
  if (raw === undefined) return paging.defaultPerPage;
  const value = Array.isArray(raw) ? onlyOne("perPage", raw) : raw;
  return intValue("perPage", value, 1, paging.maxPerPage);
}

/**
 * `nextPageToken`: the trace module's cursor bound to the query it continues, so a token is
 * refused with any other parameters. base64url(JSON {c: cursor, q: digest of the query}).
 */
export function encodePageToken(cursor: string, scope: string): string {
  return Buffer.from(JSON.stringify({ c: cursor, q: scopeDigest(scope) })).toString("base64url");
}

export function decodePageToken(token: unknown, scope: string): string {
  const value = Array.isArray(token) ? onlyOne("nextPageToken", token) : token;
  const bad = () =>
    queryParameterError("nextPageToken", "is not a token this node issued for this query", value);
  if (typeof value !== "string" || value.length > 4096 || !/^[A-Za-z0-9_-]+$/.test(value)) throw bad();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(value, "base64url").toString("utf8"));
  } catch {
    throw bad();
  }
  const { c, q } = (parsed ?? {}) as { c?: unknown; q?: unknown };
  if (typeof c !== "string" || q !== scopeDigest(scope)) throw bad();
  return c;
}

const scopeDigest = (scope: string) => createHash("sha256").update(scope).digest("base64url").slice(0, 22);

/** A stable text of a query (sorted keys) that page tokens are bound to. */
export function queryScope(prefix: string, query: SimpleEventQuery, maxEventCount?: number): string {
  const sorted = Object.fromEntries(Object.entries(query).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  return `${prefix}\n${JSON.stringify(sorted)}\n${maxEventCount ?? ""}`;
}

/** The query without list entries that are empty (none are produced) — and a check for a body query. */
export function assertQueryObject(value: unknown): Record<string, unknown> {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    throw new EpcisError("ValidationException", "query must be a JSON object of EPCIS query parameters", {
      problems: [{ path: "query", message: "not an object" }],
    });
  }
  return value as Record<string, unknown>;
}
