import type { RoundState, TendermintConfig } from "./state.js";
import type { Vote } from "./types.js";

/** Sentinel that matches every vote, nil included ("2f+1 ⟨PREVOTE, h, r, ∗⟩"). */
export const ANY = Symbol("any");

/** Voting power behind `votes` for `value`. Votes are keyed by validator, so each counts once. */
export function powerFor(
  config: TendermintConfig,
  votes: Readonly<Record<string, Vote>>,
  value: string | null | typeof ANY,
): number {
  let sum = 0;
  for (const vote of Object.values(votes)) {
    if (value === ANY || vote.value === value) sum += config.powers[vote.validator] ?? 0;
  }
  return sum;
}

/**
 * Prevote power behind `value` in a round, an equivocator's other faces included. Each validator
 * counts at most once per value: its first prevote and its conflicting ones differ in value.
 */
export function prevotePowerFor(config: TendermintConfig, round: RoundState, value: string | null): number {
  let sum = powerFor(config, round.prevotes, value);
  for (const v of Object.values(round.conflictingPrevotes)) {
    if (v.value === value) sum += config.powers[v.validator] ?? 0;
  }
  return sum;
}

/** Power behind a list of votes already known to hold at most one vote per validator. */
export function powerOf(config: TendermintConfig, votes: readonly Vote[]): number {
  return votes.reduce((sum, v) => sum + (config.powers[v.validator] ?? 0), 0);
}

export function sendersPower(config: TendermintConfig, round: RoundState): number {
  let sum = 0;
  for (const address of Object.keys(round.senders)) sum += config.powers[address] ?? 0;
  return sum;
}

/** 2f+1: strictly more than 2/3 of the total power (integer arithmetic, no rounding). */
export function isQuorum(config: TendermintConfig, power: number): boolean {
  return power * 3 > config.totalPower * 2;
}

/** f+1: strictly more than 1/3, so at least one honest validator is among them. */
export function isOneThird(config: TendermintConfig, power: number): boolean {
  return power * 3 > config.totalPower;
}
