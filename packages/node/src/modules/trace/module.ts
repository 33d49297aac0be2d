/**
 * The `trace` module: EPCIS 2.0 events on chain.
 * - `trace.capture {document}`: validates an EPCIS 2.0 capture document (EPCIS 2.0 JSON schema + CBV
 *   2.0 rules), computes each event's CBV 2.0 event hash (its ledger id), records `trace/event/<hex>`
 *   and emits `EventCaptured` with the event's JSON text, so the log entry's inclusion proof proves
 *   the event's content. An event carrying `errorDeclaration` hashes like the event it declares
 *   erroneous (the hash leaves errorDeclaration out): it is recorded as `trace/declared/<hex>` and the
 *   original stays.
 * - `trace.anchor {eventIds}`: only the hashes; the organisation keeps the documents. A later capture
 *   of a document with an anchored hash discloses it and links to the anchor.
 */
import { defineMethod, defineQuery, type Module, type TxContext } from "../../app/module.js";
import { type PreparedEvent, prepareCapture } from "./capture.js";
import { TraceError } from "./errors.js";
import { eventIdHex } from "./ids.js";
import { authorize } from "./policy.js";
import { captureFacts } from "./resource.js";
import { AnchorArgsSchema, CaptureArgsSchema, EventParamsSchema, MAX_EVENTS_PER_TX } from "./schema.js";
import { declarationKey, eventKey, TraceStore } from "./state.js";

export const TRACE_MODULE = "trace";
export const EVENT_CAPTURED = "EventCaptured";
export const EVENT_ANCHORED = "EventAnchored";

/** Documents prepared at admission (`precheck`), reused by `execute`: same text, same result. */
const PREPARED_CACHE = 1_024;
const prepared = new Map<string, readonly PreparedEvent[]>();

function prepare(document: string): readonly PreparedEvent[] {
  const hit = prepared.get(document);
  if (hit) return hit;
  const events = prepareCapture(document, MAX_EVENTS_PER_TX);
  if (prepared.size >= PREPARED_CACHE) prepared.delete(prepared.keys().next().value as string);
  prepared.set(document, events);
  return events;
}

const capture = defineMethod({
  description:
    "Capture the events of an EPCIS 2.0 capture document (all five event types, JSON or JSON-LD). Each event's ledger id is its CBV 2.0 event hash; the whole transaction is refused if any event is invalid or already captured. An event with errorDeclaration records a correction of the event with the same hash.",
  args: CaptureArgsSchema,
  // Parsing, both validation layers and the hashes need no state: an invalid document never
  // enters the mempool. Execution repeats them (a proposer may include anything); the cache makes
  // that a lookup for documents this node admitted.
  precheck(args) {
    prepare(args.document);
  },
  // Locations and devices for identity policies, from the same prepared (cached) document.
  resource: (_state, args) => captureFacts(prepare(args.document)),
  execute(ctx, args) {
    const events = prepare(args.document);
    const traces = new TraceStore(ctx.state);
    const by: Record<string, string> = args.submittedBy
      ? { submittedByOrg: args.submittedBy.org, submittedById: args.submittedBy.id }
      : {};
    for (const ev of events) {
      if (ev.declaration) declare(ctx, traces, ev, by);
      else record(ctx, traces, ev, by);
    }
  },
});

function record(ctx: TxContext, traces: TraceStore, ev: PreparedEvent, by: Record<string, string>): void {
  const existing = traces.event(ev.hex);
  if (existing && !existing.anchoredOnly) {
    throw new TraceError({
      code: "TRACE_DUPLICATE_EVENT",
      message: `event ${ev.index}: ${ev.eventId} is already captured (height ${existing.height})`,
      eventIndex: ev.index,
      eventId: ev.eventId,
    });
  }
  authorize(ctx, existing ? "disclose" : "capture", ev.eventId);
  traces.putEvent(ev.hex, {
    capturedBy: ctx.sender,
    height: ctx.height,
    anchoredOnly: false,
    ...(existing ? { anchoredBy: existing.capturedBy, anchoredAt: existing.height } : {}),
  });
  emitCaptured(
    ctx,
    ev,
    existing ? { ...by, anchoredBy: existing.capturedBy, anchoredAt: `${existing.height}` } : by,
  );
}

function declare(ctx: TxContext, traces: TraceStore, ev: PreparedEvent, by: Record<string, string>): void {
  const existing = traces.declaration(ev.hex);
  if (existing) {
    throw new TraceError({
      code: "TRACE_ALREADY_DECLARED",
      message: `event ${ev.index}: an error declaration of ${ev.eventId} is already captured (height ${existing.height})`,
      eventIndex: ev.index,
      eventId: ev.eventId,
    });
  }
  authorize(ctx, "declare", ev.eventId);
  traces.putDeclaration(ev.hex, { declaredBy: ctx.sender, height: ctx.height });
  emitCaptured(ctx, ev, { ...by, errorDeclaration: "true" });
}

function emitCaptured(ctx: TxContext, ev: PreparedEvent, extra: Record<string, string>): void {
  ctx.emit(EVENT_CAPTURED, {
    eventId: ev.eventId,
    eventType: ev.eventType,
    eventTime: ev.eventTime,
    capturedBy: ctx.sender,
    ...extra,
    event: ev.json,
  });
}

/** Each id once in one `trace.anchor`. */
function distinctIds(eventIds: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return eventIds.map((eventId, i) => {
    const hex = eventIdHex(eventId) as string;
    const earlier = seen.get(hex);
    if (earlier !== undefined) {
      throw new TraceError({
        code: "TRACE_DUPLICATE_IN_TX",
        message: `eventIds[${earlier}] and eventIds[${i}] are the same id ${eventId}`,
        eventId,
      });
    }
    seen.set(hex, i);
    return hex;
  });
}

const anchor = defineMethod({
  description:
    "Put only the CBV 2.0 hashes of events on chain (the organisation keeps the documents). A later trace.capture of a document with one of these hashes discloses it.",
  args: AnchorArgsSchema,
  precheck(args) {
    distinctIds(args.eventIds);
  },
  execute(ctx, args) {
    const traces = new TraceStore(ctx.state);
    distinctIds(args.eventIds).forEach((hex, i) => {
      const eventId = args.eventIds[i] as string;
      const existing = traces.event(hex);
      if (existing) {
        throw new TraceError({
          code: "TRACE_DUPLICATE_EVENT",
          message: `eventIds[${i}]: ${eventId} is already ${existing.anchoredOnly ? "anchored" : "captured"} (height ${existing.height})`,
          eventId,
        });
      }
      authorize(ctx, "anchor", eventId);
      traces.putEvent(hex, { capturedBy: ctx.sender, height: ctx.height, anchoredOnly: true });
      ctx.emit(EVENT_ANCHORED, { eventId, anchoredBy: ctx.sender });
    });
  },
});

export const traceModule: Module = {
  name: TRACE_MODULE,
  methods: { capture, anchor },
  queries: {
    event: defineQuery({
      description:
        "The on-chain record of an EPCIS event id (captured or only anchored): who, at which height. Absent: never captured nor anchored.",
      params: EventParamsSchema,
      key: (p) => eventKey(eventIdHex(p.eventId) as string),
    }),
    declaration: defineQuery({
      description: "The on-chain record of the error declaration of an EPCIS event id, if one was captured.",
      params: EventParamsSchema,
      key: (p) => declarationKey(eventIdHex(p.eventId) as string),
    }),
  },
};
