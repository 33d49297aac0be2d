import { proposer } from "../../src/index.js";
import { RoundPartitionedNetwork } from "./network.js";
import { between, chance, pick, shuffled, substream } from "./prng.js";
import type { WorldConfig } from "./world.js";

/**
 * Twins (Bano et al.): the Byzantine validator is two processes running the honest code under one
 * identity. A scenario fixes, per (height, round), how the five processes are partitioned, and
 * which identity is twinned; since the proposer of (height, round) is the validator set's
 * rotation, choosing the twinned identity chooses the rounds the twins lead (the leader choice).
 */
export interface TwinsScenario {
  id: number;
  powers: number[];
  /** Address index of the twinned identity; process 4 is its second instance. */
  twin: number;
  heights: number;
  /** Group per process for the scripted rounds, keyed "height/round"; other rounds are connected. */
  partitions: Map<string, number[]>;
  /** When the scripted partitions stop holding messages back (GST). */
  healAtMs: number;
  maxDelayMs: number;
}

export interface TwinsOverrides {
  /** Force weighted powers with a strongest validator twinned (simple majority < 2f+1). */
  weighted?: boolean;
}

const PROCESSES = 5;
export const TWINS_ROUND_BOUND = 6;

export function twinsScenario(id: number, overrides: TwinsOverrides = {}): TwinsScenario {
  const rand = substream(id, 3);
  const weighted = overrides.weighted ?? chance(rand, 0.25);
  const powers = weighted
    ? shuffled(
        rand,
        pick(rand, [
          [2, 2, 2, 1],
          [3, 3, 3, 2],
        ]),
      )
    : [1, 1, 1, 1];
  const max = Math.max(...powers);
  const twin = pick(
    rand,
    powers.map((p, i) => ({ p, i })).filter((x) => !overrides.weighted || x.p === max),
  ).i;
  const heights = between(rand, 2, 3);
  const partitions = new Map<string, number[]>();
  for (let h = 1; h <= heights; h++) {
    if (h > 1 && chance(rand, 0.5)) continue;
    const rounds = between(rand, 1, 3);
    for (let r = 0; r < rounds; r++) partitions.set(`${h}/${r}`, partition(rand, twin));
  }
  return {
    id,
    powers,
    twin,
    heights,
    partitions,
    healAtMs: between(rand, 1000, 4000),
    maxDelayMs: between(rand, 1, 40),
  };
}

/** Two or three groups (sometimes none); the twins usually land apart, where they can do harm. */
function partition(rand: () => number, twin: number): number[] {
  const groups = pick(rand, [1, 2, 2, 2, 3]);
  const of = Array.from({ length: PROCESSES }, () => between(rand, 0, groups - 1));
  if (groups > 1 && of[twin] === of[4] && chance(rand, 0.8)) of[4] = (of[twin]! + 1) % groups;
  return of;
}

export function twinsWorld(s: TwinsScenario): WorldConfig {
  const rand = substream(s.id, 4);
  const addresses = s.powers.map((_, i) => `val${i}`);
  const twinAddress = addresses[s.twin]!;
  return {
    validators: addresses.map((address, i) => ({ address, power: s.powers[i]! })),
    participants: [
      ...addresses.map((address, i) => ({
        address,
        label: i === s.twin ? `${address}#a` : address,
        role: i === s.twin ? ("twin" as const) : ("honest" as const),
      })),
      { address: twinAddress, label: `${twinAddress}#b`, role: "twin" as const },
    ],
    heights: s.heights,
    rand,
    network: new RoundPartitionedNetwork(
      rand,
      (h, r) => s.partitions.get(`${h}/${r}`),
      s.healAtMs,
      s.maxDelayMs,
    ),
    gstMs: s.healAtMs,
    roundBound: TWINS_ROUND_BOUND,
    maxTimeMs: s.healAtMs + 120_000,
  };
}

export function describeTwins(s: TwinsScenario): string {
  const validators = s.powers.map((power, i) => ({ address: `val${i}`, power }));
  const labels = [
    ...validators.map((v, i) => (i === s.twin ? `${v.address}#a` : v.address)),
    `val${s.twin}#b`,
  ];
  const rounds = [...s.partitions].map(([key, of]) => {
    const [h, r] = key.split("/").map(Number) as [number, number];
    const groups = new Map<number, string[]>();
    of.forEach((g, p) => {
      groups.set(g, [...(groups.get(g) ?? []), labels[p]!]);
    });
    const leader = proposer(validators, h, r);
    return `h${h}r${r} leader ${leader}: ${[...groups.values()].map((g) => `{${g.join(" ")}}`).join(" ")}`;
  });
  return (
    `powers [${s.powers.join(",")}], twin val${s.twin}, ${s.heights} heights, heal ${s.healAtMs}ms, ` +
    `delay 1-${s.maxDelayMs}ms; ${rounds.join("; ")}`
  );
}
