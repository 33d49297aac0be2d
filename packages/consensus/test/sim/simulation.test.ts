import { describe, expect, it } from "vitest";
import { type SimResult, simulate } from "./harness.js";

const SEEDS = 200;
const N = 4;
const HEIGHTS = 5;
const MAX_TIME_MS = 120_000;
/** Rounds a height may take beyond the round it had reached when the partition healed. */
const ROUND_BOUND = 6;

/** Checks agreement, validity and bounded liveness among the honest nodes. */
function check(seed: number, r: SimResult): void {
  const honest = r.decisions.filter((_, i) => i !== r.byzantine);
  for (let h = 1; h <= HEIGHTS; h++) {
    const decided = honest.map((d) => d[h]);
    for (const [node, d] of decided.entries()) {
      expect(d, `seed ${seed}: node ${node} never decided height ${h}`).toBeDefined();
    }
    const values = new Set(decided.map((d) => d?.value));
    expect(values.size, `seed ${seed}: disagreement at height ${h}: ${[...values].join(", ")}`).toBe(1);
    const value = decided[0]!.value;
    expect(r.proposed.has(value), `seed ${seed}: height ${h} decided unproposed ${value}`).toBe(true);
    const extra = Math.max(...decided.map((d) => d!.round)) - (r.roundAtHeal[h] ?? 0);
    expect(extra, `seed ${seed}: height ${h} took ${extra} rounds after the heal`).toBeLessThanOrEqual(
      ROUND_BOUND,
    );
  }
  const innocent = [...r.accused].filter((v) => v !== `val${r.byzantine}`);
  expect(innocent, `seed ${seed}: evidence against honest validators`).toEqual([]);
}

describe("tendermint deterministic simulation", () => {
  it(`keeps agreement, validity and liveness over ${SEEDS} seeds with honest nodes`, () => {
    for (let seed = 1; seed <= SEEDS; seed++) {
      check(seed, simulate({ seed, n: N, heights: HEIGHTS, maxTimeMs: MAX_TIME_MS, byzantine: false }));
    }
  });

  it(`keeps agreement, validity and liveness over ${SEEDS} seeds with one equivocating node`, () => {
    let accusations = 0;
    for (let seed = 1; seed <= SEEDS; seed++) {
      const r = simulate({ seed, n: N, heights: HEIGHTS, maxTimeMs: MAX_TIME_MS, byzantine: true });
      check(seed, r);
      accusations += r.accused.size;
    }
    expect(accusations, "the equivocator was never caught").toBeGreaterThan(0);
  });

  it("replays a seed exactly", () => {
    const opts = { seed: 7, n: N, heights: HEIGHTS, maxTimeMs: MAX_TIME_MS, byzantine: true };
    const run = () => {
      const r = simulate(opts);
      return { ...r, final: r.final.map((s) => ({ ...s, config: null })) };
    };
    expect(run()).toEqual(run());
  });
});
