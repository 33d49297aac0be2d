import {
  createState,
  type Input,
  type Output,
  type Proposal,
  proposer,
  step,
  type TendermintState,
  type Vote,
  type VoteType,
} from "../../src/index.js";

/** Four equal validators; with equal power the proposer of (1, r) is a, b, c, d, a, ... */
export const VALIDATORS = ["a", "b", "c", "d"].map((address) => ({ address, power: 1 }));
export const TIMEOUTS = {
  propose: { baseMs: 300, deltaMs: 100 },
  prevote: { baseMs: 200, deltaMs: 50 },
  precommit: { baseMs: 200, deltaMs: 50 },
};

export function machine(self: string, isValid: (v: string) => boolean = () => true): TendermintState {
  return createState({ height: 1, validators: VALIDATORS, self, isValid, timeouts: TIMEOUTS });
}

export function feed(state: TendermintState, inputs: Input[]): { state: TendermintState; outputs: Output[] } {
  const outputs: Output[] = [];
  for (const input of inputs) {
    const r = step(state, input);
    state = r.state;
    outputs.push(...r.outputs);
  }
  return { state, outputs };
}

export function proposal(round: number, value: string, validRound = -1, height = 1): Input {
  const p: Proposal = { height, round, value, validRound, proposer: proposer(VALIDATORS, height, round) };
  return { type: "proposal", proposal: p };
}

export function vote(
  type: VoteType,
  validator: string,
  round: number,
  value: string | null,
  height = 1,
): Input {
  const v: Vote = { type, height, round, value, validator };
  return { type: "vote", vote: v };
}

export function votes(type: VoteType, validators: string[], round: number, value: string | null): Input[] {
  return validators.map((v) => vote(type, v, round, value));
}

export function ownVotes(outputs: Output[]): Vote[] {
  return outputs.flatMap((o) => (o.type === "broadcast-vote" ? [o.vote] : []));
}

export function timeout(kind: "propose" | "prevote" | "precommit", round: number, height = 1): Input {
  return { type: "timeout", kind, height, round };
}

export const START: Input = { type: "start-height" };
