import { describe, expect, it } from "vitest";
import { createState, type Output, type TendermintState } from "../../src/index.js";
import { proposal, START, TIMEOUTS, timeout, VALIDATORS, votes } from "../unit/tendermint-fixtures.js";
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

const comparable = (s: TendermintState) => JSON.stringify({ ...s, config: null });
const signed = (outputs: readonly Output[]): Message[] =>
  outputs.flatMap((o) => (o.type === "broadcast-vote" ? [{ type: "vote" as const, vote: o.vote }] : []));

describe("WAL crash/restart model", () => {
  it("rebuilds the exact engine state and re-signs the same votes from the WAL", () => {
    const n = node();
    const sent: Output[] = [];
    for (const input of [START, proposal(0, "X"), ...votes("prevote", ["a", "b"], 0, "X")]) {
      sent.push(...n.feed(input)!);
    }
    const before = comparable(n.state);
    n.crash();
    const replayed = n.restart();
    expect(comparable(n.state)).toBe(before);
    expect(signed(replayed)).toEqual(signed(sent));
  });

  it("keeps the decided height on the chain and replays only the next one", () => {
    const n = node();
    const decided = [START, proposal(0, "X"), ...votes("precommit", ["a", "b", "c"], 0, "X")]
      .flatMap((input) => n.feed(input)!)
      .find((o) => o.type === "decide");
    expect(decided).toMatchObject({ height: 1, value: "X" });
    n.commit(1, { round: 0, value: "X" });
    n.feed(START);
    n.crash();
    n.restart();
    expect(n.state.height).toBe(2);
    expect(n.state.started).toBe(true);
  });

  it("loses a torn input with everything it caused, and replays an unsent one", () => {
    for (const mode of ["torn", "unsent"] as const) {
      const n = node();
      n.feed(START);
      n.pendingCrash = mode;
      expect(n.feed(proposal(0, "X"))).toBeNull();
      expect(n.up).toBe(false);
      const replayed = n.restart();
      const prevotes = signed(replayed);
      if (mode === "torn") expect(prevotes).toEqual([]);
      else expect(prevotes).toMatchObject([{ vote: { type: "prevote", round: 0, value: "X" } }]);
    }
  });

  it("shows why the fsync must precede sending: a lost input that was acted on means a second signature", () => {
    const n = node();
    const checker = new SafetyChecker(new Set([SELF]), () => 0);
    n.feed(START);
    // Sent before the fsync, then the input is lost with the crash.
    for (const m of signed(n.feed(proposal(0, "X"))!)) checker.onSigned(SELF, m);
    n.loseLastInput(1);
    n.crash();
    n.restart();
    const after = signed(n.feed(timeout("propose", 0))!);
    expect(after).toMatchObject([{ vote: { type: "prevote", round: 0, value: null } }]);
    expect(() => checker.onSigned(SELF, after[0]!)).toThrow(ViolationFound);
  });

  it("catches a node that sends before its WAL fsync (mutant) across the random seeds", () => {
    const found = new Set<string>();
    for (let seed = 1; seed <= 300; seed++) {
      const mutant = runSeed("random", seed, { mutantSendBeforeFsync: true }).violation;
      if (mutant) found.add(mutant.property);
    }
    expect([...found].sort()).toEqual(expect.arrayContaining(["replay"]));
    expect([...found].every((p) => p === "replay" || p === "conflicting-signature")).toBe(true);
  });
});
