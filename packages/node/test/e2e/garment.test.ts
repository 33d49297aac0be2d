import type { KeyPair } from "@weft/core";
import { canonicalIdentifier } from "@weft/epcis";
import { createBearerToken } from "@weft/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { epcisDocument, type Json } from "../support/epcis.js";
import { createTestNetwork, type TestNetwork, until } from "../support/network.js";

/**
 * The garment chain across four organisations, each capturing its own steps through its own
 * node's EPCIS REST API (BFT consensus, mutual TLS): a fabric mill, the brand's factory, a carrier
 * and a retailer. Answers are then read from a node that captured none of it.
 */
const ORG = { mill: 0, factory: 1, carrier: 2, retailer: 3 } as const;
/**
 * GS1 Company Prefixes (the default trace.capture policy lets a node's writer record only at
 * its organisation's locations): the brand's factory 4012345, the retailer 0614141; the mill
 * keeps org1's demo prefix 9520001 and the carrier records nothing.
 */
const GS1 = {
  org2: { companyPrefixes: ["4012345"], glns: [] },
  org4: { companyPrefixes: ["0614141"], glns: [] },
};

const LOT = "urn:epc:class:lgtin:4012345.012345.LOT-A";
const jacket = (n: number) => `urn:epc:id:sgtin:4012345.054321.JK${n}`;
const JACKET_DL = (n: number) => `https://id.gs1.org/01/04012345543216/21/JK${n}`;
const CARTON = (n: number) => `urn:epc:id:sscc:4012345.000000002${n}`;
const PALLET = "urn:epc:id:sscc:4012345.0000000300";
const MILL = "urn:epc:id:sgln:9520001.00009.0";
const FACTORY = "urn:epc:id:sgln:4012345.00001.0";
const STORE = "urn:epc:id:sgln:0614141.00002.0";
const OTHER_SHOP = "urn:epc:id:sgln:0614141.00777.0";
const RETAILER = "urn:epc:id:pgln:0614141.00000";
const CARRIER = "urn:epc:id:pgln:0614141.99999";
const BRAND = "urn:epc:id:pgln:4012345.00000";

let clock = Date.parse("2025-03-01T08:00:00.000Z");
function nextHour(): string {
  clock += 3_600_000;
  return new Date(clock).toISOString();
}
const event = (type: string, fields: Json): Json => ({
  type,
  eventTime: nextHour(),
  eventTimeZoneOffset: "+00:00",
  ...fields,
});

const STEPS: { org: number; name: string; events: () => Json[] }[] = [
  {
    org: ORG.mill,
    name: "mill commissions and ships the fabric lot",
    events: () => [
      event("ObjectEvent", {
        action: "ADD",
        bizStep: "commissioning",
        disposition: "active",
        quantityList: [{ epcClass: LOT, quantity: 500, uom: "MTR" }],
        bizLocation: { id: MILL },
      }),
      event("ObjectEvent", {
        action: "OBSERVE",
        bizStep: "shipping",
        disposition: "in_transit",
        quantityList: [{ epcClass: LOT, quantity: 500, uom: "MTR" }],
        readPoint: { id: MILL },
      }),
    ],
  },
  {
    org: ORG.factory,
    name: "factory receives the lot, cuts and sews jackets, packs cartons and a pallet, ships",
    events: () => [
      event("ObjectEvent", {
        action: "OBSERVE",
        bizStep: "receiving",
        disposition: "in_progress",
        quantityList: [{ epcClass: LOT, quantity: 500, uom: "MTR" }],
        bizLocation: { id: FACTORY },
      }),
      event("TransformationEvent", {
        inputQuantityList: [{ epcClass: LOT, quantity: 24, uom: "MTR" }],
        outputEPCList: [1, 2, 3, 4].map(jacket),
        bizStep: "commissioning",
        disposition: "active",
        bizLocation: { id: FACTORY },
      }),
      event("AggregationEvent", {
        action: "ADD",
        parentID: CARTON(1),
        childEPCs: [jacket(1), jacket(2)],
        bizStep: "packing",
        disposition: "in_progress",
        bizLocation: { id: FACTORY },
      }),
      event("AggregationEvent", {
        action: "ADD",
        parentID: CARTON(2),
        childEPCs: [jacket(3), jacket(4)],
        bizStep: "packing",
        disposition: "in_progress",
        bizLocation: { id: FACTORY },
      }),
      event("AggregationEvent", {
        action: "ADD",
        parentID: PALLET,
        childEPCs: [CARTON(1), CARTON(2)],
        bizStep: "loading",
        disposition: "container_closed",
        bizLocation: { id: FACTORY },
      }),
      event("ObjectEvent", {
        action: "OBSERVE",
        epcList: [PALLET],
        bizStep: "shipping",
        disposition: "in_transit",
        readPoint: { id: FACTORY },
        sourceList: [{ type: "owning_party", source: BRAND }],
        destinationList: [
          { type: "owning_party", destination: RETAILER },
          { type: "possessing_party", destination: CARRIER },
        ],
      }),
    ],
  },
  {
    org: ORG.retailer,
    name: "retailer receives the pallet, unpacks, sells jacket 1",
    events: () => [
      event("ObjectEvent", {
        action: "OBSERVE",
        epcList: [PALLET],
        bizStep: "receiving",
        disposition: "in_progress",
        bizLocation: { id: STORE },
        destinationList: [{ type: "possessing_party", destination: RETAILER }],
      }),
      event("AggregationEvent", {
        action: "DELETE",
        parentID: PALLET,
        bizStep: "unloading",
        bizLocation: { id: STORE },
      }),
      event("AggregationEvent", {
        action: "DELETE",
        parentID: CARTON(1),
        bizStep: "unpacking",
        bizLocation: { id: STORE },
      }),
      event("ObjectEvent", {
        action: "OBSERVE",
        epcList: [jacket(1)],
        bizStep: "retail_selling",
        disposition: "retail_sold",
        bizLocation: { id: STORE },
      }),
    ],
  },
];

describe("garment supply chain across four organisations (EPCIS REST over BFT)", () => {
  let net: TestNetwork;
  const url = (org: number) => net.nodes[org]?.url as string;
  const get = async (org: number, path: string) => {
    const res = await fetch(`${url(org)}${path}`);
    return { status: res.status, body: (await res.json()) as Json };
  };

  beforeAll(async () => {
    net = await createTestNetwork(4, { gs1: GS1 });
    await Promise.all([0, 1, 2, 3].map((i) => net.start(i)));
    await until("full mesh", () => net.nodes.every((n) => n?.p2p?.connectedPeers().length === 3));
  });
  afterAll(async () => {
    await net?.close();
  });

  it("each organisation captures its steps through its own node; the jobs succeed", async () => {
    for (const step of STEPS) {
      // A capture acts for the node's organisation: one of its members (here its admin) asks.
      const admin = net.report.orgs[step.org]?.admin as KeyPair;
      const token = createBearerToken(admin, { memberId: "admin", chainId: net.report.genesis.chainId });
      const res = await fetch(`${url(step.org)}/epcis/capture`, {
        method: "POST",
        headers: {
          "content-type": "application/ld+json",
          "GS1-Capture-Error-Behaviour": "rollback",
          authorization: `Bearer ${token}`,
        },
        body: epcisDocument(step.events()),
      });
      expect(res.status, step.name).toBe(202);
      const location = res.headers.get("location") as string;
      let job: Json = {};
      const deadline = Date.now() + 30_000;
      do {
        await new Promise((r) => setTimeout(r, 100));
        job = (await (await fetch(location)).json()) as Json;
      } while (job.running === true && Date.now() < deadline);
      expect(job, step.name).toMatchObject({ running: false, success: true });
    }
    const total = STEPS.reduce((n, s) => n + s.events().length, 0);
    await until("every node indexed every event", () =>
      net.nodes.every((n) => (n?.trace.queryEvents({}, { perPage: 100 }).events.length ?? 0) === total),
    );
  });

  it("a node that captured nothing answers queries on the standard binding", async () => {
    const { status, body } = await get(
      ORG.carrier,
      `/epcis/events?MATCH_anyEPC=${encodeURIComponent(jacket(1))}`,
    );
    expect(status).toBe(200);
    const events = (body.epcisBody as { queryResults: { resultsBody: { eventList: Json[] } } }).queryResults
      .resultsBody.eventList;
    // Commissioned by the transformation (outputEPCList), packed (childEPCs), then sold (epcList).
    expect(events.map((e) => e.bizStep)).toEqual(["commissioning", "packing", "retail_selling"]);
  });

  it("lineage and recall answers are exact", async () => {
    const up = await get(
      ORG.carrier,
      `/trace/lineage?direction=upstream&id=${encodeURIComponent(jacket(3))}`,
    );
    expect(up.status).toBe(200);
    const upIds = (up.body.nodes as { id: string }[]).map((n) => n.id);
    expect(upIds).toContain("https://id.gs1.org/01/04012345123456/10/LOT-A");
    const down = await get(ORG.carrier, `/trace/lineage?direction=downstream&id=${encodeURIComponent(LOT)}`);
    const downIds = new Set((down.body.nodes as { id: string }[]).map((n) => n.id));
    for (const n of [1, 2, 3, 4]) expect(downIds.has(JACKET_DL(n)), `jacket ${n}`).toBe(true);
    const recall = await get(ORG.carrier, `/trace/recall?id=${encodeURIComponent(LOT)}`);
    const items = recall.body.items as { id: string; disposition?: string; parent?: string }[];
    expect(items.map((i) => i.id).sort()).toEqual([1, 2, 3, 4].map(JACKET_DL).sort());
    const sold = items.find((i) => i.id === JACKET_DL(1));
    expect(sold?.disposition).toBe("retail_sold");
    // Jacket 3 is still in carton 2 (only the pallet and carton 1 were unpacked).
    expect(items.find((i) => i.id === JACKET_DL(3))?.parent).toBe(canonicalIdentifier(CARTON(2)));
    expect(items.find((i) => i.id === JACKET_DL(2))?.parent).toBeUndefined();
  });

  it("verification: genuine, counterfeit (unknown serial) and clone (sold item scanned again elsewhere)", async () => {
    const verify = async (dl: string, scannerId: string, extra: Json = {}) => {
      const res = await fetch(`${url(ORG.retailer)}/verify`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ digitalLink: dl, scannerId, proofs: false, ...extra }),
      });
      expect(res.status).toBe(200);
      return (await res.json()) as { data: Json; signals: { type: string; kind: string }[] };
    };
    const genuine = await verify(JACKET_DL(2), "pos-store-1", { saleChannel: true });
    expect(genuine.data.verified).toBe(true);
    expect(genuine.signals).toEqual([]);

    const fake = await verify("https://id.gs1.org/01/04012345543216/21/JK999", "pos-store-1", {
      saleChannel: true,
    });
    expect(fake.data.verified).toBe(false);
    expect(fake.data.verificationFailureReason).toBe("No_match_GTIN_Serial");
    expect(fake.signals.map((s) => [s.type, s.kind])).toContainEqual(["NEVER_COMMISSIONED", "counterfeit"]);

    const clone = await verify(JACKET_DL(1), `pos-${OTHER_SHOP}`, { saleChannel: true });
    expect(clone.signals.map((s) => [s.type, s.kind])).toContainEqual(["SCANNED_AFTER_END_OF_LIFE", "clone"]);
    expect(clone.data.additionalInfo).toBe("Suspect");
  });
});
