import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SimpleEventQuery, StoredEpcisEvent } from "../../src/modules/trace/api.js";
import { LmdbTraceReader, TraceIndexer } from "../../src/modules/trace/reader.js";
import { epcisDocument, G, type Json, objectEvent, queryDataset } from "../support/epcis.js";
import { createTraceChain, type TraceChain } from "../support/epcis-chain.js";

const shipping = (n: number, fields: Json = {}) =>
  objectEvent({ epcList: [G.jacket(100 + n)], bizStep: "shipping", ...fields });
const serials = (events: readonly StoredEpcisEvent[]) =>
  events.map((e) => (e.event as { epcList: string[] }).epcList[0]?.split(".").at(-1));

describe("trace indexes", () => {
  let t: TraceChain;
  beforeEach(async () => {
    t = await createTraceChain();
  });
  afterEach(async () => {
    await t.close();
  });

  it("pages stay consistent while new blocks commit (no duplicates, no gaps, a snapshot)", async () => {
    const cases = [
      ["recordTime", "ASC", ["J101", "J102"], ["J103", "J104", "J105"]],
      ["recordTime", "DESC", ["J105", "J104"], ["J103", "J102", "J101"]],
      ["eventTime", "ASC", ["J101", "J102"], ["J103", "J104", "J105"]],
      ["eventTime", "DESC", ["J105", "J104"], ["J103", "J102", "J101"]],
    ] as const;
    for (const [i, [order, dir, first, rest]] of cases.entries()) {
      const readPoint = { id: `urn:epc:id:sgln:4012345.00001.case${i}` };
      await t.capture(epcisDocument([1, 2, 3, 4, 5].map((n) => shipping(n, { readPoint }))));
      const q: SimpleEventQuery = { EQ_readPoint: [readPoint.id], orderBy: order, orderDirection: dir };
      const p1 = t.reader.queryEvents(q, { perPage: 2 });
      expect(serials(p1.events)).toEqual(first);
      // New matching events, one of them with an eventTime before everything.
      await t.capture(
        epcisDocument([
          shipping(9, { readPoint }),
          shipping(8, { readPoint, eventTime: "2020-01-01T00:00:00Z" }),
        ]),
      );
      const p2 = t.reader.queryEvents(q, { perPage: 2, cursor: p1.nextCursor as string });
      const p3 = t.reader.queryEvents(q, { perPage: 2, cursor: p2.nextCursor as string });
      expect(serials([...p2.events, ...p3.events]), `${order} ${dir}`).toEqual(rest);
      expect(p3.nextCursor).toBeUndefined();
      // A new query sees everything committed.
      expect(t.reader.queryEvents(q, { perPage: 100 }).events).toHaveLength(7);
    }
  });

  it("eventCountLimit caps the total across pages", async () => {
    await t.capture(epcisDocument([1, 2, 3, 4, 5].map((n) => shipping(n))));
    const q: SimpleEventQuery = { eventCountLimit: 3 };
    const p1 = t.reader.queryEvents(q, { perPage: 2 });
    const p2 = t.reader.queryEvents(q, { perPage: 2, cursor: p1.nextCursor as string });
    expect(serials([...p1.events, ...p2.events])).toEqual(["J101", "J102", "J103"]);
    expect(p2.nextCursor).toBeUndefined();
  });

  it("tells onCommitted listeners after indexing each block with EPCIS events", async () => {
    const seen: string[][] = [];
    const off = t.reader.onCommitted((events) => {
      // Already queryable when the listener runs.
      for (const e of events) expect(t.reader.getEvent(e.eventId)?.logIndex).toBe(e.logIndex);
      seen.push(serials(events) as string[]);
    });
    await t.capture(epcisDocument([shipping(1), shipping(2)]));
    await t.chain.produceBlock(); // no EPCIS events: no call
    await t.capture(epcisDocument([shipping(3)]));
    off();
    await t.capture(epcisDocument([shipping(4)]));
    expect(seen).toEqual([["J101", "J102"], ["J103"]]);
    expect(t.reader.indexedHeight()).toBe(4);
  });

  /** Everything the reader answers about the dataset, for comparing two index builds. */
  const snapshot = (reader: LmdbTraceReader) => {
    const queries: SimpleEventQuery[] = [
      {},
      { orderBy: "eventTime", orderDirection: "DESC" },
      { MATCH_anyEPC: [G.pallet] },
      { MATCH_epc: ["urn:epc:idpat:sgtin:4012345.054321.*"] },
      { WD_bizLocation: [G.factory] },
      { EQ_bizStep: ["shipping", "receiving"], EQ_disposition: ["in_transit", "in_progress"] },
      { EQ_deviceID: [G.sensor] },
      { EXISTS_errorDeclaration: false, eventTypes: ["AggregationEvent"] },
    ];
    const ids = [
      G.fabric,
      G.lining,
      G.pallet,
      G.carton1,
      G.carton2,
      G.repaired,
      ...[1, 2, 3, 4].map(G.jacket),
    ];
    return {
      queries: queries.map((q) => reader.queryEvents(q, { perPage: 1000 }).events),
      lineage: ids.flatMap((id) => [reader.lineage(id, "upstream"), reader.lineage(id, "downstream")]),
      recall: ids.map((id) => reader.recall(id)),
      status: ids.map((id) => reader.itemStatus(id)),
    };
  };

  it("rebuilds identical indexes after they are dropped, and catches up after a restart", async () => {
    for (const { event } of queryDataset()) await t.capture(epcisDocument([event]));
    const before = snapshot(t.reader);
    expect(before.queries[0]).toHaveLength(14);

    // Drop every trace index and rebuild from the stored blocks.
    await t.indexer.rebuild();
    expect(t.reader.indexedHeight()).toBe(14);
    expect(snapshot(t.reader)).toEqual(before);

    // A restart with the index behind: blocks committed while no indexer ran are caught up.
    await t.indexer.close();
    await t.chain.submit(t.tx(t.chain.alice, "capture", { document: epcisDocument([shipping(7)]) }));
    await t.chain.produceBlock();
    await t.chain.produceBlock();
    const indexer = new TraceIndexer(t.chain.store);
    expect(indexer.indexedHeight()).toBe(14);
    await indexer.start(t.chain.app);
    expect(indexer.indexedHeight()).toBe(16);
    const reader = new LmdbTraceReader(indexer);
    expect(reader.queryEvents({ MATCH_epc: [G.jacket(107)] }, { perPage: 10 }).events).toHaveLength(1);
    const after = snapshot(reader);
    expect(after.lineage).toEqual(before.lineage);
    expect(after.status).toEqual(before.status);
    await indexer.close();
  });
});
