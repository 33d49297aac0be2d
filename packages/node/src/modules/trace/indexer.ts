/**
 * `TraceIndexer`: keeps the trace module's node-local indexes (index-keys.ts) in step with committed
 * blocks. It listens to `Application.onCommit` and writes each block's EPCIS events in one LMDB
 * transaction together with the `indexedHeight` marker; on start it catches up from the stored
 * results (`ChainStore.eventPositions`, `results`) above the marker, so a dropped index is rebuilt
 * from the chain (as Fabric rebuilds its state and history databases).
 */
import { type CanonicalValue, parseJson } from "@weft/core";
import type { EpcisEvent } from "@weft/epcis";
import type { Logger } from "pino";
import type { Application } from "../../app/application.js";
import type { ExecutedBlock } from "../../app/executor.js";
import type { ChainStore } from "../../storage/chain-store.js";
import type { StoredResult } from "../../storage/types.js";
import type { StoredEpcisEvent } from "./api.js";
import { type EventFacts, eventFacts, keyValue, type Role } from "./facts.js";
import { eventIdHex, eventIdOf } from "./ids.js";
import {
  type AnchorRow,
  type EdgeRow,
  type EventRow,
  HIGH,
  hubOf,
  MAX_T,
  META_HEIGHT,
  MIN_T,
  openTraceDbs,
  posting,
  SEQ_ORDERED_KINDS,
  type StatusRow,
  seqPosting,
  type TraceDbs,
} from "./index-keys.js";
import { EVENT_ANCHORED, EVENT_CAPTURED, TRACE_MODULE } from "./module.js";
import { applyEvent } from "./status.js";

/** A `trace` chain event as committed, with where it was committed. */
export interface TraceChainEvent {
  height: number;
  /** Block (BFT) time, ms. */
  time: number;
  txHash: string;
  logIndex: number;
  type: string;
  attributes: { [key: string]: CanonicalValue };
}

type Listener = (events: readonly StoredEpcisEvent[]) => void;

const ALL_ROLES: readonly Role[] = ["epc", "parent", "input", "output", "qty", "inqty", "outqty"];
/** A transformation without transformationID and at most this many input × output pairs gets direct edges. */
const DIRECT_EDGES = 64;
/** Heights whose event positions are read at once while catching up. */
const CATCH_UP_HEIGHTS = 10_000;
/** Events per LMDB transaction while catching up (blocks are never split). */
const CATCH_UP_BATCH = 5_000;

export function traceEventsOf(
  height: number,
  time: number,
  results: readonly StoredResult[],
): TraceChainEvent[] {
  const out: TraceChainEvent[] = [];
  for (const r of results) {
    if (r.receipt.status !== "ok") continue;
    for (const { entry, logIndex } of r.events) {
      if (entry.module !== TRACE_MODULE) continue;
      out.push({
        height,
        time,
        txHash: r.receipt.txHash,
        logIndex,
        type: entry.type,
        attributes: entry.attributes,
      });
    }
  }
  return out;
}

export function storedEventOf(seq: number, row: EventRow): StoredEpcisEvent {
  return {
    eventId: eventIdOf(row.i),
    event: JSON.parse(row.e) as EpcisEvent,
    eventJson: row.e,
    recordTime: new Date(row.r).toISOString(),
    height: row.h,
    txHash: row.x,
    capturedBy: row.b,
    logIndex: seq,
    ...(row.a ? { anchor: { anchoredBy: row.a[0], height: row.a[1] } } : {}),
  };
}

export class TraceIndexer {
  readonly dbs: TraceDbs;
  private indexed = 0;
  private queue: Promise<void> = Promise.resolve();
  private live = false;
  private closed = false;
  private readonly listeners = new Set<Listener>();
  private readonly waiters: { height: number; resolve: () => void }[] = [];
  /** Hashes of events with an error declaration (few; kept in memory for genealogy walks). */
  private readonly declaredIds = new Set<string>();

  constructor(
    private readonly store: ChainStore,
    private readonly log?: Logger,
  ) {
    this.dbs = openTraceDbs(store);
    this.loadMarker();
  }

  /** Subscribes to committed blocks and catches up from the store; resolves when caught up. */
  start(app?: Application): Promise<void> {
    app?.onCommit((executed) => this.committed(executed));
    return this.enqueue(async () => {
      if (this.indexed > (this.store.head()?.height ?? 0)) await this.clear();
      await this.catchUp(this.store.head()?.height ?? 0);
      this.live = true;
    });
  }

  indexedHeight(): number {
    return this.indexed;
  }

  /** True when an error declaration of the event with this hash is indexed. */
  isDeclared(hex: string): boolean {
    return this.declaredIds.has(hex);
  }

  /** One past the highest indexed event position. */
  nextSeq(): number {
    // From the committed index itself: exactly what a read can see now.
    for (const seq of this.dbs.events.getKeys({ reverse: true, limit: 1 })) return seq + 1;
    return 0;
  }

  /** Resolves once blocks up to `height` (default: the store's head) are indexed. */
  whenIndexed(height = this.store.head()?.height ?? 0): Promise<void> {
    if (this.indexed >= height) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ height, resolve }));
  }

  onCommitted(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Drops every trace index and rebuilds it from the committed blocks. */
  rebuild(): Promise<void> {
    return this.enqueue(async () => {
      await this.clear();
      await this.catchUp(this.store.head()?.height ?? 0);
    });
  }

  /** Waits for pending index writes; later commits are ignored. Call before closing the store. */
  async close(): Promise<void> {
    this.closed = true;
    await this.queue;
  }

  private loadMarker(): void {
    this.indexed = (this.dbs.index.get(META_HEIGHT) as number | undefined) ?? 0;
    this.declaredIds.clear();
    for (const key of this.dbs.index.getKeys({ start: ["decl"], end: ["decl", HIGH] }))
      this.declaredIds.add(key[1] as string);
  }

  private async clear(): Promise<void> {
    const { events, index, edges, status } = this.dbs;
    await index.transaction(() => {
      for (const db of [events, index, edges, status] as const) db.clearSync();
    });
    this.indexed = 0;
    this.declaredIds.clear();
  }

  private enqueue(job: () => Promise<void>): Promise<void> {
    const run = this.queue.then(job);
    this.queue = run.catch((e: unknown) => {
      this.log?.error(
        { err: e, indexedHeight: this.indexed },
        "trace index update failed; retried at the next block",
      );
    });
    return run;
  }

  private committed(executed: ExecutedBlock): void {
    if (this.closed) return;
    const { height, time, results } = executed.write;
    const events = traceEventsOf(height, time, results);
    void this.enqueue(async () => {
      if (this.closed || height <= this.indexed) return;
      if (height > this.indexed + 1) await this.catchUp(height - 1);
      await this.writeBlocks([{ height, time, events }]);
    }).catch(() => {});
  }

  /** Indexes the stored blocks above the marker up to `to`. */
  private async catchUp(to: number): Promise<void> {
    const from = this.indexed + 1;
    if (from > to) return;
    let batch: { height: number; time: number; events: TraceChainEvent[] }[] = [];
    let size = 0;
    for (let lo = from; lo <= to; lo += CATCH_UP_HEIGHTS) {
      const hi = Math.min(to, lo + CATCH_UP_HEIGHTS - 1);
      const heights = [...new Set(this.store.eventPositions(TRACE_MODULE, lo, hi).map((p) => p.height))];
      for (const height of heights) {
        const results: StoredResult[] = [];
        for (const { value } of this.store.results.getRange({ start: [height, 0], end: [height + 1, 0] }))
          results.push(parseJson(value) as StoredResult);
        const time = this.store.getBlock(height)?.header.time ?? 0;
        const events = traceEventsOf(height, time, results);
        batch.push({ height, time, events });
        size += events.length;
        if (size >= CATCH_UP_BATCH) {
          await this.writeBlocks(batch);
          batch = [];
          size = 0;
        }
      }
    }
    await this.writeBlocks(batch, to);
  }

  /** Writes blocks in one LMDB transaction with the marker; `upTo` marks heights without events. */
  private async writeBlocks(
    blocks: { height: number; time: number; events: TraceChainEvent[] }[],
    upTo?: number,
  ): Promise<void> {
    const last = Math.max(upTo ?? 0, blocks.at(-1)?.height ?? 0);
    const hasEvents = blocks.some((b) => b.events.length > 0);
    const stored: StoredEpcisEvent[] = [];
    if (hasEvents) {
      await this.dbs.index.transaction(() => {
        const w = new BlockWriter(this.dbs, this.declaredIds);
        for (const b of blocks) {
          let first: number | undefined;
          for (const ev of b.events) {
            if (ev.type === EVENT_CAPTURED) {
              const row = w.capture(ev);
              if (row === undefined) continue;
              first ??= ev.logIndex;
              if (this.live) stored.push(storedEventOf(ev.logIndex, row));
            } else if (ev.type === EVENT_ANCHORED) {
              w.anchor(ev);
            }
          }
          if (first !== undefined) this.dbs.index.put(["b", b.time, b.height], first);
        }
        this.dbs.index.put(META_HEIGHT, last);
      });
    }
    this.indexed = Math.max(this.indexed, last);
    for (let i = this.waiters.length - 1; i >= 0; i--) {
      const waiter = this.waiters[i] as { height: number; resolve: () => void };
      if (waiter.height <= this.indexed) {
        this.waiters.splice(i, 1);
        waiter.resolve();
      }
    }
    if (stored.length > 0) {
      for (const listener of this.listeners) {
        try {
          listener(stored);
        } catch (e) {
          this.log?.warn({ err: e }, "trace onCommitted listener failed");
        }
      }
    }
  }
}

/** The writes of one LMDB transaction (reads inside it see its own writes). */
class BlockWriter {
  constructor(
    private readonly dbs: TraceDbs,
    private readonly declaredIds: Set<string>,
  ) {}

  anchor(ev: TraceChainEvent): void {
    const hex = eventIdHex(String(ev.attributes.eventId));
    if (hex === undefined) return;
    const row: AnchorRow = {
      by: String(ev.attributes.anchoredBy),
      h: ev.height,
      seq: ev.logIndex,
      r: ev.time,
    };
    this.dbs.index.put(["anchor", hex], row);
  }

  capture(ev: TraceChainEvent): EventRow | undefined {
    const { index, events } = this.dbs;
    const hex = eventIdHex(String(ev.attributes.eventId));
    const json = ev.attributes.event;
    if (hex === undefined || typeof json !== "string") return undefined;
    const event = JSON.parse(json) as EpcisEvent;
    const facts = eventFacts(event);
    const seq = ev.logIndex;
    const et = facts.eventTimeMs;
    const row: EventRow = {
      i: hex,
      h: ev.height,
      x: ev.txHash,
      b: String(ev.attributes.capturedBy ?? ""),
      r: ev.time,
      t: et,
      e: json,
    };
    if (facts.declaration) row.d = 1;
    if (typeof ev.attributes.anchoredBy === "string")
      row.a = [ev.attributes.anchoredBy, Number(ev.attributes.anchoredAt)];
    events.put(seq, row);

    const post = (kind: string, value: string | undefined) => {
      if (value === undefined) return;
      const v = keyValue(value);
      index.put(posting(kind, v, et, seq), null);
      // Category values have long posting lists: a second, recordTime-ordered copy lets a query
      // walk them in seq order instead of scanning every event.
      if (SEQ_ORDERED_KINDS.has(kind)) index.put(seqPosting(kind, v, seq), et);
    };
    post("id", hex);
    post("alias", facts.declaredEventID);
    post("type", facts.type);
    post("action", facts.action);
    post("step", facts.bizStep);
    post("disp", facts.disposition);
    post("rp", facts.readPoint);
    post("loc", facts.bizLocation);
    post("tid", facts.transformationID);
    for (const d of facts.deviceIDs) post("dev", d);
    if (facts.declaration) post("err", "1");
    for (const { role, id } of facts.ids) post(role, id);
    index.put(["t", et, seq], null);
    index.put(["r", seq], et);

    if (facts.declaration) {
      index.put(["decl", hex, seq], null);
      this.declaredIds.add(hex);
      for (const ref of facts.correctiveEventIDs) index.put(["corr", keyValue(ref), seq], null);
      this.recomputeStatus(facts);
    } else if (!this.declared(hex)) {
      this.edges(facts, hex, seq);
      this.status(facts, hex, seq);
    }
    return row;
  }

  private declared(hex: string): boolean {
    return this.declaredIds.has(hex);
  }

  private edges(facts: EventFacts, hex: string, seq: number): void {
    const put = (from: string, to: string, kind: string, fromInstance: boolean, toInstance: boolean) => {
      const f = keyValue(from);
      const t = keyValue(to);
      const row: EdgeRow = [kind, hex, fromInstance ? 1 : 0, toInstance ? 1 : 0];
      this.dbs.edges.put(["d", f, t, seq], row);
      this.dbs.edges.put(["u", t, f, seq], row);
    };
    if (
      (facts.type === "AggregationEvent" || facts.type === "AssociationEvent") &&
      facts.action !== "DELETE"
    ) {
      const parent = facts.ids.find((x) => x.role === "parent")?.id;
      if (parent === undefined) return;
      const kind = facts.type === "AggregationEvent" ? "a" : "s";
      for (const { role, id } of facts.ids)
        if (role === "epc" || role === "qty") put(id, parent, kind, role === "epc", true);
    } else if (facts.type === "TransformationEvent") {
      const inputs = facts.ids.filter((x) => x.role === "input" || x.role === "inqty");
      const outputs = facts.ids.filter((x) => x.role === "output" || x.role === "outqty");
      if (facts.transformationID === undefined && inputs.length * outputs.length <= DIRECT_EDGES) {
        for (const i of inputs)
          for (const o of outputs) put(i.id, o.id, "t", i.role === "input", o.role === "output");
        return;
      }
      // Through a hub: n + m edges, and events sharing a transformationID meet there.
      const hub = hubOf(facts.transformationID, hex);
      for (const i of inputs) put(i.id, hub, "t", i.role === "input", false);
      for (const o of outputs) put(hub, o.id, "t", false, o.role === "output");
    }
  }

  private rolesById(facts: EventFacts): Map<string, Set<Role | "touch">> {
    const byId = new Map<string, Set<Role | "touch">>();
    for (const { role, id } of facts.ids) {
      const roles = byId.get(id) ?? new Set<Role | "touch">();
      roles.add(role);
      byId.set(id, roles);
    }
    return byId;
  }

  private status(facts: EventFacts, hex: string, seq: number): void {
    const { status } = this.dbs;
    const byId = this.rolesById(facts);
    // An aggregation DELETE without children empties the parent: touch its current children.
    const parent = facts.ids.find((x) => x.role === "parent")?.id;
    if (
      facts.type === "AggregationEvent" &&
      facts.action === "DELETE" &&
      parent !== undefined &&
      !facts.ids.some((x) => x.role === "epc" || x.role === "qty")
    ) {
      for (const { key } of this.dbs.edges.getRange({
        start: ["u", keyValue(parent)],
        end: ["u", keyValue(parent), HIGH],
      })) {
        const child = key[2] as string;
        if (byId.has(child) || status.get(child)?.par?.v !== parent) continue;
        this.dbs.index.put(posting("touch", keyValue(child), facts.eventTimeMs, seq), null);
        byId.set(child, new Set(["touch"]));
      }
    }
    const lookup = (id: string) => status.get(id);
    for (const [id, roles] of byId)
      status.put(id, applyEvent(status.get(id) ?? {}, facts, hex, seq, roles, { id, lookup }));
  }

  /** Folds again every event that names the identifiers of a declared-erroneous event, without it. */
  private recomputeStatus(facts: EventFacts): void {
    const { index, events, status } = this.dbs;
    const ids = new Set(facts.ids.map((x) => x.id));
    for (const id of ids) {
      const found = new Map<number, { t: number; roles: Set<Role | "touch"> }>();
      for (const kind of [...ALL_ROLES, "touch"] as const) {
        for (const key of index.getKeys({
          start: [kind, keyValue(id), MIN_T],
          end: [kind, keyValue(id), MAX_T],
        })) {
          const seq = key[3] as number;
          const entry = found.get(seq) ?? { t: key[2] as number, roles: new Set() };
          entry.roles.add(kind);
          found.set(seq, entry);
        }
      }
      const order = [...found.entries()].sort(([sa, a], [sb, b]) => a.t - b.t || sa - sb);
      let row: StatusRow = {};
      for (const [seq, { roles }] of order) {
        const ev = events.get(seq);
        if (ev === undefined || ev.d === 1 || this.declared(ev.i)) continue;
        row = applyEvent(row, eventFacts(JSON.parse(ev.e) as EpcisEvent), ev.i, seq, roles, {
          id,
          lookup: (other) => (other === id ? undefined : status.get(other)),
        });
      }
      status.put(id, row);
    }
  }
}
