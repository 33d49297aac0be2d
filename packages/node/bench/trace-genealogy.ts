import { createTraceChain } from "../test/support/epcis-chain.js";

/**
 * A ledger of `totalEvents` EPCIS events, captured through real `trace.capture` transactions on
 * a single-validator chain (validation, CBV hash ids, state, log, node-local indexes), holding
 * many 10-tier genealogies: lot 0 → … → lot 9 (transformations) → 50 serialised items, among
 * background observation events. Then lineage (upstream from an item: 10 tiers; downstream from
 * a root lot) and recall (every item made from a root lot, with its status) on random genealogies.
 */
export interface GenealogyResult {
  totalEvents: number;
  buildSeconds: number;
  capturedEventsPerSec: number;
  genealogies: number;
  samples: number;
  upstream: { p50Ms: number; p99Ms: number; nodes: number };
  downstream: { p50Ms: number; p99Ms: number; nodes: number };
  recall: { p50Ms: number; p99Ms: number; items: number };
}

const TIERS = 10;
const ITEMS = 50;
const EVENTS_PER_DOC = 60; // under the 64 KiB transaction limit
const TXS_PER_BLOCK = 200;
const GTIN_PREFIX = "4012345";
const CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";

let clock = Date.parse("2025-01-01T00:00:00.000Z");
const time = () => {
  clock += 1_000;
  return new Date(clock).toISOString();
};
const lot = (g: number, t: number) =>
  `urn:epc:class:lgtin:${GTIN_PREFIX}.0${String(t).padStart(5, "0")}.G${g}`;
const item = (g: number, i: number) => `urn:epc:id:sgtin:${GTIN_PREFIX}.099999.G${g}-${i}`;
const SITE = "urn:epc:id:sgln:4012345.00001.0";

function genealogyEvents(g: number): object[] {
  const events: object[] = [
    {
      type: "ObjectEvent",
      action: "ADD",
      eventTime: time(),
      eventTimeZoneOffset: "+00:00",
      bizStep: "commissioning",
      disposition: "active",
      quantityList: [{ epcClass: lot(g, 0), quantity: 100, uom: "KGM" }],
      bizLocation: { id: SITE },
    },
  ];
  for (let t = 1; t < TIERS; t++) {
    events.push({
      type: "TransformationEvent",
      eventTime: time(),
      eventTimeZoneOffset: "+00:00",
      bizStep: "creating_class_instance",
      inputQuantityList: [{ epcClass: lot(g, t - 1), quantity: 100, uom: "KGM" }],
      outputQuantityList: [{ epcClass: lot(g, t), quantity: 100, uom: "KGM" }],
      bizLocation: { id: SITE },
    });
  }
  events.push({
    type: "TransformationEvent",
    eventTime: time(),
    eventTimeZoneOffset: "+00:00",
    bizStep: "commissioning",
    inputQuantityList: [{ epcClass: lot(g, TIERS - 1), quantity: 100, uom: "KGM" }],
    outputEPCList: Array.from({ length: ITEMS }, (_, i) => item(g, i)),
    bizLocation: { id: SITE },
  });
  return events;
}

function backgroundEvent(n: number): object {
  return {
    type: "ObjectEvent",
    action: "OBSERVE",
    eventTime: time(),
    eventTimeZoneOffset: "+00:00",
    bizStep: "inspecting",
    disposition: "active",
    epcList: [`urn:epc:id:sgtin:${GTIN_PREFIX}.011111.B${n}`],
    readPoint: { id: SITE },
  };
}

const doc = (events: object[]) =>
  JSON.stringify({
    "@context": [CONTEXT],
    type: "EPCISDocument",
    schemaVersion: "2.0",
    creationDate: "2025-01-01T00:00:00.000Z",
    epcisBody: { eventList: events },
  });

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return Math.round((s[Math.min(s.length - 1, Math.floor(s.length * p))] ?? Number.NaN) * 100) / 100;
};

export async function benchGenealogy(totalEvents: number, samples = 200): Promise<GenealogyResult> {
  const tc = await createTraceChain();
  try {
    const perGenealogy = TIERS + 1;
    // One genealogy in 20 events on average; the rest is background.
    const genealogies = Math.max(1, Math.floor(totalEvents / 20 / perGenealogy));
    const background = totalEvents - genealogies * perGenealogy;
    const started = performance.now();
    let pending: object[] = [];
    let txs: ReturnType<typeof tc.tx>[] = [];
    const flushDoc = async (force: boolean) => {
      if (pending.length >= EVENTS_PER_DOC || (force && pending.length > 0)) {
        txs.push(tc.tx(tc.chain.alice, "capture", { document: doc(pending) }));
        pending = [];
      }
      if (txs.length >= TXS_PER_BLOCK || (force && txs.length > 0)) {
        const receipts = await tc.commit(...txs);
        const failed = receipts.find((r) => r.status !== "ok");
        if (failed) throw new Error(`capture failed: ${JSON.stringify(failed.error)}`);
        txs = [];
      }
    };
    let b = 0;
    for (let g = 0; g < genealogies; g++) {
      for (const e of genealogyEvents(g)) {
        pending.push(e);
        await flushDoc(false);
      }
      const share = Math.floor(background / genealogies) + (g < background % genealogies ? 1 : 0);
      for (let k = 0; k < share; k++) {
        pending.push(backgroundEvent(b++));
        await flushDoc(false);
      }
    }
    await flushDoc(true);
    const buildSeconds = (performance.now() - started) / 1000;

    const up: number[] = [];
    const down: number[] = [];
    const rec: number[] = [];
    let upNodes = 0;
    let downNodes = 0;
    let recallItems = 0;
    for (let s = 0; s < samples; s++) {
      const g = (s * 7919) % genealogies;
      let t = performance.now();
      const u = tc.reader.lineage(item(g, s % ITEMS), "upstream");
      up.push(performance.now() - t);
      upNodes = u.nodes.length;
      t = performance.now();
      const d = tc.reader.lineage(lot(g, 0), "downstream");
      down.push(performance.now() - t);
      downNodes = d.nodes.length;
      t = performance.now();
      const r = tc.reader.recall(lot(g, 0));
      rec.push(performance.now() - t);
      recallItems = r.items.length;
    }
    return {
      totalEvents,
      buildSeconds: Math.round(buildSeconds),
      capturedEventsPerSec: Math.round(totalEvents / buildSeconds),
      genealogies,
      samples,
      upstream: { p50Ms: pct(up, 0.5), p99Ms: pct(up, 0.99), nodes: upNodes },
      downstream: { p50Ms: pct(down, 0.5), p99Ms: pct(down, 0.99), nodes: downNodes },
      recall: { p50Ms: pct(rec, 0.5), p99Ms: pct(rec, 0.99), items: recallItems },
    };
  } finally {
    await tc.close();
  }
}
