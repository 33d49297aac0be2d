import { sha256Hex } from "@weft/core";
import { expandKey, jsonLdContextMap, STANDARD_PREFIXES } from "./context.js";
import { EpcisHashError } from "./errors.js";
import { EVENT_ORDER, IGNORED_EVENT_FIELDS } from "./order.js";
import { compareCodePoints, renderGeneric, renderInOrder } from "./prehash.js";
import { EVENT_SCOPE, objectToNodes } from "./tree.js";
import type { EpcisEventJson, EventHashOptions, JsonLdContextMap } from "./types.js";

/** The version tag of the pre-hash algorithm implemented here. */
export const EVENT_HASH_VERSION = "CBV2.0";

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** `{namespace}local` of an ignore-list entry given as a CURIE, a `{ns}local` name or a full IRI. */
function ignoredName(entry: string, context: JsonLdContextMap): string {
  const expanded = expandKey(entry, context);
  if (expanded !== entry) return expanded;
  const iri = /^(https?:\/\/.*[/#])([^/#]+)$/.exec(entry);
  return iri === null ? entry : `{${iri[1]}}${iri[2]}`;
}

/**
 * The CBV 2.0 pre-hash string of one EPCIS 2.0 JSON/JSON-LD event: `eventType=…` followed by the
 * event's fields in canonical order and canonical form, concatenated without separators.
 *
 * `context` is the prefix map in force (from the enclosing document's `@context`, see
 * `jsonLdContextMap`); the standard `gs1`/`cbv`/`epcis` prefixes are always known, and an `@context`
 * on the event itself is layered on top.
 */
export function preHashString(
  event: EpcisEventJson,
  context: JsonLdContextMap = STANDARD_PREFIXES,
  options: EventHashOptions = {},
): string {
  if (!isPlainObject(event)) {
    throw new EpcisHashError({
      code: "EPCIS_HASH_NOT_AN_OBJECT",
      message: "an EPCIS event is a JSON object",
    });
  }
  const eventType = event.type;
  if (typeof eventType !== "string" || eventType === "") {
    throw new EpcisHashError({
      code: "EPCIS_HASH_MISSING_EVENT_TYPE",
      message: "an EPCIS event needs its type (ObjectEvent, AggregationEvent, …)",
      path: "/type",
    });
  }
  const ctx = jsonLdContextMap(event["@context"], { ...STANDARD_PREFIXES, ...context });
  const ignored = new Set((options.ignoreFields ?? []).map((f) => ignoredName(f, ctx)));
  const nodes = objectToNodes(event, EVENT_SCOPE, ctx).filter(
    (n) => !IGNORED_EVENT_FIELDS.has(n.name) && !ignored.has(n.name),
  );
  const [ordered, rest] = renderInOrder(nodes, EVENT_ORDER, "");
  const extensions = rest.map((n) => renderGeneric(n, `/${n.name}`)).sort(compareCodePoints);
  return `eventType=${eventType}${ordered}${extensions.join("")}`;
}

/** `ni:///sha-256;<hex>?ver=CBV2.0` (RFC 6920 `ni` URI) of a pre-hash string (UTF-8). */
export function hashPreHashString(preHash: string): string {
  return `ni:///sha-256;${sha256Hex(preHash)}?ver=${EVENT_HASH_VERSION}`;
}

/** The CBV 2.0 event hash of one EPCIS 2.0 JSON/JSON-LD event: `ni:///sha-256;<hex>?ver=CBV2.0`. */
export function eventHash(
  event: EpcisEventJson,
  context: JsonLdContextMap = STANDARD_PREFIXES,
  options: EventHashOptions = {},
): string {
  return hashPreHashString(preHashString(event, context, options));
}
