/**
 * Layout of the trace module's node-local indexes: four LMDB sub-databases opened with
 * `ChainStore.openRepository` (not in the state root; rebuilt from committed blocks).
 *
 * `seq` is the log index of the event's `trace.EventCaptured` chain event: unique, and increasing
 * with commit order, so seq order is recordTime order. `et` is eventTime in ms since the epoch.
 *
 * trace-events   seq → EventRow (the event's JSON text and where it was committed)
 * trace-index    [kind, value, et, seq] → null     postings, one per (kind, value) of an event:
 *                  id (hash hex) · alias (document eventID) · type · action · step (bizStep) ·
 *                  disp (disposition) · rp (readPoint) · loc (bizLocation) · tid (transformationID) ·
 *                  dev (sensor deviceID) · err ("1": carries errorDeclaration) · roles of identifiers:
 *                  epc · parent · input · output · qty · inqty · outqty · touch (children a DELETE
 *                  without childEPCs took out of their parent; item status only)
 *                ["<kind>/s", value, seq] → et     the same postings in seq (recordTime) order, for the
 *                                                  category kinds (SEQ_ORDERED_KINDS), whose lists are long
 *                ["t", et, seq] → null             every event by eventTime
 *                ["r", seq] → et                   every event by recordTime
 *                ["b", recordTimeMs, height] → first seq of the block (GE_/LT_recordTime → seq bounds)
 *                ["decl", hex, seq] → null         error declarations of an event id
 *                ["corr", correctiveEventID, seq] → null  declarations naming a corrective event
 *                ["anchor", hex] → AnchorRow       hash-only captures
 *                ["meta", "height"] → indexed height
 * trace-edges    ["d", from, to, seq] → EdgeRow    genealogy, downstream (what went in → what came out)
 *                ["u", to, from, seq] → EdgeRow    the same edge read upstream
 *                A small transformation (n inputs × m outputs ≤ 64) gets direct edges; a larger one,
 *                or one with a transformationID, goes through a hub node (`#T <transformationID>` or
 *                `#E <hex>`) so it costs n + m edges and events sharing a transformationID join.
 * trace-status   canonical identifier → StatusRow  latest status fields, each with its (et, seq)
 */
import type { Database } from "lmdb";
import type { ChainStore } from "../../storage/chain-store.js";

export type Key = (string | number)[];

export interface EventRow {
  /** Hash hex (ledger id). */
  i: string;
  h: number;
  /** Transaction hash. */
  x: string;
  /** Captured by (address). */
  b: string;
  /** Record time (block time), ms. */
  r: number;
  /** eventTime, ms. */
  t: number;
  /** The event's JSON text. */
  e: string;
  /** 1: carries errorDeclaration. */
  d?: 1;
  /** Disclosure of an anchor: [anchoredBy, height]. */
  a?: [string, number];
}

export interface AnchorRow {
  by: string;
  h: number;
  seq: number;
  r: number;
}

/**
 * [kind, event hash hex, from is instance-level (1/0), to is instance-level (1/0)];
 * kind a(ggregation), s (association), t(ransformation).
 */
export type EdgeRow = [string, string, number, number];

export interface Stamp {
  t: number;
  s: number;
}
export interface Stamped<V> extends Stamp {
  v: V;
}

export interface StatusRow {
  /** Earliest commissioning event: hex, eventTime text. */
  c?: Stamped<[string, string]>;
  /** Latest event: hex, eventTime text, bizStep, disposition. */
  l?: Stamped<[string, string, string | null, string | null]>;
  disp?: Stamped<string>;
  /** persistent disposition → set (true) or unset (false), latest per disposition. */
  pd?: Record<string, Stamped<boolean>>;
  own?: Stamped<string>;
  pos?: Stamped<string>;
  loc?: Stamped<string>;
  rp?: Stamped<string>;
  /** Current container; null after a DELETE. */
  par?: Stamped<string | null>;
}

export interface TraceDbs {
  events: Database<EventRow, number>;
  index: Database<unknown, Key>;
  edges: Database<EdgeRow, Key>;
  status: Database<StatusRow, string>;
}

export function openTraceDbs(store: ChainStore): TraceDbs {
  return {
    events: store.openRepository<EventRow, number>("trace-events"),
    index: store.openRepository<unknown, Key>("trace-index"),
    edges: store.openRepository<EdgeRow, Key>("trace-edges"),
    status: store.openRepository<StatusRow, string>("trace-status"),
  };
}

/** Upper bound for string components in range ends. */
export const HIGH = "\uffff";
export const MAX_T = Number.MAX_SAFE_INTEGER;
export const MIN_T = -Number.MAX_SAFE_INTEGER;

export const META_HEIGHT: Key = ["meta", "height"];
export const posting = (kind: string, value: string, et: number, seq: number): Key => [kind, value, et, seq];
/** Posting kinds that also get a seq-ordered copy. */
export const SEQ_ORDERED_KINDS: ReadonlySet<string> = new Set([
  "type",
  "action",
  "step",
  "disp",
  "rp",
  "loc",
  "tid",
  "dev",
  "err",
]);
export const seqPosting = (kind: string, value: string, seq: number): Key => [`${kind}/s`, value, seq];
export const hubOf = (transformationID: string | undefined, hex: string): string =>
  transformationID === undefined ? `#E ${hex}` : `#T ${transformationID}`;
export const isHub = (node: string): boolean => node.startsWith("#");

/** a < b in (t, s) order. */
export const before = (a: Stamp, b: Stamp): boolean => a.t < b.t || (a.t === b.t && a.s < b.s);
