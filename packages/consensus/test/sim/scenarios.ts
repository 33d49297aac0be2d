import type { Violation } from "./checkers.js";
import type { SimNode } from "./node.js";
import { describeRandom, type RandomOverrides, randomScenario, randomWorld } from "./random-scenario.js";
import { describeTwins, type TwinsOverrides, twinsScenario, twinsWorld } from "./twins.js";
import { type RunStats, runWorld } from "./world.js";

export type ScenarioKind = "random" | "twins";

/** Seeds 1..N of each family run on every `npm test`; `npm run sim` runs as many as asked. */
export const CI_SEEDS: Record<ScenarioKind, number> = { random: 4000, twins: 2000 };

/** What the mutation tests must be able to provoke; liveness and replay are not safety. */
export const SAFETY_PROPERTIES = new Set(["agreement", "validity", "conflicting-signature"]);

export interface SeedResult {
  kind: ScenarioKind;
  seed: number;
  description: string;
  violation: Violation | null;
  stats: RunStats;
}

export interface SeedOptions {
  trace?: (line: string) => void;
  traceMessages?: boolean;
  onEnd?: (nodes: readonly SimNode[]) => void;
  random?: RandomOverrides;
  twins?: TwinsOverrides;
  /** See WorldConfig.mutantSendBeforeFsync. */
  mutantSendBeforeFsync?: boolean;
  /** See WorldConfig.forwarding. */
  forwarding?: boolean;
}

/** Runs one seed of one scenario family: the seed alone determines everything. */
export function runSeed(kind: ScenarioKind, seed: number, options: SeedOptions = {}): SeedResult {
  const extra = {
    trace: options.trace,
    traceMessages: options.traceMessages,
    onEnd: options.onEnd,
    mutantSendBeforeFsync: options.mutantSendBeforeFsync,
    forwarding: options.forwarding,
  };
  if (kind === "random") {
    const s = randomScenario(seed, options.random);
    const { violation, stats } = runWorld({ ...randomWorld(s), ...extra });
    return { kind, seed, description: describeRandom(s), violation, stats };
  }
  const s = twinsScenario(seed, options.twins);
  const { violation, stats } = runWorld({ ...twinsWorld(s), ...extra });
  return { kind, seed, description: describeTwins(s), violation, stats };
}

export function reproduceCommand(kind: ScenarioKind, seed: number): string {
  return `npm run sim -- --scenario ${kind} --seed ${seed} --verbose`;
}

export function formatFailure(r: SeedResult): string {
  const v = r.violation;
  if (!v) return `${r.kind} seed ${r.seed}: ok`;
  return (
    `${r.kind} seed ${r.seed}: ${v.property} violated at ${v.atMs}ms: ${v.message}\n` +
    `  scenario: ${r.description}\n` +
    `  reproduce: ${reproduceCommand(r.kind, r.seed)}`
  );
}
