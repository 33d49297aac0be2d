import { createAttacker, STRATEGIES, type StrategyName } from "./attacker.js";
import { RandomNetwork, type RandomNetworkParams } from "./network.js";
import type { CrashMode } from "./node.js";
import { between, chance, pick, shuffled, substream } from "./prng.js";
import type { CrashPlan, WorldConfig } from "./world.js";

/**
 * One seeded run on a lossy, partitioned network with crash/restarts of honest nodes and, in most
 * seeds, one Byzantine validator running a targeted strategy. Everything is drawn from the seed.
 */
export interface RandomScenario {
  seed: number;
  /** Voting power per validator val0..val3. */
  powers: number[];
  /** Index of the Byzantine validator, or -1. */
  byzantine: number;
  strategy: StrategyName | null;
  heights: number;
  network: RandomNetworkParams;
  crashes: CrashPlan[];
}

export interface RandomOverrides {
  /** Force a weighted power profile (a simple majority is then weaker than 2f+1). */
  weighted?: boolean;
  strategy?: StrategyName;
}

const N = 4;
/** Power profiles for 4 validators; in each, any single validator holds less than a third. */
const PROFILES = [
  [1, 1, 1, 1],
  [2, 2, 2, 1],
  [3, 3, 3, 2],
  [4, 3, 3, 3],
];
const CRASH_MODES: readonly CrashMode[] = ["clean", "unsent", "torn"];

export const RANDOM_ROUND_BOUND = 6;

export function randomScenario(seed: number, overrides: RandomOverrides = {}): RandomScenario {
  const rand = substream(seed, 1);
  const profile = overrides.weighted
    ? pick(rand, PROFILES.slice(1))
    : pick(rand, [PROFILES[0]!, ...PROFILES]);
  const powers = shuffled(rand, profile);
  const byzantine =
    overrides.strategy || chance(rand, 0.8) ? strongest(rand, powers, overrides.weighted) : -1;
  const strategy = byzantine < 0 ? null : (overrides.strategy ?? pick(rand, STRATEGIES));
  const heights = between(rand, 3, 5);
  const gstMs = between(rand, 500, 4000);
  const partitions = Array.from({ length: between(rand, 0, 2) }, () => {
    const fromMs = between(rand, 0, gstMs - 100);
    const groups = splitInTwo(rand);
    return { fromMs, untilMs: between(rand, fromMs + 100, gstMs), groups };
  });
  const minDelayMs = between(rand, 1, 10);
  const network: RandomNetworkParams = {
    gstMs,
    partitions,
    dropP: rand() * 0.3,
    dupP: rand() * 0.2,
    minDelayMs,
    maxDelayMs: between(rand, minDelayMs, 150),
  };
  const honest = powers.map((_, i) => i).filter((i) => i !== byzantine);
  const crashes: CrashPlan[] = [];
  for (let k = between(rand, 0, 3); k > 0; k--) {
    const node = pick(rand, honest);
    // A node takes some 6-9 inputs per height (measured); past its last one no crash happens.
    const atInput = between(rand, 1, 7 * heights);
    if (crashes.some((c) => c.node === node && c.atInput === atInput)) continue;
    crashes.push({ node, atInput, mode: pick(rand, CRASH_MODES), downMs: between(rand, 10, 1500) });
  }
  return { seed, powers, byzantine, strategy, heights, network, crashes };
}

/** The Byzantine validator; with `preferStrong`, one of the most powerful (the worst case). */
function strongest(rand: () => number, powers: number[], preferStrong = false): number {
  const max = Math.max(...powers);
  const candidates = powers.map((p, i) => ({ p, i })).filter((x) => !preferStrong || x.p === max);
  return pick(rand, candidates).i;
}

function splitInTwo(rand: () => number): number[] {
  const side = shuffled(
    rand,
    Array.from({ length: N }, (_, i) => i),
  ).slice(0, between(rand, 1, N - 1));
  return Array.from({ length: N }, (_, i) => (side.includes(i) ? 1 : 0));
}

export function randomWorld(s: RandomScenario): WorldConfig {
  const rand = substream(s.seed, 2);
  const addresses = s.powers.map((_, i) => `val${i}`);
  return {
    validators: addresses.map((address, i) => ({ address, power: s.powers[i]! })),
    participants: addresses.map((address, i) => ({
      address,
      label: i === s.byzantine ? `${address}(byz)` : address,
      role: i === s.byzantine ? "byzantine" : "honest",
    })),
    heights: s.heights,
    rand,
    network: new RandomNetwork(rand, s.network),
    attacker: s.strategy ? createAttacker(s.strategy) : undefined,
    crashes: s.crashes,
    gstMs: s.network.gstMs,
    roundBound: RANDOM_ROUND_BOUND,
    maxTimeMs: s.network.gstMs + 120_000,
  };
}

export function describeRandom(s: RandomScenario): string {
  const byz = s.byzantine < 0 ? "no byzantine" : `byzantine val${s.byzantine} (${s.strategy})`;
  const crashes = s.crashes
    .map((c) => `val${c.node} ${c.mode} at input ${c.atInput} for ${c.downMs}ms`)
    .join(", ");
  return (
    `powers [${s.powers.join(",")}], ${byz}, ${s.heights} heights, ` +
    `crashes: ${crashes || "none"}; ${new RandomNetwork(() => 0, s.network).describe()}`
  );
}
