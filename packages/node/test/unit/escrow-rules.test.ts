/**
 * The escrow module's rules through the real executor (MemChain, defaultModules, an open chain):
 * every argument rule of `escrow.open`, funds, quality holds and penalties, documents, identifier
 * spellings, disputes, decisions, cancellation and what can never happen twice. Every refused call
 * must leave the state as it was except the signer's sequence.
 */
import {
  addressOf,
  defaultChainParams,
  type Genesis,
  type KeyPair,
  keyPairFromSecret,
  WeftError,
} from "@weft/core";
import { describe, expect, it } from "vitest";
import { moduleAccount } from "../../src/app/module-account.js";
import { MAX_DISPUTES } from "../../src/modules/escrow/methods.js";
import { MAX_TERM_MS } from "../../src/modules/escrow/schema.js";
import type { Escrow } from "../../src/modules/escrow/state.js";
import { defaultModules } from "../../src/modules/index.js";
import type { Hold } from "../../src/modules/token/state.js";
import { BUYER_GLN, po, SELLER_GLN, sscc } from "./support/escrow-docs.js";
import { MemChain } from "./support/mem-chain.js";

const T0 = 1_700_000_000_000;
const DAY = 86_400_000;
const HOUR = 3_600_000;
const key = (n: number): KeyPair => keyPairFromSecret("ed25519", n.toString(16).padStart(64, "0"));
const [buyer, seller, carrier, inspector, inspector2, arbiter, poor] = [1, 2, 3, 4, 5, 6, 7].map(key) as [
  KeyPair,
  KeyPair,
  KeyPair,
  KeyPair,
  KeyPair,
  KeyPair,
  KeyPair,
];
const BUYER = addressOf(buyer);
const SELLER = addressOf(seller);
const INSPECTOR = addressOf(inspector);
const INSPECTOR2 = addressOf(inspector2);
const ARBITER = addressOf(arbiter);
const POOR = addressOf(poor);
const ESCROW = moduleAccount("escrow");
/** The buyer's location as a GS1 Digital Link (the SGLN URN BUYER_GLN names the same GLN). */
const BUYER_GLN_DL = "https://id.gs1.org/414/9520002000019";
const OTHER_GLN = "urn:epc:id:sgln:9520003.00001.0";
/** sscc(1) as a Digital Link, on GS1's resolver and on another host. */
const SSCC1_DL = "https://id.gs1.org/00/095200010000000010";
const SSCC1_DL_OTHER_HOST = "https://example.com/00/095200010000000010";

const genesis: Genesis = {
  chainId: "weft-escrow-rules",
  genesisTime: T0,
  validators: [
    { address: BUYER, publicKey: { alg: buyer.alg, publicKey: buyer.publicKey }, power: 1, name: "v0" },
  ],
  params: { ...defaultChainParams },
  appState: {
    token: {
      assets: [{ id: "EUR", name: "Euro", decimals: 2, issuer: BUYER }],
      balances: [
        { asset: "EUR", address: BUYER, amount: "1000000" },
        { asset: "EUR", address: POOR, amount: "50" },
      ],
    },
  },
};

type Signed = ReturnType<MemChain["tx"]>;

interface Ev {
  epcs: string[];
  bizStep?: string;
  /** bizLocation (and readPoint unless given). */
  location?: string;
  readPoint?: string;
  disposition?: string;
  docs?: { type: string; id: string }[];
  alarm?: boolean;
  declaration?: boolean;
}

let eventCount = 0;
/** An EPCIS 2.0 capture document with one ObjectEvent; every event gets its own eventTime (hash). */
function doc(e: Ev): string {
  eventCount += 1;
  const time = new Date(Date.UTC(2026, 0, 1) + eventCount * 60_000).toISOString();
  const event: Record<string, unknown> = {
    type: "ObjectEvent",
    eventTime: time,
    eventTimeZoneOffset: "+00:00",
    epcList: e.epcs,
    action: "OBSERVE",
  };
  if (e.bizStep) event.bizStep = e.bizStep;
  if (e.disposition) event.disposition = e.disposition;
  const readPoint = e.readPoint ?? e.location;
  if (readPoint) event.readPoint = { id: readPoint };
  if (e.location) event.bizLocation = { id: e.location };
  if (e.docs) event.bizTransactionList = e.docs.map((d) => ({ type: d.type, bizTransaction: d.id }));
  if (e.alarm) {
    event.sensorElementList = [
      {
        sensorMetadata: { time },
        sensorReport: [{ type: "gs1:Temperature", value: 12.5, uom: "CEL", exception: "ALARM_CONDITION" }],
      },
    ];
  }
  if (e.declaration) event.errorDeclaration = { declarationTime: time, reason: "incorrect_data" };
  return JSON.stringify({
    "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],
    type: "EPCISDocument",
    schemaVersion: "2.0",
    creationDate: time,
    epcisBody: { eventList: [event] },
  });
}

const received = (n: number, extra: Partial<Ev> = {}): Ev => ({
  epcs: [sscc(n)],
  bizStep: "receiving",
  location: BUYER_GLN,
  ...extra,
});
const shipped = (n: number, extra: Partial<Ev> = {}): Ev => ({
  epcs: [sscc(n)],
  bizStep: "shipping",
  location: SELLER_GLN,
  ...extra,
});
const atBuyer = { event: { bizStep: "receiving", bizLocation: BUYER_GLN } };

function setup() {
  const chain = new MemChain(genesis, defaultModules);
  const raw = (chain as unknown as { state: Map<string, Uint8Array> }).state;
  let time = T0;
  /** Every state entry but the sequences. */
  const snapshot = () => {
    const out: Record<string, string> = {};
    for (const [k, v] of raw) if (!k.startsWith("auth/sequence/")) out[k] = Buffer.from(v).toString("hex");
    return out;
  };
  const tx = (signer: KeyPair, module: string, method: string, args: Record<string, unknown>) =>
    chain.tx(signer, module, method, args);
  const block = (txs: Signed[], step = 1_000) => {
    time += step;
    return chain.block(time, txs);
  };
  const capture = (signer: KeyPair, e: Ev) => tx(signer, "trace", "capture", { document: doc(e) });
  /** One transaction in its own block; it must succeed. */
  const ok = (
    signer: KeyPair,
    module: string,
    method: string,
    args: Record<string, unknown>,
    step = 1_000,
  ) => {
    const out = block([tx(signer, module, method, args)], step);
    expect(out.receipts[0]?.error).toBeUndefined();
    expect(out.receipts[0]?.status).toBe("ok");
    return out;
  };
  /**
   * One transaction in a block at the same time as the last (no deadline falls due): it fails with
   * `code`, emits nothing, and the state is as before but for the signer's sequence.
   */
  const fail = (
    signer: KeyPair,
    module: string,
    method: string,
    args: Record<string, unknown>,
    code: string,
  ) => {
    const before = snapshot();
    const out = block([tx(signer, module, method, args)], 0);
    expect(out.receipts[0]?.status).toBe("failed");
    expect(out.receipts[0]?.error?.code).toBe(code);
    expect(out.txEvents[0]).toEqual([]);
    expect(out.blockEvents).toEqual([]);
    expect(out.changedKeys).toEqual([`auth/sequence/${addressOf(signer)}`]);
    expect(snapshot()).toEqual(before);
    return out;
  };
  const escrow = (id: string) => chain.get(`escrow/escrow/${id}`) as unknown as Escrow;
  const hold = (id: string) => chain.get(`token/hold/escrow:${id}`) as unknown as Hold | undefined;
  const balance = (a: string) => BigInt((chain.get(`token/balance/EUR/${a}`) as string | undefined) ?? "0");
  const held = (a: string) => BigInt((chain.get(`token/held/EUR/${a}`) as string | undefined) ?? "0");
  const now = () => time;
  /** Terms of a one-milestone DAP escrow on sscc(n), paid on receipt at the buyer's location. */
  const terms = (id: string, n: number, extra: Record<string, unknown> = {}) => ({
    id,
    seller: SELLER,
    asset: "EUR",
    amount: "10000",
    shipment: [sscc(n)],
    incoterm: "DAP",
    milestones: [{ name: "delivered", shareBps: 10_000, conditions: [atBuyer] }],
    deadline: time + 10 * DAY,
    ...extra,
  });
  const names = (out: ReturnType<typeof block>) => out.blockEvents.map((e) => `${e.module}.${e.type}`);
  return { chain, tx, block, capture, ok, fail, escrow, hold, balance, held, now, terms, names, snapshot };
}

/** Admission's stateless check (schema + precheck), as the API runs it. */
function admitCode(chain: MemChain, args: Record<string, unknown>): string | undefined {
  try {
    chain.registry.admit("escrow", "open", args);
    return undefined;
  } catch (e) {
    return e instanceof WeftError ? e.code : "untyped";
  }
}

describe("escrow.open: argument rules (ESCROW_BAD_ARGS), refused with nothing changed", () => {
  const milestone = (name: string, shareBps: number, extra: Record<string, unknown> = {}) => ({
    name,
    shareBps,
    conditions: [atBuyer],
    ...extra,
  });
  type Case = [string, (s: ReturnType<typeof setup>) => Record<string, unknown>, boolean];
  // [rule, terms, caught at admission by the stateless precheck]
  const cases: Case[] = [
    [
      "shares below 10000",
      (s) => s.terms("a", 1, { milestones: [milestone("m1", 5_000), milestone("m2", 4_999)] }),
      true,
    ],
    [
      "shares above 10000",
      (s) => s.terms("a", 1, { milestones: [milestone("m1", 5_000), milestone("m2", 5_001)] }),
      true,
    ],
    [
      "duplicate milestone names",
      (s) => s.terms("a", 1, { milestones: [milestone("m", 5_000), milestone("m", 5_000)] }),
      true,
    ],
    [
      "dueBy after the deadline",
      (s) =>
        s.terms("a", 1, {
          deadline: s.now() + DAY,
          milestones: [milestone("m", 10_000, { dueBy: s.now() + DAY + 1 })],
        }),
      true,
    ],
    [
      "an event condition naming no field",
      (s) => s.terms("a", 1, { milestones: [{ name: "m", shareBps: 10_000, conditions: [{ event: {} }] }] }),
      true,
    ],
    [
      "attestations k > number of accounts",
      (s) =>
        s.terms("a", 1, {
          milestones: [
            {
              name: "m",
              shareBps: 10_000,
              conditions: [{ attestations: { claim: "inspected", k: 3, from: [INSPECTOR, INSPECTOR2] } }],
            },
          ],
        }),
      true,
    ],
    [
      "attestations from the same account twice",
      (s) =>
        s.terms("a", 1, {
          milestones: [
            {
              name: "m",
              shareBps: 10_000,
              conditions: [{ attestations: { claim: "inspected", k: 1, from: [INSPECTOR, INSPECTOR] } }],
            },
          ],
        }),
      true,
    ],
    [
      'onAlarm "penalty" without excursionBps',
      (s) => s.terms("a", 1, { quality: { onAlarm: "penalty" } }),
      true,
    ],
    [
      'onAlarm "penalty" with excursionBps 0',
      (s) => s.terms("a", 1, { quality: { onAlarm: "penalty" }, penalties: { excursionBps: 0 } }),
      true,
    ],
    ["lateCapBps without latePerDayBps", (s) => s.terms("a", 1, { penalties: { lateCapBps: 1_000 } }), true],
    [
      "the same shipment id twice (URN and Digital Link of one SSCC)",
      (s) => s.terms("a", 1, { shipment: [sscc(1), SSCC1_DL_OTHER_HOST] }),
      true,
    ],
    ["the same shipment id twice (verbatim)", (s) => s.terms("a", 1, { shipment: [po(1), po(1)] }), true],
    ["amount 0", (s) => s.terms("a", 1, { amount: "0" }), true],
    [
      "a milestone worth 0 units (1 % of 99)",
      (s) => s.terms("a", 1, { amount: "99", milestones: [milestone("m1", 100), milestone("m2", 9_900)] }),
      true,
    ],
    ["arbiter is the seller", (s) => s.terms("a", 1, { arbiter: SELLER }), true],
    ["buyer is the seller", (s) => s.terms("a", 1, { seller: BUYER }), false],
    ["arbiter is the buyer", (s) => s.terms("a", 1, { arbiter: BUYER }), false],
    ["deadline at the block time", (s) => s.terms("a", 1, { deadline: s.now() }), false],
    ["deadline in the past", (s) => s.terms("a", 1, { deadline: s.now() - HOUR }), false],
    ["deadline too far", (s) => s.terms("a", 1, { deadline: s.now() + MAX_TERM_MS + 1 }), false],
    ["unknown asset", (s) => s.terms("a", 1, { asset: "XYZ" }), false],
    [
      "an organisation as attester on a chain without a registry",
      (s) =>
        s.terms("a", 1, {
          milestones: [
            {
              name: "m",
              shareBps: 10_000,
              conditions: [{ attestations: { claim: "inspected", k: 1, from: ["org:acme"] } }],
            },
          ],
        }),
      false,
    ],
    // Terms that could never match a record: refused rather than refunded at the deadline.
    ...(
      [
        ["a misspelt bizStep", { event: { bizStep: "recieving", bizLocation: BUYER_GLN } }],
        ["a bizStep in the wrong case", { event: { bizStep: "Receiving" } }],
        ["an unknown disposition", { event: { disposition: "urn:epcglobal:cbv:disp:broken" } }],
        ["an EPCIS event type that does not exist", { event: { eventType: "ShippingEvent" } }],
        [
          "a GLN with a wrong check digit",
          { event: { bizLocation: "https://id.gs1.org/414/9520002000018" } },
        ],
        ["a malformed SGLN", { event: { readPoint: "urn:epc:id:sgln:9520002.00001" } }],
        ["an unknown document type", { document: { type: "invoice" } }],
      ] as const
    ).map(
      ([rule, condition]): Case => [
        rule,
        (s) => s.terms("a", 1, { milestones: [{ name: "m", shareBps: 10_000, conditions: [condition] }] }),
        true,
      ],
    ),
    [
      "an SSCC with a wrong check digit",
      (s) => s.terms("a", 1, { shipment: ["https://id.gs1.org/00/095200010000000011"] }),
      true,
    ],
    ["an NFT asset", (s) => s.terms("a", 1, { asset: "ART", amount: "1" }), false],
  ];

  it.each(cases)("%s", (_rule, make, atAdmission) => {
    const s = setup();
    s.ok(buyer, "token", "createAsset", { asset: "ART", name: "Art", decimals: 0, kind: "nft" });
    s.ok(buyer, "token", "mintNft", { asset: "ART", tokenId: "1", to: BUYER });
    const args = make(s);
    expect(admitCode(s.chain, args)).toBe(atAdmission ? "ESCROW_BAD_ARGS" : undefined);
    s.fail(buyer, "escrow", "open", args, "ESCROW_BAD_ARGS");
    expect(s.chain.get("escrow/escrow/a")).toBeUndefined();
    // The same escrow with the rule respected opens.
    s.ok(buyer, "escrow", "open", s.terms("a", 1), 0);
    expect(s.escrow("a").status).toBe("open");
  });

  it("accepts the boundaries: dueBy at the deadline, a deadline exactly MAX_TERM_MS away, k = |from|", () => {
    const s = setup();
    s.ok(buyer, "escrow", "open", s.terms("far", 1, { deadline: s.now() + 1_000 + MAX_TERM_MS }));
    const deadline = s.now() + DAY;
    s.ok(
      buyer,
      "escrow",
      "open",
      s.terms("edge", 2, {
        deadline,
        milestones: [
          {
            name: "m",
            shareBps: 10_000,
            dueBy: deadline,
            conditions: [{ attestations: { claim: "inspected", k: 2, from: [INSPECTOR, INSPECTOR2] } }],
          },
        ],
      }),
    );
    expect(s.held(BUYER)).toBe(20_000n);
    // 1 % of 100 is 1 unit; the last milestone takes the remainder, however small its share.
    s.ok(buyer, "escrow", "open", {
      ...s.terms("small", 3),
      amount: "100",
      milestones: [
        { name: "m1", shareBps: 100, conditions: [atBuyer] },
        { name: "m2", shareBps: 9_899, conditions: [atBuyer] },
        { name: "m3", shareBps: 1, conditions: [atBuyer] },
      ],
    });
    expect(s.escrow("small").milestones.map((m) => m.amount)).toEqual(["1", "98", "1"]);
  });

  it("refuses an id in use (ESCROW_EXISTS), also once the first escrow is settled", () => {
    const s = setup();
    s.ok(buyer, "escrow", "open", s.terms("PO-1", 1));
    s.fail(buyer, "escrow", "open", s.terms("PO-1", 2), "ESCROW_EXISTS");
    s.fail(carrier, "escrow", "open", { ...s.terms("PO-1", 2), seller: BUYER }, "ESCROW_EXISTS");
    s.block([s.capture(carrier, received(1))]);
    expect(s.escrow("PO-1").status).toBe("settled");
    s.fail(buyer, "escrow", "open", s.terms("PO-1", 1), "ESCROW_EXISTS");
  });

  it("refuses an escrow the buyer cannot fund (TOKEN_INSUFFICIENT_FUNDS): no record, index, hold or cursor", () => {
    const s = setup();
    // The very first escrow of the chain: not even the due cursor may appear.
    s.fail(poor, "escrow", "open", { ...s.terms("big", 1), amount: "51" }, "TOKEN_INSUFFICIENT_FUNDS");
    expect(s.chain.get("escrow/due-cursor")).toBeUndefined();
    s.ok(poor, "escrow", "open", { ...s.terms("fits", 1), amount: "30" });
    // 20 left available: held funds do not count.
    s.fail(poor, "escrow", "open", { ...s.terms("more", 2), amount: "21" }, "TOKEN_INSUFFICIENT_FUNDS");
    s.ok(poor, "escrow", "open", { ...s.terms("more", 2), amount: "20" });
    expect(s.held(POOR)).toBe(50n);
    s.fail(poor, "token", "transfer", { asset: "EUR", to: BUYER, amount: "1" }, "TOKEN_INSUFFICIENT_FUNDS");
  });

  it("keeps escrow hold ids for the escrow module: nobody can take one first and block an escrow", () => {
    const s = setup();
    s.fail(
      poor,
      "token",
      "hold",
      { asset: "EUR", amount: "1", holdId: "escrow:PO-9" },
      "TOKEN_NOT_AUTHORIZED",
    );
    s.ok(poor, "token", "hold", { asset: "EUR", amount: "1", holdId: "escrowed:PO-9" });
    s.ok(buyer, "escrow", "open", s.terms("PO-9", 1));
    expect(s.hold("PO-9")).toMatchObject({ owner: BUYER, amount: "10000" });
  });
});

describe("escrow: release by records on the ledger", () => {
  it("places the hold with the escrow module as controller and releases once, at the end of the block", () => {
    const s = setup();
    const opened = s.ok(buyer, "escrow", "open", s.terms("PO-1", 1, { arbiter: ARBITER }));
    expect(opened.txEvents[0]?.map((e) => `${e.module}.${e.type}`)).toEqual([
      "token.HoldPlaced",
      "escrow.Opened",
    ]);
    expect(s.hold("PO-1")).toMatchObject({ owner: BUYER, controller: ESCROW, amount: "10000", asset: "EUR" });
    s.block([s.capture(seller, shipped(1))]);
    expect(s.escrow("PO-1").status).toBe("open");
    const out = s.block([s.capture(carrier, received(1))]);
    expect(s.names(out)).toEqual([
      "escrow.ConditionMet",
      "token.HoldReleased",
      "escrow.Released",
      "escrow.Settled",
    ]);
    expect(s.escrow("PO-1")).toMatchObject({ status: "settled" });
    expect(s.escrow("PO-1").milestones[0]).toMatchObject({
      status: "released",
      toSeller: "10000",
      toBuyer: "0",
    });
    expect(s.hold("PO-1")).toBeUndefined();
    expect([s.balance(SELLER), s.balance(BUYER), s.held(BUYER)]).toEqual([10_000n, 990_000n, 0n]);
    // Never twice: another receiving event, the same milestone, decisions — nothing moves.
    const again = s.block([s.capture(carrier, received(1))]);
    expect(again.blockEvents).toEqual([]);
    s.fail(buyer, "escrow", "dispute", { id: "PO-1", reason: "late" }, "ESCROW_CLOSED");
    s.fail(arbiter, "escrow", "resolve", { id: "PO-1", sellerBps: 0 }, "ESCROW_CLOSED");
    s.fail(seller, "escrow", "cancel", { id: "PO-1" }, "ESCROW_CLOSED");
    s.fail(seller, "token", "releaseHold", { holdId: "escrow:PO-1", to: SELLER }, "TOKEN_UNKNOWN_HOLD");
    s.block([], 20 * DAY);
    expect(s.escrow("PO-1").status).toBe("settled");
    expect([s.balance(SELLER), s.balance(BUYER)]).toEqual([10_000n, 990_000n]);
  });

  it("ignores events not about the shipment, at other places, of other steps, and error declarations", () => {
    const s = setup();
    s.ok(buyer, "escrow", "open", s.terms("PO-1", 1));
    const out = s.block([
      // Another shipment at the right place.
      s.capture(carrier, received(2)),
      // The shipment, received elsewhere.
      s.capture(carrier, received(1, { location: OTHER_GLN })),
      // The shipment at the buyer's, but arriving, not receiving.
      s.capture(carrier, received(1, { bizStep: "arriving" })),
      // An error declaration of a receiving event: declares a mistake, records no receipt.
      s.capture(carrier, received(1, { declaration: true })),
      // readPoint at the buyer's, bizLocation elsewhere.
      s.capture(carrier, received(1, { readPoint: BUYER_GLN, location: OTHER_GLN })),
    ]);
    expect(out.receipts.map((r) => r.status)).toEqual(["ok", "ok", "ok", "ok", "ok"]);
    expect(out.txEvents[3]?.[0]?.attributes.errorDeclaration).toBe("true");
    expect(out.blockEvents).toEqual([]);
    const e = s.escrow("PO-1");
    expect(e.status).toBe("open");
    expect(e.milestones[0]?.satisfied).toEqual([null]);
    expect(s.held(BUYER)).toBe(10_000n);
  });

  it("matches URN and Digital Link spellings of locations, shipments and CBV values", () => {
    const s = setup();
    // Condition with the SGLN URN, event with the Digital Link; shipment as SSCC URN, event as Digital Link.
    s.ok(buyer, "escrow", "open", s.terms("urn-cond", 1));
    // Condition with the Digital Link and CBV URIs, event with the SGLN URN and bare names;
    // shipment as a Digital Link on another host, event with the SSCC URN.
    s.ok(
      buyer,
      "escrow",
      "open",
      s.terms("dl-cond", 3, {
        shipment: [SSCC1_DL_OTHER_HOST.replace("0000000010", "0000000034")],
        milestones: [
          {
            name: "delivered",
            shareBps: 10_000,
            conditions: [
              {
                event: {
                  bizStep: "urn:epcglobal:cbv:bizstep:receiving",
                  bizLocation: BUYER_GLN_DL,
                  readPoint: BUYER_GLN_DL,
                  eventType: "ObjectEvent",
                  action: "OBSERVE",
                },
              },
            ],
          },
        ],
      }),
    );
    expect(s.escrow("urn-cond").shipment).toEqual([SSCC1_DL]);
    const out = s.block([
      s.capture(carrier, {
        epcs: [SSCC1_DL],
        bizStep: "https://ref.gs1.org/cbv/BizStep-receiving",
        location: BUYER_GLN_DL,
      }),
      s.capture(carrier, received(3)),
    ]);
    expect(out.receipts.map((r) => r.status)).toEqual(["ok", "ok"]);
    expect(s.escrow("urn-cond").status).toBe("settled");
    expect(s.escrow("dl-cond").status).toBe("settled");
    expect(s.balance(SELLER)).toBe(20_000n);
  });

  it("releases milestones on documents (desadv, recadv, inv, bol) by type and id, each once", () => {
    const s = setup();
    const INV = "urn:epc:id:gdti:9520001.00001.INV7";
    const INV_DL = "https://id.gs1.org/253/9520001000010INV7";
    const RECADV = "urn:epcglobal:cbv:bt:9520002000015:RECADV-7";
    s.ok(
      buyer,
      "escrow",
      "open",
      s.terms("docs", 7, {
        shipment: [sscc(7), po(7)],
        milestones: [
          { name: "shipped", shareBps: 2_000, conditions: [{ document: { type: "desadv" } }] },
          {
            name: "loaded",
            shareBps: 1_000,
            conditions: [{ document: { type: "urn:epcglobal:cbv:btt:bol" } }],
          },
          { name: "received", shareBps: 3_000, conditions: [{ document: { type: "recadv", id: RECADV } }] },
          { name: "invoiced", shareBps: 4_000, conditions: [{ document: { type: "inv", id: INV } }] },
        ],
      }),
    );
    const desadv = { type: "desadv", id: "urn:epcglobal:cbv:bt:9520001000012:DESADV-7" };
    // A desadv on an event about another shipment does not count.
    let out = s.block([s.capture(seller, shipped(8, { docs: [desadv] }))]);
    expect(out.blockEvents).toEqual([]);
    // The desadv and the bill of lading (type as a CBV URI) on the shipping event.
    out = s.block([
      s.capture(
        seller,
        shipped(7, { docs: [desadv, { type: "https://ref.gs1.org/cbv/BTT-bol", id: "urn:example:bol:7" }] }),
      ),
    ]);
    expect(s.escrow("docs").milestones.map((m) => m.status)).toEqual([
      "released",
      "released",
      "pending",
      "pending",
    ]);
    expect(s.balance(SELLER)).toBe(3_000n);
    // A recadv with another id, an invoice of another number: no.
    out = s.block([
      s.capture(buyer, {
        epcs: [sscc(7)],
        bizStep: "receiving",
        location: BUYER_GLN,
        docs: [
          { type: "recadv", id: "urn:epcglobal:cbv:bt:9520002000015:RECADV-8" },
          { type: "inv", id: "urn:epc:id:gdti:9520001.00001.INV8" },
        ],
      }),
    ]);
    expect(out.blockEvents).toEqual([]);
    // The recadv on an event naming only the PO (not the SSCC): about the shipment through its PO.
    out = s.block([
      s.capture(buyer, {
        epcs: [sscc(99)],
        bizStep: "receiving",
        location: BUYER_GLN,
        docs: [
          { type: "po", id: po(7) },
          { type: "recadv", id: RECADV },
        ],
      }),
    ]);
    expect(s.escrow("docs").milestones[2]?.status).toBe("released");
    expect(s.balance(SELLER)).toBe(6_000n);
    // The invoice, its GDTI written as a Digital Link; the desadv again changes nothing.
    out = s.block([
      s.capture(seller, {
        epcs: [sscc(7)],
        bizStep: "inspecting",
        location: SELLER_GLN,
        docs: [{ type: "inv", id: INV_DL }, desadv],
      }),
    ]);
    expect(out.blockEvents.filter((e) => e.type === "Released").map((e) => e.attributes.milestone)).toEqual([
      "invoiced",
    ]);
    expect(s.escrow("docs").status).toBe("settled");
    expect(s.balance(SELLER)).toBe(10_000n);
    expect(s.held(BUYER)).toBe(0n);
  });

  it("splits the amount by shares, the last milestone taking the rounding remainder", () => {
    const s = setup();
    s.ok(buyer, "escrow", "open", {
      ...s.terms("odd", 1),
      amount: "10001",
      milestones: [
        { name: "a", shareBps: 3_333, conditions: [{ event: { bizStep: "shipping" } }] },
        { name: "b", shareBps: 3_333, conditions: [{ document: { type: "desadv" } }] },
        { name: "c", shareBps: 3_334, conditions: [atBuyer] },
      ],
    });
    expect(s.escrow("odd").milestones.map((m) => m.amount)).toEqual(["3333", "3333", "3335"]);
    s.block([s.capture(carrier, received(1))]);
    expect(s.balance(SELLER)).toBe(3_335n);
    expect(s.held(BUYER)).toBe(6_666n);
  });

  it("opened in the same block as the receiving event, before it: released in that block", () => {
    const s = setup();
    const out = s.block([s.tx(buyer, "escrow", "open", s.terms("same", 1)), s.capture(carrier, received(1))]);
    expect(out.receipts.map((r) => r.status)).toEqual(["ok", "ok"]);
    expect(s.names(out)).toEqual([
      "escrow.ConditionMet",
      "token.HoldReleased",
      "escrow.Released",
      "escrow.Settled",
    ]);
    expect(s.escrow("same").milestones[0]?.satisfied[0]?.txHash).toBe(out.executed.write.txHashes[1]);
    expect(s.balance(SELLER)).toBe(10_000n);
  });

  it("opened in the same block after the receiving event: that earlier record does not count", () => {
    const s = setup();
    const out = s.block([
      s.capture(carrier, received(1)),
      s.tx(buyer, "escrow", "open", s.terms("after", 1)),
    ]);
    expect(out.receipts.map((r) => r.status)).toEqual(["ok", "ok"]);
    // As for a record one block earlier: the escrow did not exist when it was made.
    expect(out.blockEvents).toEqual([]);
    expect(s.escrow("after").status).toBe("open");
    expect(s.held(BUYER)).toBe(10_000n);
  });

  it("pays after k of n attestations; refuses accounts not listed and a second attestation", () => {
    const s = setup();
    s.ok(
      buyer,
      "escrow",
      "open",
      s.terms("att", 1, {
        milestones: [
          {
            name: "accepted",
            shareBps: 10_000,
            conditions: [
              { attestations: { claim: "inspected", k: 2, from: [INSPECTOR, INSPECTOR2, BUYER] } },
            ],
          },
        ],
      }),
    );
    s.fail(carrier, "escrow", "attest", { id: "att", claim: "inspected" }, "ESCROW_NOT_ATTESTER");
    s.fail(inspector, "escrow", "attest", { id: "att", claim: "weighed" }, "ESCROW_NOT_ATTESTER");
    s.fail(inspector, "escrow", "attest", { id: "nope", claim: "inspected" }, "ESCROW_UNKNOWN");
    const first = s.ok(inspector, "escrow", "attest", { id: "att", claim: "inspected" });
    expect(first.blockEvents).toEqual([]);
    s.fail(inspector, "escrow", "attest", { id: "att", claim: "inspected" }, "ESCROW_ALREADY_ATTESTED");
    const second = s.ok(buyer, "escrow", "attest", { id: "att", claim: "inspected" });
    expect(s.names(second)).toEqual([
      "escrow.ConditionMet",
      "token.HoldReleased",
      "escrow.Released",
      "escrow.Settled",
    ]);
    expect(s.escrow("att").milestones[0]?.satisfied[0]?.attesters).toEqual([INSPECTOR, BUYER]);
    s.fail(inspector2, "escrow", "attest", { id: "att", claim: "inspected" }, "ESCROW_CLOSED");
  });
});

describe("escrow: quality holds and penalties", () => {
  it("holds on a non-conformant disposition: no release on receipt, no refund at the deadline while someone can decide", () => {
    const s = setup();
    s.ok(buyer, "escrow", "open", s.terms("nc", 1, { deadline: s.now() + 2 * DAY, arbiter: ARBITER }));
    s.ok(buyer, "escrow", "open", s.terms("dmg", 2, { deadline: s.now() + 2 * DAY }));
    const held = s.block([
      s.capture(buyer, {
        epcs: [sscc(1)],
        bizStep: "inspecting",
        location: BUYER_GLN,
        disposition: "non_conformant",
      }),
      // A disposition written as a CBV URI.
      s.capture(carrier, shipped(2, { disposition: "https://ref.gs1.org/cbv/Disp-damaged" })),
    ]);
    expect(s.names(held)).toEqual(["escrow.Held", "escrow.Held"]);
    expect([s.escrow("nc").status, s.escrow("dmg").status]).toEqual(["held", "held"]);
    const recv = s.block([s.capture(carrier, received(1)), s.capture(carrier, received(2))]);
    expect(s.names(recv)).toEqual(["escrow.ConditionMet", "escrow.ConditionMet"]);
    expect(s.balance(SELLER)).toBe(0n);
    // "nc" has an arbiter and stays frozen; "dmg" has none on a chain without governance, so
    // nobody could ever decide it: the deadline refunds it.
    const late = s.block([], 3 * DAY);
    expect(s.names(late)).toEqual(["token.HoldCancelled", "escrow.Refunded"]);
    expect([s.escrow("nc").status, s.escrow("dmg").status]).toEqual(["held", "refunded"]);
    expect(s.escrow("nc").history.at(-1)).toMatchObject({ kind: "held" });
    expect(s.held(BUYER)).toBe(10_000n);
    // Decided by the arbiter: 30 % to the seller, the rest back to the buyer, at the end of the block.
    const decided = s.ok(arbiter, "escrow", "resolve", { id: "nc", sellerBps: 3_000, note: "partly usable" });
    expect(s.names(decided)).toEqual(["token.HoldReleased", "token.HoldReleased", "escrow.Resolved"]);
    expect(s.escrow("nc")).toMatchObject({ status: "resolved", pending: null });
    expect(s.escrow("nc").milestones[0]?.status).toBe("resolved");
    expect([s.balance(SELLER), s.balance(BUYER), s.held(BUYER)]).toEqual([3_000n, 997_000n, 0n]);
    s.fail(arbiter, "escrow", "resolve", { id: "dmg", sellerBps: 3_000 }, "ESCROW_CLOSED");
  });

  it("holds on a sensor alarm by default", () => {
    const s = setup();
    s.ok(buyer, "escrow", "open", s.terms("cold", 1, { arbiter: ARBITER }));
    const out = s.block([s.capture(carrier, shipped(1, { alarm: true }))]);
    expect(s.names(out)).toEqual(["escrow.Held"]);
    s.block([s.capture(carrier, received(1))]);
    expect(s.escrow("cold").status).toBe("held");
    expect(s.balance(SELLER)).toBe(0n);
    // Resumed by the arbiter: the conditions already met release it in that block.
    const resumed = s.ok(arbiter, "escrow", "resolve", { id: "cold", resume: true });
    expect(s.names(resumed)).toEqual(["token.HoldReleased", "escrow.Released", "escrow.Settled"]);
    expect(s.balance(SELLER)).toBe(10_000n);
  });

  it('takes excursionBps off every release after an alarm with onAlarm "penalty", combined with lateness', () => {
    const s = setup();
    const dueBy = s.now() + DAY;
    s.ok(
      buyer,
      "escrow",
      "open",
      s.terms("warm", 1, {
        quality: { onAlarm: "penalty" },
        penalties: { excursionBps: 1_500, latePerDayBps: 100 },
        milestones: [
          { name: "shipped", shareBps: 5_000, conditions: [{ event: { bizStep: "shipping" } }] },
          { name: "delivered", shareBps: 5_000, dueBy, conditions: [atBuyer] },
        ],
      }),
    );
    // The alarm comes with the shipping event: that release already pays the penalty.
    const out = s.block([s.capture(carrier, shipped(1, { alarm: true }))]);
    expect(s.names(out)).toEqual([
      "escrow.Excursion",
      "escrow.ConditionMet",
      "token.HoldReleased",
      "token.HoldReleased",
      "escrow.Released",
    ]);
    expect(s.escrow("warm").status).toBe("open");
    expect(s.escrow("warm").milestones[0]).toMatchObject({
      toSeller: "4250",
      toBuyer: "750",
      penaltyBps: 1_500,
    });
    // A second alarm costs nothing more; one started day late: 15 % + 1 %.
    s.block([s.capture(carrier, shipped(1, { alarm: true, location: OTHER_GLN }))]);
    s.block([s.capture(carrier, received(1))], DAY + HOUR);
    expect(s.escrow("warm").milestones[1]).toMatchObject({
      toSeller: "4200",
      toBuyer: "800",
      penaltyBps: 1_600,
    });
    expect(s.escrow("warm").status).toBe("settled");
    expect(s.balance(SELLER)).toBe(8_450n);
    expect(s.balance(BUYER)).toBe(1_000_000n - 8_450n);
    expect(s.held(BUYER)).toBe(0n);
  });

  it("charges latePerDayBps per started day after dueBy, up to lateCapBps", () => {
    const s = setup();
    const dueBy = s.now() + 1_000 + DAY;
    const late = (id: string, n: number) =>
      s.terms(id, n, {
        penalties: { latePerDayBps: 300, lateCapBps: 1_000 },
        milestones: [{ name: "delivered", shareBps: 10_000, dueBy, conditions: [atBuyer] }],
      });
    s.block([
      s.tx(buyer, "escrow", "open", late("on-time", 1)),
      s.tx(buyer, "escrow", "open", late("3-days", 2)),
      s.tx(buyer, "escrow", "open", late("capped", 3)),
    ]);
    // Exactly at dueBy: on time.
    s.block([s.capture(carrier, received(1))], dueBy - s.now());
    expect(s.escrow("on-time").milestones[0]).toMatchObject({
      toSeller: "10000",
      toBuyer: "0",
      penaltyBps: 0,
    });
    // 2 days and 1 ms late: 3 started days, 9 %.
    s.block([s.capture(carrier, received(2))], 2 * DAY + 1);
    expect(s.escrow("3-days").milestones[0]).toMatchObject({
      toSeller: "9100",
      toBuyer: "900",
      penaltyBps: 900,
    });
    // 6 days late: 18 %, capped at 10 %.
    s.block([s.capture(carrier, received(3))], 4 * DAY);
    expect(s.escrow("capped").milestones[0]).toMatchObject({
      toSeller: "9000",
      toBuyer: "1000",
      penaltyBps: 1_000,
    });
    expect(s.balance(SELLER)).toBe(28_100n);
    expect(s.held(BUYER)).toBe(0n);
  });

  it("refunds at the first block after the deadline, not at it", () => {
    const s = setup();
    const deadline = s.now() + 1_000 + HOUR;
    s.ok(buyer, "escrow", "open", s.terms("exp", 1, { deadline }));
    const at = s.block([], deadline - s.now());
    expect(at.blockEvents).toEqual([]);
    expect(s.escrow("exp").status).toBe("open");
    const after = s.block([], 1);
    expect(s.names(after)).toEqual(["token.HoldCancelled", "escrow.Refunded"]);
    expect(s.escrow("exp")).toMatchObject({ status: "refunded" });
    expect(s.escrow("exp").milestones[0]?.status).toBe("refunded");
    expect([s.balance(BUYER), s.held(BUYER)]).toEqual([1_000_000n, 0n]);
    // The receiving event after the deadline pays nothing.
    expect(s.block([s.capture(carrier, received(1))]).blockEvents).toEqual([]);
    expect(s.balance(SELLER)).toBe(0n);
  });

  it("refunds instead of releasing when the receiving event comes in a block past the deadline", () => {
    const s = setup();
    const deadline = s.now() + 1_000 + HOUR;
    s.ok(buyer, "escrow", "open", s.terms("late-rcv", 1, { deadline }));
    const out = s.block([s.capture(carrier, received(1))], HOUR + 5_000);
    expect(s.names(out)).toEqual(["escrow.ConditionMet", "token.HoldCancelled", "escrow.Refunded"]);
    expect(s.balance(SELLER)).toBe(0n);
  });
});

describe("escrow: disputes, decisions and cancellation", () => {
  it("refuses a dispute nobody could decide: no arbiter on a chain without governance", () => {
    const s = setup();
    s.ok(buyer, "escrow", "open", s.terms("alone", 1));
    s.fail(seller, "escrow", "dispute", { id: "alone", reason: "pretext" }, "ESCROW_NOT_AUTHORIZED");
    s.block([s.capture(carrier, received(1))]);
    expect(s.escrow("alone").status).toBe("settled");
  });

  it("freezes a disputed escrow: no release on receipt, no refund at the deadline; the arbiter's split is paid", () => {
    const s = setup();
    s.ok(buyer, "escrow", "open", s.terms("d", 1, { deadline: s.now() + DAY, arbiter: ARBITER }));
    s.fail(carrier, "escrow", "dispute", { id: "d", reason: "me too" }, "ESCROW_NOT_AUTHORIZED");
    s.fail(arbiter, "escrow", "resolve", { id: "d", sellerBps: 5_000 }, "ESCROW_NOT_FROZEN");
    const disputed = s.ok(buyer, "escrow", "dispute", { id: "d", reason: "wrong goods" });
    expect(disputed.txEvents[0]?.map((e) => e.type)).toEqual(["Disputed"]);
    s.fail(seller, "escrow", "dispute", { id: "d", reason: "again" }, "ESCROW_CLOSED");
    const recv = s.block([s.capture(carrier, received(1))]);
    expect(s.names(recv)).toEqual(["escrow.ConditionMet"]);
    expect(s.balance(SELLER)).toBe(0n);
    s.block([], 2 * DAY);
    expect(s.escrow("d").status).toBe("disputed");
    expect(s.held(BUYER)).toBe(10_000n);
    // Bad decisions are refused.
    s.fail(seller, "escrow", "resolve", { id: "d", sellerBps: 10_000 }, "ESCROW_NOT_AUTHORIZED");
    s.fail(arbiter, "escrow", "resolve", { id: "d" }, "ESCROW_BAD_ARGS");
    s.fail(arbiter, "escrow", "resolve", { id: "d", sellerBps: 1, resume: true }, "ESCROW_BAD_ARGS");
    s.fail(arbiter, "escrow", "resolve", { id: "d", sellerBps: 10_001 }, "APP_INVALID_ARGS");
    const decided = s.block([
      s.tx(arbiter, "escrow", "resolve", { id: "d", sellerBps: 2_500 }),
      // Decided in this block: nothing else may act on it until the decision is carried out.
      s.tx(seller, "escrow", "cancel", { id: "d" }),
      s.tx(arbiter, "escrow", "resolve", { id: "d", resume: true }),
    ]);
    expect(decided.receipts.map((r) => r.error?.code ?? "ok")).toEqual([
      "ok",
      "ESCROW_CLOSED",
      "ESCROW_CLOSED",
    ]);
    expect(decided.blockEvents.find((e) => e.type === "Resolved")?.attributes).toMatchObject({
      toSeller: "2500",
      toBuyer: "7500",
    });
    expect(s.escrow("d")).toMatchObject({ status: "resolved", pending: null });
    expect([s.balance(SELLER), s.balance(BUYER), s.held(BUYER)]).toEqual([2_500n, 997_500n, 0n]);
    s.fail(arbiter, "escrow", "resolve", { id: "d", sellerBps: 10_000 }, "ESCROW_CLOSED");
  });

  it("resolves only what is still held: released milestones stay paid", () => {
    const s = setup();
    s.ok(
      buyer,
      "escrow",
      "open",
      s.terms("part", 1, {
        arbiter: ARBITER,
        milestones: [
          { name: "shipped", shareBps: 4_000, conditions: [{ event: { bizStep: "shipping" } }] },
          { name: "delivered", shareBps: 6_000, conditions: [atBuyer] },
        ],
      }),
    );
    s.block([s.capture(seller, shipped(1))]);
    s.ok(seller, "escrow", "dispute", { id: "part", reason: "buyer refuses delivery" });
    s.ok(arbiter, "escrow", "resolve", { id: "part", sellerBps: 5_000 });
    expect(s.escrow("part").milestones.map((m) => m.status)).toEqual(["released", "resolved"]);
    expect([s.balance(SELLER), s.held(BUYER)]).toEqual([7_000n, 0n]);
  });

  it("resumed: releases if the conditions were met meanwhile, refunds if the deadline passed", () => {
    const s = setup();
    s.ok(buyer, "escrow", "open", s.terms("r1", 1, { arbiter: ARBITER }));
    s.ok(buyer, "escrow", "open", s.terms("r2", 2, { arbiter: ARBITER, deadline: s.now() + DAY }));
    s.ok(buyer, "escrow", "open", s.terms("r3", 3, { arbiter: ARBITER }));
    s.block([
      s.tx(buyer, "escrow", "dispute", { id: "r1", reason: "x" }),
      s.tx(seller, "escrow", "dispute", { id: "r2", reason: "x" }),
      s.tx(buyer, "escrow", "dispute", { id: "r3", reason: "x" }),
    ]);
    s.block([s.capture(carrier, received(1)), s.capture(carrier, received(2))]);
    expect(s.balance(SELLER)).toBe(0n);
    s.block([], 2 * DAY);
    const r1 = s.ok(arbiter, "escrow", "resolve", { id: "r1", resume: true });
    expect(s.names(r1)).toEqual(["token.HoldReleased", "escrow.Released", "escrow.Settled"]);
    const r2 = s.ok(arbiter, "escrow", "resolve", { id: "r2", resume: true });
    expect(s.names(r2)).toEqual(["token.HoldCancelled", "escrow.Refunded"]);
    // Not yet received and before its deadline: open again, released by the next receipt.
    const r3 = s.ok(arbiter, "escrow", "resolve", { id: "r3", resume: true });
    expect(r3.blockEvents).toEqual([]);
    expect(s.escrow("r3").status).toBe("open");
    s.block([s.capture(carrier, received(3))]);
    expect([s.escrow("r1").status, s.escrow("r2").status, s.escrow("r3").status]).toEqual([
      "settled",
      "refunded",
      "settled",
    ]);
    expect([s.balance(SELLER), s.held(BUYER)]).toEqual([20_000n, 0n]);
  });

  it(`allows at most ${MAX_DISPUTES} disputes`, () => {
    const s = setup();
    s.ok(buyer, "escrow", "open", s.terms("many", 1, { arbiter: ARBITER }));
    for (let i = 0; i < MAX_DISPUTES; i++) {
      s.ok(i % 2 ? seller : buyer, "escrow", "dispute", { id: "many", reason: `round ${i}` });
      s.ok(arbiter, "escrow", "resolve", { id: "many", resume: true });
    }
    s.fail(buyer, "escrow", "dispute", { id: "many", reason: "once more" }, "ESCROW_CLOSED");
    expect(s.escrow("many")).toMatchObject({ status: "open", disputes: MAX_DISPUTES });
  });

  it("cancelled by the seller: everything still held back to the buyer at the end of the block", () => {
    const s = setup();
    s.ok(
      buyer,
      "escrow",
      "open",
      s.terms("c", 1, {
        milestones: [
          { name: "shipped", shareBps: 3_000, conditions: [{ event: { bizStep: "shipping" } }] },
          { name: "delivered", shareBps: 7_000, conditions: [atBuyer] },
        ],
      }),
    );
    s.block([s.capture(seller, shipped(1))]);
    s.fail(buyer, "escrow", "cancel", { id: "c" }, "ESCROW_NOT_AUTHORIZED");
    s.fail(carrier, "escrow", "cancel", { id: "c" }, "ESCROW_NOT_AUTHORIZED");
    s.fail(seller, "escrow", "cancel", { id: "nope" }, "ESCROW_UNKNOWN");
    // Cancelled in the same block as the receiving event: the cancellation wins.
    const out = s.block([s.tx(seller, "escrow", "cancel", { id: "c" }), s.capture(carrier, received(1))]);
    expect(s.names(out)).toEqual(["escrow.ConditionMet", "token.HoldCancelled", "escrow.Cancelled"]);
    expect(out.blockEvents.at(-1)?.attributes).toMatchObject({ toBuyer: "7000" });
    expect(s.escrow("c").milestones.map((m) => m.status)).toEqual(["released", "refunded"]);
    expect([s.balance(SELLER), s.balance(BUYER), s.held(BUYER)]).toEqual([3_000n, 997_000n, 0n]);
    s.fail(seller, "escrow", "cancel", { id: "c" }, "ESCROW_CLOSED");
    s.fail(buyer, "escrow", "dispute", { id: "c", reason: "x" }, "ESCROW_CLOSED");
  });

  it("the escrow's hold is the module's: neither buyer nor seller can release or cancel it directly", () => {
    const s = setup();
    s.ok(buyer, "escrow", "open", s.terms("h", 1));
    s.fail(buyer, "token", "releaseHold", { holdId: "escrow:h", to: BUYER }, "TOKEN_NOT_AUTHORIZED");
    s.fail(seller, "token", "releaseHold", { holdId: "escrow:h", to: SELLER }, "TOKEN_NOT_AUTHORIZED");
    s.fail(buyer, "token", "cancelHold", { holdId: "escrow:h" }, "TOKEN_NOT_AUTHORIZED");
    s.fail(
      buyer,
      "token",
      "transfer",
      { asset: "EUR", to: SELLER, amount: "990001" },
      "TOKEN_INSUFFICIENT_FUNDS",
    );
    s.fail(buyer, "token", "burn", { asset: "EUR", amount: "990001" }, "TOKEN_INSUFFICIENT_FUNDS");
  });

  it("escrow methods are a party's own transactions, not calls run for others", () => {
    const s = setup();
    s.ok(buyer, "escrow", "open", s.terms("own", 1, { arbiter: ARBITER }));
    const out = s.ok(buyer, "gov", "propose", {
      title: "open for me",
      actions: [{ module: "escrow", method: "open", args: s.terms("via-gov", 2) }],
    });
    expect(out.txEvents[0]?.map((e) => e.type)).toContain("ProposalFailed");
    expect(s.chain.get("escrow/escrow/via-gov")).toBeUndefined();
  });

  it("on an open chain (no organisations) a proposal cannot decide an escrow: anyone could", () => {
    const s = setup();
    s.ok(buyer, "escrow", "open", s.terms("steal", 1, { arbiter: ARBITER }));
    s.ok(seller, "escrow", "dispute", { id: "steal", reason: "pretext" });
    const out = s.ok(seller, "gov", "propose", {
      title: "pay me",
      actions: [{ module: "escrow", method: "resolve", args: { id: "steal", sellerBps: 10_000 } }],
    });
    expect(out.txEvents[0]?.find((e) => e.type === "ProposalFailed")?.attributes.error).toMatchObject({
      code: "ESCROW_NOT_AUTHORIZED",
    });
    expect(s.escrow("steal")).toMatchObject({ status: "disputed", pending: null });
    expect([s.balance(SELLER), s.held(BUYER)]).toEqual([0n, 10_000n]);
  });
});
