import { type CanonicalValue, WeftError } from "@weft/core";
import { defineMethod, defineQuery, type Module, type TxContext } from "../../app/module.js";
import { GovError } from "./errors.js";
import { checkParams } from "./params.js";
import {
  DEFAULT_DEADLINE_MS,
  EmptyParamsSchema,
  GovGenesisSchema,
  MAX_ACTIONS,
  MAX_DEADLINE_MS,
  ProposalParamsSchema,
  ProposeArgsSchema,
  SetParamsArgsSchema,
  VoteArgsSchema,
} from "./schema.js";
import {
  everyOrgVoted,
  GovStore,
  orgOf,
  PARAMS_KEY,
  type Proposal,
  proposalKey,
  type Vote,
} from "./state.js";

/** Governance must not vote on its own behalf: a proposal may not propose or vote. */
const FORBIDDEN_ACTIONS = new Set(["gov.propose", "gov.vote"]);

function checkActions(actions: readonly { module: string; method: string }[]): void {
  if (actions.length < 1 || actions.length > MAX_ACTIONS) {
    throw new GovError({
      code: "GOV_BAD_ACTION",
      message: `a proposal has 1 to ${MAX_ACTIONS} actions, not ${actions.length}`,
    });
  }
  actions.forEach((a, index) => {
    const name = `${a.module}.${a.method}`;
    if (FORBIDDEN_ACTIONS.has(name)) {
      throw new GovError({
        code: "GOV_BAD_ACTION",
        message: `action ${index} (${name}): a proposal cannot propose or vote`,
        index,
      });
    }
  });
}

function checkDeadline(deadlineMs: number): void {
  if (deadlineMs < 1 || deadlineMs > MAX_DEADLINE_MS) {
    throw new GovError({
      code: "GOV_BAD_DEADLINE",
      message: `deadlineMs must be from 1 to ${MAX_DEADLINE_MS} (30 days), not ${deadlineMs}`,
    });
  }
}

/** Who voted how: what every decision event carries. */
const votesAttribute = (p: Proposal) =>
  p.votes.map((v) => ({ voter: v.voter, org: v.org, approve: v.approve })) as unknown as CanonicalValue;
const yesVoters = (p: Proposal) => p.votes.filter((v) => v.approve).map((v) => v.voter);

/**
 * Tries the actions with the yes-voters as approvers. Executed when every action passes its
 * policy and runs; still open while a policy wants more approvals; failed on any other error;
 * rejected once every active organisation's admins have voted and it still did not pass.
 * Nothing an attempt wrote is kept unless it executed (invoke is all or nothing).
 */
function decide(ctx: TxContext, p: Proposal): void {
  const voters = yesVoters(p);
  try {
    ctx.invoke(p.actions, voters);
    p.status = "executed";
  } catch (e) {
    if (!(e instanceof WeftError)) throw e;
    if (e.code === "POLICY_APPROVALS_REQUIRED") {
      if (!everyOrgVoted(ctx.view, p.votes)) return;
      p.status = "rejected";
    } else {
      p.status = "failed";
      p.error = { code: e.code, message: e.message };
    }
  }
  p.decidedAt = ctx.height;
  const attributes = { id: p.id, votes: votesAttribute(p), approvers: voters };
  if (p.status === "executed") ctx.emit("ProposalExecuted", attributes);
  else if (p.status === "rejected") ctx.emit("ProposalRejected", attributes);
  else ctx.emit("ProposalFailed", { ...attributes, error: p.error as unknown as CanonicalValue });
}

function recordVote(ctx: TxContext, p: Proposal, approve: boolean): void {
  const vote: Vote = { voter: ctx.sender, org: orgOf(ctx.view, ctx.sender), approve, height: ctx.height };
  p.votes.push(vote);
  ctx.emit("Voted", { id: p.id, voter: vote.voter, org: vote.org, approve });
}

const propose = defineMethod({
  description:
    "Propose actions (module method calls) that run on behalf of the yes-voters once their policies are met; the proposer votes yes. Open until decided or its deadline (block time) passes.",
  args: ProposeArgsSchema,
  precheck(args) {
    checkActions(args.actions);
    checkDeadline(args.deadlineMs ?? DEFAULT_DEADLINE_MS);
  },
  execute(ctx, args) {
    checkActions(args.actions);
    const deadlineMs = args.deadlineMs ?? DEFAULT_DEADLINE_MS;
    checkDeadline(deadlineMs);
    const store = new GovStore(ctx.state);
    const p: Proposal = {
      id: store.nextId(),
      title: args.title,
      proposer: ctx.sender,
      proposerOrg: orgOf(ctx.view, ctx.sender),
      actions: args.actions.map((a) => ({
        module: a.module,
        method: a.method,
        args: a.args as CanonicalValue,
      })),
      createdAt: ctx.height,
      deadline: ctx.time + deadlineMs,
      votes: [],
      status: "open",
    };
    ctx.emit("ProposalSubmitted", {
      id: p.id,
      title: p.title,
      proposer: p.proposer,
      proposerOrg: p.proposerOrg,
      deadline: p.deadline,
      actions: p.actions.map((a) => `${a.module}.${a.method}`),
    });
    recordVote(ctx, p, true);
    decide(ctx, p);
    store.put(p);
    if (p.status === "open") store.markOpen(p);
  },
});

const vote = defineMethod({
  description:
    "Vote on an open proposal, once per voter; after the vote the proposal runs if its actions' policies are met.",
  args: VoteArgsSchema,
  execute(ctx, args) {
    const store = new GovStore(ctx.state);
    const p = store.proposal(args.id);
    if (!p) {
      throw new GovError({
        code: "GOV_UNKNOWN_PROPOSAL",
        message: `proposal ${args.id} does not exist`,
        id: args.id,
      });
    }
    if (p.status !== "open") {
      throw new GovError({ code: "GOV_CLOSED", message: `proposal ${p.id} is ${p.status}`, id: p.id });
    }
    // Expiry is applied at the end of the block; a vote in that block is already too late.
    if (ctx.time > p.deadline) {
      throw new GovError({ code: "GOV_CLOSED", message: `proposal ${p.id} passed its deadline`, id: p.id });
    }
    if (p.votes.some((v) => v.voter === ctx.sender)) {
      throw new GovError({
        code: "GOV_ALREADY_VOTED",
        message: `${ctx.sender} already voted on proposal ${p.id}`,
        id: p.id,
      });
    }
    recordVote(ctx, p, args.approve);
    decide(ctx, p);
    store.put(p);
    if (p.status !== "open") store.markClosed(p);
  },
});

const setParams = defineMethod({
  description:
    "Change chain parameters (block limits, consensus timeouts); only a decided proposal may run it.",
  args: SetParamsArgsSchema,
  execute(ctx, args) {
    if (ctx.via !== "governance") {
      throw new GovError({
        code: "GOV_GOVERNANCE_ONLY",
        message: "gov.setParams runs only through a proposal: gov.propose",
      });
    }
    checkParams(args.params);
    new GovStore(ctx.state).setParams(args.params);
    ctx.emit("ParamsChanged", { params: args.params as unknown as CanonicalValue });
  },
});

export const govModule: Module = {
  name: "gov",
  methods: { propose, vote, setParams },
  queries: {
    proposal: defineQuery({
      description:
        "A proposal: its actions, deadline, every vote with the voter's organisation, and the decision.",
      params: ProposalParamsSchema,
      key: (p) => proposalKey(p.id),
    }),
    params: defineQuery({
      description: "Chain parameters set by governance (absent: the genesis parameters apply).",
      params: EmptyParamsSchema,
      key: () => PARAMS_KEY,
    }),
  },
  genesisSchema: GovGenesisSchema,
  initGenesis() {},
  endBlock(ctx) {
    const store = new GovStore(ctx.state);
    for (const id of store.expiredBefore(ctx.time)) {
      const p = store.proposal(id);
      if (!p) continue;
      p.status = "expired";
      p.decidedAt = ctx.height;
      store.put(p);
      store.markClosed(p);
      ctx.emit("ProposalExpired", { id, votes: votesAttribute(p), approvers: yesVoters(p) });
    }
  },
};
