/**
 * Identifier syntax for EPCIS 2.0 "what" and "where" fields (EPCIS 2.0 what/where dimensions, CBV 2.0 identifier sections):
 * - EPC pure identity URIs, GS1 EPC Tag Data Standard (TDS) 2.0, EPC pure identity URIs (`urn:epc:id:sgtin:0614141.107346.2017`);
 * - class-level identifiers for quantity lists: `urn:epc:class:lgtin:` (TDS) and EPC patterns
 *   `urn:epc:idpat:sgtin:0614141.107346.*` (TDS pattern URIs);
 * - GS1 Digital Link URIs (GS1 Digital Link URI syntax 1.x: AI formats, qualifier order, check digits);
 * - any other absolute URI is a private identifier (CBV 2.0 user vocabularies) and is accepted.
 *
 * Each check returns `undefined` when the value is acceptable, or the reason it is not.
 */
type Level = "instance" | "class" | "any";

// ---- EPC URIs (TDS 2.0) ----------------------------------------------------------------------

/** One character of the GS1 AI encodable set 82 in URI form (TDS: `"%&/<>?` percent-escaped). */
const URI_CHAR = "(?:[A-Za-z0-9!'()*+,\\-.:;=_]|%(?:22|25|26|2[Ff]|3[CcEeFf]))";
const uriChars = (min: number, max: number) => new RegExp(`^${URI_CHAR}{${min},${max}}$`);
const DIGITS = /^[0-9]+$/;

const charCount = (s: string) => s.replace(/%[0-9A-Fa-f]{2}/g, "_").length;

/** `cp.ref` where the two together have `total` digits (the company prefix has 6 to 12). */
function companyAndRef(cp: string | undefined, ref: string | undefined, total: number): string | undefined {
  if (cp === undefined || ref === undefined) return "has too few components";
  if (!DIGITS.test(cp) || cp.length < 6 || cp.length > 12)
    return `company prefix "${cp}" is not 6 to 12 digits`;
  if (!/^[0-9]*$/.test(ref)) return `"${ref}" is not all digits`;
  if (cp.length + ref.length !== total)
    return `company prefix and reference must have ${total} digits together`;
  return undefined;
}

function serial(value: string | undefined, max: number, what = "serial"): string | undefined {
  if (value === undefined || value === "") return `the ${what} is missing`;
  if (!uriChars(1, 3 * max).test(value) || charCount(value) > max)
    return `${what} "${value}" is not 1 to ${max} GS1 AI characters (URI-escaped)`;
  return undefined;
}

function numericSerial(value: string | undefined, max: number): string | undefined {
  if (value === undefined || !DIGITS.test(value) || value.length > max)
    return `serial "${value ?? ""}" is not 1 to ${max} digits`;
  return undefined;
}

/** TDS 2.0 EPC pure identity URI bodies, by scheme. */
const EPC_SCHEMES: Record<string, (parts: string[]) => string | undefined> = {
  sgtin: ([cp, ir, s, ...rest]) =>
    rest.length > 0 ? "has too many components" : (companyAndRef(cp, ir, 13) ?? serial(s, 20)),
  sscc: ([cp, ref, ...rest]) => (rest.length > 0 ? "has too many components" : companyAndRef(cp, ref, 17)),
  sgln: ([cp, lr, ext, ...rest]) =>
    rest.length > 0 ? "has too many components" : (companyAndRef(cp, lr, 12) ?? serial(ext, 20, "extension")),
  grai: ([cp, at, s, ...rest]) =>
    rest.length > 0 ? "has too many components" : (companyAndRef(cp, at, 12) ?? serial(s, 16)),
  giai: ([cp, ref, ...rest]) => {
    if (rest.length > 0) return "has too many components";
    if (cp === undefined || !DIGITS.test(cp) || cp.length < 6 || cp.length > 12)
      return `company prefix "${cp ?? ""}" is not 6 to 12 digits`;
    return serial(ref, 30 - cp.length, "asset reference");
  },
  gsrn: ([cp, ref, ...rest]) => (rest.length > 0 ? "has too many components" : companyAndRef(cp, ref, 17)),
  gsrnp: ([cp, ref, ...rest]) => (rest.length > 0 ? "has too many components" : companyAndRef(cp, ref, 17)),
  gdti: ([cp, dt, s, ...rest]) =>
    rest.length > 0 ? "has too many components" : (companyAndRef(cp, dt, 12) ?? serial(s, 17)),
  cpi: ([cp, ref, s, ...rest]) => {
    if (rest.length > 0) return "has too many components";
    if (cp === undefined || !DIGITS.test(cp) || cp.length < 6 || cp.length > 12)
      return `company prefix "${cp ?? ""}" is not 6 to 12 digits`;
    if (ref === undefined || !/^(?:[0-9A-Z-]|%2[3Ff])+$/.test(ref) || charCount(ref) > 30 - cp.length)
      return `component/part reference "${ref ?? ""}" is not valid`;
    return numericSerial(s, 12);
  },
  sgcn: ([cp, ref, s, ...rest]) =>
    rest.length > 0 ? "has too many components" : (companyAndRef(cp, ref, 12) ?? numericSerial(s, 12)),
  ginc: ([cp, ref, ...rest]) => {
    if (rest.length > 0) return "has too many components";
    if (cp === undefined || !DIGITS.test(cp) || cp.length < 6 || cp.length > 12)
      return `company prefix "${cp ?? ""}" is not 6 to 12 digits`;
    return serial(ref, 30 - cp.length, "consignment reference");
  },
  gsin: ([cp, ref, ...rest]) => (rest.length > 0 ? "has too many components" : companyAndRef(cp, ref, 16)),
  itip: ([cp, ir, piece, total, s, ...rest]) => {
    if (rest.length > 0) return "has too many components";
    const bad = companyAndRef(cp, ir, 13);
    if (bad !== undefined) return bad;
    if (piece === undefined || !/^[0-9]{2}$/.test(piece) || total === undefined || !/^[0-9]{2}$/.test(total))
      return "piece and total must be two digits each";
    return serial(s, 20);
  },
  upui: ([cp, ir, tpx, ...rest]) =>
    rest.length > 0
      ? "has too many components"
      : (companyAndRef(cp, ir, 13) ?? serial(tpx, 28, "third-party extension")),
  pgln: ([cp, ref, ...rest]) => (rest.length > 0 ? "has too many components" : companyAndRef(cp, ref, 12)),
  gid: ([m, c, s, ...rest]) =>
    rest.length > 0 || m === undefined || c === undefined || s === undefined
      ? "is not manager.class.serial"
      : !/^[0-9]{1,9}$/.test(m) || !/^[0-9]{1,8}$/.test(c) || !/^[0-9]{1,11}$/.test(s)
        ? "manager, class and serial must be decimal numbers"
        : undefined,
  // Non-GS1 schemes of TDS: checked loosely (non-empty URI-escaped components).
  usdod: (parts) => loose(parts),
  adi: (parts) => loose(parts),
  bic: (parts) =>
    parts.length === 1 && /^[A-Z]{3}[UJZ][0-9]{7}$/.test(parts[0] ?? "")
      ? undefined
      : "is not a BIC container code",
  imovn: (parts) =>
    parts.length === 1 && /^[0-9]{7}$/.test(parts[0] ?? "") ? undefined : "is not a 7-digit IMO number",
};

function loose(parts: string[]): string | undefined {
  return parts.every((p) => uriChars(1, 300).test(p)) ? undefined : "has an empty or invalid component";
}

/** EPC class / pattern URIs allowed as `epcClass` in quantity lists. */
function classUri(value: string): string | undefined {
  const lgtin = /^urn:epc:class:lgtin:(.*)$/.exec(value);
  if (lgtin !== null) {
    const [cp, ir, lot, ...rest] = (lgtin[1] ?? "").split(".");
    if (rest.length > 0) return "has too many components";
    return companyAndRef(cp, ir, 13) ?? serial(lot, 20, "lot");
  }
  const pat = /^urn:epc:idpat:([a-z]+):(.*)$/.exec(value);
  if (pat !== null) {
    const [, scheme = "", body = ""] = pat;
    if (EPC_SCHEMES[scheme] === undefined) return `"${scheme}" is not an EPC scheme`;
    const parts = body.split(".");
    if (parts.length < 2 || parts.at(-1) !== "*") return "an EPC pattern must end with .*";
    // Fixed components up to the first "*", then only "*" (TDS pattern URIs). They are digits, except the
    // component/part reference of a CPI.
    const star = parts.indexOf("*");
    const fixedOk = (p: string, i: number) =>
      scheme === "cpi" && i === 1 ? /^(?:[0-9A-Z-]|%2[3Ff])+$/.test(p) : DIGITS.test(p);
    if (!parts.slice(0, star).every(fixedOk) || !parts.slice(star).every((p) => p === "*"))
      return "is not an EPC pattern (fixed components, then * components)";
    if (scheme === "sgtin" && star === 2) return companyAndRef(parts[0], parts[1], 13);
    return undefined;
  }
  return "is not a class-level EPC URI (urn:epc:class:lgtin: or urn:epc:idpat:)";
}

function epcUri(value: string, level: Level): string | undefined {
  const id = /^urn:epc:id:([a-z]+):(.*)$/.exec(value);
  if (id !== null) {
    if (level === "class")
      return "is an instance-level EPC; quantity lists take class-level identifiers (urn:epc:class:lgtin:, urn:epc:idpat:)";
    const [, scheme = "", body = ""] = id;
    const check = EPC_SCHEMES[scheme];
    if (check === undefined) return `"${scheme}" is not an EPC scheme (TDS 2.0)`;
    return check(body.split("."));
  }
  if (/^urn:epc:(class|idpat):/.test(value)) {
    if (level === "instance")
      return "is a class-level EPC; this list takes instance-level identifiers (urn:epc:id:...)";
    return classUri(value);
  }
  return "is not an EPC pure identity URI (urn:epc:id:...), class (urn:epc:class:) or pattern (urn:epc:idpat:)";
}

// ---- GS1 Digital Link ---------------------------------------------------------------------------
//
// GS1 Digital Link URI Syntax 1.x (grammar 1.4): `http(s)://host[/custom-path]/{primary key AI}/{value}
// [/{qualifier AI}/{value}...][?attributes]`. Checked here directly (AI value formats, qualifier order,
// check digits): digital-link.js's grammar parser costs ~3 ms per URI, too slow for capture documents
// with thousands of identifiers.

/** AI value formats: `N14` fixed digits, `N..12` up to 12 digits, `X..20` set-82 characters. */
type Format = readonly (readonly [kind: "N" | "X" | "Y", min: number, max: number])[];
const N = (n: number) => ["N", n, n] as const;
const Nv = (max: number) => ["N", 1, max] as const;
const Xv = (max: number) => ["X", 1, max] as const;

interface KeyDef {
  readonly name: string;
  readonly format: Format;
  /** Allowed key qualifiers, in the order they must appear. */
  readonly qualifiers: readonly string[];
}

const PRIMARY_KEYS: Record<string, KeyDef> = {
  "00": { name: "SSCC", format: [N(18)], qualifiers: [] },
  // gtin-path = GTIN [22] [10] [21]; upui-path = GTIN 235 (235 alone, checked below).
  "01": { name: "GTIN", format: [N(14)], qualifiers: ["22", "10", "21", "235"] },
  "253": { name: "GDTI", format: [N(13), ["X", 0, 17]], qualifiers: [] },
  "255": { name: "GCN", format: [N(13), ["N", 0, 12]], qualifiers: [] },
  "401": { name: "GINC", format: [Xv(30)], qualifiers: [] },
  "402": { name: "GSIN", format: [N(17)], qualifiers: [] },
  "414": { name: "GLN", format: [N(13)], qualifiers: ["254", "7040"] },
  "417": { name: "PGLN", format: [N(13)], qualifiers: ["7040"] },
  "8003": { name: "GRAI", format: [N(14), ["X", 0, 16]], qualifiers: [] },
  "8004": { name: "GIAI", format: [Xv(30)], qualifiers: ["7040"] },
  "8006": { name: "ITIP", format: [N(14), N(2), N(2)], qualifiers: ["22", "10", "21"] },
  "8010": { name: "CPID", format: [["Y", 1, 30]], qualifiers: ["8011"] },
  "8013": { name: "GMN", format: [Xv(25)], qualifiers: [] },
  "8017": { name: "GSRN", format: [N(18)], qualifiers: ["8019"] },
  "8018": { name: "GSRN", format: [N(18)], qualifiers: ["8019"] },
};

const QUALIFIERS: Record<string, Format> = {
  "22": [Xv(20)],
  "10": [Xv(20)],
  "21": [Xv(20)],
  "235": [Xv(28)],
  "254": [Xv(20)],
  "7040": [N(1), ["X", 3, 3]],
  "8011": [Nv(12)],
  "8019": [Nv(10)],
};

/** GS1 AI encodable character set 82 (GS1 General Specifications, AI encodable character set 82). */
const SET_82 = /^[!"%&'()*+,\-./0-9:;<=>?A-Z_a-z]*$/;
/** Set 39 (CPID). */
const SET_39 = /^[#\-/0-9A-Z]*$/;

/** Why `value` does not fit `format`, or undefined. */
function formatFault(value: string, format: Format): string | undefined {
  let rest = value;
  for (const [kind, min, max] of format) {
    const take = kind === "N" ? (/^[0-9]*/.exec(rest)?.[0] ?? "").slice(0, max) : rest.slice(0, max);
    if (take.length < min)
      return kind === "N" ? `needs ${min === max ? min : `${min} to ${max}`} digits` : "is too short";
    const ok = kind === "N" ? true : kind === "X" ? SET_82.test(take) : SET_39.test(take);
    if (!ok) return "has a character outside the GS1 character set";
    rest = rest.slice(take.length);
  }
  return rest === "" ? undefined : "is too long";
}

const PRIMARY_KEY_PATH = new RegExp(`/(${Object.keys(PRIMARY_KEYS).join("|")})/[^/?#]`);

/** True for `http(s)` URIs that are, or try to be, GS1 Digital Links. */
export function looksLikeDigitalLink(value: string): boolean {
  if (!/^https?:\/\/[^/?#]+\//.test(value)) return false;
  return PRIMARY_KEY_PATH.test(value) || /^https?:\/\/id\.gs1\.org\//.test(value);
}

interface ParsedLink {
  readonly key: string;
  readonly value: string;
  readonly qualifiers: Readonly<Record<string, string>>;
}

/** The primary key and qualifiers of a Digital Link, or why it is not one. */
function parseDigitalLink(uri: string): ParsedLink | string {
  const m = /^https?:\/\/[^/?#]+(\/[^?#]*)?(?:\?[^#]*)?(?:#.*)?$/.exec(uri);
  if (m === null) return "is not an http(s) URI";
  const segments = (m[1] ?? "").split("/").slice(1);
  let decoded: string[];
  try {
    decoded = segments.map((s) => decodeURIComponent(s));
  } catch {
    return "has a broken percent-encoding";
  }
  // The primary key is the first AI (from the right end of any custom path) whose remaining
  // segments pair up as qualifier AIs.
  for (let i = 0; i + 1 < decoded.length; i++) {
    const key = decoded[i] as string;
    const def = PRIMARY_KEYS[key];
    if (def === undefined || (decoded.length - i) % 2 !== 0) continue;
    const value = decoded[i + 1] as string;
    const fault = formatFault(value, def.format);
    if (fault !== undefined) return `AI (${key}) ${def.name} "${value}" ${fault}`;
    const qualifiers: Record<string, string> = {};
    let last = -1;
    for (let j = i + 2; j + 1 < decoded.length; j += 2) {
      const q = decoded[j] as string;
      const qv = decoded[j + 1] as string;
      const order = def.qualifiers.indexOf(q);
      if (order < 0) return `AI (${q}) is not a key qualifier of AI (${key}) ${def.name}`;
      if (order <= last)
        return `key qualifier AI (${q}) is out of order (GS1 Digital Link: ${def.qualifiers.join(", ")})`;
      last = order;
      const qf = formatFault(qv, QUALIFIERS[q] ?? [Xv(20)]);
      if (qf !== undefined) return `AI (${q}) "${qv}" ${qf}`;
      qualifiers[q] = qv;
    }
    if ("235" in qualifiers && Object.keys(qualifiers).length > 1)
      return "AI (235) third-party extension goes alone after the GTIN (GS1 Digital Link upui-path)";
    const check = checkDigitFault(key, value);
    if (check !== undefined) return check;
    return { key, value, qualifiers };
  }
  return "has no GS1 primary key path (/{AI}/{value})";
}

function checkDigitFault(key: string, value: string): string | undefined {
  if (key === "8003" && !value.startsWith("0"))
    return `AI (8003) GRAI must start with the digit 0, got "${value}"`;
  const span = CHECKED_KEYS[key];
  if (span === undefined) return undefined;
  const [start, len] = span;
  const digits = value.slice(start, start + len);
  const expected = gs1CheckDigit(digits.slice(0, -1));
  return String(expected) === digits.slice(-1)
    ? undefined
    : `check digit of AI (${key}) "${digits}" must be ${expected} (GS1 General Specifications §7.9)`;
}

function digitalLinkUri(value: string, level: Level): string | undefined {
  const dl = parseDigitalLink(value);
  if (typeof dl === "string") return `is not a valid GS1 Digital Link URI (${dl})`;
  const { key, qualifiers } = dl;
  const serialised =
    key === "00" ||
    key === "414" ||
    key === "417" ||
    key === "8004" ||
    key === "8017" ||
    key === "8018" ||
    key === "401" ||
    key === "402" ||
    (key === "01" && ("21" in qualifiers || "235" in qualifiers)) ||
    (key === "8006" && "21" in qualifiers) ||
    (key === "8010" && "8011" in qualifiers) ||
    (key === "8003" && dl.value.length > 14) ||
    ((key === "253" || key === "255") && dl.value.length > 13);
  if (level === "instance" && !serialised)
    return "is a class-level GS1 Digital Link (no serial); this list takes instance-level identifiers";
  if (level === "class" && serialised)
    return "is an instance-level GS1 Digital Link; quantity lists take class-level identifiers (e.g. GTIN, GTIN + lot)";
  return undefined;
}

/** GS1 General Specifications §7.9: mod-10 check digit of `digits` (without the check digit). */
export function gs1CheckDigit(digits: string): number {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    const d = Number(digits[digits.length - 1 - i]);
    sum += i % 2 === 0 ? 3 * d : d;
  }
  return (10 - (sum % 10)) % 10;
}

/** Where a GS1 key carries its check digit: [start, length including the check digit]. */
const CHECKED_KEYS: Record<string, [number, number]> = {
  "00": [0, 18],
  "01": [0, 14],
  "414": [0, 13],
  "417": [0, 13],
  "253": [0, 13],
  "255": [0, 13],
  "8003": [1, 13],
  "8006": [0, 14],
  "8017": [0, 18],
  "8018": [0, 18],
  "402": [0, 17],
};

// ---- entry points ---------------------------------------------------------------------------------

function identifier(value: string, level: Level): string | undefined {
  if (value.startsWith("urn:epc:")) return epcUri(value, level);
  if (looksLikeDigitalLink(value)) return digitalLinkUri(value, level);
  return undefined; // a private (non-GS1) URI
}

/** epcList, childEPCs, inputEPCList, outputEPCList, parentID: one object instance. */
export function checkInstanceIdentifier(value: string): string | undefined {
  return identifier(value, "instance");
}

/** quantity list `epcClass`: a class of objects (GTIN, GTIN + lot, EPC pattern). */
export function checkClassIdentifier(value: string): string | undefined {
  return identifier(value, "class");
}

/** readPoint, bizLocation, source, destination: syntax only (EPC URI or Digital Link if it is one). */
export function checkIdentifierSyntax(value: string): string | undefined {
  return identifier(value, "any");
}
