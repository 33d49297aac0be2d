import { checkCaptureDocument, type ValidatedEvent, type ValidationProblem } from "@weft/epcis";
import { EpcisError, shortProblems } from "./errors.js";
import { type DocumentLayout, documentLayout, documentWithEvents } from "./raw-json.js";

export type CaptureErrorBehaviour = "rollback" | "proceed";

/** One transaction of a capture: a capture document holding some of the events. */
export interface CaptureChunk {
  /** Positions of its events in the captured document. */
  indexes: number[];
  /** Their ledger ids (CBV 2.0 event hashes), in the same order. */
  eventIds: string[];
  /** The JSON text submitted as `trace.capture` `{ document }`. */
  document: string;
}

/** Why one event of a `proceed` capture was left out (an RFC 7807 problem of the capture job). */
export interface EventProblem {
  type: string;
  title: string;
  status: number;
  detail: string;
  eventIndex: number;
  eventID?: string;
  problems?: ValidationProblem[];
}

export interface CapturePlan {
  eventCount: number;
  chunks: CaptureChunk[];
  /** Events refused before submission (`proceed` only; `rollback` throws instead). */
  refused: EventProblem[];
}

export interface PlanDeps {
  /** The ledger id (CBV 2.0 event hash) of a validated event inside a document with `@context` `context`. */
  eventIdOf(event: ValidatedEvent["event"], context: unknown): string;
  /**
   * Whether the event id is taken: captured on the ledger (or, for an error declaration, already
   * declared), or in a capture still running on this node.
   */
  isKnown(eventId: string, declaration: boolean): boolean;
  /** Size of the signed `trace.capture` transaction for a document text. */
  txSize(document: string): number;
  maxTxBytes: number;
  /** Events one `trace.capture` may carry. */
  maxEventsPerTx: number;
  captureLimit: number;
}

const EVENT_PATH = /^epcisBody\.eventList\[(\d+)\]/;

/**
 * Everything checked before anything is submitted: the envelope and every event (EPCIS 2.0 JSON
 * schema and CBV rules), duplicates inside the document and against the ledger (and captures in
 * flight), and that each event fits one transaction. `rollback`: any failure throws (400
 * ValidationException, 409 ResourceAlreadyExistsException or 413 CaptureLimitExceededException)
 * and nothing is submitted. `proceed`: failing events are listed in `refused` and the others
 * planned; it throws only when the envelope is bad or no event is left.
 */
export function planCapture(
  text: string,
  json: unknown,
  behaviour: CaptureErrorBehaviour,
  deps: PlanDeps,
): CapturePlan {
  const list = eventListOf(json);
  if (list !== undefined && list.length > deps.captureLimit) {
    throw new EpcisError(
      "CaptureLimitExceededException",
      `the document has ${list.length} events; this node captures at most ${deps.captureLimit} per request`,
      { eventCount: list.length, captureLimit: deps.captureLimit },
    );
  }
  const checked = checkCaptureDocument(json);
  const refused = new Map<number, EventProblem>();
  let validated: readonly ValidatedEvent[];
  let validIndexes: number[];
  if (checked.ok) {
    validated = checked.events;
    validIndexes = validated.map((_, i) => i);
  } else {
    const byEvent = new Map<number, ValidationProblem[]>();
    const documentProblems: ValidationProblem[] = [];
    for (const problem of checked.problems) {
      const m = EVENT_PATH.exec(problem.path);
      if (m) {
        const index = Number(m[1]);
        byEvent.set(index, [...(byEvent.get(index) ?? []), problem]);
      } else documentProblems.push(problem);
    }
    if (documentProblems.length > 0 || behaviour === "rollback" || list === undefined) {
      throw validationError(checked.problems);
    }
    for (const [index, problems] of byEvent) {
      refused.set(index, {
        ...problemBase("ValidationException", 400),
        detail: `event ${index} is not a valid EPCIS 2.0 event: ${problems[0]?.message ?? "invalid"}`,
        eventIndex: index,
        problems: shortProblems(problems),
      });
    }
    validIndexes = list.map((_, i) => i).filter((i) => !byEvent.has(i));
    if (validIndexes.length === 0) throw validationError(checked.problems);
    // Re-check the valid events alone to get them with their namespaces.
    const body = (json as { epcisBody: Record<string, unknown> }).epcisBody;
    const subset = {
      ...(json as object),
      epcisBody: { ...body, eventList: validIndexes.map((i) => list[i]) },
    };
    const again = checkCaptureDocument(subset);
    if (!again.ok) throw validationError(checked.problems);
    validated = again.events;
  }
  if ((list?.length ?? 0) === 0) {
    throw validationError([
      { path: "epcisBody.eventList", message: "the document has no events to capture" },
    ]);
  }

  const layout = documentLayout(text);
  if (!layout || layout.events.length !== list?.length) {
    throw validationError([
      { path: "", message: "the body is not an EPCIS document with an epcisBody.eventList" },
    ]);
  }

  // Ledger ids, duplicates. An error declaration has the hash of the event it corrects: the two
  // are different slots.
  const context = (json as { "@context"?: unknown })["@context"];
  const planned: { index: number; eventId: string }[] = [];
  const seen = new Map<string, number>();
  const duplicates: EventProblem[] = [];
  validated.forEach(({ event }, k) => {
    const index = validIndexes[k] as number;
    const eventId = deps.eventIdOf(event, context);
    const declaration = event.errorDeclaration !== undefined;
    const slot = `${eventId}|${declaration ? "declaration" : "event"}`;
    const first = seen.get(slot);
    if (first !== undefined) {
      duplicates.push({
        ...problemBase("ValidationException", 400),
        detail: `event ${index} is the same event as event ${first} (event hash ${eventId})`,
        eventIndex: index,
        eventID: eventId,
        problems: [
          { path: `epcisBody.eventList[${index}]`, message: `same event as epcisBody.eventList[${first}]` },
        ],
      });
      return;
    }
    seen.set(slot, index);
    if (deps.isKnown(eventId, declaration)) {
      duplicates.push({
        ...problemBase("ResourceAlreadyExistsException", 409),
        detail: declaration
          ? `event ${index} declares an error already declared for ${eventId} (or being captured)`
          : `event ${index} is already on the ledger or being captured (event hash ${eventId})`,
        eventIndex: index,
        eventID: eventId,
      });
      return;
    }
    planned.push({ index, eventId });
  });
  if (duplicates.length > 0 && behaviour === "rollback") {
    const inDocument = duplicates.filter((d) => d.status === 400);
    if (inDocument.length > 0) throw validationError(inDocument.flatMap((d) => d.problems ?? []));
    throw new EpcisError(
      "ResourceAlreadyExistsException",
      `${duplicates.length} event(s) are already on the ledger or being captured; nothing was captured`,
      { events: duplicates.map((d) => ({ eventIndex: d.eventIndex, eventID: d.eventID })) },
    );
  }
  for (const d of duplicates) refused.set(d.eventIndex, d);

  const { chunks, tooLarge } = chunkEvents(text, layout, planned, deps);
  if (tooLarge.length > 0 && behaviour === "rollback") {
    throw new EpcisError(
      "CaptureLimitExceededException",
      `event ${tooLarge[0]?.eventIndex} alone is larger than one ledger transaction (${deps.maxTxBytes} bytes)`,
      { events: tooLarge.map((t) => ({ eventIndex: t.eventIndex, eventID: t.eventID })) },
    );
  }
  for (const t of tooLarge) refused.set(t.eventIndex, t);
  if (chunks.length === 0) {
    const all = [...refused.values()];
    if (all.some((p) => p.status === 400)) throw validationError(all.flatMap((p) => p.problems ?? []));
    throw new EpcisError(
      "ResourceAlreadyExistsException",
      "no event of the document is new; nothing to capture",
      {
        events: all.map((d) => ({ eventIndex: d.eventIndex, eventID: d.eventID })),
      },
    );
  }
  return {
    eventCount: list.length,
    chunks,
    refused: [...refused.values()].sort((a, b) => a.eventIndex - b.eventIndex),
  };
}

function eventListOf(json: unknown): unknown[] | undefined {
  if (json === null || typeof json !== "object") return undefined;
  const body = (json as { epcisBody?: unknown }).epcisBody;
  if (body === null || typeof body !== "object") return undefined;
  const list = (body as { eventList?: unknown }).eventList;
  return Array.isArray(list) ? list : undefined;
}

function validationError(problems: readonly ValidationProblem[]): EpcisError {
  const first = problems[0];
  const head =
    first === undefined
      ? "invalid EPCIS document"
      : first.path
        ? `${first.path}: ${first.message}`
        : first.message;
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : "";
  return new EpcisError("ValidationException", `EPCIS validation failed: ${head}${more}`, {
    problems: shortProblems(problems),
  });
}

export function problemBase(exception: string, status: number) {
  return { type: `epcisException:${exception}`, title: statusTitle(status), status };
}

function statusTitle(status: number): string {
  switch (status) {
    case 400:
      return "Bad Request";
    case 409:
      return "Conflict";
    case 413:
      return "Payload Too Large";
    case 503:
      return "Service Unavailable";
    default:
      return "Internal Server Error";
  }
}

/**
 * Greedy packing in document order: each transaction takes events while its signed size stays
 * within `maxTxBytes`. Sizes add up exactly: a document is the envelope plus each event's text and
 * a comma, and the string escaping of the `document` argument is per character.
 */
function chunkEvents(
  text: string,
  layout: DocumentLayout,
  planned: readonly { index: number; eventId: string }[],
  deps: PlanDeps,
): { chunks: CaptureChunk[]; tooLarge: EventProblem[] } {
  const base = deps.txSize(documentWithEvents(text, layout, []));
  const escaped = (s: string) => new TextEncoder().encode(JSON.stringify(s)).length - 2;
  const chunks: CaptureChunk[] = [];
  const tooLarge: EventProblem[] = [];
  let current: { index: number; eventId: string }[] = [];
  let size = base;
  const flush = () => {
    if (current.length === 0) return;
    const indexes = current.map((p) => p.index);
    const document = documentWithEvents(text, layout, indexes);
    chunks.push({ indexes, eventIds: current.map((p) => p.eventId), document });
    current = [];
    size = base;
  };
  for (const p of planned) {
    const span = layout.events[p.index];
    if (!span) continue;
    const own = escaped(text.slice(span.start, span.end));
    if (base + own > deps.maxTxBytes) {
      tooLarge.push({
        ...problemBase("CaptureLimitExceededException", 413),
        detail: `event ${p.index} alone is larger than one ledger transaction (${deps.maxTxBytes} bytes)`,
        eventIndex: p.index,
        eventID: p.eventId,
      });
      continue;
    }
    const add = own + (current.length > 0 ? 1 : 0);
    if (size + add > deps.maxTxBytes || current.length >= deps.maxEventsPerTx) {
      flush();
      current.push(p);
      size = base + own;
      continue;
    }
    current.push(p);
    size += add;
  }
  flush();
  // The arithmetic above is exact; this only guards against a mistake in it.
  for (const chunk of chunks) {
    if (deps.txSize(chunk.document) > deps.maxTxBytes) {
      throw new Error(`capture chunk of ${chunk.indexes.length} events exceeds maxTxBytes`);
    }
  }
  return { chunks, tooLarge };
}
