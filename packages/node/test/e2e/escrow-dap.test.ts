import { verifyProof } from "@weft/core";
import {
  deliveryMilestone,
  type EscrowRecord,
  type EscrowView,
  escrowCall,
  type OpenEscrowParams,
  type TxStatus,
  verifyEscrowView,
} from "@weft/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { until } from "../support/network.js";
import { sscc } from "../unit/support/escrow-docs.js";
import {
  BUYER_FUNDS,
  BUYER_GLN,
  BUYER_GLN13,
  CARRIER_HUB,
  createEscrowWorld,
  type EscrowWorld,
  EUR,
  ORG,
  type OrgIndex,
  SELLER_GLN,
} from "./support/escrow-world.js";

/**
 * Payment on delivery (Incoterms DAP) across four organisations on a BFT network with mutual
 * TLS: the buyer (org2) funds an escrow, the seller (org1) ships from its GLN, the buyer records
 * the receipt at its own GLN through its node's EPCIS REST API, and the escrow module pays the
 * seller at the end of that very block — nobody sends a "release". Late deliveries cost a
 * penalty, a passed deadline refunds the buyer on its own, a non-conformant inspection or a
 * temperature alarm freezes the funds until the arbiter (org4) splits them, and nothing pays
 * twice. Answers are read from the carrier's node (org3), which sent none of these transactions,
 * and their proofs are checked offline against the genesis.
 */
describe("DAP escrow over EPCIS records across four organisations (BFT, mutual TLS)", () => {
  let w: EscrowWorld;
  let BUYER: string;
  let SELLER: string;
  let ARBITER: string;
  /** Where answers are read: the carrier's node. */
  const reader = () => w.client(ORG.carrier);

  const stateAt = async (key: string, height?: number) =>
    ((await reader().getState(key, height === undefined ? {} : { height })).value as string | null) ?? "0";
  const balance = (address: string, height?: number) => stateAt(`token/balance/${EUR}/${address}`, height);
  const held = (address: string, height?: number) => stateAt(`token/held/${EUR}/${address}`, height);
  const balances = async (height?: number) => ({
    buyer: BigInt(await balance(BUYER, height)),
    seller: BigInt(await balance(SELLER, height)),
    held: BigInt(await held(BUYER, height)),
  });
  /** The escrow as a node that took no part stores it, read through its API. */
  const view = async (id: string, atLeast: number): Promise<EscrowView> => {
    await w.everywhere(atLeast);
    const v = await reader().escrow(id);
    expect(v.height).toBeGreaterThanOrEqual(atLeast);
    return v;
  };
  /** The escrow's status straight from a node's state (for polling). */
  const statusOn = (org: OrgIndex, id: string) =>
    (w.net.nodes[org]?.service.query("escrow", "escrow", { id }).value as unknown as EscrowRecord | null)
      ?.status;
  const ok = (s: TxStatus) => {
    expect(s.status).toBe("committed");
    expect(s.receipt?.error).toBeUndefined();
    expect(s.receipt?.status).toBe("ok");
    return s.height as number;
  };
  type Terms = Omit<OpenEscrowParams, "id" | "seller" | "asset" | "deadline"> & { deadline?: number };
  /** The buyer's order: paid on delivery at its GLN; deadline an hour of block time away unless given. */
  const order = async (id: string, terms: Terms) =>
    escrowCall.open({
      id,
      seller: SELLER,
      asset: EUR,
      incoterm: "DAP",
      arbiter: ARBITER,
      ...terms,
      deadline: terms.deadline ?? (await w.blockTime(ORG.buyer)) + 3_600_000,
    });
  const open = async (id: string, terms: Terms) => w.send(ORG.buyer, await order(id, terms));
  const ship = (n: number) => ({
    epc: sscc(n),
    bizStep: "shipping" as const,
    location: SELLER_GLN,
    disposition: "in_transit",
    time: w.eventTime(),
  });
  const receive = (n: number) => ({
    epc: sscc(n),
    bizStep: "receiving" as const,
    location: BUYER_GLN,
    disposition: "in_progress",
    time: w.eventTime(),
  });

  beforeAll(async () => {
    w = await createEscrowWorld();
    BUYER = w.address(ORG.buyer);
    SELLER = w.address(ORG.seller);
    ARBITER = w.address(ORG.arbiter);
  }, 60_000);
  afterAll(async () => {
    await w?.close();
  });

  it("releases the payment in the block of the receiving event at the buyer's GLN; a third node proves it", async () => {
    const start = await balances();
    expect(start).toEqual({ buyer: BUYER_FUNDS, seller: 0n, held: 0n });

    // The buyer places the order and funds it: its balance is held, not moved.
    // The delivery place as the purchase order names it (a 13-digit GLN): the events say SGLN.
    const openedAt = ok(
      await open("PO-1", {
        amount: "250000",
        shipment: [sscc(1)],
        milestones: [deliveryMilestone({ deliverTo: BUYER_GLN13 })],
      }),
    );
    await w.everywhere(openedAt);
    expect(await balances()).toEqual({ buyer: BUYER_FUNDS, seller: 0n, held: 250_000n });

    // The seller records the shipment at its own location: nothing is paid yet.
    const shipped = await w.capture(ORG.seller, [ship(1)]);
    const afterShipping = await view("PO-1", shipped.height);
    expect(afterShipping.escrow.status).toBe("open");
    expect(afterShipping.escrow.milestones[0]).toMatchObject({ status: "pending", satisfied: [null] });
    expect(afterShipping.why.at(-2)).toMatch(/^awaiting: milestone delivered, condition 0/);

    // The seller cannot record the receipt itself: the buyer's GLN is not one of its locations.
    const forged = await w.captureJob(ORG.seller, [receive(1)]);
    expect(forged).toMatchObject({ running: false, success: false, capturedEventCount: 0 });
    expect(forged.txs).toMatchObject([{ status: "failed", error: { code: "POLICY_DENIED" } }]);
    // EPCIS 2.0 names a refusal by access control a SecurityException.
    expect(forged.errors).toMatchObject([
      { type: "epcisException:SecurityException", status: 403, code: "POLICY_DENIED" },
    ]);
    expect(statusOn(ORG.carrier, "PO-1")).toBe("open");
    expect(await balances()).toEqual({ buyer: BUYER_FUNDS, seller: 0n, held: 250_000n });

    // The buyer records the receipt at its GLN through its own node's EPCIS API.
    const received = await w.capture(ORG.buyer, [receive(1)]);
    const tx = await reader().getTx(received.hash);
    expect(tx).toMatchObject({ status: "committed", height: received.height, receipt: { status: "ok" } });
    expect(tx.tx.body.module).toBe("trace");
    expect(tx.tx.body.method).toBe("capture");

    const v = await view("PO-1", received.height);
    const escrow = v.escrow;
    expect(escrow).toMatchObject({ status: "settled", buyer: BUYER, seller: SELLER, incoterm: "DAP" });
    const [milestone] = escrow.milestones;
    // Released at the end of the receiving event's own block, in full.
    expect(milestone).toMatchObject({
      status: "released",
      closedAt: tx.height,
      toSeller: "250000",
      toBuyer: "0",
      penaltyBps: 0,
    });
    expect(milestone?.satisfied[0]).toMatchObject({
      height: tx.height,
      txHash: received.hash,
      eventId: received.eventIds[0],
    });
    // The funds moved in that block and not before.
    expect(await balances(received.height - 1)).toEqual({ buyer: BUYER_FUNDS, seller: 0n, held: 250_000n });
    expect(await balances(received.height)).toEqual({
      buyer: BUYER_FUNDS - 250_000n,
      seller: 250_000n,
      held: 0n,
    });
    expect(v.why.some((l) => l.includes(`met by event ${received.eventIds[0]} in tx ${received.hash}`))).toBe(
      true,
    );
    expect(v.why.at(-1)).toBe(
      `height ${tx.height}: milestone delivered released: 250000 to the seller, 0 back to the buyer`,
    );

    // Offline, with nothing but the genesis: the escrow's state and every record it names.
    const state = verifyProof(v.proof, w.genesis);
    expect(state).toMatchObject({ kind: "weft.proof.state/v1", height: v.height });
    expect(v.records.map((r) => r.txHash)).toEqual([escrow.openTx, received.hash]);
    for (const r of v.records) expect(verifyProof(r.proof, w.genesis).kind).toMatch(/^weft\.proof\.tx/);
    expect(verifyEscrowView(v, w.genesis).records).toHaveLength(2);
    // And the seller's balance, proven by the same node.
    const paid = await reader().balance(EUR, SELLER, { prove: true });
    expect(paid.value).toBe("250000");
    expect(verifyProof(paid.proof, w.genesis).kind).toBe("weft.proof.state/v1");
  });

  it("pays a late delivery less the late penalty: one started day costs 5 %", async () => {
    const before = await balances();
    const dueBy = (await w.blockTime(ORG.buyer)) + 3_000;
    const openedAt = ok(
      await open("PO-2", {
        amount: "100000",
        shipment: [sscc(2)],
        milestones: [deliveryMilestone({ deliverTo: BUYER_GLN, dueBy })],
        penalties: { latePerDayBps: 500 },
      }),
    );
    expect((await reader().getBlock(openedAt)).block.header.time).toBeLessThan(dueBy);
    const shipped = await w.capture(ORG.seller, [ship(2)]);
    expect(shipped.height).toBeGreaterThan(openedAt);
    // The chain's clock, not the test's, decides lateness.
    await until("block time past dueBy", () => w.chainTime(ORG.buyer) > dueBy);
    const received = await w.capture(ORG.buyer, [receive(2)]);
    const block = await reader().getBlock(received.height);
    expect(block.block.header.time).toBeGreaterThan(dueBy);

    const { escrow } = await view("PO-2", received.height);
    expect(escrow.status).toBe("settled");
    expect(escrow.milestones[0]).toMatchObject({
      status: "released",
      closedAt: received.height,
      dueBy,
      toSeller: "95000",
      toBuyer: "5000",
      penaltyBps: 500,
    });
    expect(escrow.history.at(-1)).toMatchObject({ kind: "released", note: "penalty 500 bps: 1 day(s) late" });
    expect(await balances(received.height)).toEqual({
      buyer: before.buyer - 95_000n,
      seller: before.seller + 95_000n,
      held: 0n,
    });
  });

  it("refunds the buyer when the deadline passes with nothing delivered, without any transaction", async () => {
    const before = await balances();
    const deadline = (await w.blockTime(ORG.buyer)) + 4_000;
    const openedAt = ok(
      await open("PO-3", {
        amount: "400000",
        shipment: [sscc(3)],
        milestones: [deliveryMilestone({ deliverTo: BUYER_GLN })],
        deadline,
      }),
    );
    await w.everywhere(openedAt);
    expect(await balances()).toEqual({ ...before, held: 400_000n });

    await until("PO-3 refunded", () => statusOn(ORG.carrier, "PO-3") === "refunded", 20_000);
    const { escrow, why } = await view("PO-3", openedAt + 1);
    const closedAt = escrow.milestones[0]?.closedAt as number;
    expect(escrow.status).toBe("refunded");
    expect(escrow.milestones[0]).toMatchObject({ status: "refunded" });
    expect(escrow.history.map((h) => h.kind)).toEqual(["opened", "refunded"]);
    expect(escrow.history[1]).toMatchObject({ height: closedAt, toBuyer: "400000" });
    expect(why.at(-1)).toBe(
      `height ${closedAt}: deadline ${new Date(deadline).toISOString()} passed: 400000 refunded to the buyer`,
    );
    // The first block after the deadline refunded it; no transaction was sent in between.
    const refundBlock = (await reader().getBlock(closedAt)).block.header;
    expect(refundBlock.time).toBeGreaterThan(deadline);
    expect((await reader().getBlock(closedAt - 1)).block.header.time).toBeLessThanOrEqual(deadline);
    for (let h = openedAt + 1; h <= closedAt; h++) {
      expect((await reader().getBlock(h)).block.txs, `block ${h}`).toEqual([]);
    }
    expect(await balances(closedAt - 1)).toEqual({ ...before, held: 400_000n });
    expect(await balances(closedAt)).toEqual(before);
    expect(before.held).toBe(0n);
  });

  it("holds the funds on a non-conformant inspection or a temperature alarm until the arbiter splits them", async () => {
    const before = await balances();
    // PO-4: the buyer's inspection finds the goods non-conformant. PO-5: the carrier's logger alarms.
    const buyer = w.client(ORG.buyer);
    const terms = (n: number, amount: string) => ({
      amount,
      shipment: [sscc(n)],
      milestones: [deliveryMilestone({ deliverTo: BUYER_GLN })],
    });
    const opened = await Promise.all([
      buyer.send(w.member(ORG.buyer), await order("PO-4", terms(4, "200000"))),
      buyer.send(w.member(ORG.buyer), await order("PO-5", terms(5, "300000"))),
    ]);
    for (const a of opened) ok(await w.client(ORG.buyer).waitForCommit(a.hash, 20_000));
    await w.capture(ORG.seller, [ship(4), ship(5)]);

    const [inspected, alarmed] = await Promise.all([
      w.capture(ORG.buyer, [
        {
          epc: sscc(4),
          bizStep: "inspecting",
          location: BUYER_GLN,
          disposition: "non_conformant",
          time: w.eventTime(),
        },
      ]),
      w.capture(ORG.carrier, [
        { epc: sscc(5), bizStep: "arriving", location: CARRIER_HUB, alarm: true, time: w.eventTime() },
      ]),
    ]);
    const po4 = await view("PO-4", inspected.height);
    expect(po4.escrow.status).toBe("held");
    expect(po4.escrow.history.at(-1)).toMatchObject({
      kind: "held",
      height: inspected.height,
      note: "disposition non_conformant",
      record: { txHash: inspected.hash, eventId: inspected.eventIds[0] },
    });
    const po5 = await view("PO-5", alarmed.height);
    expect(po5.escrow.status).toBe("held");
    expect(po5.escrow.history.at(-1)).toMatchObject({
      kind: "held",
      height: alarmed.height,
      note: "sensor report ALARM_CONDITION",
      record: { txHash: alarmed.hash, eventId: alarmed.eventIds[0] },
    });

    // Neither party can take the held funds itself: the escrow module controls the hold.
    for (const [org, to] of [
      [ORG.buyer, BUYER],
      [ORG.seller, SELLER],
    ] as const) {
      const outcome = await w.attempt(org, {
        module: "token",
        method: "releaseHold",
        args: { holdId: "escrow:PO-4", to },
      });
      expect(outcome.kind).toBe("committed");
      if (outcome.kind === "committed") {
        expect(outcome.status.receipt).toMatchObject({
          status: "failed",
          error: { code: "TOKEN_NOT_AUTHORIZED" },
        });
      }
    }

    // The goods are then received at the buyer's GLN: the condition is met, nothing is released.
    const received = await w.capture(ORG.buyer, [receive(4), receive(5)]);
    for (const id of ["PO-4", "PO-5"]) {
      const { escrow } = await view(id, received.height);
      expect(escrow.status, id).toBe("held");
      expect(escrow.milestones[0], id).toMatchObject({
        status: "pending",
        satisfied: [{ txHash: received.hash, height: received.height }],
      });
    }
    const frozen = await balances(received.height);
    expect(frozen).toEqual({ buyer: before.buyer, seller: before.seller, held: 500_000n });

    // The arbiter decides: 30 % of PO-4 and 80 % of PO-5 to the seller, paid at the end of the block.
    const [r4, r5] = await Promise.all([
      w.client(ORG.arbiter).send(w.member(ORG.arbiter), escrowCall.resolve({ id: "PO-4", sellerBps: 3_000 })),
      w
        .client(ORG.arbiter)
        .send(
          w.member(ORG.arbiter),
          escrowCall.resolve({ id: "PO-5", sellerBps: 8_000, note: "excursion within tolerance" }),
        ),
    ]);
    const h4 = ok(await w.client(ORG.arbiter).waitForCommit(r4.hash, 20_000));
    const h5 = ok(await w.client(ORG.arbiter).waitForCommit(r5.hash, 20_000));
    const expected = { "PO-4": [h4, "60000", "140000"], "PO-5": [h5, "240000", "60000"] } as const;
    for (const [id, [height, toSeller, toBuyer]] of Object.entries(expected)) {
      const { escrow } = await view(id, height);
      expect(escrow.status, id).toBe("resolved");
      expect(escrow.milestones[0], id).toMatchObject({ status: "resolved", closedAt: height });
      expect(escrow.history.at(-1), id).toMatchObject({
        kind: "resolved",
        by: ARBITER,
        height,
        toSeller,
        toBuyer,
      });
    }
    // Each decision is carried out at the end of its own block: the seller's and the buyer's
    // balances change there by exactly the split.
    const gains = new Map<number, bigint>();
    gains.set(h4, (gains.get(h4) ?? 0n) + 60_000n);
    gains.set(h5, (gains.get(h5) ?? 0n) + 240_000n);
    for (const [height, toSeller] of gains) {
      const [pre, post] = [await balances(height - 1), await balances(height)];
      expect(post.seller - pre.seller, `seller at ${height}`).toBe(toSeller);
      expect(pre.buyer - post.buyer, `buyer at ${height}`).toBe(toSeller);
    }
    expect(await balances(Math.max(h4, h5))).toEqual({
      buyer: before.buyer - 300_000n,
      seller: before.seller + 300_000n,
      held: 0n,
    });
  });

  it("never pays twice: a second receiving event moves nothing, the settled hold cannot be released", async () => {
    const before = await balances();
    const settled = (await reader().escrow("PO-1")).escrow;
    const again = await w.capture(ORG.buyer, [receive(1)]);
    await w.everywhere(again.height);
    expect(await balances(again.height)).toEqual(before);
    expect(await balances(again.height - 1)).toEqual(before);
    const after = (await reader().escrow("PO-1")).escrow;
    expect(after).toEqual(settled);

    // The escrow's hold is gone with the release: neither party can release it again.
    for (const [org, to] of [
      [ORG.buyer, BUYER],
      [ORG.seller, SELLER],
    ] as const) {
      const outcome = await w.attempt(org, {
        module: "token",
        method: "releaseHold",
        args: { holdId: "escrow:PO-1", to, amount: "250000" },
      });
      expect(outcome.kind).toBe("committed");
      if (outcome.kind === "committed") {
        expect(outcome.status.receipt).toMatchObject({
          status: "failed",
          error: { code: "TOKEN_UNKNOWN_HOLD" },
        });
      }
    }
    // Nor can the arbiter reopen it with a decision.
    const decision = await w.attempt(ORG.arbiter, escrowCall.resolve({ id: "PO-1", sellerBps: 0 }));
    expect(decision.kind).toBe("committed");
    if (decision.kind === "committed") {
      expect(decision.status.receipt).toMatchObject({ status: "failed", error: { code: "ESCROW_CLOSED" } });
    }
    expect(await balances()).toEqual(before);
  });
});
