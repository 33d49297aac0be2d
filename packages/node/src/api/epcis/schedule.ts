import { EpcisError } from "./errors.js";

/** An EPCIS query schedule (EPCIS 2.0 §8.2.5.3, REST binding `schedule`): string fields, all UTC. */
export interface QuerySchedule {
  second?: string;
  minute?: string;
  hour?: string;
  dayOfMonth?: string;
  month?: string;
  /** 1 = Monday … 7 = Sunday. */
  dayOfWeek?: string;
}

const FIELDS = [
  ["second", 0, 59],
  ["minute", 0, 59],
  ["hour", 0, 23],
  ["dayOfMonth", 1, 31],
  ["month", 1, 12],
  ["dayOfWeek", 1, 7],
] as const;
type Field = (typeof FIELDS)[number][0];

export const SCHEDULE_FIELDS: readonly Field[] = FIELDS.map(([name]) => name);

/** A schedule as the sets of values each field matches. */
export type CompiledSchedule = Record<Field, ReadonlySet<number> | undefined>;

const bad = (field: string, value: string, why: string) =>
  new EpcisError("SubscriptionControlsException", `schedule ${field} "${value}": ${why}`, {
    problems: [{ path: `schedule.${field}`, message: why, value }],
  });

/**
 * Parses a schedule. Each field is a comma-separated list of `N`, ranges `[A-B]` or `A-B`, `*`, each
 * optionally stepped `/S` (`0/30`: 0 and 30). Fields finer than the finest one given default to
 * their lowest value (`{hour: "1", minute: "5"}` runs at 01:05:00 daily); coarser ones match any value.
 */
export function compileSchedule(schedule: QuerySchedule): CompiledSchedule {
  const out = {} as Record<Field, ReadonlySet<number> | undefined>;
  let finest = -1;
  FIELDS.forEach(([name], i) => {
    if (schedule[name] !== undefined && finest < 0) finest = i;
  });
  if (finest < 0) {
    throw new EpcisError("SubscriptionControlsException", "a schedule needs at least one field", {
      problems: [{ path: "schedule", message: "no field given" }],
    });
  }
  FIELDS.forEach(([name, min, max], i) => {
    const raw = schedule[name];
    if (raw === undefined) {
      out[name] = i < finest ? new Set([min]) : undefined;
      return;
    }
    if (typeof raw !== "string" || raw.length === 0 || raw.length > 200)
      throw bad(name, String(raw), "not a schedule value");
    const values = new Set<number>();
    for (const element of raw.split(",")) {
      const m = /^(\*|\d{1,2}|\[(\d{1,2})-(\d{1,2})\]|(\d{1,2})-(\d{1,2}))(?:\/(\d{1,2}))?$/.exec(
        element.trim(),
      );
      if (!m) throw bad(name, raw, `"${element}" is not N, [A-B], A-B or * (optionally /step)`);
      let from: number;
      let to: number;
      if (m[1] === "*") [from, to] = [min, max];
      else if (m[2] !== undefined) [from, to] = [Number(m[2]), Number(m[3])];
      else if (m[4] !== undefined) [from, to] = [Number(m[4]), Number(m[5])];
      else [from, to] = [Number(m[1]), m[6] !== undefined ? max : Number(m[1])];
      const step = m[6] === undefined ? 1 : Number(m[6]);
      if (from < min || to > max || from > to) throw bad(name, raw, `values must be within ${min}..${max}`);
      if (step < 1) throw bad(name, raw, "a step must be at least 1");
      for (let v = from; v <= to; v += step) values.add(v);
    }
    out[name] = values;
  });
  return out;
}

const matches = (set: ReadonlySet<number> | undefined, v: number) => set === undefined || set.has(v);

/** The first time strictly after `after` (ms) the schedule matches, whole seconds, UTC; undefined if none within 5 years. */
export function nextRun(schedule: CompiledSchedule, after: number): number | undefined {
  let t = Math.floor(after / 1000) * 1000 + 1000;
  const limit = after + 5 * 366 * 86_400_000;
  while (t <= limit) {
    const d = new Date(t);
    const [y, mo, day, h, mi] = [
      d.getUTCFullYear(),
      d.getUTCMonth(),
      d.getUTCDate(),
      d.getUTCHours(),
      d.getUTCMinutes(),
    ];
    if (!matches(schedule.month, mo + 1)) {
      t = Date.UTC(y, mo + 1, 1);
      continue;
    }
    const weekday = ((d.getUTCDay() + 6) % 7) + 1;
    if (!matches(schedule.dayOfMonth, day) || !matches(schedule.dayOfWeek, weekday)) {
      t = Date.UTC(y, mo, day + 1);
      continue;
    }
    if (!matches(schedule.hour, h)) {
      t = Date.UTC(y, mo, day, h + 1);
      continue;
    }
    if (!matches(schedule.minute, mi)) {
      t = Date.UTC(y, mo, day, h, mi + 1);
      continue;
    }
    if (!matches(schedule.second, d.getUTCSeconds())) {
      t += 1000;
      continue;
    }
    return t;
  }
  return undefined;
}
