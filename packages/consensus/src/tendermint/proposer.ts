import type { WeightedValidator } from "./types.js";

/**
 * CometBFT's weighted round-robin: every step each validator's priority grows by its power, the
 * highest priority proposes (ties to the lowest address) and pays back the total power. From
 * all-zero priorities the sequence repeats every `total` steps with each validator chosen exactly
 * `power` times, so the step index is reduced modulo the total. Step k = (height - 1) + round,
 * which makes this a pure function of (height, round) rather than of the chain's round history.
 */
export function proposer(validators: readonly WeightedValidator[], height: number, round: number): string {
  const sorted = [...validators].sort((a, b) => compareAddress(a.address, b.address));
  if (sorted.length === 0) throw new Error("proposer: empty validator set");
  const total = sorted.reduce((sum, v) => sum + v.power, 0);
  const steps = ((height - 1 + round) % total) + 1;
  const priority = sorted.map(() => 0);
  let chosen = 0;
  for (let s = 0; s < steps; s++) {
    chosen = 0;
    for (let i = 0; i < sorted.length; i++) {
      priority[i] = priority[i]! + sorted[i]!.power;
      if (priority[i]! > priority[chosen]!) chosen = i;
    }
    priority[chosen] = priority[chosen]! - total;
  }
  return sorted[chosen]!.address;
}

export function compareAddress(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
