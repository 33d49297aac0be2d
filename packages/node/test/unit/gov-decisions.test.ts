import { addressOf, generateKeyPair, type KeyPair } from "@weft/core";
import { createOrgCa } from "@weft/p2p";
import { beforeAll, describe, expect, it } from "vitest";
import { moduleAccount } from "../../src/app/module-account.js";
import type { Proposal } from "../../src/modules/gov/state.js";
import { defaultModules } from "../../src/modules/index.js";
import { GENESIS_TIME, type GovFixture, govFixture } from "./support/gov-genesis.js";
import { MemChain } from "./support/mem-chain.js";

const PARAMS = {
  maxBlockBytes: 4 * 1024 * 1024,
  maxBlockTxs: 5_000,
  maxTxBytes: 32 * 1024,
  timeoutProposeMs: 2_000,
};
const setParams = (params: Record<string, number> = PARAMS) => ({
  module: "gov",
  method: "setParams",
  args: { params },
});

describe("gov: proposals decided by the votes of four organisations (orgVotes 2/3)", () => {
  let fx: GovFixture;
  let chain: MemChain;
  let time: number;
  beforeAll(async () => {
    fx = await govFixture(4);
  });
  const fresh = () => {
    chain = new MemChain(fx.genesis, defaultModules);
    time = GENESIS_TIME;
  };
  /** One transaction in its own block, one second after the last. */
  const send = (signer: KeyPair, method: string, args: Record<string, unknown>) => {
    time += 1_000;
    const out = chain.block(time, [chain.tx(signer, "gov", method, args)]);
    return { receipt: out.receipts[0], events: out.txEvents[0] ?? [], out };
  };
  const proposal = (id: number) =>
    chain.get(`gov/proposal/${String(id).padStart(10, "0")}`) as unknown as Proposal;
  const admin = (i: number) => fx.admins[i] as KeyPair;

  it("executes exactly when the third of four organisations votes yes, and records who voted", () => {
    fresh();
    const p = send(admin(0), "propose", { title: "smaller blocks", actions: [setParams()] });
    expect(p.receipt?.status).toBe("ok");
    expect(proposal(1)).toMatchObject({
      id: 1,
      status: "open",
      proposerOrg: "org1",
      votes: [{ org: "org1", approve: true }],
    });
    expect(p.events.map((e) => e.type)).toEqual(["ProposalSubmitted", "Voted"]);

    const second = send(admin(1), "vote", { id: 1, approve: true });
    expect(second.receipt?.status).toBe("ok");
    expect(proposal(1).status).toBe("open");
    expect(chain.get("gov/params")).toBeUndefined();

    const third = send(admin(2), "vote", { id: 1, approve: true });
    expect(third.receipt?.status).toBe("ok");
    const decided = proposal(1);
    expect(decided.status).toBe("executed");
    expect(decided.decidedAt).toBe(chain.height);
    expect(decided.votes.map((v) => [v.voter, v.org, v.approve])).toEqual([
      [addressOf(admin(0)), "org1", true],
      [addressOf(admin(1)), "org2", true],
      [addressOf(admin(2)), "org3", true],
    ]);
    expect(chain.get("gov/params")).toEqual(PARAMS);
    const executed = third.events.find((e) => e.type === "ProposalExecuted");
    expect(executed?.attributes.approvers).toEqual([0, 1, 2].map((i) => addressOf(admin(i))));
    expect(third.events.map((e) => e.type)).toEqual(["Voted", "ParamsChanged", "ProposalExecuted"]);
    // Decided: out of the expiry index.
    expect(chain.get("gov/open-queue")).toBeUndefined();
    expect(chain.get(`gov/open/${String(decided.deadline).padStart(15, "0")}/0000000001`)).toBeUndefined();

    const late = send(admin(3), "vote", { id: 1, approve: true });
    expect(late.receipt?.error?.code).toBe("GOV_CLOSED");
  });

  it("judges a batch against the organisations that voted on it, not the one it adds", async () => {
    fresh();
    const newcomer = generateKeyPair();
    const ca = await createOrgCa("org5");
    const addOrg = {
      module: "identity",
      method: "addOrg",
      args: {
        name: "org5",
        caCerts: [ca.certPem],
        nodes: [],
        gs1: { companyPrefixes: ["9520005"], glns: [] },
        admins: [{ id: "admin", publicKey: { alg: newcomer.alg, publicKey: newcomer.publicKey } }],
      },
    };
    // addOrg first: were the second call judged after it, org5 would count and 3 of 5 would not pass.
    send(admin(0), "propose", { title: "welcome org5", actions: [addOrg, setParams()] });
    send(admin(1), "vote", { id: 1, approve: true });
    expect(proposal(1).status).toBe("open");
    send(admin(2), "vote", { id: 1, approve: true });
    expect(proposal(1).status).toBe("executed");
    expect(chain.get("identity/org/org5")).toMatchObject({ status: "active" });
    expect(chain.get("gov/params")).toEqual(PARAMS);
  });

  it("runs a decided action as the gov module's account, never as the deciding voter", () => {
    const funded = {
      ...fx.genesis,
      appState: {
        ...fx.genesis.appState,
        token: {
          assets: [{ id: "WEFT", name: "Weft", decimals: 0, issuer: addressOf(admin(0)) }],
          balances: [{ asset: "WEFT", address: addressOf(admin(2)), amount: "100" }],
        },
      },
    };
    chain = new MemChain(funded, defaultModules);
    time = GENESIS_TIME;
    const pay = {
      module: "token",
      method: "transfer",
      args: { asset: "WEFT", to: addressOf(admin(0)), amount: "5" },
    };
    send(admin(0), "propose", { title: "pay org1", actions: [pay] });
    send(admin(1), "vote", { id: 1, approve: true });
    send(admin(2), "vote", { id: 1, approve: true });
    const decided = proposal(1);
    expect(decided.status).toBe("failed");
    expect(decided.error?.code).toBe("TOKEN_INSUFFICIENT_FUNDS");
    expect(chain.get(`token/balance/WEFT/${addressOf(admin(2))}`)).toBe("100");
    expect(chain.get(`token/balance/WEFT/${addressOf(admin(0))}`)).toBeUndefined();
    expect(moduleAccount("gov")).toMatch(/^[0-9a-f]{40}$/);
    expect(moduleAccount("gov")).not.toBe(moduleAccount("escrow"));
  });

  it("refuses a second vote by the same voter", () => {
    fresh();
    send(admin(0), "propose", { title: "t", actions: [setParams()] });
    expect(send(admin(0), "vote", { id: 1, approve: false }).receipt?.error?.code).toBe("GOV_ALREADY_VOTED");
    send(admin(1), "vote", { id: 1, approve: false });
    expect(send(admin(1), "vote", { id: 1, approve: true }).receipt?.error?.code).toBe("GOV_ALREADY_VOTED");
    expect(proposal(1).votes).toHaveLength(2);
  });

  it("expires at the first block past the deadline; its actions never run", () => {
    fresh();
    send(admin(0), "propose", { title: "t", actions: [setParams()], deadlineMs: 10_000 });
    const { deadline } = proposal(1);
    expect(deadline).toBe(time + 10_000);
    expect(chain.get(`gov/open/${String(deadline).padStart(15, "0")}/0000000001`)).toBe(true);
    send(admin(1), "vote", { id: 1, approve: true });
    // A block exactly at the deadline keeps it open.
    const atDeadline = chain.block(deadline);
    expect(atDeadline.blockEvents).toEqual([]);
    expect(proposal(1).status).toBe("open");
    // The next block is past it: a vote in it is too late, and the block's end expires it.
    const past = chain.block(deadline + 1, [chain.tx(admin(2), "gov", "vote", { id: 1, approve: true })]);
    expect(past.receipts[0]?.error?.code).toBe("GOV_CLOSED");
    expect(past.blockEvents.map((e) => [e.module, e.type, e.attributes.id])).toEqual([
      ["gov", "ProposalExpired", 1],
    ]);
    expect(proposal(1)).toMatchObject({ status: "expired", decidedAt: chain.height });
    expect(chain.get("gov/params")).toBeUndefined();
    expect(chain.get("gov/open-queue")).toBeUndefined();
    expect(chain.get(`gov/open/${String(deadline).padStart(15, "0")}/0000000001`)).toBeUndefined();
  });

  it("expires several proposals in deadline order and keeps the later ones", () => {
    fresh();
    send(admin(0), "propose", { title: "late", actions: [setParams()], deadlineMs: 50_000 });
    send(admin(0), "propose", { title: "early", actions: [setParams()], deadlineMs: 5_000 });
    send(admin(0), "propose", { title: "early too", actions: [setParams()], deadlineMs: 3_000 });
    const out = chain.block(time + 20_000);
    expect(out.blockEvents.map((e) => e.attributes.id)).toEqual([3, 2]);
    expect([1, 2, 3].map((id) => proposal(id).status)).toEqual(["open", "expired", "expired"]);
    expect((chain.get("gov/open-queue") as string[]).length).toBe(1);
  });

  it("a failing action fails the proposal with its error and keeps nothing of the others", () => {
    fresh();
    const bad = setParams({ maxBlockBytes: 2048, maxBlockTxs: 10, maxTxBytes: 4096 });
    send(admin(0), "propose", { title: "two changes", actions: [setParams(), bad] });
    send(admin(1), "vote", { id: 1, approve: true });
    const third = send(admin(2), "vote", { id: 1, approve: true });
    expect(third.receipt?.status).toBe("ok");
    expect(proposal(1)).toMatchObject({ status: "failed", error: { code: "GOV_BAD_PARAMS" } });
    expect(third.events.map((e) => e.type)).toEqual(["Voted", "ProposalFailed"]);
    expect(chain.get("gov/params")).toBeUndefined();
  });

  it("an action of an unknown module fails at once", () => {
    fresh();
    send(admin(0), "propose", { title: "t", actions: [{ module: "nosuch", method: "x", args: {} }] });
    expect(proposal(1)).toMatchObject({ status: "failed", error: { code: "APP_UNKNOWN_MODULE" } });
  });

  it("is rejected once every organisation's admin voted and it did not pass", () => {
    fresh();
    send(admin(0), "propose", { title: "t", actions: [setParams()] });
    send(admin(1), "vote", { id: 1, approve: false });
    send(admin(2), "vote", { id: 1, approve: false });
    expect(proposal(1).status).toBe("open");
    const last = send(admin(3), "vote", { id: 1, approve: false });
    expect(proposal(1).status).toBe("rejected");
    const rejected = last.events.find((e) => e.type === "ProposalRejected");
    expect(rejected?.attributes.votes).toEqual([
      { voter: addressOf(admin(0)), org: "org1", approve: true },
      { voter: addressOf(admin(1)), org: "org2", approve: false },
      { voter: addressOf(admin(2)), org: "org3", approve: false },
      { voter: addressOf(admin(3)), org: "org4", approve: false },
    ]);
    expect(chain.get("gov/params")).toBeUndefined();
  });

  it("a writer's yes vote counts for nothing under orgVotes, and setParams cannot be sent directly", () => {
    fresh();
    send(admin(0), "propose", { title: "t", actions: [setParams()] });
    send(fx.writer, "vote", { id: 1, approve: true });
    send(admin(1), "vote", { id: 1, approve: true });
    expect(proposal(1).status).toBe("open");
    const direct = send(admin(0), "setParams", { params: PARAMS });
    expect(direct.receipt?.error?.code).toBe("POLICY_APPROVALS_REQUIRED");
    expect(chain.get("gov/params")).toBeUndefined();
  });

  it("refuses bad arguments with typed errors and changes nothing but the sequence", () => {
    fresh();
    send(admin(0), "propose", { title: "ok", actions: [setParams()] });
    const cases: [string, Record<string, unknown>, string][] = [
      ["propose", { title: "t", actions: [] }, "GOV_BAD_ACTION"],
      ["propose", { title: "t", actions: Array.from({ length: 17 }, () => setParams()) }, "GOV_BAD_ACTION"],
      [
        "propose",
        { title: "t", actions: [{ module: "gov", method: "vote", args: { id: 1, approve: true } }] },
        "GOV_BAD_ACTION",
      ],
      [
        "propose",
        { title: "t", actions: [{ module: "gov", method: "propose", args: {} }] },
        "GOV_BAD_ACTION",
      ],
      ["propose", { title: "t", actions: [setParams()], deadlineMs: 0 }, "GOV_BAD_DEADLINE"],
      ["propose", { title: "t", actions: [setParams()], deadlineMs: 31 * 86_400_000 }, "GOV_BAD_DEADLINE"],
      ["propose", { title: "t", actions: [setParams()], extra: 1 }, "APP_INVALID_ARGS"],
      ["vote", { id: 99, approve: true }, "GOV_UNKNOWN_PROPOSAL"],
      ["vote", { id: 1, approve: "yes" }, "APP_INVALID_ARGS"],
    ];
    for (const [method, args, code] of cases) {
      const before = proposal(1);
      const { receipt, out } = send(admin(1), method, args);
      expect(receipt?.error?.code, `${method} ${JSON.stringify(args).slice(0, 80)}`).toBe(code);
      expect(out.changedKeys).toEqual([`auth/sequence/${addressOf(admin(1))}`]);
      expect(proposal(1)).toEqual(before);
    }
    expect(chain.get("gov/next-id")).toBe(2);
  });
});

describe("gov on an open chain (no identity)", () => {
  let fx: GovFixture;
  beforeAll(async () => {
    fx = await govFixture(1);
  });

  it("runs a proposal at once (the proposer's vote is enough) and refuses setParams sent directly", () => {
    const chain = new MemChain(fx.openGenesis, defaultModules);
    const key = fx.admins[0] as KeyPair;
    const direct = chain.block(GENESIS_TIME + 1_000, [chain.tx(key, "gov", "setParams", { params: PARAMS })]);
    expect(direct.receipts[0]?.error?.code).toBe("GOV_GOVERNANCE_ONLY");
    const bad = chain.block(GENESIS_TIME + 2_000, [
      chain.tx(key, "gov", "propose", { title: "t", actions: [setParams({ ...PARAMS, timeoutVoteMs: 50 })] }),
    ]);
    expect(chain.get("gov/proposal/0000000001")).toMatchObject({
      status: "failed",
      error: { code: "GOV_BAD_PARAMS" },
    });
    expect(bad.receipts[0]?.status).toBe("ok");
    chain.block(GENESIS_TIME + 3_000, [
      chain.tx(key, "gov", "propose", { title: "t", actions: [setParams()] }),
    ]);
    expect(chain.get("gov/proposal/0000000002")).toMatchObject({
      status: "executed",
      proposerOrg: null,
      votes: [{ voter: addressOf(key), org: null, approve: true }],
    });
    expect(chain.get("gov/params")).toEqual(PARAMS);
  });
});
