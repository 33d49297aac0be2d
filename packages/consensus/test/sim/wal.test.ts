import { describe, expect, it } from "vitest";
import { createState, type Input, type Output, type TendermintState } from "../../src/index.js";
import { proposal, START, TIMEOUTS, timeout, VALIDATORS, vote, votes } from "../unit/tendermint-fixtures.js";
import { SafetyChecker, ViolationFound } from "./checkers.js";
import type { Message } from "./messages.js";
import { SimNode } from "./node.js";
import { runSeed } from "./scenarios.js";

// "d" is not the proposer of (1, 0), so it only reacts.
const SELF = "d";

function node(): SimNode {
  const fresh = (height: number) =>
    createState({ height, validators: VALIDATORS, self: SELF, isValid: () => true, timeouts: TIMEOUTS });
  return new SimNode(0, SELF, SELF, "honest", fresh);
}

/** The driver's write path without a crash: append, step, fsync if there are outputs. */
function take(n: SimNode, input: Input): Output[] {
  const outputs = n.take(input);
  if (outputs.length > 0) n.fsync();
  return outputs;
}

const comparable = (s: TendermintState) => JSON.stringify({ ...s, config: null });
const signed = (outputs: readonly Output[]): Message[] =>
  outputs.flatMap((o) => (o.type === "broadcast-vote" ? [{ type: "vote" as const, vote: o.vote }] : []));

describe("WAL crash/restart model", () => {
  it("rebuilds the exact engine state and re-signs the same votes from the WAL", () => {
    const n = node();
    const inputs = [START, proposal(0, "X"), ...votes("prevote", ["a", "b"], 0, "X")];
    const sent = inputs.flatMap((input) => take(n, input));
    const before = comparable(n.state);
    n.crash();
    const replayed = n.restart();
    expect(comparable(n.state)).toBe(before);
    expect(signed(replayed)).toEqual(signed(sent));
  });

  it("keeps the decided height on the chain and replays only the next one", () => {
    const n = node();
    const decided = [START, proposal(0, "X"), ...votes("precommit", ["a", "b", "c"], 0, "X")]
      .flatMap((input) => take(n, input))
      .find((o) => o.type === "decide");
    expect(decided).toMatchObject({ height: 1, value: "X" });
    n.commit(1, { round: 0, value: "X" });
    take(n, START);
    n.crash();
    n.restart();
    expect(n.state.height).toBe(2);
    expect(n.state.started).toBe(true);
  });

  it("loses every input since the last step that had outputs, and nothing sent depended on them", () => {
    const n = node();
    take(n, START);
    // One prevote changes the engine's state but emits nothing: no fsync.
    expect(take(n, vote("prevote", "a", 0, "X"))).toEqual([]);
    expect(n.state.rounds[0]?.prevotes.a).toBeDefined();
    n.crash();
    n.restart();
    expect(n.state.rounds[0]?.prevotes.a).toBeUndefined();
    expect(n.state.started).toBe(true);
  });

  it("forgets a step torn before its fsync, and replays one that crashed after it", () => {
    for (const mode of ["torn", "unsent"] as const) {
      const n = node();
      take(n, START);
      expect(signed(n.take(proposal(0, "X")))).toHaveLength(1);
      if (mode === "unsent") n.fsync();
      n.crash();
      const prevotes = signed(n.restart());
      if (mode === "torn") expect(prevotes).toEqual([]);
      else expect(prevotes).toMatchObject([{ vote: { type: "prevote", round: 0, value: "X" } }]);
    }
  });

  it("shows why the fsync must precede sending: an input lost after it was acted on means a second signature", () => {
    const n = node();
    const checker = new SafetyChecker(new Set([SELF]), () => 0);
    take(n, START);
    for (const m of signed(n.take(proposal(0, "X")))) checker.onSigned(SELF, m); // sent, not fsynced
    n.crash();
    n.restart();
    const after = signed(take(n, timeout("propose", 0)));
    expect(after).toMatchObject([{ vote: { type: "prevote", round: 0, value: null } }]);
    expect(() => checker.onSigned(SELF, after[0]!)).toThrow(ViolationFound);
  });

  it("catches a node that sends before its WAL fsync (mutant) across the random seeds", () => {
    const found = new Set<string>();
    for (let seed = 1; seed <= 300; seed++) {
      const mutant = runSeed("random", seed, { mutantSendBeforeFsync: true }).violation;
      if (mutant) found.add(mutant.property);
    }
    expect(found.has("replay")).toBe(true);
    expect([...found].every((p) => p === "replay" || p === "conflicting-signature")).toBe(true);
  });
});
