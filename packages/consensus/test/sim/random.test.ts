import { describe, expect, it } from "vitest";
import { STRATEGIES } from "./attacker.js";
import { expectNoViolations } from "./expect-clean.js";
import { randomScenario } from "./random-scenario.js";
import { CI_SEEDS, runSeed, type SeedResult } from "./scenarios.js";

const SEEDS = CI_SEEDS.random;

describe("random scenarios: lossy partitioned network, WAL crash/restart, one Byzantine validator", () => {
  const results: SeedResult[] = [];

  it(`holds agreement, validity, unique signatures, replay and liveness over ${SEEDS} seeds`, () => {
    for (let seed = 1; seed <= SEEDS; seed++) results.push(runSeed("random", seed));
    expectNoViolations(results);
  });

  it("really exercises crashes, restarts, every attacker strategy and equivocation", () => {
    const total = {
      clean: 0,
      unsent: 0,
      torn: 0,
      restarts: 0,
      evidence: 0,
      weighted: 0,
      heights: 0,
      lateRounds: 0,
    };
    const strategies = new Set<string>();
    for (const r of results) {
      const s = randomScenario(r.seed);
      total.clean += r.stats.crashes.clean;
      total.unsent += r.stats.crashes.unsent;
      total.torn += r.stats.crashes.torn;
      total.restarts += r.stats.restarts;
      total.evidence += r.stats.evidence;
      total.heights += s.heights;
      if (r.stats.maxCommitRound > 0) total.lateRounds++;
      if (new Set(s.powers).size > 1) total.weighted++;
      if (s.strategy) strategies.add(s.strategy);
    }
    expect(strategies).toEqual(new Set(STRATEGIES));
    // A mid-step crash needs an input to land while armed; most do.
    expect(total.unsent).toBeGreaterThan(SEEDS / 5);
    expect(total.torn).toBeGreaterThan(SEEDS / 5);
    expect(total.clean).toBeGreaterThan(SEEDS / 5);
    expect(total.restarts).toBeGreaterThan(SEEDS);
    expect(total.evidence).toBeGreaterThan(SEEDS / 4);
    expect(total.weighted).toBeGreaterThan(SEEDS / 3);
    expect(total.heights).toBeGreaterThan(3 * SEEDS);
    // Timeouts and round changes at work: some heights only commit after round 0 failed.
    expect(total.lateRounds).toBeGreaterThan(SEEDS / 5);
  });

  it("replays a seed exactly", () => {
    const run = () => {
      const lines: string[] = [];
      const r = runSeed("random", 7, { trace: (l) => lines.push(l), traceMessages: true });
      return { lines, stats: r.stats, violation: r.violation };
    };
    const first = run();
    expect(first.lines.length).toBeGreaterThan(100);
    expect(run()).toEqual(first);
  });
});
