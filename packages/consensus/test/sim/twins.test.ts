import { describe, expect, it } from "vitest";
import { proposer } from "../../src/index.js";
import { expectNoViolations } from "./expect-clean.js";
import { CI_SEEDS, runSeed, type SeedResult } from "./scenarios.js";
import { twinsScenario } from "./twins.js";

const SCENARIOS = CI_SEEDS.twins;

describe("twins: the Byzantine validator as two honest processes under one identity", () => {
  const results: SeedResult[] = [];

  it(`keeps the three honest validators in agreement over ${SCENARIOS} scenarios`, () => {
    for (let id = 1; id <= SCENARIOS; id++) results.push(runSeed("twins", id));
    expectNoViolations(results);
  });

  it("covers the scenarios that matter: a twin leads a round in which the twins are apart", () => {
    let twinLedSplit = 0;
    let weighted = 0;
    let evidence = 0;
    let lateRounds = 0;
    for (const r of results) {
      const s = twinsScenario(r.seed);
      const validators = s.powers.map((power, i) => ({ address: `val${i}`, power }));
      const leadsSplit = [...s.partitions].some(([key, groups]) => {
        const [h, round] = key.split("/").map(Number) as [number, number];
        return proposer(validators, h, round) === `val${s.twin}` && groups[s.twin] !== groups[4];
      });
      if (leadsSplit) twinLedSplit++;
      if (new Set(s.powers).size > 1) weighted++;
      evidence += r.stats.evidence;
      if (r.stats.maxCommitRound > 0) lateRounds++;
    }
    expect(twinLedSplit).toBeGreaterThan(SCENARIOS / 5);
    expect(weighted).toBeGreaterThan(SCENARIOS / 10);
    expect(evidence).toBeGreaterThan(SCENARIOS / 2);
    expect(lateRounds).toBeGreaterThan(SCENARIOS / 5);
  });
});
