/**
 * EPCIS 2.0 documents for tests: event builders and a small garment supply chain
 * (fabric lot → cut/sew transformation → serialised jackets → cartons → pallet SSCC → shipped).
 */

export type Json = Record<string, unknown>;

export const EPCIS_CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";
export const EXAMPLE_NS = { example: "https://ns.example.com/epcis/" };

/** Identifiers of the garment chain, as EPC URNs (the form captured) and their canonical keys. */
export const G = {
  fabric: "urn:epc:class:lgtin:4012345.012345.FABRIC-LOT-1",
  lining: "urn:epc:class:lgtin:4012345.012346.LINING-7",
  otherLot: "urn:epc:class:lgtin:4012345.012345.FABRIC-LOT-2",
  jacket: (n: number) => `urn:epc:id:sgtin:4012345.054321.J${n}`,
  repaired: "urn:epc:id:sgtin:4012345.054322.R1",
  carton1: "urn:epc:id:sscc:4012345.0000000011",
  carton2: "urn:epc:id:sscc:4012345.0000000012",
  pallet: "urn:epc:id:sscc:4012345.0000000100",
  factory: "urn:epc:id:sgln:4012345.00001.0",
  factoryDock: "urn:epc:id:sgln:4012345.00001.dock1",
  factoryLine: "urn:epc:id:sgln:4012345.00001.line2",
  dc: "urn:epc:id:sgln:0614141.00002.0",
  brand: "urn:epc:id:pgln:4012345.00000",
  retailer: "urn:epc:id:pgln:0614141.00000",
  carrier: "urn:epc:id:pgln:0614141.99999",
  cutSew: "urn:example:transformation:cut-sew-1",
  sensor: "urn:epc:id:giai:4012345.THERMO-1",
} as const;

/** Canonical keys (constrained canonical GS1 Digital Link) of the garment identifiers. */
export const K = {
  fabric: "https://id.gs1.org/01/04012345123456/10/FABRIC-LOT-1",
  lining: "https://id.gs1.org/01/04012345123463/10/LINING-7",
  jacket: (n: number) => `https://id.gs1.org/01/04012345543216/21/J${n}`,
  repaired: "https://id.gs1.org/01/04012345543223/21/R1",
  carton1: "https://id.gs1.org/00/040123450000000115",
  carton2: "https://id.gs1.org/00/040123450000000122",
  pallet: "https://id.gs1.org/00/040123450000001006",
  factory: "https://id.gs1.org/414/4012345000016",
  factoryDock: "https://id.gs1.org/414/4012345000016/254/dock1",
  factoryLine: "https://id.gs1.org/414/4012345000016/254/line2",
  sensor: "https://id.gs1.org/8004/4012345THERMO-1",
  dc: "https://id.gs1.org/414/0614141000029",
  brand: "https://id.gs1.org/417/4012345000009",
  retailer: "https://id.gs1.org/417/0614141000005",
  carrier: "https://id.gs1.org/417/0614141999996",
} as const;

let clock = Date.parse("2024-03-01T08:00:00.000Z");
/** Increasing event times (one minute apart), so test chains read in time order. */
export function nextTime(): string {
  clock += 60_000;
  return new Date(clock).toISOString();
}

const base = (type: string, fields: Json): Json => ({
  type,
  eventTime: nextTime(),
  eventTimeZoneOffset: "+00:00",
  ...fields,
});

export const objectEvent = (fields: Json): Json => base("ObjectEvent", { action: "OBSERVE", ...fields });
export const aggregationEvent = (fields: Json): Json =>
  base("AggregationEvent", { action: "ADD", ...fields });
export const transactionEvent = (fields: Json): Json =>
  base("TransactionEvent", { action: "ADD", ...fields });
export const transformationEvent = (fields: Json): Json => base("TransformationEvent", fields);
export const associationEvent = (fields: Json): Json =>
  base("AssociationEvent", { action: "ADD", ...fields });

/** JSON text of an EPCISDocument carrying `events`. */
export function epcisDocument(
  events: readonly Json[],
  context: unknown[] = [EPCIS_CONTEXT, EXAMPLE_NS],
): string {
  return JSON.stringify({
    "@context": context,
    type: "EPCISDocument",
    schemaVersion: "2.0",
    creationDate: "2024-03-01T00:00:00.000Z",
    epcisBody: { eventList: events },
  });
}

const loc = (id: string) => ({ id });

/** The garment chain, one document per step, in time order. */
export function garmentChain(): { name: string; events: Json[] }[] {
  return [
    {
      name: "commission fabric and lining lots",
      events: [
        objectEvent({
          action: "ADD",
          bizStep: "commissioning",
          disposition: "active",
          quantityList: [
            { epcClass: G.fabric, quantity: 120.5, uom: "MTR" },
            { epcClass: G.lining, quantity: 80, uom: "MTR" },
          ],
          readPoint: loc(G.factoryLine),
          bizLocation: loc(G.factory),
        }),
      ],
    },
    {
      name: "cut and sew jackets",
      events: [
        transformationEvent({
          inputQuantityList: [
            { epcClass: G.fabric, quantity: 12.25, uom: "MTR" },
            { epcClass: G.lining, quantity: 6, uom: "MTR" },
          ],
          outputEPCList: [1, 2, 3, 4].map(G.jacket),
          transformationID: G.cutSew,
          bizStep: "commissioning",
          disposition: "active",
          readPoint: loc(G.factoryLine),
          bizLocation: loc(G.factory),
        }),
      ],
    },
    {
      name: "pack cartons",
      events: [
        aggregationEvent({
          parentID: G.carton1,
          childEPCs: [G.jacket(1), G.jacket(2)],
          bizStep: "packing",
          disposition: "in_progress",
          readPoint: loc(G.factoryLine),
          bizLocation: loc(G.factory),
        }),
        aggregationEvent({
          parentID: G.carton2,
          childEPCs: [G.jacket(3), G.jacket(4)],
          bizStep: "packing",
          disposition: "in_progress",
          readPoint: loc(G.factoryLine),
          bizLocation: loc(G.factory),
        }),
      ],
    },
    {
      name: "load pallet",
      events: [
        aggregationEvent({
          parentID: G.pallet,
          childEPCs: [G.carton1, G.carton2],
          bizStep: "loading",
          disposition: "container_closed",
          readPoint: loc(G.factoryDock),
          bizLocation: loc(G.factory),
        }),
      ],
    },
    {
      name: "ship pallet",
      events: [
        objectEvent({
          epcList: [G.pallet],
          bizStep: "shipping",
          disposition: "in_transit",
          readPoint: loc(G.factoryDock),
          bizTransactionList: [{ type: "po", bizTransaction: "urn:epc:id:gdti:0614141.00001.PO-77" }],
          sourceList: [{ type: "owning_party", source: G.brand }],
          destinationList: [
            { type: "owning_party", destination: G.retailer },
            { type: "possessing_party", destination: G.carrier },
          ],
        }),
      ],
    },
    {
      name: "receive pallet",
      events: [
        objectEvent({
          epcList: [G.pallet],
          bizStep: "receiving",
          disposition: "in_progress",
          readPoint: loc(G.dc),
          bizLocation: loc(G.dc),
          destinationList: [{ type: "possessing_party", destination: G.retailer }],
        }),
      ],
    },
    {
      name: "unpack carton 2 and repair jacket 4",
      events: [
        aggregationEvent({
          action: "DELETE",
          parentID: G.carton2,
          bizStep: "unpacking",
          bizLocation: loc(G.dc),
        }),
        transformationEvent({
          inputEPCList: [G.jacket(4)],
          outputEPCList: [G.repaired],
          bizStep: "repairing",
          bizLocation: loc(G.dc),
        }),
      ],
    },
  ];
}

export const PO_EVENT_ID = "urn:uuid:5a1c7f0e-3d2b-4e6f-9a8b-7c6d5e4f3a2b";
export const HYGROMETER = "urn:epc:id:giai:4012345.HYGRO-2";
export const MACHINE = "urn:epc:id:grai:4012345.55555.M1";

/**
 * Labelled events for query tests, one document (and one block) each, in capture order: the garment
 * chain, a sensor reading, a purchase-order transaction, an association, jacket 1 scanned as a
 * Digital Link on a brand host, and an inspection captured late (eventTime before everything).
 */
export function queryDataset(): { label: string; event: Json }[] {
  const chain = garmentChain().flatMap((d) => d.events);
  const labels = ["commission", "cutsew", "pack1", "pack2", "load", "ship", "receive", "unpack", "repair"];
  const out = chain.map((event, i) => ({ label: labels[i] as string, event }));
  out.push(
    {
      label: "sensor",
      event: objectEvent({
        epcList: [G.pallet],
        bizStep: "sensor_reporting",
        sensorElementList: [
          {
            sensorMetadata: { deviceID: G.sensor, time: "2024-03-01T09:30:00.000Z" },
            sensorReport: [{ type: "Temperature", value: 4.5, uom: "CEL" }],
          },
          { sensorReport: [{ type: "RelativeHumidity", value: 61.25, uom: "P1", deviceID: HYGROMETER }] },
        ],
      }),
    },
    {
      label: "po",
      event: transactionEvent({
        eventID: PO_EVENT_ID,
        parentID: G.pallet,
        epcList: [G.carton1],
        bizTransactionList: [{ type: "po", bizTransaction: "urn:epc:id:gdti:0614141.00001.PO-77" }],
        bizStep: "shipping",
        bizLocation: { id: G.factoryDock },
      }),
    },
    {
      label: "assoc",
      event: associationEvent({
        parentID: MACHINE,
        childEPCs: [G.sensor],
        bizStep: "assembling",
        readPoint: { id: G.factoryLine },
      }),
    },
    {
      label: "dl",
      event: objectEvent({
        epcList: ["https://brand.example.com/01/04012345543216/21/J1?17=260101"],
        bizStep: "inspecting",
        disposition: "active",
      }),
    },
    {
      label: "late",
      event: objectEvent({
        eventTime: "2024-03-01T07:00:00.000Z",
        epcList: [G.jacket(2)],
        bizStep: "inspecting",
        disposition: "active",
      }),
    },
  );
  return out;
}
