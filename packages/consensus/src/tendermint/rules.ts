import {
  type Ctx,
  castVote,
  proposalsOf,
  readRound,
  scheduleTimeout,
  startRound,
  writeRound,
} from "./context.js";
import { freshHeight, type RoundState } from "./state.js";
import { ANY, isOneThird, isQuorum, powerFor, powerOf, prevotePowerFor, sendersPower } from "./tally.js";
import type { Vote } from "./types.js";

/**
 * The "upon" rules of Algorithm 1 (line numbers from arXiv:1807.04938). Each returns true when it
 * fired; `runRules` repeats until none fires, which terminates because every rule is guarded by
 * a step change or a once-per-round flag.
 */
export function runRules(ctx: Ctx): void {
  while (ctx.s.started && fireOne(ctx)) {
    // keep going: one rule's effect (e.g. our own vote) may enable another
  }
}

function fireOne(ctx: Ctx): boolean {
  return (
    decide(ctx) ||
    skipRound(ctx) ||
    prevoteFresh(ctx) ||
    prevoteRelocked(ctx) ||
    prevoteTimeout(ctx) ||
    polka(ctx) ||
    nilPolka(ctx) ||
    precommitTimeout(ctx)
  );
}

/** Line 49: a proposal and 2f+1 precommits for it, in any round, decide the height. */
function decide(ctx: Ctx): boolean {
  const { s } = ctx;
  for (const round of roundNumbers(ctx)) {
    const r = readRound(s, round);
    const p = proposalsOf(r).find(
      (x) => isQuorum(s.config, powerOf(s.config, commitVotes(r, x.value))) && s.config.isValid(x.value),
    );
    if (!p) continue;
    const value = p.value;
    const precommits = commitVotes(r, value).sort((a, b) => (a.validator < b.validator ? -1 : 1));
    ctx.out.push({ type: "decide", height: s.height, round, value, precommits });
    // The next height waits for `start-height`: the application must commit first.
    ctx.s = freshHeight(s.config, s.height + 1);
    ctx.copied.clear();
    return true;
  }
  return false;
}

/** Precommits for `value`, each validator once, including equivocators' later precommits for it. */
function commitVotes(r: RoundState, value: string): Vote[] {
  const votes = Object.values(r.precommits).filter((v) => v.value === value);
  for (const v of Object.values(r.conflictingPrecommits)) if (v.value === value) votes.push(v);
  return votes;
}

/** Line 55: f+1 validators already in a higher round prove we are behind; jump to the highest. */
function skipRound(ctx: Ctx): boolean {
  const { s } = ctx;
  const ahead = roundNumbers(ctx)
    .filter((r) => r > s.round)
    .reverse();
  for (const round of ahead) {
    if (isOneThird(s.config, sendersPower(s.config, readRound(s, round)))) {
      startRound(ctx, round);
      return true;
    }
  }
  return false;
}

/** Line 22: a fresh proposal (validRound -1). */
function prevoteFresh(ctx: Ctx): boolean {
  const { s } = ctx;
  if (s.step !== "propose") return false;
  const p = proposalsOf(readRound(s, s.round)).find((x) => x.validRound === -1);
  if (!p) return false;
  const ok = s.config.isValid(p.value) && (s.lockedRound === -1 || s.lockedValue === p.value);
  castVote(ctx, "prevote", ok ? p.value : null);
  s.step = "prevote";
  return true;
}

/** Line 28: a re-proposal backed by 2f+1 prevotes in its validRound may override an older lock. */
function prevoteRelocked(ctx: Ctx): boolean {
  const { s } = ctx;
  if (s.step !== "propose") return false;
  const p = proposalsOf(readRound(s, s.round)).find(
    (x) =>
      x.validRound >= 0 &&
      x.validRound < s.round &&
      isQuorum(s.config, prevotePowerFor(s.config, readRound(s, x.validRound), x.value)),
  );
  if (!p) return false;
  const ok = s.config.isValid(p.value) && (s.lockedRound <= p.validRound || s.lockedValue === p.value);
  castVote(ctx, "prevote", ok ? p.value : null);
  s.step = "prevote";
  return true;
}

/** Line 34: 2f+1 prevotes of any kind start the prevote timer. */
function prevoteTimeout(ctx: Ctx): boolean {
  const { s } = ctx;
  const r = readRound(s, s.round);
  if (s.step !== "prevote" || r.prevoteTimeoutScheduled) return false;
  if (!isQuorum(s.config, powerFor(s.config, r.prevotes, ANY))) return false;
  writeRound(ctx, s.round).prevoteTimeoutScheduled = true;
  scheduleTimeout(ctx, "prevote");
  return true;
}

/** Line 36: a polka for the round's proposal locks (if still prevoting) and always updates validValue. */
function polka(ctx: Ctx): boolean {
  const { s } = ctx;
  const r = readRound(s, s.round);
  if (s.step === "propose" || r.polkaSeen) return false;
  const p = proposalsOf(r).find(
    (x) => isQuorum(s.config, prevotePowerFor(s.config, r, x.value)) && s.config.isValid(x.value),
  );
  if (!p) return false;
  writeRound(ctx, s.round).polkaSeen = true;
  if (s.step === "prevote") {
    s.lockedValue = p.value;
    s.lockedRound = s.round;
    castVote(ctx, "precommit", p.value);
    s.step = "precommit";
  }
  s.validValue = p.value;
  s.validRound = s.round;
  return true;
}

/** Line 44: 2f+1 nil prevotes. */
function nilPolka(ctx: Ctx): boolean {
  const { s } = ctx;
  if (s.step !== "prevote") return false;
  if (!isQuorum(s.config, prevotePowerFor(s.config, readRound(s, s.round), null))) return false;
  castVote(ctx, "precommit", null);
  s.step = "precommit";
  return true;
}

/** Line 47: 2f+1 precommits of any kind start the precommit timer. */
function precommitTimeout(ctx: Ctx): boolean {
  const { s } = ctx;
  const r = readRound(s, s.round);
  if (r.precommitTimeoutScheduled || !isQuorum(s.config, powerFor(s.config, r.precommits, ANY))) return false;
  writeRound(ctx, s.round).precommitTimeoutScheduled = true;
  scheduleTimeout(ctx, "precommit");
  return true;
}

/** Rounds with stored messages, ascending (object key order is not relied upon). */
function roundNumbers(ctx: Ctx): number[] {
  return Object.keys(ctx.s.rounds)
    .map(Number)
    .sort((a, b) => a - b);
}
