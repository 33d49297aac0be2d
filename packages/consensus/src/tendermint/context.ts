import { proposer } from "./proposer.js";
import { emptyRound, type RoundState, type TendermintState } from "./state.js";
import type { Output, Proposal, TimeoutKind, VoteType } from "./types.js";
import { recordVote } from "./votes.js";

/**
 * One step's working copy. The state is copied shallowly on entry and each round is copied the
 * first time it is written, so `step` never mutates its argument yet does not clone everything.
 */
export interface Ctx {
  s: TendermintState;
  out: Output[];
  copied: Set<number>;
}

export function openCtx(state: TendermintState): Ctx {
  return { s: { ...state, rounds: { ...state.rounds } }, out: [], copied: new Set() };
}

const EMPTY_ROUND: RoundState = Object.freeze(emptyRound());

export function readRound(s: TendermintState, round: number): RoundState {
  return s.rounds[round] ?? EMPTY_ROUND;
}

export function writeRound(ctx: Ctx, round: number): RoundState {
  if (!ctx.copied.has(round)) {
    const old = ctx.s.rounds[round];
    ctx.s.rounds[round] = old
      ? {
          ...old,
          proposals: { ...old.proposals },
          prevotes: { ...old.prevotes },
          precommits: { ...old.precommits },
          senders: { ...old.senders },
          equivocators: { ...old.equivocators },
          conflictingPrevotes: { ...old.conflictingPrevotes },
          conflictingPrecommits: { ...old.conflictingPrecommits },
        }
      : emptyRound();
    ctx.copied.add(round);
  }
  return ctx.s.rounds[round]!;
}

/** A round's proposals in value order, so the choice never depends on arrival or key order. */
export function proposalsOf(r: RoundState): Proposal[] {
  return Object.values(r.proposals).sort((a, b) => (a.value < b.value ? -1 : a.value > b.value ? 1 : 0));
}

export function scheduleTimeout(ctx: Ctx, kind: TimeoutKind): void {
  const { baseMs, deltaMs } = ctx.s.config.timeouts[kind];
  const { height, round } = ctx.s;
  ctx.out.push({ type: "schedule-timeout", kind, height, round, durationMs: baseMs + round * deltaMs });
}

export function isProposer(s: TendermintState): boolean {
  return proposer(s.config.validators, s.height, s.round) === s.config.self;
}

export function broadcastProposal(ctx: Ctx, value: string, validRound: number): void {
  const { height, round, config } = ctx.s;
  const proposal: Proposal = { height, round, value, validRound, proposer: config.self };
  const r = writeRound(ctx, round);
  r.proposals[value] = proposal;
  r.senders[config.self] = true;
  ctx.out.push({ type: "broadcast-proposal", proposal });
}

/** Votes in the current round; a non-validator (observer) follows the protocol silently. */
export function castVote(ctx: Ctx, type: VoteType, value: string | null): void {
  const { height, round, config } = ctx.s;
  if (config.powers[config.self] === undefined) return;
  const vote = { type, height, round, value, validator: config.self };
  recordVote(ctx, vote);
  ctx.out.push({ type: "broadcast-vote", vote });
}

/** StartRound(round) of Algorithm 1. */
export function startRound(ctx: Ctx, round: number): void {
  const s = ctx.s;
  s.round = round;
  s.step = "propose";
  s.awaitingValue = false;
  if (isProposer(s)) {
    if (s.validValue !== null) broadcastProposal(ctx, s.validValue, s.validRound);
    else {
      s.awaitingValue = true;
      ctx.out.push({ type: "request-value", height: s.height, round });
    }
  }
  // Algorithm 1 arms this only on non-proposers; arming it everywhere also bounds a slow
  // application answer to `request-value`, and is harmless once the proposal is out.
  scheduleTimeout(ctx, "propose");
}
