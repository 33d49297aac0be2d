import { describe, expect, it } from "vitest";
import { proposer, step } from "../../src/index.js";
import {
  feed,
  machine,
  ownVotes,
  proposal,
  START,
  TIMEOUTS,
  timeout,
  VALIDATORS,
  vote,
  votes,
} from "./tendermint-fixtures.js";

// "d" proposes round 3, so in rounds 0-2 it only reacts to others' proposals.
const SELF = proposer(VALIDATORS, 1, 3);
const OTHERS = VALIDATORS.map((v) => v.address).filter((a) => a !== SELF);

/** SELF locked on X in round 0 (nobody else precommitted X), now at the start of round 2. */
function lockedOnXAtRound2() {
  let r = feed(machine(SELF), [START, proposal(0, "X"), ...votes("prevote", OTHERS.slice(0, 2), 0, "X")]);
  expect(r.state.lockedValue).toBe("X");
  expect(r.state.lockedRound).toBe(0);
  expect(ownVotes(r.outputs).at(-1)).toMatchObject({ type: "precommit", round: 0, value: "X" });
  r = feed(r.state, [...votes("precommit", OTHERS, 0, null), timeout("precommit", 0)]);
  expect(r.state.round).toBe(1);
  r = feed(r.state, [proposal(1, "Y")]);
  expect(ownVotes(r.outputs)).toEqual([
    { type: "prevote", height: 1, round: 1, value: null, validator: SELF },
  ]);
  r = feed(r.state, [...votes("precommit", OTHERS, 1, null), timeout("precommit", 1)]);
  expect(r.state.round).toBe(2);
  return r.state;
}

describe("tendermint lock rule", () => {
  it("prevotes nil for a fresh proposal of another value while locked", () => {
    const r = feed(lockedOnXAtRound2(), [proposal(2, "Y")]);
    expect(ownVotes(r.outputs)).toEqual([
      { type: "prevote", height: 1, round: 2, value: null, validator: SELF },
    ]);
    expect(r.state.lockedValue).toBe("X");
  });

  it("waits for the polka a re-proposal claims, and prevotes nil on timeout without it", () => {
    const s = lockedOnXAtRound2();
    let r = feed(s, [proposal(2, "Y", 1), vote("prevote", OTHERS[0]!, 1, "Y")]);
    expect(ownVotes(r.outputs)).toEqual([]);
    r = feed(r.state, [timeout("propose", 2)]);
    expect(ownVotes(r.outputs)).toEqual([
      { type: "prevote", height: 1, round: 2, value: null, validator: SELF },
    ]);
  });

  it("unlocks for a proposal with a polka in a round at or after its locked round", () => {
    const s = lockedOnXAtRound2();
    const r = feed(s, [proposal(2, "Y", 1), ...votes("prevote", OTHERS, 1, "Y")]);
    expect(ownVotes(r.outputs)).toEqual([
      { type: "prevote", height: 1, round: 2, value: "Y", validator: SELF },
    ]);
  });

  it("ignores a polka from a round before its locked round", () => {
    // Round 0 passes without a proposal; SELF locks X in round 1.
    let r = feed(machine(SELF), [START, timeout("propose", 0), ...votes("precommit", OTHERS, 0, null)]);
    r = feed(r.state, [
      timeout("precommit", 0),
      proposal(1, "X"),
      ...votes("prevote", OTHERS.slice(0, 2), 1, "X"),
    ]);
    expect(r.state.lockedRound).toBe(1);
    r = feed(r.state, [...votes("precommit", OTHERS, 1, null), timeout("precommit", 1)]);
    // Round 2 re-proposes Y with a genuine round-0 polka, older than the lock: still nil.
    r = feed(r.state, [proposal(2, "Y", 0), ...votes("prevote", OTHERS, 0, "Y")]);
    expect(ownVotes(r.outputs)).toEqual([
      { type: "prevote", height: 1, round: 2, value: null, validator: SELF },
    ]);
  });

  it("still prevotes its locked value when re-proposed", () => {
    const r = feed(lockedOnXAtRound2(), [proposal(2, "X")]);
    expect(ownVotes(r.outputs)).toEqual([
      { type: "prevote", height: 1, round: 2, value: "X", validator: SELF },
    ]);
  });

  it("re-proposes its valid value when it becomes proposer", () => {
    const before = lockedOnXAtRound2();
    const r = feed(before, [
      proposal(2, "Z"),
      ...votes("precommit", OTHERS, 2, null),
      timeout("precommit", 2),
    ]);
    const sent = r.outputs.flatMap((o) => (o.type === "broadcast-proposal" ? [o.proposal] : []));
    expect(sent).toEqual([{ height: 1, round: 3, value: "X", validRound: 0, proposer: SELF }]);
    expect(r.outputs.some((o) => o.type === "request-value")).toBe(false);
  });
});

describe("tendermint timeouts", () => {
  it("prevotes nil when the proposal does not arrive", () => {
    const r = feed(machine(SELF), [START, timeout("propose", 0)]);
    expect(ownVotes(r.outputs)).toEqual([
      { type: "prevote", height: 1, round: 0, value: null, validator: SELF },
    ]);
    expect(r.outputs).toContainEqual({
      type: "schedule-timeout",
      kind: "propose",
      height: 1,
      round: 0,
      durationMs: 300,
    });
  });

  it("arms the prevote timer on 2f+1 mixed prevotes and precommits nil when it fires", () => {
    let r = feed(machine(SELF), [START, proposal(0, "X"), vote("prevote", OTHERS[0]!, 0, "X")]);
    r = feed(r.state, [vote("prevote", OTHERS[1]!, 0, null)]);
    expect(r.outputs).toEqual([
      { type: "schedule-timeout", kind: "prevote", height: 1, round: 0, durationMs: 200 },
    ]);
    expect(feed(r.state, [timeout("prevote", 1)]).outputs).toEqual([]); // stale: wrong round
    r = feed(r.state, [timeout("prevote", 0)]);
    expect(ownVotes(r.outputs)).toEqual([
      { type: "precommit", height: 1, round: 0, value: null, validator: SELF },
    ]);
    expect(r.state.lockedRound).toBe(-1);
  });

  it("precommits nil at once on 2f+1 nil prevotes", () => {
    const r = feed(machine(SELF), [
      START,
      timeout("propose", 0),
      ...votes("prevote", OTHERS.slice(0, 2), 0, null),
    ]);
    expect(ownVotes(r.outputs).at(-1)).toEqual({
      type: "precommit",
      height: 1,
      round: 0,
      value: null,
      validator: SELF,
    });
  });

  it("grows timeouts linearly with the round and moves on when the precommit timer fires", () => {
    let r = feed(machine(SELF), [START, ...votes("precommit", OTHERS, 0, null)]);
    expect(r.outputs).toContainEqual({
      type: "schedule-timeout",
      kind: "precommit",
      height: 1,
      round: 0,
      durationMs: 200,
    });
    r = feed(r.state, [timeout("precommit", 0)]);
    expect(r.state.round).toBe(1);
    expect(r.outputs).toContainEqual({
      type: "schedule-timeout",
      kind: "propose",
      height: 1,
      round: 1,
      durationMs: TIMEOUTS.propose.baseMs + TIMEOUTS.propose.deltaMs,
    });
  });
});

describe("tendermint round skip", () => {
  it("jumps to a round once f+1 validators are seen in it", () => {
    let r = feed(machine(SELF), [START, vote("prevote", OTHERS[0]!, 5, "Q")]);
    expect(r.state.round).toBe(0);
    r = feed(r.state, [vote("precommit", OTHERS[1]!, 5, null)]);
    expect(r.state.round).toBe(5);
    expect(r.state.step).toBe("propose");
    expect(r.outputs).toContainEqual({
      type: "schedule-timeout",
      kind: "propose",
      height: 1,
      round: 5,
      durationMs: 800,
    });
  });

  it("counts a proposal as its proposer's message and ignores duplicates", () => {
    let r = feed(machine(SELF), [
      START,
      proposal(2, "Y"),
      vote("prevote", proposer(VALIDATORS, 1, 2), 2, "Y"),
    ]);
    expect(r.state.round).toBe(0);
    const other = OTHERS.find((a) => a !== proposer(VALIDATORS, 1, 2))!;
    r = feed(r.state, [vote("prevote", other, 2, null)]);
    expect(r.state.round).toBe(2);
    expect(ownVotes(r.outputs)).toEqual([
      { type: "prevote", height: 1, round: 2, value: "Y", validator: SELF },
    ]);
  });
});

describe("tendermint decision", () => {
  it("decides on the proposal with 2f+1 precommits and hands over the certificate votes", () => {
    const r = feed(machine(SELF), [
      START,
      proposal(0, "X"),
      ...votes("precommit", [...OTHERS].reverse(), 0, "X"),
    ]);
    const decide = r.outputs.find((o) => o.type === "decide");
    expect(decide).toEqual({
      type: "decide",
      height: 1,
      round: 0,
      value: "X",
      precommits: OTHERS.map((validator) => ({
        type: "precommit",
        height: 1,
        round: 0,
        value: "X",
        validator,
      })),
    });
    expect(r.state.height).toBe(2);
    expect(r.state.started).toBe(false);
    expect(r.state.lockedRound).toBe(-1);
  });

  it("needs the proposal, a quorum and a valid value", () => {
    let r = feed(machine(SELF), [START, ...votes("precommit", OTHERS.slice(0, 2), 0, "X")]);
    r = feed(r.state, [proposal(0, "X")]);
    expect(r.outputs.some((o) => o.type === "decide")).toBe(false);
    r = feed(r.state, [vote("precommit", OTHERS[2]!, 0, "X")]);
    expect(r.outputs.some((o) => o.type === "decide")).toBe(true);

    const invalid = feed(
      machine(SELF, (v) => v !== "X"),
      [START, proposal(0, "X"), ...votes("precommit", OTHERS, 0, "X")],
    );
    expect(invalid.outputs.some((o) => o.type === "decide")).toBe(false);
  });

  it("decides a value committed in an earlier round", () => {
    let r = feed(machine(SELF), [START, ...votes("prevote", OTHERS.slice(0, 2), 3, null)]);
    expect(r.state.round).toBe(3);
    r = feed(r.state, [proposal(0, "X"), ...votes("precommit", OTHERS, 0, "X")]);
    expect(r.outputs.find((o) => o.type === "decide")).toMatchObject({ round: 0, value: "X" });
  });

  it("stores messages before start-height and acts on them once started", () => {
    let r = feed(machine(SELF), [proposal(0, "X"), ...votes("precommit", OTHERS, 0, "X")]);
    expect(r.outputs).toEqual([]);
    r = feed(r.state, [START]);
    expect(r.outputs.find((o) => o.type === "decide")).toMatchObject({ height: 1, value: "X" });
  });

  it("asks the application for a value when proposing and broadcasts its answer", () => {
    const me = proposer(VALIDATORS, 1, 0);
    let r = feed(machine(me), [START]);
    expect(r.outputs).toContainEqual({ type: "request-value", height: 1, round: 0 });
    r = feed(r.state, [{ type: "proposal-value", value: "V" }]);
    expect(r.outputs[0]).toEqual({
      type: "broadcast-proposal",
      proposal: { height: 1, round: 0, value: "V", validRound: -1, proposer: me },
    });
    expect(ownVotes(r.outputs)).toEqual([
      { type: "prevote", height: 1, round: 0, value: "V", validator: me },
    ]);
  });
});

describe("tendermint equivocation", () => {
  it("reports conflicting votes once and counts the validator once", () => {
    const bad = OTHERS[0]!;
    let r = feed(machine(SELF), [
      START,
      proposal(0, "X"),
      vote("prevote", bad, 0, "X"),
      vote("prevote", bad, 0, "X"),
    ]);
    expect(r.outputs.some((o) => o.type === "evidence")).toBe(false);
    r = feed(r.state, [vote("prevote", bad, 0, "Y"), vote("prevote", bad, 0, "Z")]);
    expect(r.outputs).toEqual([
      {
        type: "evidence",
        a: { type: "prevote", height: 1, round: 0, value: "X", validator: bad },
        b: { type: "prevote", height: 1, round: 0, value: "Y", validator: bad },
      },
    ]);
    // Self and `bad` are 2 of 4: no polka, no precommit, however often `bad` repeats itself.
    expect(r.state.step).toBe("prevote");
    expect(ownVotes(r.outputs)).toEqual([]);
  });

  it("ignores votes from outside the validator set and never mutates its input state", () => {
    const s = feed(machine(SELF), [START, proposal(0, "X")]).state;
    const snapshot = JSON.stringify(s);
    const r = step(s, vote("prevote", "mallory", 0, "X"));
    expect(r.outputs).toEqual([]);
    feed(s, votes("precommit", OTHERS, 0, "X"));
    expect(JSON.stringify(s)).toBe(snapshot);
  });
});

describe("tendermint equivocating prevotes", () => {
  // Algorithm 1 counts every message received: an equivocator that showed one honest node a
  // prevote for Y and the others nil counts toward Y's polka once its Y face is gossiped on.
  // Counting only its first prevote let one honest node stay locked on a polka the others
  // could never see, stalling the height forever after GST (found by the simulation).
  const [bad, h1, h2] = OTHERS as [string, string, string];

  it("counts an equivocator's other prevote toward the polka a re-proposal claims (line 28)", () => {
    const r = feed(lockedOnXAtRound2(), [
      vote("prevote", bad, 1, null),
      vote("prevote", bad, 1, "Y"),
      vote("prevote", h1, 1, "Y"),
      vote("prevote", h2, 1, "Y"),
      proposal(2, "Y", 1),
    ]);
    expect(ownVotes(r.outputs)).toEqual([
      { type: "prevote", height: 1, round: 2, value: "Y", validator: SELF },
    ]);
  });

  it("counts an equivocator's other prevote toward a polka in the current round (line 36)", () => {
    const r = feed(machine(SELF), [
      START,
      vote("prevote", bad, 0, null),
      proposal(0, "X"),
      vote("prevote", bad, 0, "X"),
      vote("prevote", h1, 0, "X"),
    ]);
    expect(ownVotes(r.outputs)).toEqual([
      { type: "prevote", height: 1, round: 0, value: "X", validator: SELF },
      { type: "precommit", height: 1, round: 0, value: "X", validator: SELF },
    ]);
    expect(r.state.lockedValue).toBe("X");
  });

  it("never counts one validator twice for the same value", () => {
    const r = feed(machine(SELF), [
      START,
      proposal(0, "X"),
      vote("prevote", bad, 0, "X"),
      vote("prevote", bad, 0, null),
      vote("prevote", bad, 0, "X"),
    ]);
    // SELF and `bad` are 2 of 4, however often `bad` repeats or flips.
    expect(ownVotes(r.outputs)).toEqual([
      { type: "prevote", height: 1, round: 0, value: "X", validator: SELF },
    ]);
  });
});

describe("tendermint equivocating proposer", () => {
  it("keeps both proposals and recognises a commit that includes the equivocator's other face", () => {
    const byz = proposer(VALIDATORS, 1, 0);
    const honest = OTHERS.filter((a) => a !== byz);
    let r = feed(machine(SELF), [
      START,
      proposal(0, "X'"),
      proposal(0, "X"),
      vote("precommit", byz, 0, "X'"),
    ]);
    expect(ownVotes(r.outputs)).toEqual([
      { type: "prevote", height: 1, round: 0, value: "X'", validator: SELF },
    ]);
    r = feed(r.state, [...votes("precommit", honest, 0, "X")]);
    expect(r.outputs.some((o) => o.type === "decide")).toBe(false);
    r = feed(r.state, [vote("precommit", byz, 0, "X")]);
    expect(r.outputs.filter((o) => o.type === "evidence")).toHaveLength(1);
    const decide = r.outputs.find((o) => o.type === "decide");
    expect(decide).toMatchObject({ round: 0, value: "X" });
    expect(decide?.type === "decide" && decide.precommits.map((v) => [v.validator, v.value])).toEqual(
      [byz, ...honest].sort().map((a) => [a, "X"]),
    );
  });
});
