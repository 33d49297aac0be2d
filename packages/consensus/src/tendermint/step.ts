import {
  broadcastProposal,
  type Ctx,
  castVote,
  isProposer,
  openCtx,
  readRound,
  startRound,
} from "./context.js";
import { runRules } from "./rules.js";
import type { TendermintState } from "./state.js";
import type { Input, Output } from "./types.js";
import { recordProposal, recordVote } from "./votes.js";

export interface StepResult {
  state: TendermintState;
  outputs: Output[];
}

/** Feeds one input to the machine. Pure: `state` is not modified and no clock or I/O is touched. */
export function step(state: TendermintState, input: Input): StepResult {
  const ctx = openCtx(state);
  switch (input.type) {
    case "start-height":
      if (!ctx.s.started) {
        ctx.s.started = true;
        startRound(ctx, 0);
      }
      break;
    case "proposal":
      recordProposal(ctx, input.proposal);
      break;
    case "vote":
      recordVote(ctx, input.vote);
      break;
    case "timeout":
      onTimeout(ctx, input.kind, input.height, input.round);
      break;
    case "proposal-value":
      onProposalValue(ctx, input.value);
      break;
  }
  runRules(ctx);
  return { state: ctx.s, outputs: ctx.out };
}

/** Lines 57-66: a timeout acts only if the machine is still where it was when it was armed. */
function onTimeout(ctx: Ctx, kind: "propose" | "prevote" | "precommit", height: number, round: number): void {
  const s = ctx.s;
  if (!s.started || height !== s.height || round !== s.round) return;
  if (kind === "propose" && s.step === "propose") {
    s.awaitingValue = false;
    castVote(ctx, "prevote", null);
    s.step = "prevote";
  } else if (kind === "prevote" && s.step === "prevote") {
    castVote(ctx, "precommit", null);
    s.step = "precommit";
  } else if (kind === "precommit") {
    startRound(ctx, s.round + 1);
  }
}

/** The application's answer to `request-value`; stale answers (round moved on) are dropped. */
function onProposalValue(ctx: Ctx, value: string): void {
  const s = ctx.s;
  if (!s.started || !s.awaitingValue || s.step !== "propose" || !isProposer(s)) return;
  if (Object.keys(readRound(s, s.round).proposals).length > 0) return;
  s.awaitingValue = false;
  broadcastProposal(ctx, value, -1);
}
