import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SimpleEventQuery } from "../../src/modules/trace/api.js";
import { prepareCapture } from "../../src/modules/trace/capture.js";
import { LmdbTraceReader } from "../../src/modules/trace/reader.js";
import { MAX_EVENTS_PER_TX } from "../../src/modules/trace/schema.js";
import { epcisDocument, G, HYGROMETER, type Json, PO_EVENT_ID, queryDataset } from "../support/epcis.js";
import { createTraceChain, type TraceChain } from "../support/epcis-chain.js";

/**
 * Every SimpleEventQuery parameter against a labelled dataset (one document per block, so
 * recordTime order is label order), with the exact events expected. Run with the default planner
 * (selective postings collected and sorted), with collecting disabled (a condition's postings
 * walked in order, or the global eventTime / recordTime indexes, every condition checked per
 * event), and with EPC-pattern / WD_ prefixes left unexpanded (checked on the stored event).
 */
describe("trace SimpleEventQuery", () => {
  let t: TraceChain;
  const labelOf = new Map<number, string>();
  const idOf = new Map<string, string>();
  const events = new Map<string, Json>();
  const all: string[] = [];

  beforeAll(async () => {
    t = await createTraceChain();
    const dataset = queryDataset();
    const late = dataset.find((d) => d.label === "late")?.event as Json;
    dataset.push({
      label: "lateDecl",
      event: {
        ...late,
        errorDeclaration: { declarationTime: "2024-03-05T00:00:00.000Z", reason: "did_not_occur" },
      },
    });
    for (const { label, event } of dataset) {
      const doc = epcisDocument([event]);
      const [prepared] = prepareCapture(doc, MAX_EVENTS_PER_TX);
      const r = await t.capture(doc);
      expect(r, label).toEqual({ status: "ok" });
      idOf.set(label, prepared?.eventId as string);
      events.set(label, event);
      all.push(label);
    }
    for (const label of all) {
      const found = t.reader
        .queryEvents({ EQ_eventID: [idOf.get(label) as string] }, { perPage: 10 })
        .events.filter((e) => (e.event.errorDeclaration !== undefined) === (label === "lateDecl"));
      labelOf.set(found[0]?.logIndex as number, label);
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  const time = (label: string) => (events.get(label) as { eventTime: string }).eventTime;
  const recordTime = (label: string) =>
    t.reader.queryEvents({ EQ_eventID: [idOf.get(label) as string] }, { perPage: 1 }).events[0]
      ?.recordTime as string;
  const except = (...labels: string[]) => all.filter((l) => !labels.includes(l));

  const cases: [string, () => SimpleEventQuery, () => string[]][] = [
    ["no parameters: everything, recordTime order", () => ({}), () => all],
    ["eventTypes", () => ({ eventTypes: ["AggregationEvent"] }), () => ["pack1", "pack2", "load", "unpack"]],
    [
      "eventTypes (two)",
      () => ({ eventTypes: ["ObjectEvent", "TransformationEvent"] }),
      () => ["commission", "cutsew", "ship", "receive", "repair", "sensor", "dl", "late", "lateDecl"],
    ],
    ["EQ_action DELETE", () => ({ EQ_action: ["DELETE"] }), () => ["unpack"]],
    [
      "EQ_action ADD",
      () => ({ EQ_action: ["ADD"] }),
      () => ["commission", "pack1", "pack2", "load", "po", "assoc"],
    ],
    ["EQ_bizStep bare name", () => ({ EQ_bizStep: ["shipping"] }), () => ["ship", "po"]],
    [
      "EQ_bizStep CBV URN",
      () => ({ EQ_bizStep: ["urn:epcglobal:cbv:bizstep:shipping"] }),
      () => ["ship", "po"],
    ],
    [
      "EQ_bizStep CBV web URI",
      () => ({ EQ_bizStep: ["https://ref.gs1.org/cbv/BizStep-shipping"] }),
      () => ["ship", "po"],
    ],
    ["EQ_disposition", () => ({ EQ_disposition: ["in_transit"] }), () => ["ship"]],
    [
      "EQ_disposition (several events)",
      () => ({ EQ_disposition: ["active"] }),
      () => ["commission", "cutsew", "dl", "late", "lateDecl"],
    ],
    [
      "GE_eventTime / LT_eventTime",
      () => ({ GE_eventTime: time("pack1"), LT_eventTime: time("ship") }),
      () => ["pack1", "pack2", "load"],
    ],
    ["LT_eventTime alone", () => ({ LT_eventTime: time("commission") }), () => ["late", "lateDecl"]],
    [
      "GE_recordTime / LT_recordTime",
      () => ({ GE_recordTime: recordTime("load"), LT_recordTime: recordTime("receive") }),
      () => ["load", "ship"],
    ],
    ["MATCH_epc (EPC URN)", () => ({ MATCH_epc: [G.jacket(1)] }), () => ["pack1", "dl"]],
    [
      "MATCH_epc (Digital Link meets the URN)",
      () => ({ MATCH_epc: ["https://id.gs1.org/01/04012345543216/21/J1"] }),
      () => ["pack1", "dl"],
    ],
    [
      "MATCH_epc (EPC pattern)",
      () => ({ MATCH_epc: ["urn:epc:idpat:sgtin:4012345.054321.*"] }),
      () => ["pack1", "pack2", "dl", "late", "lateDecl"],
    ],
    [
      "MATCH_anyEPC (pallet)",
      () => ({ MATCH_anyEPC: [G.pallet] }),
      () => ["load", "ship", "receive", "sensor", "po"],
    ],
    ["MATCH_anyEPC (jacket 4)", () => ({ MATCH_anyEPC: [G.jacket(4)] }), () => ["cutsew", "pack2", "repair"]],
    ["MATCH_parentID", () => ({ MATCH_parentID: [G.carton2] }), () => ["pack2", "unpack"]],
    ["MATCH_inputEPC", () => ({ MATCH_inputEPC: [G.jacket(4)] }), () => ["repair"]],
    ["MATCH_outputEPC", () => ({ MATCH_outputEPC: [G.jacket(1)] }), () => ["cutsew"]],
    ["MATCH_epcClass", () => ({ MATCH_epcClass: [G.fabric] }), () => ["commission"]],
    ["MATCH_anyEPCClass", () => ({ MATCH_anyEPCClass: [G.fabric] }), () => ["commission", "cutsew"]],
    [
      "MATCH_epcClass (pattern over lots of a GTIN)",
      () => ({ MATCH_epcClass: ["urn:epc:idpat:sgtin:4012345.012345.*"] }),
      () => ["commission"],
    ],
    ["EQ_bizLocation", () => ({ EQ_bizLocation: [G.dc] }), () => ["receive", "unpack", "repair"]],
    [
      "EQ_bizLocation (GLN, exact)",
      () => ({ EQ_bizLocation: [G.factory] }),
      () => ["commission", "cutsew", "pack1", "pack2", "load"],
    ],
    [
      "WD_bizLocation (GLN with its SGLN extensions)",
      () => ({ WD_bizLocation: [G.factory] }),
      () => ["commission", "cutsew", "pack1", "pack2", "load", "po"],
    ],
    ["EQ_readPoint", () => ({ EQ_readPoint: [G.factoryDock] }), () => ["load", "ship"]],
    [
      "WD_readPoint",
      () => ({ WD_readPoint: [G.factory] }),
      () => ["commission", "cutsew", "pack1", "pack2", "load", "ship", "assoc"],
    ],
    [
      "WD_readPoint (an extension has no descendants)",
      () => ({ WD_readPoint: [G.factoryDock] }),
      () => ["load", "ship"],
    ],
    ["EXISTS_errorDeclaration true", () => ({ EXISTS_errorDeclaration: true }), () => ["lateDecl"]],
    ["EXISTS_errorDeclaration false", () => ({ EXISTS_errorDeclaration: false }), () => except("lateDecl")],
    ["EQ_transformationID", () => ({ EQ_transformationID: [G.cutSew] }), () => ["cutsew"]],
    ["EQ_deviceID (sensor metadata)", () => ({ EQ_deviceID: [G.sensor] }), () => ["sensor"]],
    ["EQ_deviceID (sensor report)", () => ({ EQ_deviceID: [HYGROMETER] }), () => ["sensor"]],
    ["EQ_deviceID (unknown)", () => ({ EQ_deviceID: ["urn:epc:id:giai:4012345.NONE"] }), () => []],
    ["EQ_eventID (document eventID)", () => ({ EQ_eventID: [PO_EVENT_ID] }), () => ["po"]],
    [
      "EQ_eventID (ledger id: the event and its error declaration)",
      () => ({ EQ_eventID: [idOf.get("late") as string] }),
      () => ["late", "lateDecl"],
    ],
    [
      "parameters are ANDed",
      () => ({ EQ_bizStep: ["packing"], MATCH_parentID: [G.carton1] }),
      () => ["pack1"],
    ],
    [
      "values of one parameter are ORed",
      () => ({ EQ_bizStep: ["packing", "loading"], EQ_readPoint: [G.factoryDock] }),
      () => ["load"],
    ],
    [
      "orderBy eventTime ASC",
      () => ({ EQ_bizStep: ["inspecting"], orderBy: "eventTime" }),
      () => ["late", "lateDecl", "dl"],
    ],
    [
      "orderBy eventTime DESC",
      () => ({ eventTypes: ["AggregationEvent"], orderBy: "eventTime", orderDirection: "DESC" }),
      () => ["unpack", "load", "pack2", "pack1"],
    ],
    [
      "orderBy eventTime over everything",
      () => ({ orderBy: "eventTime" }),
      () => ["late", "lateDecl", ...except("late", "lateDecl")],
    ],
    [
      "recordTime DESC",
      () => ({ MATCH_anyEPC: [G.pallet], orderDirection: "DESC" }),
      () => ["po", "sensor", "receive", "ship", "load"],
    ],
    ["eventCountLimit", () => ({ eventCountLimit: 3 }), () => ["commission", "cutsew", "pack1"]],
  ];

  const labels = (reader: LmdbTraceReader, q: SimpleEventQuery) =>
    reader.queryEvents(q, { perPage: 100 }).events.map((e) => labelOf.get(e.logIndex));

  describe.each([
    ["collect and sort", {}],
    ["streams and scans (nothing collected)", { collectCap: 0 }],
    ["prefixes kept as prefixes (patterns, WD_)", { expandPrefixMax: 0 }],
    ["prefixes kept, nothing collected", { collectCap: 0, expandPrefixMax: 0 }],
  ])("planner: %s", (_name, tuning) => {
    const reader = () => new LmdbTraceReader(t.indexer, tuning);
    it.each(cases)("%s", (_label, query, expected) => {
      expect(labels(reader(), query())).toEqual(expected());
    });

    it("pages through every case with perPage 2 and gets the same answers", () => {
      for (const [name, query, expected] of cases) {
        const q = query();
        const got: (string | undefined)[] = [];
        let cursor: string | undefined;
        for (let i = 0; i < 20; i++) {
          const page = reader().queryEvents(q, { perPage: 2, ...(cursor ? { cursor } : {}) });
          got.push(...page.events.map((e) => labelOf.get(e.logIndex)));
          expect(page.events.length, name).toBeLessThanOrEqual(2);
          cursor = page.nextCursor;
          if (!cursor) break;
        }
        expect(got, name).toEqual(expected());
      }
    });
  });

  it("returns the stored event with its ledger facts", () => {
    const [e] = t.reader.queryEvents({ EQ_eventID: [PO_EVENT_ID] }, { perPage: 1 }).events;
    expect(e?.eventId).toBe(idOf.get("po"));
    expect(e?.event.type).toBe("TransactionEvent");
    expect(e?.recordTime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(JSON.parse(e?.eventJson as string)).toEqual(e?.event);
    expect(e?.txHash).toMatch(/^[0-9a-f]{64}$/);
  });

  it("refuses bad times, patterns, page sizes and foreign cursors with TRACE_BAD_QUERY", () => {
    const bad = (q: SimpleEventQuery, page: { perPage: number; cursor?: string } = { perPage: 10 }) => {
      try {
        t.reader.queryEvents(q, page);
      } catch (e) {
        return (e as { code?: string; message: string }).code;
      }
      return "accepted";
    };
    expect(bad({ GE_eventTime: "yesterday" })).toBe("TRACE_BAD_QUERY");
    expect(bad({ MATCH_epc: ["urn:epc:idpat:sgtin:4012345.*.*"] })).toBe("TRACE_BAD_QUERY");
    expect(bad({}, { perPage: 0 })).toBe("TRACE_BAD_QUERY");
    expect(bad({ eventCountLimit: 0 })).toBe("TRACE_BAD_QUERY");
    expect(bad({}, { perPage: 10, cursor: "garbage" })).toBe("TRACE_BAD_QUERY");
    const cursor = t.reader.queryEvents({}, { perPage: 1 }).nextCursor as string;
    expect(bad({ EQ_bizStep: ["shipping"] }, { perPage: 1, cursor })).toBe("TRACE_BAD_QUERY");
    expect(bad({}, { perPage: 1, cursor })).toBe("accepted");
  });
});
