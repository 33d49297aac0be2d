/**
 * What an escrow condition can see of a committed EPCIS event, read from the `trace.EventCaptured`
 * chain event (whose `event` attribute is the event's JSON text, proven by its log entry). Every
 * identifier and CBV value in one canonical spelling (the trace module's), so a condition written
 * with a URN matches an event written with a Digital Link, and `receiving` matches
 * `urn:epcglobal:cbv:bizstep:receiving`.
 */
import type { EpcisEvent } from "@weft/epcis";
import { namespacesOf } from "@weft/epcis";
import type { BlockTxEvent } from "../../app/module.js";
import { eventFacts, idKey, vocabKey } from "../trace/facts.js";
import type { RecordRef } from "./state.js";

export interface TraceRecord {
  ref: RecordRef;
  eventType: string;
  action?: string;
  bizStep?: string;
  disposition?: string;
  bizLocation?: string;
  readPoint?: string;
  /** Canonical EPCs, classes and business transaction ids the event names: the keys escrows wait on. */
  keys: string[];
  bizTransactions: { type?: string; id: string }[];
  /** A sensor report with exception ALARM_CONDITION. */
  alarm: boolean;
}

/** Dispositions that say the goods are not as agreed: the escrow is held for a decision. */
export const HOLD_DISPOSITIONS: ReadonlySet<string> = new Set([
  "non_conformant",
  "damaged",
  "destroyed",
  "stolen",
  "recalled",
]);

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);

/** The record of a `trace.EventCaptured` chain event; undefined for anything else (and for error declarations). */
export function traceRecord(te: BlockTxEvent): TraceRecord | undefined {
  const { event } = te;
  if (event.module !== "trace" || event.type !== "EventCaptured") return undefined;
  const attrs = event.attributes as Record<string, unknown>;
  if (attrs.errorDeclaration === "true" || typeof attrs.event !== "string") return undefined;
  const json = JSON.parse(attrs.event) as Json;
  const facts = eventFacts(json as unknown as EpcisEvent);
  const ns = namespacesOf(json["@context"]);
  const bizTransactions: TraceRecord["bizTransactions"] = [];
  for (const bt of Array.isArray(json.bizTransactionList) ? json.bizTransactionList : []) {
    if (!isObject(bt) || typeof bt.bizTransaction !== "string") continue;
    bizTransactions.push({
      id: idKey(bt.bizTransaction),
      ...(typeof bt.type === "string" ? { type: vocabKey("bizTransactionType", bt.type, ns) } : {}),
    });
  }
  const keys = [...new Set([...facts.ids.map((i) => i.id), ...bizTransactions.map((b) => b.id)])];
  const record: TraceRecord = {
    ref: {
      height: event.height,
      txHash: te.txHash,
      logIndex: te.logIndex,
      eventId: attrs.eventId as string,
    },
    eventType: facts.type,
    keys,
    bizTransactions,
    alarm: hasAlarm(json, ns),
  };
  if (facts.action !== undefined) record.action = facts.action;
  if (facts.bizStep !== undefined) record.bizStep = facts.bizStep;
  if (facts.disposition !== undefined) record.disposition = facts.disposition;
  if (facts.bizLocation !== undefined) record.bizLocation = facts.bizLocation;
  if (facts.readPoint !== undefined) record.readPoint = facts.readPoint;
  return record;
}

function hasAlarm(json: Json, ns: ReturnType<typeof namespacesOf>): boolean {
  for (const element of Array.isArray(json.sensorElementList) ? json.sensorElementList : []) {
    if (!isObject(element)) continue;
    for (const report of Array.isArray(element.sensorReport) ? element.sensorReport : []) {
      if (
        isObject(report) &&
        typeof report.exception === "string" &&
        vocabKey("sensorAlertType", report.exception, ns) === "ALARM_CONDITION"
      )
        return true;
    }
  }
  return false;
}
