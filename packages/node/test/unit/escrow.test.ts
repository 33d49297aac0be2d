import { addressOf, defaultChainParams, type Genesis, generateKeyPair, type KeyPair } from "@weft/core";
import { describe, expect, it } from "vitest";
import type { Escrow } from "../../src/modules/escrow/state.js";
import { defaultModules } from "../../src/modules/index.js";
import { BUYER_GLN, eventDoc, po, SELLER_GLN, sscc } from "./support/escrow-docs.js";
import { MemChain } from "./support/mem-chain.js";

const T0 = 1_700_000_000_000;
const DAY = 86_400_000;
const [buyer, seller, carrier, inspector] = [1, 2, 3, 4].map(() => generateKeyPair()) as KeyPair[] as [
  KeyPair,
  KeyPair,
  KeyPair,
  KeyPair,
];
const BUYER = addressOf(buyer);
const SELLER = addressOf(seller);
const INSPECTOR = addressOf(inspector);

const genesis: Genesis = {
  chainId: "weft-escrow",
  genesisTime: T0,
  validators: [
    { address: BUYER, publicKey: { alg: buyer.alg, publicKey: buyer.publicKey }, power: 1, name: "v0" },
  ],
  params: { ...defaultChainParams },
  appState: {
    token: {
      assets: [{ id: "EUR", name: "Euro", decimals: 2, issuer: BUYER }],
      balances: [{ asset: "EUR", address: BUYER, amount: "1000000" }],
    },
  },
};

function setup() {
  const chain = new MemChain(genesis, defaultModules);
  let time = T0;
  const block = (txs: ReturnType<MemChain["tx"]>[], step = 1_000) => {
    time += step;
    return chain.block(time, txs);
  };
  const tx = (signer: KeyPair, module: string, method: string, args: Record<string, unknown>) =>
    chain.tx(signer, module, method, args);
  const escrow = (id: string) => chain.get(`escrow/escrow/${id}`) as unknown as Escrow;
  const balance = (a: string) => chain.get(`token/balance/EUR/${a}`) ?? "0";
  const held = (a: string) => chain.get(`token/held/EUR/${a}`) ?? "0";
  const now = () => time;
  return { chain, block, tx, escrow, balance, held, now };
}

const dap = (id: string, n: number, deadline: number, extra: Record<string, unknown> = {}) => ({
  id,
  seller: SELLER,
  asset: "EUR",
  amount: "10000",
  shipment: [sscc(n)],
  incoterm: "DAP",
  milestones: [
    {
      name: "delivered",
      shareBps: 10_000,
      conditions: [{ event: { bizStep: "receiving", bizLocation: BUYER_GLN } }],
    },
  ],
  deadline,
  ...extra,
});

describe("escrow", () => {
  it("releases in the same block as the receiving event at the buyer's location, once", () => {
    const s = setup();
    const opened = s.block([s.tx(buyer, "escrow", "open", dap("PO-1", 1, T0 + 10 * DAY))]);
    expect(opened.receipts[0]?.error).toBeUndefined();
    expect(s.held(BUYER)).toBe("10000");
    const shipped = s.block([
      s.tx(seller, "trace", "capture", {
        document: eventDoc({
          epc: sscc(1),
          bizStep: "shipping",
          location: SELLER_GLN,
          time: "2026-01-01T00:00:00Z",
        }),
      }),
    ]);
    expect(shipped.receipts[0]?.status).toBe("ok");
    expect(s.escrow("PO-1").status).toBe("open");
    const received = s.block([
      s.tx(carrier, "trace", "capture", {
        document: eventDoc({
          epc: sscc(1),
          bizStep: "receiving",
          location: BUYER_GLN,
          time: "2026-01-02T00:00:00Z",
        }),
      }),
    ]);
    expect(received.receipts[0]?.status).toBe("ok");
    expect(received.blockEvents.map((e) => `${e.module}.${e.type}`)).toEqual([
      "escrow.ConditionMet",
      "token.HoldReleased",
      "escrow.Released",
      "escrow.Settled",
    ]);
    const e = s.escrow("PO-1");
    expect(e.status).toBe("settled");
    expect(e.milestones[0]?.satisfied[0]?.txHash).toBe(received.executed.write.txHashes[0]);
    expect(s.balance(SELLER)).toBe("10000");
    expect(s.balance(BUYER)).toBe("990000");
    expect(s.held(BUYER)).toBe("0");
    // A second receiving event changes nothing.
    const again = s.block([
      s.tx(carrier, "trace", "capture", {
        document: eventDoc({
          epc: sscc(1),
          bizStep: "receiving",
          location: BUYER_GLN,
          time: "2026-01-03T00:00:00Z",
        }),
      }),
    ]);
    expect(again.blockEvents).toEqual([]);
    expect(s.balance(SELLER)).toBe("10000");
  });

  it("pays a late delivery less the late penalty, refunds at the deadline, holds on alarms", () => {
    const s = setup();
    s.block([
      s.tx(buyer, "escrow", "open", {
        ...dap("late", 2, T0 + 20 * DAY, { penalties: { latePerDayBps: 200, lateCapBps: 1000 } }),
        milestones: [
          {
            name: "delivered",
            shareBps: 10_000,
            dueBy: T0 + 2 * DAY,
            conditions: [{ event: { bizStep: "receiving", bizLocation: BUYER_GLN } }],
          },
        ],
      }),
      s.tx(buyer, "escrow", "open", dap("expire", 3, T0 + 5 * DAY + 2 * 3_600_000)),
      s.tx(buyer, "escrow", "open", dap("alarm", 4, T0 + 20 * DAY)),
    ]);
    // 3 days and a bit late: 4 started days x 2 % = 8 %.
    s.block(
      [
        s.tx(carrier, "trace", "capture", {
          document: eventDoc({
            epc: sscc(2),
            bizStep: "receiving",
            location: BUYER_GLN,
            time: "2026-01-05T00:00:00Z",
          }),
        }),
        s.tx(carrier, "trace", "capture", {
          document: eventDoc({
            epc: sscc(4),
            bizStep: "shipping",
            location: SELLER_GLN,
            time: "2026-01-05T00:00:00Z",
            alarm: true,
          }),
        }),
      ],
      5 * DAY + 3_600_000,
    );
    expect(s.escrow("late").milestones[0]).toMatchObject({
      status: "released",
      toSeller: "9200",
      toBuyer: "800",
      penaltyBps: 800,
    });
    expect(s.escrow("alarm").status).toBe("held");
    expect(s.escrow("expire").status).toBe("open");
    // Deadline passed: the next block refunds.
    s.block([], 3_600_000);
    expect(s.escrow("expire").status).toBe("refunded");
    expect(s.escrow("alarm").status).toBe("held");
    expect(s.balance(SELLER)).toBe("9200");
    expect(s.held(BUYER)).toBe("10000");
  });

  it("takes k-of-n attestations and splits milestones", () => {
    const s = setup();
    s.block([
      s.tx(buyer, "escrow", "open", {
        ...dap("ms", 5, T0 + 20 * DAY),
        shipment: [sscc(5), po(5)],
        milestones: [
          { name: "shipped", shareBps: 3000, conditions: [{ document: { type: "desadv" } }] },
          {
            name: "accepted",
            shareBps: 7000,
            conditions: [
              { event: { bizStep: "receiving", bizLocation: BUYER_GLN } },
              { attestations: { claim: "inspected", k: 1, from: [INSPECTOR] } },
            ],
          },
        ],
      }),
    ]);
    s.block([
      s.tx(seller, "trace", "capture", {
        document: eventDoc({
          epc: sscc(5),
          bizStep: "shipping",
          location: SELLER_GLN,
          time: "2026-01-05T00:00:00Z",
          bizTransactions: [{ type: "desadv", id: "urn:epcglobal:cbv:bt:9520001000012:DESADV-5" }],
        }),
      }),
    ]);
    expect(s.balance(SELLER)).toBe("3000");
    s.block([
      s.tx(carrier, "trace", "capture", {
        document: eventDoc({
          epc: sscc(5),
          bizStep: "receiving",
          location: BUYER_GLN,
          time: "2026-01-06T00:00:00Z",
        }),
      }),
    ]);
    expect(s.balance(SELLER)).toBe("3000");
    const attested = s.block([s.tx(inspector, "escrow", "attest", { id: "ms", claim: "inspected" })]);
    expect(attested.receipts[0]?.error).toBeUndefined();
    expect(s.balance(SELLER)).toBe("10000");
    expect(s.escrow("ms").status).toBe("settled");
    const bad = s.block([s.tx(carrier, "escrow", "attest", { id: "ms", claim: "inspected" })]);
    expect(bad.receipts[0]?.error?.code).toBe("ESCROW_CLOSED");
  });

  it("files many escrows sharing a deadline in small pages and refunds them in one block", () => {
    const s = setup();
    // T0 is 20 s into a minute: both deadlines below fall in one minute.
    const deadline = T0 + 2 * DAY;
    const minute = Math.floor(deadline / 60_000);
    const opens = (from: number, n: number, at = deadline) =>
      Array.from({ length: n }, (_, i) =>
        s.tx(buyer, "escrow", "open", dap(`bulk-${from + i}`, 100 + from + i, at, { amount: "1000" })),
      );
    const first = s.block(opens(0, 100));
    expect(first.receipts.every((r) => r.status === "ok")).toBe(true);
    // Each open appends to the minute's last page: no rewrite of the whole minute.
    const second = s.block([
      ...opens(100, 99),
      s.tx(buyer, "escrow", "open", dap("later", 999, deadline + 20_000, { amount: "1000" })),
    ]);
    expect(second.receipts.every((r) => r.status === "ok")).toBe(true);
    expect(s.chain.get(`escrow/due/${minute}`)).toEqual({ pages: 4, next: deadline });
    expect((s.chain.get(`escrow/due/${minute}/3`) as unknown[]).length).toBe(200 - 3 * 64);
    const one = s.block([s.tx(buyer, "escrow", "open", dap("one-more", 1000, deadline, { amount: "1000" }))]);
    expect(one.changedKeys.filter((k) => k.startsWith("escrow/due/"))).toEqual([
      `escrow/due/${minute}`,
      `escrow/due/${minute}/3`,
    ]);
    // Before the deadline nothing is read beyond the minute's summary; after it, all refunds at once.
    s.block([], deadline - s.now());
    expect(s.escrow("bulk-0").status).toBe("open");
    const refunded = s.block([], 1);
    expect(refunded.blockEvents.filter((e) => e.type === "Refunded")).toHaveLength(200);
    expect(s.escrow("one-more").status).toBe("refunded");
    expect(s.escrow("later").status).toBe("open");
    expect(s.chain.get(`escrow/due/${minute}`)).toEqual({ pages: 1, next: deadline + 20_000 });
    s.block([], 20_000);
    expect(s.escrow("later").status).toBe("refunded");
    expect(s.chain.get(`escrow/due/${minute}`)).toBeUndefined();
    expect(s.held(BUYER)).toBe("0");
  });

  it("bounds the escrows one identifier may wake: the 65th on one shipment is refused", () => {
    const s = setup();
    const open = (i: number) => s.tx(buyer, "escrow", "open", dap(`same-${i}`, 7, T0 + DAY, { amount: "1" }));
    const first = s.block(Array.from({ length: 64 }, (_, i) => open(i)));
    expect(first.receipts.every((r) => r.status === "ok")).toBe(true);
    const over = s.block([open(64)]);
    expect(over.receipts[0]?.error?.code).toBe("ESCROW_TOO_MANY_WAITING");
    expect(s.chain.get("escrow/escrow/same-64")).toBeUndefined();
    // One receiving event settles all 64 in its block.
    const received = s.block([
      s.tx(carrier, "trace", "capture", {
        document: eventDoc({
          epc: sscc(7),
          bizStep: "receiving",
          location: BUYER_GLN,
          time: "2026-01-09T00:00:00Z",
        }),
      }),
    ]);
    expect(received.blockEvents.filter((e) => e.type === "Settled")).toHaveLength(64);
    expect(s.balance(SELLER)).toBe("64");
    // Settled escrows leave the index: the identifier takes new escrows again.
    expect(s.block([open(64)]).receipts[0]?.status).toBe("ok");
  });
});
