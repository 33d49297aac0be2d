/**
 * EPCIS 2.0 capture validation in two layers:
 * 1. shape — the EPCIS 2.0 JSON schema (./schema.ts, run by ajv in ./shape.ts);
 * 2. CBV 2.0 rules — vocabularies, identifiers, namespaced extensions (../cbv/rules.ts).
 * Every problem of both layers is collected; nothing is thrown until all were looked at.
 */
import { cbvProblems, extensionPrefixProblems } from "../cbv/rules.js";
import { type JsonLdContext, type Namespaces, namespacesOf, STANDARD_NAMESPACES } from "./context.js";
import { EpcisValidationError, type ValidationProblem } from "./errors.js";
import { childPath, show } from "./path.js";
import { documentShapeProblems, EVENT_TYPES, type EventTypeName, eventShapeProblems } from "./shape.js";
import type { EpcisDocument, EpcisEvent } from "./types.js";

export { type CbvForm, type CbvValue, checkCbvValue, classifyCbvValue } from "../cbv/check.js";
export { checkClassIdentifier, checkIdentifierSyntax, checkInstanceIdentifier } from "../cbv/identifiers.js";
export * from "../cbv/vocabulary.js";
export {
  expandIri,
  type JsonLdContext,
  type Namespaces,
  namespacesOf,
  STANDARD_NAMESPACES,
} from "./context.js";
export {
  type EpcisExceptionType,
  EpcisValidationError,
  type EpcisValidationErrorData,
  formatProblem,
  type ValidationProblem,
} from "./errors.js";
export { EPCIS_JSON_SCHEMA_SOURCE } from "./schema.js";
/** The five EPCIS 2.0 event types, in the standard's order. */
export { EVENT_TYPES, type EventTypeName } from "./shape.js";
export type * from "./types.js";

/** An event that passed both layers, with the JSON-LD prefixes in force for it. */
export interface ValidatedEvent<E extends EpcisEvent = EpcisEvent> {
  readonly event: E;
  /** Prefix → namespace: the EPCIS context's, the document's `@context`, the event's `@context`. */
  readonly namespaces: Namespaces;
}

/**
 * A capture document that passed both layers; `events` in document order. The objects are the
 * validated input itself (typed, not copied): do not mutate them after validation.
 */
export interface ValidatedDocument {
  readonly document: EpcisDocument;
  readonly events: readonly ValidatedEvent[];
}

/** Where an event sits when it is not standalone. */
export interface EventContext {
  /** The enclosing document's `@context`; without it the event must carry its own (EPCIS 2.0 JSON schema). */
  readonly "@context"?: JsonLdContext;
  /** Path prefix for problem paths, e.g. `epcisBody.eventList[3]`. */
  readonly path?: string;
}

export type CheckResult<T> =
  | ({ readonly ok: true } & T)
  | { readonly ok: false; readonly problems: readonly ValidationProblem[] };

const isObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === "object" && !Array.isArray(v);

const isEventType = (t: unknown): t is EventTypeName => (EVENT_TYPES as readonly unknown[]).includes(t);

function eventProblems(json: unknown, path: string, inherited: Namespaces | undefined): ValidationProblem[] {
  if (!isObject(json))
    return [{ path, message: `${show(json)} is not a JSON object (an EPCIS event)`, value: json }];
  const problems: ValidationProblem[] = [];
  const type = json.type;
  if (inherited === undefined && !("@context" in json))
    problems.push({
      path: childPath(path, "@context"),
      message:
        'required field "@context" is missing: a standalone EPCIS 2.0 event carries its JSON-LD context',
    });
  if (!("type" in json)) {
    problems.push({
      path: childPath(path, "type"),
      message: 'required field "type" (the event type) is missing',
    });
    return problems;
  }
  if (!isEventType(type)) {
    problems.push({
      path: childPath(path, "type"),
      message: `${show(type)} is not an EPCIS 2.0 event type (${EVENT_TYPES.join(", ")}); extension event types are not supported`,
      value: type,
    });
    return problems;
  }
  const namespaces = namespacesOf(json["@context"], inherited ?? STANDARD_NAMESPACES);
  problems.push(...eventShapeProblems(type, json, path), ...cbvProblems(json, path, namespaces));
  return problems;
}

/** Both layers on one event; never throws. */
export function checkEvent(json: unknown, context?: EventContext): CheckResult<ValidatedEvent> {
  const path = context?.path ?? "";
  const inherited = context?.["@context"] === undefined ? undefined : namespacesOf(context["@context"]);
  const problems = eventProblems(json, path, inherited);
  if (problems.length > 0) return { ok: false, problems };
  const event = json as EpcisEvent;
  return { ok: true, event, namespaces: namespacesOf(event["@context"], inherited ?? STANDARD_NAMESPACES) };
}

/** Both layers on one event; throws `EpcisValidationError` listing every problem. */
export function validateEvent(json: unknown, context?: EventContext): ValidatedEvent {
  const r = checkEvent(json, context);
  if (!r.ok) throw new EpcisValidationError(r.problems);
  return { event: r.event, namespaces: r.namespaces };
}

/** Both layers on an EPCIS 2.0 capture document (`type: "EPCISDocument"`); never throws. */
export function checkCaptureDocument(json: unknown): CheckResult<ValidatedDocument> {
  if (!isObject(json))
    return {
      ok: false,
      problems: [{ path: "", message: `${show(json)} is not a JSON object (an EPCISDocument)`, value: json }],
    };
  const problems = documentShapeProblems(json);
  const namespaces = namespacesOf(json["@context"]);
  for (const [key, value] of Object.entries(json))
    if (key !== "epcisBody" && key !== "@context")
      problems.push(...extensionPrefixProblems({ [key]: value }, "", namespaces));
  const body = json.epcisBody;
  const list = isObject(body) ? body.eventList : undefined;
  const events: ValidatedEvent[] = [];
  if (Array.isArray(list)) {
    list.forEach((ev, i) => {
      const path = childPath("epcisBody.eventList", i);
      if (!isObject(ev)) return; // the envelope schema reports it
      if (!("type" in ev)) return; // idem
      const found = eventProblems(ev, path, namespaces);
      problems.push(...found);
      if (found.length === 0)
        events.push({ event: ev as EpcisEvent, namespaces: namespacesOf(ev["@context"], namespaces) });
    });
  }
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, document: json as EpcisDocument, events };
}

/** Both layers on an EPCIS 2.0 capture document; throws `EpcisValidationError` listing every problem. */
export function validateCaptureDocument(json: unknown): ValidatedDocument {
  const r = checkCaptureDocument(json);
  if (!r.ok) throw new EpcisValidationError(r.problems);
  return { document: r.document, events: r.events };
}
