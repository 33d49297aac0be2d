import { expandKey, jsonLdContextMap } from "./context.js";
import { EpcisHashError } from "./errors.js";
import { hashPreHashString, preHashString } from "./event-hash.js";
import type { DocumentHashOptions, EpcisDocumentJson, EpcisEventJson, JsonLdContextMap } from "./types.js";

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** The events of a document with what is needed to hash them. */
export interface DocumentEvents {
  /** The events in document order (not checked: `preHashString` refuses what it cannot hash). */
  readonly events: readonly unknown[];
  /** Prefixes of the document's `@context` (with the standard ones). */
  readonly context: JsonLdContextMap;
  /** Fields the document declares as not part of the hash (`<prefix>:ignoreFields`), as written. */
  readonly ignoreFields: readonly string[];
}

/** `ignoreFields` or `<prefix>:ignoreFields` in `holder`: the field list a repository excludes from hashes. */
function ignoreFieldsIn(holder: unknown, context: JsonLdContextMap): string[] {
  if (!isPlainObject(holder)) return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(holder)) {
    const name = expandKey(key, context);
    if (name !== "ignoreFields" && !/^\{[^}]*\}ignoreFields$/.test(name)) continue;
    if (!Array.isArray(value)) continue;
    for (const item of value) if (typeof item === "string") out.push(item);
  }
  return out;
}

/**
 * The events of an EPCIS 2.0 JSON/JSON-LD document: `epcisBody.eventList` (EPCISDocument),
 * `epcisBody.queryResults.resultsBody.eventList` (EPCISQueryDocument) or a single `epcisBody.event`.
 */
export function eventsOfDocument(document: EpcisDocumentJson | unknown): DocumentEvents {
  if (!isPlainObject(document)) {
    throw new EpcisHashError({
      code: "EPCIS_HASH_NOT_AN_OBJECT",
      message: "an EPCIS document is a JSON object",
    });
  }
  const context = jsonLdContextMap(document["@context"]);
  const body = document.epcisBody;
  const queryResults = isPlainObject(body) ? body.queryResults : undefined;
  const resultsBody = isPlainObject(queryResults) ? queryResults.resultsBody : undefined;
  let events: unknown[] | undefined;
  if (isPlainObject(body) && Array.isArray(body.eventList)) events = body.eventList;
  else if (isPlainObject(resultsBody) && Array.isArray(resultsBody.eventList)) events = resultsBody.eventList;
  else if (isPlainObject(body) && isPlainObject(body.event)) events = [body.event];
  if (events === undefined) {
    throw new EpcisHashError({
      code: "EPCIS_HASH_NO_EVENT_LIST",
      message: "no epcisBody.eventList, epcisBody.queryResults.resultsBody.eventList or epcisBody.event",
      path: "/epcisBody",
    });
  }
  const ignoreFields = [...ignoreFieldsIn(document, context), ...ignoreFieldsIn(queryResults, context)];
  return { events, context, ignoreFields };
}

/** The pre-hash string of every event of a document, in document order. */
export function preHashStringsOfDocument(
  document: EpcisDocumentJson | unknown,
  options: DocumentHashOptions = {},
): string[] {
  const { events, context, ignoreFields } = eventsOfDocument(document);
  const eventOptions = options.honourIgnoreFields === false ? {} : { ignoreFields };
  return events.map((event, eventIndex) => {
    try {
      return preHashString(event as EpcisEventJson, context, eventOptions);
    } catch (e) {
      if (!(e instanceof EpcisHashError)) throw e;
      const { code, message, path } = e.type;
      throw new EpcisHashError({
        code,
        message: `event ${eventIndex}: ${message}`,
        eventIndex,
        ...(path === undefined ? {} : { path }),
      });
    }
  });
}

/**
 * The CBV 2.0 event hash (`ni:///sha-256;<hex>?ver=CBV2.0`) of every event of an EPCIS 2.0
 * JSON/JSON-LD document, in document order. Namespace prefixes come from the document's `@context`
 * (never fetched). A `<prefix>:ignoreFields` list on the document or its query results is honoured
 * as by the reference implementation unless `honourIgnoreFields: false`.
 */
export function eventHashesOfDocument(
  document: EpcisDocumentJson | unknown,
  options: DocumentHashOptions = {},
): string[] {
  return preHashStringsOfDocument(document, options).map(hashPreHashString);
}
