import { usage } from "./errors.js";

// Durations on the command line: an integer and one unit, e.g. "7d", "12h", "90m", "30s", "500ms".
const UNITS: Readonly<Record<string, number>> = {
  ms: 1,
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

export const DAY_MS = 86_400_000;

/** `7d` → 604800000; anything else (`7x`, `1.5h`, `-1d`, `0s` when min is 1) is CLI_USAGE naming `name`. */
export function parseDuration(value: string, name: string, min = 1, max = Number.MAX_SAFE_INTEGER): number {
  const match = /^([0-9]+)(ms|s|m|h|d|w)$/.exec(value.trim());
  const ms = match ? Number(match[1]) * (UNITS[match[2] ?? ""] ?? Number.NaN) : Number.NaN;
  if (!Number.isSafeInteger(ms)) {
    throw usage(`${name} must be a whole number with a unit ms, s, m, h, d or w, e.g. 7d (got "${value}")`);
  }
  if (ms < min || ms > max) {
    throw usage(`${name} must be between ${showDuration(min)} and ${showDuration(max)} (got "${value}")`);
  }
  return ms;
}

/** A commander option parser for a duration option. */
export const durationOption =
  (name: string, min = 1, max = Number.MAX_SAFE_INTEGER) =>
  (value: string): number =>
    parseDuration(value, name, min, max);

/** 604800000 → "7d"; the largest unit that divides it. */
export function showDuration(ms: number): string {
  for (const unit of ["w", "d", "h", "m", "s"]) {
    const size = UNITS[unit] ?? 1;
    if (ms >= size && ms % size === 0) return `${ms / size}${unit}`;
  }
  return `${ms}ms`;
}
