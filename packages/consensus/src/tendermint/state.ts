import { compareAddress } from "./proposer.js";
import {
  DEFAULT_TIMEOUTS,
  type Proposal,
  type Timeouts,
  type Vote,
  type WeightedValidator,
} from "./types.js";

export type Step = "propose" | "prevote" | "precommit";

/** Fixed for the life of the machine; shared between states, never mutated. */
export interface TendermintConfig {
  /** Sorted by address. */
  validators: readonly WeightedValidator[];
  powers: Readonly<Record<string, number>>;
  totalPower: number;
  self: string;
  /** Pure validity of a proposed value (the application's processProposal verdict). */
  isValid: (value: string) => boolean;
  timeouts: Timeouts;
}

/** Everything heard in one round of the current height, plus its "for the first time" flags. */
export interface RoundState {
  /**
   * Proposals from the round's proposer keyed by value. A Byzantine proposer may send several;
   * all are kept (up to a cap) because line 49 must accept whichever one 2f+1 precommitted.
   */
  proposals: Record<string, Proposal>;
  prevotes: Record<string, Vote>;
  precommits: Record<string, Vote>;
  /** Validators with any message in this round (the f+1 round-skip rule). */
  senders: Record<string, true>;
  /** "validator/type" keys already reported as equivocating. */
  equivocators: Record<string, true>;
  /**
   * An equivocator's later prevotes, keyed "validator|value". As in Algorithm 1, which counts
   * every message received, they count toward 2f+1 prevotes for their value (lines 28, 36, 44),
   * never toward "any" (line 34). Otherwise an equivocator can give one honest node a polka the
   * others never see: that node's lock then outlives every round, and the height stalls forever.
   * Two polkas for different values in one round still need an honest node to vote twice.
   */
  conflictingPrevotes: Record<string, Vote>;
  /**
   * An equivocator's later precommits, keyed "validator|value". They never count in the round's
   * tallies, only toward recognising a commit for that value: peers that decided may have heard
   * the other face of the equivocator, and without this a lagging node could never decide.
   */
  conflictingPrecommits: Record<string, Vote>;
  prevoteTimeoutScheduled: boolean;
  precommitTimeoutScheduled: boolean;
  polkaSeen: boolean;
}

export interface TendermintState {
  config: TendermintConfig;
  height: number;
  round: number;
  step: Step;
  /** False until `start-height`: messages for this height are stored but no rule fires. */
  started: boolean;
  lockedValue: string | null;
  lockedRound: number;
  validValue: string | null;
  validRound: number;
  /** This node proposes the current round and waits for the application's value. */
  awaitingValue: boolean;
  rounds: Record<number, RoundState>;
}

export interface CreateStateParams {
  height: number;
  validators: readonly WeightedValidator[];
  self: string;
  isValid: (value: string) => boolean;
  timeouts?: Partial<Timeouts>;
}

export function createState(params: CreateStateParams): TendermintState {
  const validators = [...params.validators].sort((a, b) => compareAddress(a.address, b.address));
  const powers: Record<string, number> = {};
  for (const v of validators) {
    if (!(v.power > 0) || !Number.isSafeInteger(v.power)) throw new Error(`bad power for ${v.address}`);
    if (powers[v.address] !== undefined) throw new Error(`duplicate validator ${v.address}`);
    powers[v.address] = v.power;
  }
  const config: TendermintConfig = {
    validators,
    powers,
    totalPower: validators.reduce((sum, v) => sum + v.power, 0),
    self: params.self,
    isValid: params.isValid,
    timeouts: { ...DEFAULT_TIMEOUTS, ...params.timeouts },
  };
  return freshHeight(config, params.height);
}

export function freshHeight(config: TendermintConfig, height: number): TendermintState {
  return {
    config,
    height,
    round: 0,
    step: "propose",
    started: false,
    lockedValue: null,
    lockedRound: -1,
    validValue: null,
    validRound: -1,
    awaitingValue: false,
    rounds: {},
  };
}

export function emptyRound(): RoundState {
  return {
    proposals: {},
    prevotes: {},
    precommits: {},
    senders: {},
    equivocators: {},
    conflictingPrevotes: {},
    conflictingPrecommits: {},
    prevoteTimeoutScheduled: false,
    precommitTimeoutScheduled: false,
    polkaSeen: false,
  };
}
