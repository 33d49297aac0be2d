import type { StoredEpcisEvent } from "../../modules/trace/api.js";

export const EPCIS_VERSION = "2.0";
export const CBV_VERSION = "2.0";
export const EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";
/** JSON-LD prefix of the ledger fields this node adds to every event it returns. */
export const WEFT_NAMESPACE = "urn:weft:epcis:";

/** Where an event sits on the ledger: what `weft:ledger` holds in query results. */
export interface LedgerPosition {
  /** The CBV 2.0 event hash: the event's id on this ledger. */
  eventId: string;
  txHash: string;
  height: number;
  /** Position of its `trace.EventCaptured` record in the block's RFC 6962 log. */
  logIndex: number;
  /** Address of the account whose transaction captured it. */
  capturedBy: string;
}

/**
 * An event as query results show it: the captured event with `recordTime` (the time of the block
 * that committed it), `eventID` (the captured one, or the ledger id when it had none) and
 * `weft:ledger` (its transaction, height and log position: what to fetch a proof with).
 */
export function resultEvent(stored: StoredEpcisEvent): Record<string, unknown> {
  const ledger: LedgerPosition = {
    eventId: stored.eventId,
    txHash: stored.txHash,
    height: stored.height,
    logIndex: stored.logIndex,
    capturedBy: stored.capturedBy,
  };
  const event = stored.event as unknown as Record<string, unknown>;
  return {
    ...event,
    eventID: typeof event.eventID === "string" ? event.eventID : stored.eventId,
    recordTime: stored.recordTime,
    "weft:ledger": ledger,
  };
}

/** An `EPCISQueryDocument` (EPCIS 2.0 JSON) holding `events`. */
export function queryDocument(
  events: readonly StoredEpcisEvent[],
  options: { now: number; queryName?: string; subscriptionID?: string },
): Record<string, unknown> {
  return {
    "@context": [EPCIS_CONTEXT, { weft: WEFT_NAMESPACE }],
    type: "EPCISQueryDocument",
    schemaVersion: EPCIS_VERSION,
    creationDate: new Date(options.now).toISOString(),
    epcisBody: {
      queryResults: {
        queryName: options.queryName ?? "SimpleEventQuery",
        ...(options.subscriptionID ? { subscriptionID: options.subscriptionID } : {}),
        resultsBody: { eventList: events.map(resultEvent) },
      },
    },
  };
}
