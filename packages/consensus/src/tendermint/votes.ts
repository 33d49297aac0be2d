import { type Ctx, writeRound } from "./context.js";
import { proposer } from "./proposer.js";
import type { Proposal, Vote } from "./types.js";

/**
 * Stores an authenticated vote of the current height. A validator counts at most once per
 * (round, type): a repeat is ignored, a conflicting vote is ignored and reported once as evidence.
 */
export function recordVote(ctx: Ctx, vote: Vote): void {
  const { config, height } = ctx.s;
  if (vote.height !== height || !isRound(vote.round)) return;
  if (config.powers[vote.validator] === undefined) return;
  const r = writeRound(ctx, vote.round);
  const box = vote.type === "prevote" ? r.prevotes : r.precommits;
  const first = box[vote.validator];
  if (first === undefined) {
    box[vote.validator] = vote;
    r.senders[vote.validator] = true;
    return;
  }
  if (first.value === vote.value) return;
  const faces = vote.type === "prevote" ? r.conflictingPrevotes : r.conflictingPrecommits;
  if (Object.keys(faces).length < MAX_CONFLICTS_PER_ROUND) faces[`${vote.validator}|${vote.value}`] ??= vote;
  const key = `${vote.validator}/${vote.type}`;
  if (r.equivocators[key]) return;
  r.equivocators[key] = true;
  ctx.out.push({ type: "evidence", a: first, b: vote });
}

/** Bounds what equivocating validators can make us store per round. */
export const MAX_CONFLICTS_PER_ROUND = 64;

/** Bounds what an equivocating proposer can make us store per round. */
export const MAX_PROPOSALS_PER_ROUND = 8;

/** Keeps well-formed proposals from the round's proposer, one per value. */
export function recordProposal(ctx: Ctx, proposal: Proposal): void {
  const { config, height } = ctx.s;
  if (proposal.height !== height || !isRound(proposal.round)) return;
  if (!Number.isInteger(proposal.validRound) || proposal.validRound < -1) return;
  if (proposal.validRound >= proposal.round) return;
  if (proposal.proposer !== proposer(config.validators, height, proposal.round)) return;
  const known = ctx.s.rounds[proposal.round]?.proposals ?? {};
  if (known[proposal.value] || Object.keys(known).length >= MAX_PROPOSALS_PER_ROUND) return;
  const r = writeRound(ctx, proposal.round);
  r.proposals[proposal.value] = proposal;
  r.senders[proposal.proposer] = true;
}

function isRound(round: number): boolean {
  return Number.isSafeInteger(round) && round >= 0;
}
