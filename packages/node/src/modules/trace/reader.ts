/** The `TraceReader` over the node-local indexes (committed, indexed data only). */
import type {
  EventAnchor,
  EventCorrections,
  EventPage,
  ItemStatus,
  Lineage,
  LineageDirection,
  Recall,
  SimpleEventQuery,
  StoredEpcisEvent,
  TraceReaderWithLinks,
} from "./api.js";
import { eventFacts, idKey, keyValue } from "./facts.js";
import { Genealogy } from "./genealogy.js";
import { eventIdHex, eventIdOf } from "./ids.js";
import { type AnchorRow, MAX_T, MIN_T, type TraceDbs } from "./index-keys.js";
import { storedEventOf, type TraceIndexer } from "./indexer.js";
import { EventQuery } from "./query.js";
import { itemStatusOf } from "./status.js";

export class LmdbTraceReader implements TraceReaderWithLinks {
  private readonly dbs: TraceDbs;
  private readonly query: EventQuery;

  constructor(
    private readonly indexer: TraceIndexer,
    /** Query planner limits (tests lower them to exercise every plan). */
    options: { collectCap?: number; expandPrefixMax?: number } = {},
  ) {
    this.dbs = indexer.dbs;
    this.query = new EventQuery(this.dbs, () => indexer.nextSeq(), options);
  }

  /** Positions of the events posted under (kind, value), in seq order. */
  private seqs(kind: string, value: string): number[] {
    const out: number[] = [];
    for (const key of this.dbs.index.getKeys({ start: [kind, value, MIN_T], end: [kind, value, MAX_T] }))
      out.push(key[3] as number);
    return out.sort((a, b) => a - b);
  }

  private load(seq: number): StoredEpcisEvent | undefined {
    const row = this.dbs.events.get(seq);
    return row === undefined ? undefined : storedEventOf(seq, row);
  }

  private loadAll(seqs: readonly number[]): StoredEpcisEvent[] {
    return seqs.flatMap((s) => this.load(s) ?? []);
  }

  /** The captured event with this id; when only its error declaration is captured, that. */
  getEvent(eventId: string): StoredEpcisEvent | undefined {
    const hex = eventIdHex(eventId);
    if (hex === undefined) return undefined;
    const seqs = this.seqs("id", hex);
    const original = seqs.find((s) => this.dbs.events.get(s)?.d !== 1);
    const seq = original ?? seqs[0];
    return seq === undefined ? undefined : this.load(seq);
  }

  queryEvents(query: SimpleEventQuery, page: { perPage: number; cursor?: string }): EventPage {
    return this.query.run(query, page);
  }

  lineage(
    identifier: string,
    direction: LineageDirection,
    options?: { maxDepth?: number; maxNodes?: number },
  ): Lineage {
    return new Genealogy(this.dbs, (hex) => this.indexer.isDeclared(hex)).lineage(
      identifier,
      direction,
      options,
    );
  }

  recall(identifier: string): Recall {
    return new Genealogy(this.dbs, (hex) => this.indexer.isDeclared(hex)).recall(identifier);
  }

  itemStatus(identifier: string): ItemStatus | undefined {
    return itemStatusOf(keyValue(idKey(identifier)), (id) => this.dbs.status.get(id));
  }

  onCommitted(listener: (events: readonly StoredEpcisEvent[]) => void): () => void {
    return this.indexer.onCommitted(listener);
  }

  indexedHeight(): number {
    return this.indexer.indexedHeight();
  }

  whenIndexed(height?: number): Promise<void> {
    return this.indexer.whenIndexed(height);
  }

  anchorOf(eventId: string): EventAnchor | undefined {
    const hex = eventIdHex(eventId);
    if (hex === undefined) return undefined;
    const row = this.dbs.index.get(["anchor", hex]) as AnchorRow | undefined;
    if (row === undefined) return undefined;
    return {
      eventId: eventIdOf(hex),
      anchoredBy: row.by,
      height: row.h,
      recordTime: new Date(row.r).toISOString(),
      logIndex: row.seq,
      disclosed: this.seqs("id", hex).some((s) => this.dbs.events.get(s)?.d !== 1),
    };
  }

  corrections(eventId: string): EventCorrections {
    const hex = eventIdHex(eventId);
    const id = hex === undefined ? eventId : eventIdOf(hex);
    const none: EventCorrections = {
      eventId: id,
      declarations: [],
      correctiveEvents: [],
      missingCorrectiveEventIDs: [],
      corrects: [],
    };
    if (hex === undefined) return none;
    const declSeqs: number[] = [];
    for (const key of this.dbs.index.getKeys({ start: ["decl", hex], end: ["decl", hex, MAX_T] }))
      declSeqs.push(key[2] as number);
    const declarations = this.loadAll(declSeqs);
    const refs = [...new Set(declarations.flatMap((d) => eventFacts(d.event).correctiveEventIDs))];
    const corrective = new Set<number>();
    const missing: string[] = [];
    for (const ref of refs) {
      const refHex = eventIdHex(ref);
      const found = refHex === undefined ? this.seqs("alias", keyValue(ref)) : this.seqs("id", refHex);
      if (found.length === 0) missing.push(ref);
      for (const s of found) corrective.add(s);
    }
    // Which declarations name this event (by ledger id or by the eventID its document gave it)?
    const names = new Set([id, eventId]);
    for (const s of this.seqs("id", hex)) {
      const alias = this.load(s)?.event.eventID;
      if (alias !== undefined) names.add(alias);
    }
    const corrects = new Set<string>();
    for (const name of names) {
      for (const key of this.dbs.index.getKeys({
        start: ["corr", keyValue(name)],
        end: ["corr", keyValue(name), MAX_T],
      })) {
        const row = this.dbs.events.get(key[2] as number);
        if (row !== undefined) corrects.add(eventIdOf(row.i));
      }
    }
    return {
      eventId: id,
      declarations,
      correctiveEvents: this.loadAll([...corrective].sort((a, b) => a - b)),
      missingCorrectiveEventIDs: missing,
      corrects: [...corrects].sort(),
    };
  }
}

/** Opens the indexes over a chain store, subscribes to commits and catches up in the background. */
export { TraceIndexer } from "./indexer.js";
