import { describe, expect, it, vi } from "vitest";
import type { TendermintConfig } from "../../src/tendermint/state.js";
import { isQuorum } from "../../src/tendermint/tally.js";
import { CI_SEEDS, runSeed, SAFETY_PROPERTIES, type ScenarioKind, type SeedResult } from "./scenarios.js";

/**
 * Shows the simulation is not vacuous: with the engine's quorum lowered from 2f+1 to a simple
 * majority, the very scenarios CI runs must find a safety violation. With four equal validators
 * the two thresholds coincide (3 of 4); the scenario families also draw weighted validator sets,
 * where a majority (e.g. 4 of 7) is weaker than 2f+1 (5 of 7) and a Byzantine validator holding
 * 2 of 7 can complete two conflicting "quorums".
 */
vi.mock("../../src/tendermint/tally.js", async (importOriginal) => {
  const real = await importOriginal<typeof import("../../src/tendermint/tally.js")>();
  return { ...real, isQuorum: (config: TendermintConfig, power: number) => power * 2 > config.totalPower };
});

/** The CI's seeds of one family, in order, up to the first safety violation. */
function firstSafetyViolation(kind: ScenarioKind): SeedResult | undefined {
  for (let seed = 1; seed <= CI_SEEDS[kind]; seed++) {
    const r = runSeed(kind, seed);
    if (r.violation && SAFETY_PROPERTIES.has(r.violation.property)) return r;
  }
  return undefined;
}

describe("mutation: a simple-majority quorum instead of 2f+1", () => {
  it("is what the engine runs in this file", () => {
    const config = { totalPower: 7 } as TendermintConfig;
    expect(isQuorum(config, 4)).toBe(true);
  });

  it("breaks agreement in one of the CI's twins scenarios", () => {
    const found = firstSafetyViolation("twins");
    expect(found?.violation?.property).toBe("agreement");
  });

  it("breaks agreement in one of the CI's attacker seeds", () => {
    const found = firstSafetyViolation("random");
    expect(found?.violation?.property).toBe("agreement");
  });
});
