import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { ItemStatus, LineageEdge } from "../../src/modules/trace/api.js";
import { prepareCapture } from "../../src/modules/trace/capture.js";
import { MAX_EVENTS_PER_TX } from "../../src/modules/trace/schema.js";
import { aggregationEvent, epcisDocument, G, garmentChain, K, objectEvent } from "../support/epcis.js";
import { createTraceChain, type TraceChain } from "../support/epcis-chain.js";

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
const edge = (from: string, to: string, kind: LineageEdge["kind"], eventId: string): LineageEdge => ({
  from,
  to,
  eventId,
  kind,
});
const sortEdges = (edges: LineageEdge[]) =>
  [...edges].sort((a, b) => cmp(a.from, b.from) || cmp(a.to, b.to) || cmp(a.eventId, b.eventId));

describe("trace genealogy over a garment chain", () => {
  let t: TraceChain;
  /** Event ids by step: commission, cutsew, pack1, pack2, load, ship, receive, unpack, repair. */
  const id: Record<string, string> = {};

  beforeAll(async () => {
    t = await createTraceChain();
    const names = ["commission", "cutsew", "pack1", "pack2", "load", "ship", "receive", "unpack", "repair"];
    let n = 0;
    for (const step of garmentChain()) {
      const doc = epcisDocument(step.events);
      for (const p of prepareCapture(doc, MAX_EVENTS_PER_TX)) id[names[n++] as string] = p.eventId;
      expect(await t.capture(doc), step.name).toEqual({ status: "ok" });
    }
  });
  afterAll(async () => {
    await t?.close();
  });

  it("upstream of the pallet: cartons, jackets, then the fabric and lining lots", () => {
    const lin = t.reader.lineage(G.pallet, "upstream");
    expect(lin.root).toBe(K.pallet);
    expect(lin.direction).toBe("upstream");
    expect(lin.nodes).toEqual([
      { id: K.pallet, depth: 0 },
      { id: K.carton1, depth: 1 },
      { id: K.carton2, depth: 1 },
      ...[1, 2, 3, 4].map((n) => ({ id: K.jacket(n), depth: 2 })),
      { id: K.fabric, depth: 3 },
      { id: K.lining, depth: 3 },
    ]);
    expect(lin.edges).toEqual(
      sortEdges([
        edge(K.carton1, K.pallet, "aggregation", id.load as string),
        edge(K.carton2, K.pallet, "aggregation", id.load as string),
        edge(K.jacket(1), K.carton1, "aggregation", id.pack1 as string),
        edge(K.jacket(2), K.carton1, "aggregation", id.pack1 as string),
        edge(K.jacket(3), K.carton2, "aggregation", id.pack2 as string),
        edge(K.jacket(4), K.carton2, "aggregation", id.pack2 as string),
        ...[1, 2, 3, 4].flatMap((n) => [
          edge(K.fabric, K.jacket(n), "transformation", id.cutsew as string),
          edge(K.lining, K.jacket(n), "transformation", id.cutsew as string),
        ]),
      ]),
    );
    expect(lin.truncated).toBeUndefined();
  });

  it("downstream of the fabric lot: jackets, cartons and the repaired jacket, the pallet", () => {
    const lin = t.reader.lineage(G.fabric, "downstream");
    expect(lin.nodes).toEqual([
      { id: K.fabric, depth: 0 },
      ...[1, 2, 3, 4].map((n) => ({ id: K.jacket(n), depth: 1 })),
      { id: K.carton1, depth: 2 },
      { id: K.carton2, depth: 2 },
      { id: K.repaired, depth: 2 },
      { id: K.pallet, depth: 3 },
    ]);
    expect(lin.edges).toEqual(
      sortEdges([
        ...[1, 2, 3, 4].map((n) => edge(K.fabric, K.jacket(n), "transformation", id.cutsew as string)),
        edge(K.jacket(1), K.carton1, "aggregation", id.pack1 as string),
        edge(K.jacket(2), K.carton1, "aggregation", id.pack1 as string),
        edge(K.jacket(3), K.carton2, "aggregation", id.pack2 as string),
        edge(K.jacket(4), K.carton2, "aggregation", id.pack2 as string),
        edge(K.jacket(4), K.repaired, "transformation", id.repair as string),
        edge(K.carton1, K.pallet, "aggregation", id.load as string),
        edge(K.carton2, K.pallet, "aggregation", id.load as string),
      ]),
    );
  });

  it("respects maxDepth and maxNodes, and accepts any spelling of the root", () => {
    const one = t.reader.lineage(G.fabric, "downstream", { maxDepth: 1 });
    expect(one.nodes.map((n) => n.id)).toEqual([K.fabric, ...[1, 2, 3, 4].map(K.jacket)]);
    expect(one.edges).toHaveLength(4);
    const few = t.reader.lineage(G.fabric, "downstream", { maxNodes: 3 });
    expect(few.nodes).toHaveLength(3);
    expect(few.truncated).toBe(true);
    const up = t.reader.lineage("https://brand.example.com/01/04012345543216/21/J1?17=260101", "upstream");
    expect(up.nodes).toEqual([
      { id: K.jacket(1), depth: 0 },
      { id: K.fabric, depth: 1 },
      { id: K.lining, depth: 1 },
    ]);
    expect(t.reader.lineage("urn:epc:id:sgtin:4012345.054321.UNKNOWN", "upstream").nodes).toHaveLength(1);
  });

  it("recall of the fabric lot: every finished item (not consumed, not a container) with its status", () => {
    const recall = t.reader.recall(G.fabric);
    expect(recall.source).toBe(K.fabric);
    const shippedToRetailer = {
      disposition: "in_progress",
      custodian: { owningParty: K.retailer, possessingParty: K.retailer },
      bizLocation: K.dc,
      readPoint: K.dc,
    };
    const jacketInCarton = (n: number): ItemStatus => ({
      id: K.jacket(n),
      commissioned: { eventId: id.cutsew as string, eventTime: eventTime("cutsew") },
      lastEvent: {
        eventId: id.pack1 as string,
        eventTime: eventTime("pack1"),
        bizStep: "packing",
        disposition: "in_progress",
      },
      persistentDispositions: [],
      ...shippedToRetailer,
      parent: K.carton1,
    });
    expect(recall.items).toEqual([
      jacketInCarton(1),
      jacketInCarton(2),
      // Unpacked at the DC: keeps what it inherited from carton and pallet, has no parent now.
      {
        id: K.jacket(3),
        commissioned: { eventId: id.cutsew as string, eventTime: eventTime("cutsew") },
        lastEvent: {
          eventId: id.pack2 as string,
          eventTime: eventTime("pack2"),
          bizStep: "packing",
          disposition: "in_progress",
        },
        persistentDispositions: [],
        ...shippedToRetailer,
      },
      // Jacket 4 was consumed by the repair; the repaired jacket replaces it.
      {
        id: K.repaired,
        commissioned: { eventId: id.repair as string, eventTime: eventTime("repair") },
        lastEvent: { eventId: id.repair as string, eventTime: eventTime("repair"), bizStep: "repairing" },
        persistentDispositions: [],
        bizLocation: K.dc,
      },
    ]);
    // A single item (or a logistic unit) with nothing downstream recalls itself.
    expect(t.reader.recall(G.jacket(2)).items.map((i) => i.id)).toEqual([K.jacket(2)]);
    expect(t.reader.recall(G.pallet).items.map((i) => i.id)).toEqual([K.pallet]);
    // The lining lot reaches the same jackets.
    expect(t.reader.recall(G.lining).items.map((i) => i.id)).toEqual(
      [1, 2, 3].map(K.jacket).concat(K.repaired),
    );
  });

  it("item status of the pallet, a lot and an unknown item", () => {
    expect(t.reader.itemStatus(G.pallet)).toEqual({
      id: K.pallet,
      commissioned: null,
      lastEvent: {
        eventId: id.receive as string,
        eventTime: eventTime("receive"),
        bizStep: "receiving",
        disposition: "in_progress",
      },
      persistentDispositions: [],
      disposition: "in_progress",
      custodian: { owningParty: K.retailer, possessingParty: K.retailer },
      bizLocation: K.dc,
      readPoint: K.dc,
    });
    const lot = t.reader.itemStatus("https://id.gs1.org/01/04012345123456/10/FABRIC-LOT-1");
    expect(lot?.commissioned?.eventId).toBe(id.commission);
    expect(lot?.lastEvent?.eventId).toBe(id.cutsew);
    expect(t.reader.itemStatus(G.carton2)?.parent).toBe(K.pallet);
    expect(t.reader.itemStatus(G.jacket(4))?.lastEvent?.eventId).toBe(id.repair);
    expect(t.reader.itemStatus("urn:epc:id:sgtin:4012345.054321.NOPE")).toBeUndefined();
  });

  const eventTime = (step: string) => t.reader.getEvent(id[step] as string)?.event.eventTime as string;
});

describe("trace genealogy: corrections and cycles", () => {
  let t: TraceChain;
  beforeEach(async () => {
    t = await createTraceChain();
  });
  afterEach(async () => {
    await t.close();
  });

  it("an aggregation declared erroneous no longer links its children", async () => {
    const pack = aggregationEvent({
      parentID: G.carton1,
      childEPCs: [G.jacket(1), G.jacket(2)],
      bizStep: "packing",
    });
    const fix = aggregationEvent({ parentID: G.carton1, childEPCs: [G.jacket(1)], bizStep: "packing" });
    expect(await t.capture(epcisDocument([pack]))).toEqual({ status: "ok" });
    expect(t.reader.lineage(G.carton1, "upstream").nodes).toHaveLength(3);
    expect(t.reader.itemStatus(G.jacket(2))?.parent).toBe(K.carton1);
    const declaration = {
      ...pack,
      errorDeclaration: { declarationTime: "2024-04-01T00:00:00Z", reason: "incorrect_data" },
    };
    expect(await t.capture(epcisDocument([declaration, fix]))).toEqual({ status: "ok" });
    expect(t.reader.lineage(G.carton1, "upstream").nodes.map((n) => n.id)).toEqual([K.carton1, K.jacket(1)]);
    expect(t.reader.itemStatus(G.jacket(2))?.parent).toBeUndefined();
    expect(t.reader.itemStatus(G.jacket(1))?.parent).toBe(K.carton1);
  });

  it("terminates on cyclic containment", async () => {
    const a = aggregationEvent({ parentID: G.carton1, childEPCs: [G.carton2] });
    const b = aggregationEvent({ parentID: G.carton2, childEPCs: [G.carton1] });
    expect(await t.capture(epcisDocument([a, b]))).toEqual({ status: "ok" });
    const lin = t.reader.lineage(G.carton1, "downstream");
    expect(lin.nodes).toEqual([
      { id: K.carton1, depth: 0 },
      { id: K.carton2, depth: 1 },
    ]);
    expect(lin.edges).toHaveLength(2);
    expect(t.reader.itemStatus(G.carton1)?.parent).toBe(K.carton2);
  });

  it("item status: persistent dispositions, custodian, and events captured late (out of eventTime order)", async () => {
    const at = (iso: string) => ({ eventTime: iso });
    expect(
      await t.capture(
        epcisDocument([
          objectEvent({
            ...at("2024-05-01T10:00:00.000Z"),
            epcList: [G.jacket(7)],
            bizStep: "inspecting",
            disposition: "conformant",
            persistentDisposition: { set: ["completeness_verified", "conformant"] },
          }),
          objectEvent({
            ...at("2024-05-02T10:00:00.000Z"),
            epcList: [G.jacket(7)],
            bizStep: "shipping",
            disposition: "in_transit",
            persistentDisposition: { unset: ["conformant"] },
            destinationList: [
              { type: "urn:epcglobal:cbv:sdt:owning_party", destination: G.retailer },
              { type: "possessing_party", destination: G.carrier },
            ],
          }),
        ]),
      ),
    ).toEqual({ status: "ok" });
    // Captured later, but it happened before: it does not override the newer status.
    expect(
      await t.capture(
        epcisDocument([
          objectEvent({
            ...at("2024-04-30T10:00:00.000Z"),
            epcList: [G.jacket(7)],
            bizStep: "storing",
            disposition: "sellable_accessible",
            bizLocation: { id: G.factory },
          }),
        ]),
      ),
    ).toEqual({ status: "ok" });
    const status = t.reader.itemStatus(G.jacket(7));
    expect(status).toMatchObject({
      disposition: "in_transit",
      persistentDispositions: ["completeness_verified"],
      custodian: { owningParty: K.retailer, possessingParty: K.carrier },
      bizLocation: K.factory,
      lastEvent: { eventTime: "2024-05-02T10:00:00.000Z", bizStep: "shipping", disposition: "in_transit" },
    });
  });
});
