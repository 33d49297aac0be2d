/**
 * Runs the deterministic Tendermint simulation over many seeds:
 *
 *   npm run sim -- --seeds 100000 [--from N] [--scenario random|twins|all] [--jobs N] [--verbose]
 *   npm run sim -- --seed N [--scenario random|twins] [--verbose]
 *
 * Prints progress and each failing seed with the violated property and a one-line reproduce
 * command; exits 1 if any seed fails. With --seed and --verbose it prints the run's trace (every
 * message) and the engines' final states. Seeds are split across --jobs processes (default: one
 * per core), each a fork of this one, so results do not depend on the number of jobs.
 */
import { fork } from "node:child_process";
import { availableParallelism } from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { describeNode } from "./describe-state.js";
import { formatFailure, runSeed, type ScenarioKind, type SeedResult } from "./scenarios.js";

interface Plan {
  kinds: ScenarioKind[];
  from: number;
  seeds: number;
  jobs: number;
  verbose: boolean;
}

/** Messages from a job process to the coordinator. */
type JobMessage = { type: "progress"; runs: number; lines: string[] } | { type: "done" };

const USAGE =
  "usage: npm run sim -- [--seeds N] [--from N] [--seed N] [--scenario random|twins|all] [--jobs N] [--verbose]";

function parsePlan(argv: string[]): Plan & { single: boolean; worker?: { index: number; jobs: number } } {
  const { values } = parseArgs({
    args: argv,
    options: {
      seeds: { type: "string" },
      from: { type: "string" },
      seed: { type: "string" },
      scenario: { type: "string" },
      jobs: { type: "string" },
      verbose: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
      worker: { type: "string" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const int = (name: string, raw: string | undefined, fallback: number, min: number) => {
    if (raw === undefined) return fallback;
    const n = Number(raw);
    if (!Number.isSafeInteger(n) || n < min) fail(`--${name} must be an integer >= ${min}`);
    return n;
  };
  const scenario = values.scenario ?? "all";
  if (scenario !== "random" && scenario !== "twins" && scenario !== "all")
    fail(`unknown --scenario ${scenario}`);
  const kinds: ScenarioKind[] = scenario === "all" ? ["random", "twins"] : [scenario];
  const single = values.seed !== undefined;
  const from = single ? int("seed", values.seed, 1, 0) : int("from", values.from, 1, 0);
  const seeds = single ? 1 : int("seeds", values.seeds, 1000, 1);
  const jobs = single ? 1 : Math.min(int("jobs", values.jobs, availableParallelism(), 1), seeds);
  const worker = values.worker?.split("/").map(Number);
  return {
    kinds,
    from,
    seeds,
    jobs,
    verbose: values.verbose,
    single,
    worker: worker ? { index: worker[0]!, jobs: worker[1]! } : undefined,
  };
}

function fail(message: string): never {
  console.error(`${message}\n${USAGE}`);
  process.exit(2);
}

/** The seeds one job runs: every `jobs`-th, starting at its index. */
function* share(plan: Plan, index: number, jobs: number): Generator<[ScenarioKind, number]> {
  for (let i = index; i < plan.seeds; i += jobs) for (const kind of plan.kinds) yield [kind, plan.from + i];
}

function summary(r: SeedResult): string {
  const s = r.stats;
  const outcome = r.violation ? `FAIL ${r.violation.property}` : "ok";
  return `${r.kind} seed ${r.seed}: ${outcome}, ${s.events} events, ${s.endMs}ms, max round ${s.maxCommitRound}; ${r.description}`;
}

/** A job process: runs its share and reports to the coordinator in batches. */
function runJob(plan: Plan, index: number, jobs: number): void {
  let runs = 0;
  let lines: string[] = [];
  let last = Date.now();
  const flush = () => {
    process.send?.({ type: "progress", runs, lines } satisfies JobMessage);
    runs = 0;
    lines = [];
    last = Date.now();
  };
  for (const [kind, seed] of share(plan, index, jobs)) {
    const r = runSeed(kind, seed);
    runs++;
    if (r.violation) lines.push(formatFailure(r));
    else if (plan.verbose) lines.push(summary(r));
    if (Date.now() - last > 250 || lines.length > 0) flush();
  }
  flush();
  process.send?.({ type: "done" } satisfies JobMessage);
  process.disconnect?.();
}

function runOne(plan: Plan): void {
  let failed = false;
  for (const kind of plan.kinds) {
    const r = runSeed(kind, plan.from, {
      trace: plan.verbose ? (line) => console.log(line) : undefined,
      traceMessages: plan.verbose,
      onEnd: plan.verbose
        ? (nodes) => console.log(`final states:\n${nodes.map(describeNode).join("\n")}`)
        : undefined,
    });
    console.log(r.violation ? formatFailure(r) : summary(r));
    failed ||= r.violation !== null;
  }
  process.exit(failed ? 1 : 0);
}

function coordinate(plan: Plan): void {
  const total = plan.seeds * plan.kinds.length;
  const started = Date.now();
  let runs = 0;
  let failures = 0;
  let done = 0;
  const rate = () => Math.round(runs / Math.max(0.001, (Date.now() - started) / 1000));
  console.log(
    `weft sim: ${plan.kinds.join("+")} seeds ${plan.from}..${plan.from + plan.seeds - 1}, ${plan.jobs} job(s)`,
  );
  const progress = setInterval(() => {
    const secs = ((Date.now() - started) / 1000).toFixed(0);
    console.error(`[${secs}s] ${runs}/${total} runs (${rate()}/s), ${failures} failing`);
  }, 2000);
  const self = fileURLToPath(import.meta.url);
  for (let index = 0; index < plan.jobs; index++) {
    const args = [
      "--worker",
      `${index}/${plan.jobs}`,
      `--from=${plan.from}`,
      `--seeds=${plan.seeds}`,
      `--scenario=${plan.kinds.length > 1 ? "all" : plan.kinds[0]}`,
      ...(plan.verbose ? ["--verbose"] : []),
    ];
    const child = fork(self, args, { execArgv: process.execArgv });
    child.on("message", (m: JobMessage) => {
      if (m.type !== "progress") return;
      runs += m.runs;
      for (const line of m.lines) {
        if (line.includes(" violated at ")) failures++;
        console.log(line);
      }
    });
    child.on("exit", (code) => {
      if (code !== 0) {
        console.error(`job ${index} exited with code ${code}`);
        failures++;
      }
      if (++done < plan.jobs) return;
      clearInterval(progress);
      const secs = (Date.now() - started) / 1000;
      console.log(
        `${runs} runs in ${secs.toFixed(1)}s (${rate()} runs/s): ${failures === 0 ? "all passed" : `${failures} FAILED`}`,
      );
      process.exit(failures === 0 && runs === total ? 0 : 1);
    });
  }
}

const plan = parsePlan(process.argv.slice(2));
if (plan.worker) runJob(plan, plan.worker.index, plan.worker.jobs);
else if (plan.single) runOne(plan);
else coordinate(plan);
