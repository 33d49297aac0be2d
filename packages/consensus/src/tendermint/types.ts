/**
 * Messages, inputs and outputs of the Tendermint state machine. Messages are assumed already
 * authenticated: signatures are checked and produced at the edges, never here.
 */
export interface WeightedValidator {
  address: string;
  power: number;
}

export interface Proposal {
  height: number;
  round: number;
  /** Block hash of the proposed value. */
  value: string;
  /** Round of the polka that justifies re-proposing `value`, or -1. */
  validRound: number;
  proposer: string;
}

export type VoteType = "prevote" | "precommit";

export interface Vote {
  type: VoteType;
  height: number;
  round: number;
  /** Block hash, or null for a nil vote. */
  value: string | null;
  validator: string;
}

export type TimeoutKind = "propose" | "prevote" | "precommit";

export type Input =
  | { type: "start-height" }
  | { type: "proposal"; proposal: Proposal }
  | { type: "vote"; vote: Vote }
  | { type: "timeout"; kind: TimeoutKind; height: number; round: number }
  | { type: "proposal-value"; value: string };

export type Output =
  | { type: "broadcast-proposal"; proposal: Proposal }
  | { type: "broadcast-vote"; vote: Vote }
  | { type: "schedule-timeout"; kind: TimeoutKind; height: number; round: number; durationMs: number }
  | { type: "request-value"; height: number; round: number }
  | { type: "decide"; height: number; round: number; value: string; precommits: Vote[] }
  | { type: "evidence"; a: Vote; b: Vote };

/** Timeout for round r is `baseMs + r * deltaMs`, so rounds eventually outlast any network delay. */
export interface TimeoutSchedule {
  baseMs: number;
  deltaMs: number;
}

export type Timeouts = Record<TimeoutKind, TimeoutSchedule>;

export const DEFAULT_TIMEOUTS: Timeouts = {
  propose: { baseMs: 3000, deltaMs: 500 },
  prevote: { baseMs: 1000, deltaMs: 500 },
  precommit: { baseMs: 1000, deltaMs: 500 },
};
