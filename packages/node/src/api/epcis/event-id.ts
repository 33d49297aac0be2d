import { eventHash } from "@weft/epcis";
import { standaloneEvent } from "../../modules/trace/capture.js";

/**
 * The ledger id of an event of a capture document, computed exactly as `trace.capture` does: the
 * CBV 2.0 event hash of the event made standalone with the document's `@context`.
 */
export function ledgerEventId(event: object, documentContext: unknown): string {
  const standalone = standaloneEvent(documentContext, event as Record<string, unknown>);
  return eventHash(standalone as Parameters<typeof eventHash>[0]);
}

/** `trace/event/<hex>` and `trace/declared/<hex>`: the on-chain records of an event id. */
export function eventStateKeys(eventId: string): { event: string; declared: string } | undefined {
  const m = /^ni:\/\/\/sha-256;([0-9a-f]{64})\?ver=CBV2\.0$/.exec(eventId);
  if (!m) return undefined;
  return { event: `trace/event/${m[1]}`, declared: `trace/declared/${m[1]}` };
}
