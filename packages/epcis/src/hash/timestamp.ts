import { EpcisHashError } from "./errors.js";

/**
 * Timestamps in the pre-hash string (CBV 2.0 event hash rules 8 and 9): UTC, written with `Z`, at
 * millisecond precision, `YYYY-MM-DDTHH:MM:SS.sssZ`.
 *
 * Rounding rule (CBV 2.0 hash rule 9 as amended with the reference implementation: "if more than 3
 * decimal places are expressed, the 3rd decimal place SHALL be rounded up if the 4th decimal place
 * is a digit in the range 5-9"): only the 4th fractional digit decides, digits after it are ignored
 * (`.1415` → `.142`, `.14149` → `.141`), and the carry runs into seconds, minutes, … days
 * (`23:59:59.9995Z` → next day `00:00:00.000Z`). Exact decimal arithmetic on the written digits: no
 * floating point, no clock, no local time zone.
 *
 * Where the Python reference differs it is on inputs none of the vectors contain: it reads at most 6
 * fractional digits and rounds microseconds half-to-even (`.0025` → `.002`, we follow the CBV text:
 * `.003`), and it fails (no hash at all) when rounding reaches the next second (`.9995`).
 */

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|([+-])(\d{2}):(\d{2}))$/;

const MS_PER_DAY = 86_400_000;

/** Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yoe = y - era * 400;
  const mp = (month + 9) % 12;
  const doy = Math.floor((153 * mp + 2) / 5) + day - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

function civilFromDays(days: number): [number, number, number] {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor(
    (doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365,
  );
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (month <= 2 ? 1 : 0), month, day];
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, "0");

/** `2005-04-03T20:33:31.116000-06:00` → `2005-04-04T02:33:31.116Z`. */
export function normaliseTimestamp(text: string, path = ""): string {
  const invalid = (why: string) =>
    new EpcisHashError({
      code: "EPCIS_HASH_INVALID_TIMESTAMP",
      message: `${JSON.stringify(text)} is not an xsd:dateTimeStamp (${why})`,
      path,
    });
  const m = TIMESTAMP.exec(text);
  if (m === null) throw invalid("expected YYYY-MM-DDThh:mm:ss[.fff](Z|±hh:mm)");
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const fraction = m[7] ?? "";
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) throw invalid("no such date");
  if (hour > 23 || minute > 59 || second > 59) throw invalid("no such time of day");
  let offsetMinutes = 0;
  if (m[8] !== "Z") {
    const offsetHours = Number(m[10]);
    const offsetMins = Number(m[11]);
    if (offsetHours > 23 || offsetMins > 59) throw invalid("no such UTC offset");
    offsetMinutes = (m[9] === "-" ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  let millis = Number(fraction.padEnd(3, "0").slice(0, 3));
  if (fraction.length > 3 && (fraction[3] as string) >= "5") millis += 1;
  const local = daysFromCivil(year, month, day) * MS_PER_DAY + ((hour * 60 + minute) * 60 + second) * 1000;
  const utc = local - offsetMinutes * 60_000 + millis;
  const days = Math.floor(utc / MS_PER_DAY);
  let rest = utc - days * MS_PER_DAY;
  const [y, mo, d] = civilFromDays(days);
  if (y < 1 || y > 9999) throw invalid("year out of range 0001-9999 in UTC");
  const ms = rest % 1000;
  rest = (rest - ms) / 1000;
  const s = rest % 60;
  rest = (rest - s) / 60;
  const mi = rest % 60;
  const h = (rest - mi) / 60;
  return `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}.${pad(ms, 3)}Z`;
}
