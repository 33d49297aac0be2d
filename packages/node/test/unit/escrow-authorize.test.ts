/**
 * Who may act on an escrow on a permissioned chain (appState.identity): three organisations —
 * buyer, seller, carrier — with the default policies. Every refused action fails with a typed
 * error and changes nothing but the signer's sequence; where the identity policies refuse it,
 * admission (`authorizeAtHead`, against the same head state) refuses it with the same code.
 */
import {
  addressOf,
  type CanonicalValue,
  decodeTx,
  defaultChainParams,
  type Genesis,
  type KeyPair,
  keyPairFromSecret,
  WeftError,
} from "@weft/core";
import { createOrgCa } from "@weft/p2p";
import { beforeAll, describe, expect, it } from "vitest";
import { authorizeAtHead } from "../../src/app/authorize-now.js";
import { moduleAccount } from "../../src/app/module-account.js";
import type { Escrow } from "../../src/modules/escrow/state.js";
import type { Proposal } from "../../src/modules/gov/state.js";
import { defaultPolicies } from "../../src/modules/identity/defaults.js";
import { defaultModules } from "../../src/modules/index.js";
import type { ChainStore } from "../../src/storage/chain-store.js";
import { BUYER_GLN, SELLER_GLN, sscc } from "./support/escrow-docs.js";
import { MemChain } from "./support/mem-chain.js";

const T0 = 1_700_000_000_000;
const DAY = 86_400_000;
const key = (n: number): KeyPair => keyPairFromSecret("ed25519", (0xe5c0 + n).toString(16).padStart(64, "0"));
const K = {
  buyerAdmin: key(1),
  buyerWriter: key(2),
  /** The buyer's treasury: issues EUR and opens the escrows. */
  treasury: key(3),
  sellerAdmin: key(4),
  sellerWriter: key(5),
  /** The seller's sales desk: the escrows' seller. */
  sales: key(6),
  carrierAdmin: key(7),
  carrierWriter: key(8),
  /** The carrier's claims desk: named arbiter of some escrows. */
  arbiter: key(9),
  inspector: key(10),
  stranger: key(11),
};
const A = Object.fromEntries(Object.entries(K).map(([n, k]) => [n, addressOf(k)])) as Record<
  keyof typeof K,
  string
>;
const CARRIER_GLN = "urn:epc:id:sgln:9520003.00001.0";
/** BUYER_GLN as a GS1 Digital Link. */
const BUYER_GLN_DL = "https://id.gs1.org/414/9520002000019";
const ESCROW = moduleAccount("escrow");

async function permissionedGenesis(policies: Record<string, unknown> = {}): Promise<Genesis> {
  const member = (id: string, roles: string[], k: KeyPair) => ({
    id,
    kind: "member",
    roles,
    publicKey: { alg: k.alg, publicKey: k.publicKey },
  });
  const org = async (name: string, prefix: string, members: ReturnType<typeof member>[]) => ({
    name,
    caCerts: [(await createOrgCa(name)).certPem],
    nodes: [],
    gs1: { companyPrefixes: [prefix], glns: [] },
    members,
  });
  const orgs = await Promise.all([
    org("buyer", "9520002", [
      member("admin", ["admin"], K.buyerAdmin),
      member("writer", ["writer"], K.buyerWriter),
      member("treasury", ["operator"], K.treasury),
    ]),
    org("seller", "9520001", [
      member("admin", ["admin"], K.sellerAdmin),
      member("writer", ["writer"], K.sellerWriter),
      member("sales", ["operator"], K.sales),
    ]),
    org("carrier", "9520003", [
      member("admin", ["admin"], K.carrierAdmin),
      member("writer", ["writer"], K.carrierWriter),
      member("claims", ["reader"], K.arbiter),
      member("inspector", ["auditor"], K.inspector),
    ]),
  ]);
  return {
    chainId: "weft-escrow-auth",
    genesisTime: T0,
    validators: [
      {
        address: A.buyerAdmin,
        publicKey: { alg: K.buyerAdmin.alg, publicKey: K.buyerAdmin.publicKey },
        power: 1,
        name: "v0",
      },
    ],
    params: { ...defaultChainParams },
    appState: {
      gov: {},
      identity: { orgs, policies: { ...defaultPolicies, ...policies } } as unknown as CanonicalValue,
      token: {
        assets: [{ id: "EUR", name: "Euro", decimals: 2, issuer: A.treasury }],
        balances: [{ asset: "EUR", address: A.treasury, amount: "1000000" }],
      },
    },
  };
}

type Signed = ReturnType<MemChain["tx"]>;
let eventCount = 0;

function doc(o: { epc: string; bizStep: string; location: string }): string {
  eventCount += 1;
  const time = new Date(Date.UTC(2026, 0, 1) + eventCount * 60_000).toISOString();
  return JSON.stringify({
    "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],
    type: "EPCISDocument",
    schemaVersion: "2.0",
    creationDate: time,
    epcisBody: {
      eventList: [
        {
          type: "ObjectEvent",
          eventTime: time,
          eventTimeZoneOffset: "+00:00",
          epcList: [o.epc],
          action: "OBSERVE",
          bizStep: o.bizStep,
          readPoint: { id: o.location },
          bizLocation: { id: o.location },
        },
      ],
    },
  });
}

function world(genesis: Genesis) {
  const chain = new MemChain(genesis, defaultModules);
  const raw = (chain as unknown as { state: Map<string, Uint8Array> }).state;
  let time = T0;
  const snapshot = () => {
    const out: Record<string, string> = {};
    for (const [k, v] of raw) if (!k.startsWith("auth/sequence/")) out[k] = Buffer.from(v).toString("hex");
    return out;
  };
  /** The committed head as admission sees it. */
  const head = {
    head: () => ({ height: chain.height, time, blockHash: `h${chain.height}` }),
    getState: (k: string) => raw.get(k),
  } as unknown as ChainStore;
  /** The code admission refuses the transaction with (undefined: admitted). */
  const admission = (signed: Signed): string | undefined => {
    try {
      authorizeAtHead(chain.registry, head, genesis.chainId, decodeTx(signed));
      return undefined;
    } catch (e) {
      return e instanceof WeftError ? e.code : "untyped";
    }
  };
  const tx = (signer: KeyPair, module: string, method: string, args: Record<string, unknown>) =>
    chain.tx(signer, module, method, args);
  const block = (txs: Signed[], step = 1_000) => {
    time += step;
    return chain.block(time, txs);
  };
  const ok = (signer: KeyPair, module: string, method: string, args: Record<string, unknown>) => {
    const signed = tx(signer, module, method, args);
    expect(admission(signed)).toBeUndefined();
    const out = block([signed]);
    expect(out.receipts[0]?.error).toBeUndefined();
    return out;
  };
  /**
   * Refused on chain with `code`, nothing changed but the sequence (in a block at the same time,
   * so no deadline falls due); admission refuses it with `admitted` (null when only the
   * module's own rules, which admission does not run, refuse it).
   */
  const denied = (
    signer: KeyPair,
    module: string,
    method: string,
    args: Record<string, unknown>,
    code: string,
    admitted: string | null = code,
  ) => {
    const signed = tx(signer, module, method, args);
    expect(admission(signed) ?? null).toBe(admitted);
    const before = snapshot();
    const out = block([signed], 0);
    expect(out.receipts[0]?.error?.code).toBe(code);
    expect(out.txEvents[0]).toEqual([]);
    expect(out.blockEvents).toEqual([]);
    expect(out.changedKeys).toEqual([`auth/sequence/${addressOf(signer)}`]);
    expect(snapshot()).toEqual(before);
  };
  const escrow = (id: string) => chain.get(`escrow/escrow/${id}`) as unknown as Escrow;
  const balance = (a: string) => BigInt((chain.get(`token/balance/EUR/${a}`) as string | undefined) ?? "0");
  const held = (a: string) => BigInt((chain.get(`token/held/EUR/${a}`) as string | undefined) ?? "0");
  const proposal = (id: number) =>
    chain.get(`gov/proposal/${String(id).padStart(10, "0")}`) as unknown as Proposal;
  const terms = (id: string, n: number, extra: Record<string, unknown> = {}) => ({
    id,
    seller: A.sales,
    asset: "EUR",
    amount: "10000",
    shipment: [sscc(n)],
    milestones: [
      {
        name: "delivered",
        shareBps: 10_000,
        conditions: [{ event: { bizStep: "receiving", bizLocation: BUYER_GLN } }],
      },
    ],
    deadline: time + 10 * DAY,
    ...extra,
  });
  const capture = (signer: KeyPair, o: { epc: string; bizStep: string; location: string }) =>
    tx(signer, "trace", "capture", { document: doc(o) });
  return { chain, tx, block, ok, denied, escrow, balance, held, proposal, terms, capture, admission };
}

describe("escrow on a permissioned chain (buyer, seller, carrier; default policies)", () => {
  let genesis: Genesis;
  let permissive: Genesis;
  beforeAll(async () => {
    genesis = await permissionedGenesis();
    // Every escrow action open to any member: the module's own checks must still hold.
    permissive = await permissionedGenesis({
      "escrow.dispute": { member: true },
      "escrow.cancel": { member: true },
      "escrow.resolve": { member: true },
    });
  });

  it("opens an escrow for a member; a non-member cannot", () => {
    const w = world(genesis);
    const opened = w.ok(K.treasury, "escrow", "open", w.terms("PO-1", 1));
    expect(opened.txEvents[0]?.map((e) => `${e.module}.${e.type}`)).toEqual([
      "token.HoldPlaced",
      "escrow.Opened",
    ]);
    expect(w.chain.get("token/hold/escrow:PO-1")).toMatchObject({
      owner: A.treasury,
      controller: ESCROW,
      via: "governance",
      approvers: [A.treasury],
    });
    w.denied(K.stranger, "escrow", "open", w.terms("PO-2", 2), "IDENTITY_NOT_MEMBER");
  });

  it("takes k-of-n attestations by organisations: any active member attests for its org, which counts once", () => {
    const w = world(genesis);
    const inspected = (from: string[], k = 2) => ({
      name: "accepted",
      shareBps: 10_000,
      conditions: [{ attestations: { claim: "inspected", k, from } }],
    });
    w.denied(
      K.treasury,
      "escrow",
      "open",
      w.terms("bad", 1, { milestones: [inspected(["org:nosuch", A.inspector])] }),
      "ESCROW_BAD_ARGS",
      null,
    );
    w.ok(
      K.treasury,
      "escrow",
      "open",
      w.terms("QA", 2, { milestones: [inspected(["org:carrier", "org:buyer"])] }),
    );
    // The seller's organisation is not listed.
    w.denied(
      K.sellerWriter,
      "escrow",
      "attest",
      { id: "QA", claim: "inspected" },
      "ESCROW_NOT_ATTESTER",
      null,
    );
    w.ok(K.inspector, "escrow", "attest", { id: "QA", claim: "inspected" });
    // A second member of the carrier adds no second vote for the carrier.
    const twice = w.ok(K.carrierWriter, "escrow", "attest", { id: "QA", claim: "inspected" });
    expect(twice.blockEvents).toEqual([]);
    expect(w.escrow("QA").status).toBe("open");
    const second = w.ok(K.buyerWriter, "escrow", "attest", { id: "QA", claim: "inspected" });
    expect(second.blockEvents.map((e) => e.type)).toEqual([
      "ConditionMet",
      "HoldReleased",
      "Released",
      "Settled",
    ]);
    expect(w.escrow("QA").milestones[0]?.satisfied[0]).toMatchObject({
      attesters: ["org:carrier", "org:buyer"],
    });
    expect(w.balance(A.sales)).toBe(10_000n);
  });

  it("nobody releases or cancels an escrow's hold directly (TOKEN_NOT_AUTHORIZED); the policy admits the call", () => {
    const w = world(genesis);
    w.ok(K.treasury, "escrow", "open", w.terms("PO-1", 1, { arbiter: A.arbiter }));
    const release = (to: string) => ({ holdId: "escrow:PO-1", to });
    w.denied(K.sales, "token", "releaseHold", release(A.sales), "TOKEN_NOT_AUTHORIZED", null);
    w.denied(K.treasury, "token", "releaseHold", release(A.treasury), "TOKEN_NOT_AUTHORIZED", null);
    w.denied(K.arbiter, "token", "releaseHold", release(A.arbiter), "TOKEN_NOT_AUTHORIZED", null);
    w.denied(K.buyerAdmin, "token", "releaseHold", release(A.buyerAdmin), "TOKEN_NOT_AUTHORIZED", null);
    w.denied(K.treasury, "token", "cancelHold", { holdId: "escrow:PO-1" }, "TOKEN_NOT_AUTHORIZED", null);
    w.denied(K.sales, "token", "cancelHold", { holdId: "escrow:PO-1" }, "TOKEN_NOT_AUTHORIZED", null);
    w.denied(K.stranger, "token", "cancelHold", { holdId: "escrow:PO-1" }, "IDENTITY_NOT_MEMBER");
    // Nor through a proposal: governance does not speak for the escrow module's account (the
    // "token.*" policy is met by one member, so the proposal is tried at once).
    const proposed = w.ok(K.sellerAdmin, "gov", "propose", {
      title: "pay the seller",
      actions: [{ module: "token", method: "releaseHold", args: release(A.sales) }],
    });
    expect(proposed.txEvents[0]?.map((e) => e.type)).toEqual([
      "ProposalSubmitted",
      "Voted",
      "ProposalFailed",
    ]);
    expect(w.proposal(1)).toMatchObject({ status: "failed", error: { code: "TOKEN_NOT_AUTHORIZED" } });
    expect([w.held(A.treasury), w.balance(A.sales)]).toEqual([10_000n, 0n]);
  });

  it("lets only the issuer mint", () => {
    const w = world(genesis);
    const mint = { asset: "EUR", to: A.sales, amount: "5" };
    w.denied(K.sales, "token", "mint", mint, "POLICY_DENIED");
    w.denied(K.buyerAdmin, "token", "mint", mint, "POLICY_DENIED");
    w.denied(K.stranger, "token", "mint", mint, "IDENTITY_NOT_MEMBER");
    w.ok(K.treasury, "token", "mint", mint);
    expect(w.balance(A.sales)).toBe(5n);
  });

  it("refuses decisions, cancellations and disputes by the wrong party", () => {
    const w = world(genesis);
    w.ok(K.treasury, "escrow", "open", w.terms("PO-1", 1, { arbiter: A.arbiter }));
    // Cancel: the seller's; dispute: the buyer's or the seller's.
    w.denied(K.treasury, "escrow", "cancel", { id: "PO-1" }, "POLICY_DENIED");
    w.denied(K.buyerAdmin, "escrow", "cancel", { id: "PO-1" }, "POLICY_DENIED");
    w.denied(K.sellerAdmin, "escrow", "cancel", { id: "PO-1" }, "POLICY_DENIED");
    w.denied(K.carrierWriter, "escrow", "dispute", { id: "PO-1", reason: "x" }, "POLICY_DENIED");
    w.denied(K.arbiter, "escrow", "dispute", { id: "PO-1", reason: "x" }, "POLICY_DENIED");
    w.denied(K.stranger, "escrow", "dispute", { id: "PO-1", reason: "x" }, "IDENTITY_NOT_MEMBER");
    w.ok(K.treasury, "escrow", "dispute", { id: "PO-1", reason: "wrong goods" });
    // Resolve: the arbiter's own transaction, or a decision of the organisations.
    for (const k of [K.sales, K.treasury, K.carrierAdmin, K.sellerAdmin]) {
      w.denied(k, "escrow", "resolve", { id: "PO-1", sellerBps: 10_000 }, "POLICY_APPROVALS_REQUIRED");
    }
    w.denied(K.stranger, "escrow", "resolve", { id: "PO-1", sellerBps: 0 }, "IDENTITY_NOT_MEMBER");
    // Attest: only the accounts a condition lists; the policy (any member) admits the call.
    w.denied(
      K.inspector,
      "escrow",
      "attest",
      { id: "PO-1", claim: "inspected" },
      "ESCROW_NOT_ATTESTER",
      null,
    );
    // The arbiter decides: paid at the end of its block.
    const decided = w.ok(K.arbiter, "escrow", "resolve", { id: "PO-1", sellerBps: 6_000 });
    expect(decided.blockEvents.map((e) => `${e.module}.${e.type}`)).toEqual([
      "token.HoldReleased",
      "token.HoldReleased",
      "escrow.Resolved",
    ]);
    expect([w.balance(A.sales), w.balance(A.treasury), w.held(A.treasury)]).toEqual([6_000n, 994_000n, 0n]);
  });

  it("with permissive policies the module itself still refuses the wrong party (ESCROW_*)", () => {
    const w = world(permissive);
    w.ok(K.treasury, "escrow", "open", {
      ...w.terms("PO-1", 1, { arbiter: A.arbiter }),
      milestones: [
        {
          name: "accepted",
          shareBps: 10_000,
          conditions: [{ attestations: { claim: "inspected", k: 1, from: [A.inspector] } }],
        },
      ],
    });
    w.denied(K.treasury, "escrow", "cancel", { id: "PO-1" }, "ESCROW_NOT_AUTHORIZED", null);
    w.denied(
      K.carrierWriter,
      "escrow",
      "dispute",
      { id: "PO-1", reason: "x" },
      "ESCROW_NOT_AUTHORIZED",
      null,
    );
    w.ok(K.sales, "escrow", "dispute", { id: "PO-1", reason: "unpaid" });
    w.denied(K.sales, "escrow", "resolve", { id: "PO-1", sellerBps: 10_000 }, "ESCROW_NOT_AUTHORIZED", null);
    w.denied(
      K.carrierAdmin,
      "escrow",
      "resolve",
      { id: "PO-1", resume: true },
      "ESCROW_NOT_AUTHORIZED",
      null,
    );
    w.denied(
      K.carrierWriter,
      "escrow",
      "attest",
      { id: "PO-1", claim: "inspected" },
      "ESCROW_NOT_ATTESTER",
      null,
    );
    w.ok(K.arbiter, "escrow", "resolve", { id: "PO-1", resume: true });
    const attested = w.ok(K.inspector, "escrow", "attest", { id: "PO-1", claim: "inspected" });
    expect(attested.blockEvents.map((e) => e.type)).toEqual([
      "ConditionMet",
      "HoldReleased",
      "Released",
      "Settled",
    ]);
    expect(w.balance(A.sales)).toBe(10_000n);
  });

  it("the seller cannot fake delivery: capturing at the buyer's location is the buyer's", () => {
    const w = world(genesis);
    w.ok(K.treasury, "escrow", "open", w.terms("PO-1", 1));
    const at = (location: string, bizStep = "receiving") => ({ epc: sscc(1), bizStep, location });
    const capture = (signer: KeyPair, o: ReturnType<typeof at>) =>
      w.denied(signer, "trace", "capture", { document: doc(o) }, "POLICY_DENIED");
    capture(K.sellerWriter, at(BUYER_GLN));
    capture(K.sellerWriter, at(BUYER_GLN_DL));
    capture(K.carrierWriter, at(BUYER_GLN));
    // The seller's admin and sales desk are no writers at all.
    capture(K.sellerAdmin, at(SELLER_GLN, "shipping"));
    capture(K.sales, at(BUYER_GLN));
    expect(w.escrow("PO-1").status).toBe("open");
    // Each writer at its own organisation's location.
    w.ok(K.sellerWriter, "trace", "capture", { document: doc(at(SELLER_GLN, "shipping")) });
    w.ok(K.carrierWriter, "trace", "capture", { document: doc(at(CARRIER_GLN, "departing")) });
    expect(w.balance(A.sales)).toBe(0n);
    const received = w.ok(K.buyerWriter, "trace", "capture", { document: doc(at(BUYER_GLN_DL)) });
    expect(received.blockEvents.map((e) => e.type)).toEqual([
      "ConditionMet",
      "HoldReleased",
      "Released",
      "Settled",
    ]);
    expect([w.balance(A.sales), w.held(A.treasury)]).toEqual([10_000n, 0n]);
  });

  it("governance decides a disputed escrow with orgVotes: executed above 2/3 of the organisations, not at 2/3", () => {
    const w = world(genesis);
    // No arbiter: only the organisations decide.
    w.ok(K.treasury, "escrow", "open", w.terms("PO-1", 1));
    w.ok(K.treasury, "escrow", "open", w.terms("PO-2", 2));
    w.ok(K.sales, "escrow", "dispute", { id: "PO-1", reason: "quality claim rejected" });
    const resolve = { module: "escrow", method: "resolve", args: { id: "PO-1", sellerBps: 4_000 } };
    w.ok(K.buyerAdmin, "gov", "propose", { title: "settle PO-1 60/40", actions: [resolve] });
    expect(w.proposal(1).status).toBe("open");
    // A writer's vote counts for nothing under orgVotes.
    w.ok(K.carrierWriter, "gov", "vote", { id: 1, approve: true });
    expect(w.proposal(1).status).toBe("open");
    // 2 of 3 organisations: exactly 2/3, not more.
    const second = w.ok(K.sellerAdmin, "gov", "vote", { id: 1, approve: true });
    expect(second.blockEvents).toEqual([]);
    expect(w.proposal(1).status).toBe("open");
    expect(w.escrow("PO-1")).toMatchObject({ status: "disputed", pending: null });
    expect(w.held(A.treasury)).toBe(20_000n);
    // The third: executed, and paid at the end of that block.
    const third = w.ok(K.carrierAdmin, "gov", "vote", { id: 1, approve: true });
    expect(third.txEvents[0]?.map((e) => `${e.module}.${e.type}`)).toEqual([
      "gov.Voted",
      "escrow.ResolveDecided",
      "gov.ProposalExecuted",
    ]);
    expect(third.blockEvents.map((e) => `${e.module}.${e.type}`)).toEqual([
      "token.HoldReleased",
      "token.HoldReleased",
      "escrow.Resolved",
    ]);
    expect(w.proposal(1).status).toBe("executed");
    expect(w.escrow("PO-1")).toMatchObject({ status: "resolved", pending: null });
    expect(w.escrow("PO-1").history.at(-1)).toMatchObject({
      kind: "resolved",
      by: moduleAccount("gov"),
      toSeller: "4000",
      toBuyer: "6000",
    });
    expect([w.balance(A.sales), w.held(A.treasury), w.balance(A.treasury)]).toEqual([
      4_000n,
      10_000n,
      996_000n,
    ]);
    // Deciding an escrow nobody disputed fails the proposal (ESCROW_NOT_FROZEN), nothing moves.
    w.ok(K.buyerAdmin, "gov", "propose", {
      title: "refund PO-2",
      actions: [{ module: "escrow", method: "resolve", args: { id: "PO-2", sellerBps: 0 } }],
    });
    w.ok(K.sellerAdmin, "gov", "vote", { id: 2, approve: true });
    w.ok(K.carrierAdmin, "gov", "vote", { id: 2, approve: true });
    expect(w.proposal(2)).toMatchObject({ status: "failed", error: { code: "ESCROW_NOT_FROZEN" } });
    expect(w.escrow("PO-2").status).toBe("open");
    expect(w.held(A.treasury)).toBe(10_000n);
  });

  it("a proposal cannot dispute or cancel for a party: the policy or the module refuses", () => {
    const w = world(genesis);
    w.ok(K.treasury, "escrow", "open", w.terms("PO-1", 1));
    const dispute = { module: "escrow", method: "dispute", args: { id: "PO-1", reason: "by vote" } };
    const cancel = { module: "escrow", method: "cancel", args: { id: "PO-1" } };
    // The organisations' admins are not the escrow's parties: denied by the owner policies.
    w.ok(K.buyerAdmin, "gov", "propose", { title: "dispute", actions: [dispute] });
    expect(w.proposal(1)).toMatchObject({ status: "failed", error: { code: "POLICY_DENIED" } });
    w.ok(K.sellerAdmin, "gov", "propose", { title: "cancel", actions: [cancel] });
    expect(w.proposal(2)).toMatchObject({ status: "failed", error: { code: "POLICY_DENIED" } });
    // The parties' own proposals pass the policies; the module wants their own transactions.
    w.ok(K.treasury, "gov", "propose", { title: "dispute", actions: [dispute] });
    expect(w.proposal(3)).toMatchObject({ status: "failed", error: { code: "ESCROW_NOT_AUTHORIZED" } });
    w.ok(K.sales, "gov", "propose", { title: "cancel", actions: [cancel] });
    expect(w.proposal(4)).toMatchObject({ status: "failed", error: { code: "ESCROW_NOT_AUTHORIZED" } });
    w.ok(K.treasury, "gov", "propose", {
      title: "open",
      actions: [{ module: "escrow", method: "open", args: w.terms("PO-2", 2) }],
    });
    expect(w.proposal(5)).toMatchObject({ status: "failed", error: { code: "ESCROW_NOT_AUTHORIZED" } });
    expect(w.escrow("PO-1")).toMatchObject({ status: "open", disputes: 0, pending: null });
    expect(w.chain.get("escrow/escrow/PO-2")).toBeUndefined();
    expect(w.held(A.treasury)).toBe(10_000n);
  });
});
