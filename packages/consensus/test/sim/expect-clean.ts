import { expect } from "vitest";
import { formatFailure, type SeedResult } from "./scenarios.js";

/** Fails naming each bad seed, what it violated and the command that replays it. */
export function expectNoViolations(results: readonly SeedResult[]): void {
  const failures = results.filter((r) => r.violation);
  const report = failures.slice(0, 5).map(formatFailure).join("\n");
  expect(failures.length, `${failures.length} failing seeds, first ones:\n${report}\n`).toBe(0);
}
