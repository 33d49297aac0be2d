import { type CharacterSet, describeSet, inCharacterSet } from "./charset.js";
import { expectedCheckDigit, hasValidCheckDigit } from "./check-digit.js";
import { idError } from "./errors.js";

/** One GS1 element: Application Identifier and its (decoded) value. */
export interface AiElement {
  readonly ai: string;
  readonly value: string;
}

interface AiSpec {
  readonly title: string;
  /** Leading fixed-length numeric part. */
  readonly digits?: number;
  /** The leading numeric part ends with a GS1 mod-10 check digit. */
  readonly csum?: boolean;
  /** The leading numeric part starts with a "0" filler digit (GRAI). */
  readonly zeroFirst?: boolean;
  /** Trailing variable-length part. */
  readonly tail?: { readonly set: CharacterSet; readonly min: number; readonly max: number };
  /** Further rule; returns a reason when the value breaks it. */
  readonly extra?: (value: string) => string | undefined;
}

const key = (title: string, digits: number): AiSpec => ({ title, digits, csum: true });
const text = (title: string, max: number, set: CharacterSet = "82", min = 1): AiSpec => ({
  title,
  tail: { set, min, max },
});

/**
 * Formats of the AIs this module reads and writes, transcribed from the GS1 Barcode Syntax
 * Dictionary (github.com/gs1/gs1-syntax-dictionary, Apache-2.0) — the machine-readable form of
 * GS1 General Specifications §3. Other AIs (data attributes) are left to the Digital Link grammar.
 */
const AI_SPECS: Readonly<Record<string, AiSpec>> = {
  "00": key("SSCC", 18),
  "01": key("GTIN", 14),
  "02": key("CONTENT", 14),
  "10": text("BATCH/LOT", 20),
  "21": text("SERIAL", 20),
  "22": text("CPV", 20),
  "235": text("TPX", 28),
  "253": { title: "GDTI", digits: 13, csum: true, tail: { set: "82", min: 0, max: 17 } },
  "254": text("GLN EXTENSION COMPONENT", 20),
  "255": { title: "GCN", digits: 13, csum: true, tail: { set: "digits", min: 0, max: 12 } },
  "401": text("GINC", 30),
  "402": key("GSIN", 17),
  "410": key("SHIP TO LOC", 13),
  "411": key("BILL TO", 13),
  "412": key("PURCHASE FROM", 13),
  "413": key("SHIP FOR LOC", 13),
  "414": key("LOC No.", 13),
  "415": key("PAY TO", 13),
  "416": key("PROD/SERV LOC", 13),
  "417": key("PARTY", 13),
  "7040": {
    title: "UIC+EXT",
    digits: 1,
    tail: { set: "82", min: 3, max: 3 },
    // linter importeridx: the importer index is one character of set 64 (0-9 A-Z a-z - _)
    extra: (v) => (/[0-9A-Za-z_-]$/.test(v) ? undefined : "the importer index is one of 0-9 A-Z a-z - _"),
  },
  "8003": { title: "GRAI", digits: 14, csum: true, zeroFirst: true, tail: { set: "82", min: 0, max: 16 } },
  "8004": text("GIAI", 30),
  "8006": {
    title: "ITIP",
    digits: 18,
    extra: (v) => {
      if (!hasValidCheckDigit(v.slice(0, 14))) return checkDigitReason("8006", v.slice(0, 14));
      const piece = Number(v.slice(14, 16));
      const total = Number(v.slice(16, 18));
      if (piece < 1 || total < 1 || piece > total) return `piece ${piece} of total ${total} is not valid`;
      return undefined;
    },
  },
  "8010": text("CPID", 30, "39"),
  "8011": {
    ...text("CPID SERIAL", 12, "digits"),
    extra: (v) => (v.length > 1 && v.startsWith("0") ? "no leading zero is allowed" : undefined),
  },
  "8017": key("GSRN - PROVIDER", 18),
  "8018": key("GSRN - RECIPIENT", 18),
  "8019": text("SRIN", 10, "digits"),
  "8020": text("REF No.", 25),
};

export function aiTitle(ai: string): string {
  return AI_SPECS[ai]?.title ?? `AI ${ai}`;
}

function formatOf(spec: AiSpec): string {
  const parts: string[] = [];
  if (spec.digits) parts.push(`${spec.digits} digits`);
  if (spec.tail) {
    const { set, min, max } = spec.tail;
    const range = min === max ? `${max}` : `${min}..${max}`;
    parts.push(
      `${parts.length ? "then " : ""}${range} characters of ${set === "digits" ? "digits" : `set ${set}`}`,
    );
  }
  return parts.join(" ");
}

/** True when this module knows the format of `ai` (so `validateAiValue` checks it fully). */
export function hasAiFormat(ai: string): boolean {
  return Object.hasOwn(AI_SPECS, ai);
}

/** `key` ends in a wrong check digit; the reason names the key (without a GRAI's filler digit). */
function checkDigitReason(ai: string, key: string): string {
  const shown = AI_SPECS[ai]?.zeroFirst ? key.slice(1) : key;
  return `check digit of AI (${ai}) "${shown}" must be ${expectedCheckDigit(key)} (GS1 General Specifications §7.9)`;
}

/** Throws a typed IdentifierError unless `value` is a well-formed value of `ai` (when known). */
export function validateAiValue(ai: string, value: string): void {
  const spec = AI_SPECS[ai];
  if (!spec) return;
  const d = spec.digits ?? 0;
  const head = value.slice(0, d);
  const tail = value.slice(d);
  const label = `AI (${ai}) ${spec.title}`;
  if (!/^\d*$/.test(head))
    throw idError("ID_CHARSET", `${label}: the first ${d} characters are digits`, value, { ai });
  if (spec.tail && !inCharacterSet(tail, spec.tail.set)) {
    throw idError("ID_CHARSET", `${label}: ${describeSet(spec.tail.set)} only`, value, { ai });
  }
  const tooShort = head.length < d || (spec.tail !== undefined && tail.length < spec.tail.min);
  const tooLong = spec.tail ? tail.length > spec.tail.max : tail.length > 0;
  if (tooShort || tooLong) {
    throw idError("ID_LENGTH", `${label} has ${formatOf(spec)}, got ${value.length} characters`, value, {
      ai,
    });
  }
  if (spec.zeroFirst && !head.startsWith("0")) {
    throw idError("ID_SYNTAX", `${label} must start with the digit 0, got "${value}"`, value, {
      ai,
    });
  }
  if (spec.csum && !hasValidCheckDigit(head)) {
    throw idError("ID_CHECK_DIGIT", checkDigitReason(ai, head), value, { ai });
  }
  const reason = spec.extra?.(value);
  if (reason) {
    const checkDigit = reason.startsWith("check digit");
    const message = checkDigit ? reason : `${label}: ${reason}`;
    throw idError(checkDigit ? "ID_CHECK_DIGIT" : "ID_SYNTAX", message, value, { ai });
  }
}

/**
 * GS1 Digital Link primary keys and their key qualifiers, as ordered alternatives (Syntax
 * Dictionary `dlpkey`, restricted to what the DL 1.4 grammar of digital-link.js accepts).
 */
export const DL_PRIMARY_KEYS: Readonly<Record<string, readonly (readonly string[])[]>> = {
  "00": [],
  "01": [["22", "10", "21"], ["235"]],
  "253": [],
  "255": [],
  "401": [],
  "402": [],
  "414": [["254"], ["7040"]],
  "415": [],
  "417": [["7040"]],
  "8003": [],
  "8004": [["7040"]],
  "8006": [["22", "10", "21"]],
  "8010": [["8011"]],
  "8013": [],
  "8017": [["8019"]],
  "8018": [["8019"]],
};

/** Short names of GS1 Digital Link 1.0 ("convenience alphas"), still met in the wild. */
export const DL_LEGACY_ALPHAS: Readonly<Record<string, string>> = {
  gtin: "01",
  itip: "8006",
  cpid: "8010",
  gln: "414",
  party: "417",
  gsrnp: "8017",
  gsrn: "8018",
  gcn: "255",
  sscc: "00",
  gdti: "253",
  ginc: "401",
  gsin: "402",
  grai: "8003",
  giai: "8004",
  cpv: "22",
  lot: "10",
  ser: "21",
  cpsn: "8011",
  glnx: "254",
  srin: "8019",
};

export function isPrimaryKeyAi(ai: string): boolean {
  return Object.hasOwn(DL_PRIMARY_KEYS, ai);
}

const QUALIFIER_AIS: ReadonlyMap<string, ReadonlySet<string>> = new Map(
  Object.entries(DL_PRIMARY_KEYS).map(([primary, alternatives]) => [primary, new Set(alternatives.flat())]),
);
const NO_QUALIFIERS: ReadonlySet<string> = new Set();

/** All AIs that are key qualifiers of `primary`. */
export function qualifierAis(primary: string): ReadonlySet<string> {
  return QUALIFIER_AIS.get(primary) ?? NO_QUALIFIERS;
}

/** Throws unless `qualifiers` (in path order) is an ordered subset of one alternative for `primary`. */
export function checkQualifierSequence(primary: string, qualifiers: readonly string[], input: string): void {
  if (qualifiers.length === 0) return;
  const alternatives = DL_PRIMARY_KEYS[primary] ?? [];
  const allowed = qualifierAis(primary);
  for (const q of qualifiers) {
    if (!allowed.has(q)) {
      const list = [...allowed].join(", ") || "none";
      throw idError(
        "ID_DL_QUALIFIER",
        `AI (${q}) is not a key qualifier of AI (${primary}) (allowed: ${list})`,
        q,
        {
          input,
          ai: q,
        },
      );
    }
  }
  const fits = alternatives.some((alt) => {
    let at = -1;
    for (const q of qualifiers) {
      const i = alt.indexOf(q);
      if (i <= at) return false;
      at = i;
    }
    return true;
  });
  if (!fits) {
    const orders = alternatives.map((a) => a.join("/")).join(" or ");
    throw idError(
      "ID_DL_QUALIFIER",
      `key qualifiers of AI (${primary}) must appear in the order ${orders}`,
      qualifiers.join("/"),
      { input },
    );
  }
}
