/**
 * The deterministic part of `trace.capture`: parse the document text, validate it (EPCIS 2.0 schema
 * and CBV 2.0 rules), make each event self-contained (the document's `@context` carried into it) and
 * compute its CBV 2.0 event hash, the event's ledger id. Pure: same text, same result, on every node.
 */
import { EpcisValidationError, eventHash, formatProblem, validateCaptureDocument } from "@weft/epcis";
import { TraceError } from "./errors.js";
import { eventIdHex } from "./ids.js";

/** One event of a capture document, ready to be recorded. */
export interface PreparedEvent {
  /** Position in `epcisBody.eventList`. */
  index: number;
  /** CBV 2.0 event hash `ni:///sha-256;…?ver=CBV2.0`. */
  eventId: string;
  hex: string;
  eventType: string;
  eventTime: string;
  /** The event as JSON text, with the document's `@context` (and its own) in `@context`. */
  json: string;
  /** True when the event carries `errorDeclaration` (it declares the event with the same hash erroneous). */
  declaration: boolean;
}

const MAX_PROBLEMS = 20;
const EVENT_PATH = /^epcisBody\.eventList\[(\d+)\]/;

const asList = (context: unknown): unknown[] =>
  context === undefined ? [] : Array.isArray(context) ? context : [context];

/**
 * The `@context` an event has inside its document: the document's, then the event's own (JSON-LD
 * processes an inner context on top of the outer one). Storing it in the event keeps it valid,
 * hashable and expandable on its own.
 */
export function standaloneEvent(
  documentContext: unknown,
  event: Record<string, unknown>,
): Record<string, unknown> {
  const { "@context": own, ...rest } = event;
  const merged = [...asList(documentContext), ...asList(own)];
  return { "@context": merged.length === 1 ? merged[0] : merged, ...rest };
}

/** Deepest JSON nesting accepted (EPCIS documents need about 8); bounds recursion identically on every node. */
export const MAX_JSON_DEPTH = 32;

/** The deepest `{`/`[` nesting of JSON text (strings skipped); stops counting past `limit`. */
function jsonDepth(text: string, limit: number): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > max) max = depth;
      if (max > limit) return max;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

/** Parses, validates and hashes a capture document; throws a TraceError naming the first problem. */
export function prepareCapture(text: string, maxEvents: number): PreparedEvent[] {
  if (jsonDepth(text, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw new TraceError({
      code: "TRACE_BAD_JSON",
      message: `document nests deeper than ${MAX_JSON_DEPTH} levels`,
    });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new TraceError({
      code: "TRACE_BAD_JSON",
      message: `document is not JSON: ${(e as Error).message}`,
    });
  }
  const list = (json as { epcisBody?: { eventList?: unknown } } | null)?.epcisBody?.eventList;
  if (Array.isArray(list) && list.length > maxEvents) {
    throw new TraceError({
      code: "TRACE_TOO_MANY_EVENTS",
      message: `the document has ${list.length} events; one transaction captures at most ${maxEvents}`,
      count: list.length,
      max: maxEvents,
    });
  }
  let validated: ReturnType<typeof validateCaptureDocument>;
  try {
    validated = validateCaptureDocument(json);
  } catch (e) {
    if (!(e instanceof EpcisValidationError)) throw e;
    throw invalid(e);
  }
  const { document, events } = validated;
  if (events.length === 0) {
    throw new TraceError({ code: "TRACE_EMPTY_DOCUMENT", message: "epcisBody.eventList has no events" });
  }
  const out = events.map(({ event }, index): PreparedEvent => {
    const standalone = standaloneEvent(document["@context"], event as unknown as Record<string, unknown>);
    let eventId: string;
    try {
      eventId = eventHash(standalone as Parameters<typeof eventHash>[0]);
    } catch (e) {
      const reason = e instanceof Error ? e.message : "unknown failure";
      throw new TraceError({
        code: "TRACE_HASH_FAILED",
        message: `event ${index} (epcisBody.eventList[${index}]): no CBV 2.0 event hash: ${reason}`,
        eventIndex: index,
      });
    }
    const hex = eventIdHex(eventId);
    if (hex === undefined) {
      throw new TraceError({
        code: "TRACE_HASH_FAILED",
        message: `event ${index}: unexpected event hash ${eventId}`,
        eventIndex: index,
      });
    }
    return {
      index,
      eventId,
      hex,
      eventType: event.type,
      eventTime: event.eventTime,
      json: JSON.stringify(standalone),
      declaration: event.errorDeclaration !== undefined,
    };
  });
  // The same event twice (an error declaration may sit beside the event it declares).
  const seen = new Map<string, number>();
  for (const ev of out) {
    const slot = `${ev.hex}/${ev.declaration ? "declaration" : "event"}`;
    const earlier = seen.get(slot);
    if (earlier !== undefined) {
      throw new TraceError({
        code: "TRACE_DUPLICATE_IN_TX",
        message: `events ${earlier} and ${ev.index} of the document are the same event (${ev.eventId})`,
        eventIndex: ev.index,
        eventId: ev.eventId,
      });
    }
    seen.set(slot, ev.index);
  }
  return out;
}

function invalid(e: EpcisValidationError): TraceError {
  const problems = e.problems;
  const first = problems[0];
  const at = first ? EVENT_PATH.exec(first.path) : null;
  const where = at ? `event ${at[1]}: ` : "";
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : "";
  const head = first ? formatProblem(first) : "invalid EPCIS document";
  return new TraceError({
    code: "TRACE_INVALID_DOCUMENT",
    message: `${where}${head}${more}`,
    ...(at ? { eventIndex: Number(at[1]) } : {}),
    problems: problems.slice(0, MAX_PROBLEMS).map((p) => ({
      path: p.path,
      message: p.message,
      ...(p.value === undefined ? {} : { value: p.value }),
    })),
  });
}
