/**
 * EPCIS 2.0 SimpleEventQuery over the node-local indexes.
 *
 * Every parameter becomes a condition: an OR of postings `[kind, value]` (exact values, or a value
 * prefix for EPC patterns and `WD_` hierarchies), possibly negated (EXISTS_errorDeclaration false).
 * Times become bounds: eventTime on the posting keys, recordTime on the event position `seq` (seq
 * order is recordTime order). Plan:
 * - collect: count each condition's postings (capped at COLLECT_CAP, identifiers first) and take the
 *   smallest; collect its keys, sort them in the requested order and check the other conditions per
 *   candidate with `doesExist` on the exact posting key (it carries eventTime and seq); events are
 *   read only for prefix conditions and for the page itself;
 * - stream: nothing is that selective: walk one exact condition's postings in the requested order,
 *   merging its values (eventTime: the postings themselves; recordTime: the seq-ordered copies of
 *   category kinds), checking the others, until the page is full;
 * - scan: otherwise walk the global eventTime (`["t", et, seq]`) or recordTime (`["r", seq]`) index.
 * Paging: the first page fixes a high-water seq; later pages never see events indexed after it, so
 * pages stay consistent (no duplicates, no gaps) while new blocks commit. The cursor carries that
 * bound, the last position, the count returned so far (eventCountLimit) and a fingerprint of the
 * query.
 */
import { sha256Hex } from "@weft/core";
import { canonicalIdentifier } from "@weft/epcis";
import type { EventPage, SimpleEventQuery, StoredEpcisEvent } from "./api.js";
import { TraceError } from "./errors.js";
import { type EventFacts, eventFacts, idKey, keyValue, vocabKey } from "./facts.js";
import { eventIdHex } from "./ids.js";
import {
  type EventRow,
  HIGH,
  type Key,
  MAX_T,
  MIN_T,
  SEQ_ORDERED_KINDS,
  type TraceDbs,
} from "./index-keys.js";
import { storedEventOf } from "./indexer.js";

/** Largest driver posting list that is collected and sorted in memory. */
export const COLLECT_CAP = 5_000;
/** A prefix with fewer distinct values than this is replaced by them (exact postings). */
const EXPAND_PREFIX_MAX = 256;
/** Largest list collected when only prefix conditions (patterns, WD_) could drive the query. */
export const PREFIX_COLLECT_CAP = 500_000;
export const MAX_PER_PAGE = 10_000;

interface Alt {
  kind: string;
  /** Exact value (keyValue form) … */
  value?: string;
  /** … or a prefix of values. */
  prefix?: string;
}

interface Cond {
  name: string;
  alts: Alt[];
  /** Matches events having none of the alternatives. */
  negate?: boolean;
  /** Lower is tried first as driver (identifiers are usually the most selective). */
  rank: number;
}

interface Bounds {
  etLo: number;
  etHi: number;
  seqLo: number;
  seqHi: number;
}

interface Position {
  t: number;
  s: number;
}

interface Cursor {
  v: 1;
  f: string;
  hw: number;
  n: number;
  p: [number, number];
}

const bad = (message: string, field?: string) =>
  new TraceError({ code: "TRACE_BAD_QUERY", message, ...(field ? { field } : {}) });

const GLN_ONLY = /^https:\/\/id\.gs1\.org\/414\/\d{13}$/;

function exactAlts(kinds: readonly string[], values: readonly string[]): Alt[] {
  return kinds.flatMap((kind) => values.map((value) => ({ kind, value: keyValue(value) })));
}

/** MATCH_ values: identifiers in any GS1 spelling, or EPC pattern URIs (`urn:epc:idpat:sgtin:…*`). */
function identifierAlts(kinds: readonly string[], values: readonly string[], field: string): Alt[] {
  const alts: Alt[] = [];
  for (const v of values) {
    if (!v.includes("*")) {
      alts.push(...exactAlts(kinds, [idKey(v)]));
      continue;
    }
    let base: string;
    try {
      base = canonicalIdentifier(v);
    } catch (e) {
      throw bad(
        `${field}: ${JSON.stringify(v)} is not a supported EPC pattern (${(e as Error).message})`,
        field,
      );
    }
    // The class itself (a GTIN in a quantity list) and everything under it (serials, lots).
    for (const kind of kinds) alts.push({ kind, value: base }, { kind, prefix: `${base}/` });
  }
  return alts;
}

/**
 * WD_ (location "with descendants") without master data: a GLN includes its SGLN extensions
 * (`414/<gln>` → `414/<gln>/254/*`); any other location matches exactly.
 */
function locationAlts(kind: string, values: readonly string[]): Alt[] {
  return values.flatMap((v) => {
    const base = idKey(v);
    return GLN_ONLY.test(base)
      ? [
          { kind, value: base },
          { kind, prefix: `${base}/254/` },
        ]
      : [{ kind, value: base }];
  });
}

function eventIdAlts(values: readonly string[]): Alt[] {
  return values.map((v) => {
    const hex = eventIdHex(v);
    return hex === undefined ? { kind: "alias", value: keyValue(v) } : { kind: "id", value: hex };
  });
}

function time(value: string | undefined, field: string, fallback: number): number {
  if (value === undefined) return fallback;
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw bad(`${field}: ${JSON.stringify(value)} is not an RFC 3339 date-time`, field);
  return ms;
}

const nonEmpty = (v: readonly string[] | undefined): v is readonly string[] =>
  v !== undefined && v.length > 0;

/** The query's conditions (empty lists are treated as absent). */
export function conditions(q: SimpleEventQuery): Cond[] {
  const conds: Cond[] = [];
  const add = (name: string, rank: number, alts: Alt[]) => conds.push({ name, rank, alts });
  if (nonEmpty(q.EQ_eventID)) add("EQ_eventID", 0, eventIdAlts(q.EQ_eventID));
  if (nonEmpty(q.MATCH_epc)) add("MATCH_epc", 1, identifierAlts(["epc"], q.MATCH_epc, "MATCH_epc"));
  if (nonEmpty(q.MATCH_parentID))
    add("MATCH_parentID", 1, identifierAlts(["parent"], q.MATCH_parentID, "MATCH_parentID"));
  if (nonEmpty(q.MATCH_inputEPC))
    add("MATCH_inputEPC", 1, identifierAlts(["input"], q.MATCH_inputEPC, "MATCH_inputEPC"));
  if (nonEmpty(q.MATCH_outputEPC))
    add("MATCH_outputEPC", 1, identifierAlts(["output"], q.MATCH_outputEPC, "MATCH_outputEPC"));
  if (nonEmpty(q.MATCH_anyEPC))
    add(
      "MATCH_anyEPC",
      2,
      identifierAlts(["epc", "parent", "input", "output"], q.MATCH_anyEPC, "MATCH_anyEPC"),
    );
  if (nonEmpty(q.MATCH_epcClass))
    add("MATCH_epcClass", 2, identifierAlts(["qty"], q.MATCH_epcClass, "MATCH_epcClass"));
  if (nonEmpty(q.MATCH_anyEPCClass))
    add(
      "MATCH_anyEPCClass",
      2,
      identifierAlts(["qty", "inqty", "outqty"], q.MATCH_anyEPCClass, "MATCH_anyEPCClass"),
    );
  if (nonEmpty(q.EQ_transformationID))
    add("EQ_transformationID", 1, exactAlts(["tid"], q.EQ_transformationID.map(idKey)));
  if (nonEmpty(q.EQ_deviceID)) add("EQ_deviceID", 3, exactAlts(["dev"], q.EQ_deviceID.map(idKey)));
  if (nonEmpty(q.EQ_bizLocation)) add("EQ_bizLocation", 4, exactAlts(["loc"], q.EQ_bizLocation.map(idKey)));
  if (nonEmpty(q.WD_bizLocation)) add("WD_bizLocation", 4, locationAlts("loc", q.WD_bizLocation));
  if (nonEmpty(q.EQ_readPoint)) add("EQ_readPoint", 4, exactAlts(["rp"], q.EQ_readPoint.map(idKey)));
  if (nonEmpty(q.WD_readPoint)) add("WD_readPoint", 4, locationAlts("rp", q.WD_readPoint));
  if (nonEmpty(q.EQ_bizStep))
    add(
      "EQ_bizStep",
      5,
      exactAlts(
        ["step"],
        q.EQ_bizStep.map((v) => vocabKey("bizStep", v)),
      ),
    );
  if (nonEmpty(q.EQ_disposition))
    add(
      "EQ_disposition",
      5,
      exactAlts(
        ["disp"],
        q.EQ_disposition.map((v) => vocabKey("disposition", v)),
      ),
    );
  if (q.EXISTS_errorDeclaration !== undefined) {
    conds.push({
      name: "EXISTS_errorDeclaration",
      rank: 5,
      alts: [{ kind: "err", value: "1" }],
      ...(q.EXISTS_errorDeclaration ? {} : { negate: true }),
    });
  }
  if (nonEmpty(q.EQ_action)) add("EQ_action", 6, exactAlts(["action"], q.EQ_action));
  if (nonEmpty(q.eventTypes)) add("eventTypes", 6, exactAlts(["type"], q.eventTypes));
  return conds;
}

/** The values an event has for a posting kind (what the indexer wrote for it). */
function factValues(facts: EventFacts, row: EventRow, kind: string): string[] {
  const one = (v: string | undefined) => (v === undefined ? [] : [keyValue(v)]);
  switch (kind) {
    case "id":
      return [row.i];
    case "alias":
      return one(facts.declaredEventID);
    case "type":
      return [facts.type];
    case "action":
      return one(facts.action);
    case "step":
      return one(facts.bizStep);
    case "disp":
      return one(facts.disposition);
    case "rp":
      return one(facts.readPoint);
    case "loc":
      return one(facts.bizLocation);
    case "tid":
      return one(facts.transformationID);
    case "dev":
      return facts.deviceIDs.map(keyValue);
    case "err":
      return facts.declaration ? ["1"] : [];
    default:
      return facts.ids.filter((x) => x.role === kind).map((x) => keyValue(x.id));
  }
}

function altMatches(alt: Alt, values: readonly string[]): boolean {
  return values.some((v) => (alt.value !== undefined ? v === alt.value : v.startsWith(alt.prefix as string)));
}

const exactOnly = (c: Cond) => c.alts.every((a) => a.value !== undefined);

function fingerprint(q: SimpleEventQuery): string {
  const entries = Object.entries(q)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return sha256Hex(JSON.stringify(entries)).slice(0, 16);
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c)).toString("base64url");
}

function decodeCursor(text: string, f: string): Cursor {
  let c: Cursor;
  try {
    c = JSON.parse(Buffer.from(text, "base64url").toString("utf8")) as Cursor;
  } catch {
    throw bad("cursor is not one this node issued", "cursor");
  }
  if (
    c?.v !== 1 ||
    typeof c.hw !== "number" ||
    typeof c.n !== "number" ||
    !Array.isArray(c.p) ||
    typeof c.p[0] !== "number" ||
    typeof c.p[1] !== "number"
  )
    throw bad("cursor is not one this node issued", "cursor");
  if (c.f !== f) throw bad("cursor belongs to a different query", "cursor");
  return c;
}

export class EventQuery {
  constructor(
    private readonly dbs: TraceDbs,
    /** One past the highest indexed seq. */
    private readonly nextSeq: () => number,
    /** Tests lower these to exercise every plan. */
    private readonly tuning: { collectCap?: number; expandPrefixMax?: number } = {},
  ) {}

  private get collectCap(): number {
    return this.tuning.collectCap ?? COLLECT_CAP;
  }

  run(q: SimpleEventQuery, page: { perPage: number; cursor?: string }): EventPage {
    if (!Number.isInteger(page.perPage) || page.perPage < 1 || page.perPage > MAX_PER_PAGE)
      throw bad(`perPage must be an integer from 1 to ${MAX_PER_PAGE}`, "perPage");
    if (q.eventCountLimit !== undefined && (!Number.isInteger(q.eventCountLimit) || q.eventCountLimit < 1))
      throw bad("eventCountLimit must be a positive integer", "eventCountLimit");
    const f = fingerprint(q);
    const cursor = page.cursor === undefined ? undefined : decodeCursor(page.cursor, f);
    const byEventTime = (q.orderBy ?? "recordTime") === "eventTime";
    const desc = q.orderDirection === "DESC";
    const hw = cursor?.hw ?? this.nextSeq();
    const returned = cursor?.n ?? 0;
    const limit =
      q.eventCountLimit === undefined ? page.perPage : Math.min(page.perPage, q.eventCountLimit - returned);
    const bounds: Bounds = {
      etLo: time(q.GE_eventTime, "GE_eventTime", MIN_T),
      etHi: time(q.LT_eventTime, "LT_eventTime", MAX_T),
      seqLo: this.seqAt(time(q.GE_recordTime, "GE_recordTime", MIN_T), hw),
      seqHi: Math.min(hw, this.seqAt(time(q.LT_recordTime, "LT_recordTime", MAX_T), hw)),
    };
    const conds = conditions(q).map((c) => this.expandPrefixes(c));
    const after: Position | undefined = cursor ? { t: cursor.p[0], s: cursor.p[1] } : undefined;
    const found: { pos: Position; row: EventRow }[] = [];
    if (limit > 0 && bounds.seqLo < bounds.seqHi && bounds.etLo < bounds.etHi) {
      const want = limit + 1;
      const plan = this.plan(conds, bounds, byEventTime);
      const driver = plan.driver;
      const candidates =
        plan.kind === "collect"
          ? this.collected(plan.driver, bounds, byEventTime, desc, after)
          : plan.kind === "stream"
            ? this.streamed(plan.driver, bounds, byEventTime, desc, after)
            : byEventTime
              ? this.byEventTime(bounds, desc, after)
              : this.byRecordTime(bounds, desc, after);
      const others = conds.filter((c) => c !== driver);
      for (const pos of candidates) {
        const row = this.check(others, pos);
        if (row === undefined) continue;
        found.push({ pos, row });
        if (found.length >= want) break;
      }
    }
    const events: StoredEpcisEvent[] = found.slice(0, limit).map(({ pos, row }) => storedEventOf(pos.s, row));
    const total = returned + events.length;
    const more =
      found.length > limit &&
      (q.eventCountLimit === undefined || total < q.eventCountLimit) &&
      events.length > 0;
    if (!more) return { events };
    const lastPos = (found[limit - 1] as { pos: Position }).pos;
    return { events, nextCursor: encodeCursor({ v: 1, f, hw, n: total, p: [lastPos.t, lastPos.s] }) };
  }

  /**
   * Replaces a prefix alternative by the distinct values under it when there are few (a site's
   * SGLN extensions): found by skip-scanning the postings (one seek per value), so the condition
   * becomes exact and can be point-checked or walked in order.
   */
  private expandPrefixes(c: Cond): Cond {
    if (c.alts.every((a) => a.value !== undefined)) return c;
    const alts: Alt[] = [];
    const seen = new Set<string>();
    const max = this.tuning.expandPrefixMax ?? EXPAND_PREFIX_MAX;
    for (const alt of c.alts) {
      if (alt.value !== undefined) {
        if (!seen.has(`${alt.kind} ${alt.value}`)) alts.push(alt);
        seen.add(`${alt.kind} ${alt.value}`);
        continue;
      }
      const prefix = alt.prefix as string;
      const values: string[] = [];
      let start: Key = [alt.kind, prefix];
      for (;;) {
        let next: string | undefined;
        for (const key of this.dbs.index.getKeys({ start, end: [alt.kind, `${prefix}${HIGH}`], limit: 1 }))
          next = key[1] as string;
        if (next === undefined || values.length >= max) break;
        values.push(next);
        start = [alt.kind, next, HIGH];
      }
      if (values.length >= max) {
        alts.push(alt);
        continue;
      }
      for (const value of values) {
        if (seen.has(`${alt.kind} ${value}`)) continue;
        seen.add(`${alt.kind} ${value}`);
        alts.push({ kind: alt.kind, value });
      }
    }
    return { ...c, alts };
  }

  /** The first seq committed at or after `ms` (record time), or `hw` when none. */
  private seqAt(ms: number, hw: number): number {
    if (ms === MIN_T) return 0;
    if (ms === MAX_T) return hw;
    for (const { value } of this.dbs.index.getRange({ start: ["b", ms], end: ["b", HIGH], limit: 1 }))
      return value as number;
    return hw;
  }

  private altRange(alt: Alt, b: Bounds): { start: Key; end: Key } {
    return alt.value !== undefined
      ? { start: [alt.kind, alt.value, b.etLo], end: [alt.kind, alt.value, b.etHi] }
      : { start: [alt.kind, alt.prefix as string], end: [alt.kind, `${alt.prefix}${HIGH}`] };
  }

  /**
   * collect: the smallest posting list has at most collectCap entries; stream: walk one exact
   * condition's postings in the requested order (eventTime: any; recordTime: the seq-ordered
   * category kinds); scan: walk every event in order.
   */
  private plan(
    conds: readonly Cond[],
    b: Bounds,
    byEventTime: boolean,
  ): { kind: "collect" | "stream"; driver: Cond } | { kind: "scan"; driver?: undefined } {
    let best: Cond | undefined;
    let bestCount = this.collectCap + 1;
    const ranked = [...conds].sort((x, y) => x.rank - y.rank);
    for (const c of ranked) {
      if (c.negate) continue;
      let n = 0;
      for (const alt of c.alts) {
        for (const _ of this.dbs.index.getKeys({ ...this.altRange(alt, b), limit: bestCount - n })) n++;
        if (n >= bestCount) break;
      }
      if (n < bestCount) {
        best = c;
        bestCount = n;
      }
    }
    if (best) return { kind: "collect", driver: best };
    const streamable = ranked.find(
      (c) => !c.negate && exactOnly(c) && (byEventTime || c.alts.every((a) => SEQ_ORDERED_KINDS.has(a.kind))),
    );
    if (streamable) return { kind: "stream", driver: streamable };
    // Only prefix conditions (EPC patterns, WD_): collecting a large list beats reading every event.
    const prefix = ranked.find((c) => !c.negate && c.alts.length > 0);
    if (prefix) {
      let n = 0;
      for (const alt of prefix.alts) {
        for (const _ of this.dbs.index.getKeys({
          ...this.altRange(alt, b),
          limit: PREFIX_COLLECT_CAP + 1 - n,
        }))
          n++;
        if (n > PREFIX_COLLECT_CAP) break;
      }
      if (n <= PREFIX_COLLECT_CAP) return { kind: "collect", driver: prefix };
    }
    return { kind: "scan" };
  }

  /** The driver's postings merged in the requested order, after the cursor (one stream per value). */
  private *streamed(
    driver: Cond,
    b: Bounds,
    byEventTime: boolean,
    desc: boolean,
    after?: Position,
  ): Generator<Position> {
    const streams = driver.alts.map((alt) =>
      byEventTime ? this.altByEventTime(alt, b, desc, after) : this.altByRecordTime(alt, b, desc, after),
    );
    const sign = desc ? -1 : 1;
    const cmp = byEventTime
      ? (x: Position, y: Position) => sign * (x.t - y.t || x.s - y.s)
      : (x: Position, y: Position) => sign * (x.s - y.s);
    const heads = streams.map((st) => st.next());
    let last: Position | undefined;
    for (;;) {
      let pick = -1;
      for (let i = 0; i < heads.length; i++) {
        const h = heads[i] as IteratorResult<Position>;
        if (h.done) continue;
        if (pick < 0 || cmp(h.value, (heads[pick] as IteratorYieldResult<Position>).value) < 0) pick = i;
      }
      if (pick < 0) return;
      const pos = (heads[pick] as IteratorYieldResult<Position>).value;
      heads[pick] = (streams[pick] as Generator<Position>).next();
      if (last !== undefined && last.s === pos.s) continue;
      last = pos;
      yield pos;
    }
  }

  private *altByEventTime(alt: Alt, b: Bounds, desc: boolean, after?: Position): Generator<Position> {
    const k = alt.kind;
    const v = alt.value as string;
    const range = desc
      ? { start: after ? [k, v, after.t, after.s - 0.5] : [k, v, b.etHi], end: [k, v, b.etLo], reverse: true }
      : { start: after ? [k, v, after.t, after.s + 0.5] : [k, v, b.etLo], end: [k, v, b.etHi] };
    for (const key of this.dbs.index.getKeys(range)) {
      const t = key[2] as number;
      const s = key[3] as number;
      if (this.inBounds(t, s, b)) yield { t, s };
    }
  }

  private *altByRecordTime(alt: Alt, b: Bounds, desc: boolean, after?: Position): Generator<Position> {
    const k = `${alt.kind}/s`;
    const v = alt.value as string;
    const range = desc
      ? {
          start: [k, v, Math.min(b.seqHi, after ? after.s : b.seqHi) - 0.5],
          end: [k, v, b.seqLo - 0.5],
          reverse: true,
        }
      : { start: [k, v, Math.max(b.seqLo, after ? after.s + 1 : b.seqLo)], end: [k, v, b.seqHi] };
    for (const { key, value } of this.dbs.index.getRange(range)) {
      const s = key[2] as number;
      const t = value as number;
      if (this.inBounds(t, s, b)) yield { t, s };
    }
  }

  private inBounds(t: number, s: number, b: Bounds): boolean {
    return t >= b.etLo && t < b.etHi && s >= b.seqLo && s < b.seqHi;
  }

  /** The driver's postings in the requested order, after the cursor. */
  private collected(
    driver: Cond,
    b: Bounds,
    byEventTime: boolean,
    desc: boolean,
    after?: Position,
  ): Position[] {
    const seen = new Map<number, number>();
    for (const alt of driver.alts) {
      for (const key of this.dbs.index.getKeys(this.altRange(alt, b))) {
        const t = key[2] as number;
        const s = key[3] as number;
        if (this.inBounds(t, s, b)) seen.set(s, t);
      }
    }
    const cmp = byEventTime
      ? (x: Position, y: Position) => x.t - y.t || x.s - y.s
      : (x: Position, y: Position) => x.s - y.s;
    const sign = desc ? -1 : 1;
    const list = [...seen].map(([s, t]) => ({ t, s }));
    const out = after ? list.filter((p) => sign * cmp(p, after) > 0) : list;
    return out.sort((x, y) => sign * cmp(x, y));
  }

  private *byEventTime(b: Bounds, desc: boolean, after?: Position): Generator<Position> {
    const lo: Key = ["t", b.etLo];
    const hi: Key = ["t", b.etHi];
    const range = desc
      ? { start: after ? ["t", after.t, after.s - 0.5] : hi, end: lo, reverse: true }
      : { start: after ? ["t", after.t, after.s + 0.5] : lo, end: hi };
    for (const key of this.dbs.index.getKeys(range)) {
      const t = key[1] as number;
      const s = key[2] as number;
      if (this.inBounds(t, s, b)) yield { t, s };
    }
  }

  private *byRecordTime(b: Bounds, desc: boolean, after?: Position): Generator<Position> {
    const range = desc
      ? {
          start: ["r", Math.min(b.seqHi, after ? after.s : b.seqHi) - 0.5],
          end: ["r", b.seqLo - 0.5],
          reverse: true,
        }
      : { start: ["r", Math.max(b.seqLo, after ? after.s + 1 : b.seqLo)], end: ["r", b.seqHi] };
    for (const { key, value } of this.dbs.index.getRange(range)) {
      const s = key[1] as number;
      const t = value as number;
      if (this.inBounds(t, s, b)) yield { t, s };
    }
  }

  /** The event's row when it meets every condition, else undefined. */
  private check(conds: readonly Cond[], pos: Position): EventRow | undefined {
    let row: EventRow | undefined;
    let facts: EventFacts | undefined;
    for (const c of conds) {
      let hit: boolean;
      if (exactOnly(c)) {
        hit = c.alts.some((a) => this.dbs.index.doesExist([a.kind, a.value as string, pos.t, pos.s]));
      } else {
        row ??= this.dbs.events.get(pos.s);
        if (row === undefined) return undefined;
        facts ??= eventFacts(JSON.parse(row.e));
        const f = facts;
        const r = row;
        hit = c.alts.some((a) => altMatches(a, factValues(f, r, a.kind)));
      }
      if (hit === Boolean(c.negate)) return undefined;
    }
    return row ?? this.dbs.events.get(pos.s);
  }
}
