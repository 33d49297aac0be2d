import { describe, expect, it } from "vitest";
import { proposer } from "../../src/index.js";

describe("proposer (weighted round-robin)", () => {
  it("rotates in address order when powers are equal", () => {
    const vs = ["d", "b", "a", "c"].map((address) => ({ address, power: 5 }));
    const seq = [0, 1, 2, 3, 4].map((r) => proposer(vs, 1, r));
    expect(seq).toEqual(["a", "b", "c", "d", "a"]);
  });

  it("chooses each validator in proportion to its power over many rounds and heights", () => {
    const vs = [
      { address: "v1", power: 1 },
      { address: "v2", power: 2 },
      { address: "v3", power: 3 },
      { address: "v4", power: 4 },
    ];
    const byRound: Record<string, number> = {};
    for (let r = 0; r < 1000; r++) {
      const p = proposer(vs, 1, r);
      byRound[p] = (byRound[p] ?? 0) + 1;
    }
    expect(byRound).toEqual({ v1: 100, v2: 200, v3: 300, v4: 400 });
    const byHeight: Record<string, number> = {};
    for (let h = 1; h <= 1000; h++) {
      const p = proposer(vs, h, 0);
      byHeight[p] = (byHeight[p] ?? 0) + 1;
    }
    expect(byHeight).toEqual(byRound);
  });

  it("spreads a heavy validator's turns instead of bunching them", () => {
    const vs = [
      { address: "big", power: 3 },
      { address: "small", power: 1 },
    ];
    const seq = [0, 1, 2, 3].map((r) => proposer(vs, 1, r));
    expect(seq).toEqual(["big", "big", "small", "big"]);
  });

  it("does not depend on the order validators are listed in", () => {
    const vs = [
      { address: "x", power: 7 },
      { address: "m", power: 2 },
      { address: "q", power: 5 },
    ];
    const reversed = [...vs].reverse();
    for (let r = 0; r < 50; r++) expect(proposer(reversed, 3, r)).toBe(proposer(vs, 3, r));
  });
});
