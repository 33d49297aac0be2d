import { type AiElement, validateAiValue } from "./ai.js";
import { type CharacterSet, decodeEpcComponent, encodeEpcComponent } from "./charset.js";
import { checkDigit } from "./check-digit.js";
import { idError, withContext } from "./errors.js";
import type { EpcIdentifier, GtinIdentifier } from "./types.js";

/**
 * EPC Pure Identity URIs (GS1 EPC Tag Data Standard 2.0 §6.3), EPC Class URIs (§6.4, LGTIN) and
 * the class-level ID pattern URIs EPCIS uses (`urn:epc:idpat:sgtin:CompanyPrefix.ItemRef.*` for a
 * GTIN). Hand-written: digital-link.js knows nothing of EPC URNs. The dot after the GS1 Company
 * Prefix is the only place where its length is stated; it is kept in `companyPrefix`.
 */

const MAX_URN_LENGTH = 256;

/** TDS partition tables cover GS1 Company Prefixes of 6 to 12 digits. */
export const MIN_GCP_LENGTH = 6;
export const MAX_GCP_LENGTH = 12;

export function parseEpcUri(uri: string): EpcIdentifier {
  if (typeof uri !== "string") throw idError("ID_SYNTAX", "an EPC URI is a string", String(uri));
  return withContext({ input: uri }, () => parseUrn(uri));
}

function parseUrn(uri: string): EpcIdentifier {
  if (uri.length > MAX_URN_LENGTH)
    throw idError("ID_SYNTAX", `an EPC URI is at most ${MAX_URN_LENGTH} characters`, uri);
  if (/[^\x21-\x7e]/.test(uri))
    throw idError("ID_SYNTAX", "an EPC URI has printable ASCII characters only (no spaces)", uri);
  const m = /^urn:epc:(id|class|idpat):([A-Za-z0-9]+):(.*)$/i.exec(uri);
  if (!m) {
    if (/^urn:epc:(tag|raw|pat):/i.test(uri)) {
      throw idError(
        "ID_UNSUPPORTED_SCHEME",
        "EPC tag/raw/pat URIs describe RFID encodings; use the pure identity URI urn:epc:id:…",
        uri,
      );
    }
    throw idError("ID_SYNTAX", "not an EPC URI (urn:epc:id:…, urn:epc:class:lgtin:…, urn:epc:idpat:…)", uri);
  }
  const kind = (m[1] ?? "").toLowerCase();
  const scheme = (m[2] ?? "").toLowerCase();
  const body = m[3] ?? "";
  if (kind === "id") {
    const parse = INSTANCE[scheme];
    if (!parse)
      throw idError(
        "ID_UNSUPPORTED_SCHEME",
        `EPC scheme "${scheme}" is not supported (${Object.keys(INSTANCE).join(", ")})`,
        uri,
      );
    return parse(body);
  }
  if (kind === "class") {
    if (scheme !== "lgtin")
      throw idError("ID_UNSUPPORTED_SCHEME", `EPC class scheme "${scheme}" is not supported (lgtin)`, uri);
    return parseGtinBased("lgtin", body);
  }
  const parse = CLASS_PATTERN[scheme];
  if (!parse) {
    throw idError(
      "ID_PATTERN",
      `only ${Object.keys(CLASS_PATTERN).join(", ")} ID patterns ending in ".*" denote a class`,
      uri,
    );
  }
  if (!body.endsWith(".*") || body.slice(0, -2).includes("*")) {
    throw idError(
      "ID_PATTERN",
      "a class-level ID pattern fixes every component but the last, which is *",
      uri,
    );
  }
  return parse(body.slice(0, -2));
}

/** Splits `body` into `fixed` dot-separated components, plus the remainder when `rest` (it may hold dots). */
function components(body: string, fixed: number, rest: boolean): string[] {
  const expected = fixed + (rest ? 1 : 0);
  if (!rest) {
    const parts = body.split(".");
    if (parts.length !== fixed)
      throw idError("ID_SYNTAX", `expected ${fixed} dot-separated components`, body);
    return parts;
  }
  const parts: string[] = [];
  let s = body;
  for (let i = 0; i < fixed; i++) {
    const dot = s.indexOf(".");
    if (dot < 0) throw idError("ID_SYNTAX", `expected ${expected} dot-separated components`, body);
    parts.push(s.slice(0, dot));
    s = s.slice(dot + 1);
  }
  parts.push(s);
  return parts;
}

function gcpOf(raw: string): string {
  if (!/^\d+$/.test(raw)) throw idError("ID_CHARSET", "the GS1 Company Prefix has digits only", raw);
  if (raw.length < MIN_GCP_LENGTH || raw.length > MAX_GCP_LENGTH) {
    throw idError(
      "ID_GCP_LENGTH",
      `a GS1 Company Prefix in an EPC URI has ${MIN_GCP_LENGTH} to ${MAX_GCP_LENGTH} digits`,
      raw,
    );
  }
  return raw;
}

function digits(raw: string, length: number, field: string): string {
  if (!/^\d*$/.test(raw)) throw idError("ID_CHARSET", `${field} has digits only`, raw);
  if (raw.length !== length) {
    throw idError(
      "ID_LENGTH",
      `${field} has ${length} digits with this GS1 Company Prefix length, got ${raw.length}`,
      raw,
    );
  }
  return raw;
}

function text(raw: string, set: CharacterSet, field: string, min: number, max: number): string {
  const value = decodeEpcComponent(raw, set, field);
  if (value.length < min || value.length > max) {
    throw idError(
      "ID_LENGTH",
      `${field} has ${min === max ? max : `${min} to ${max}`} characters, got ${value.length}`,
      value,
    );
  }
  return value;
}

const withCd = (body: string): string => body + checkDigit(body);

/** Builds the element list, validating each element's AI format (lengths, sets, check digits). */
function els(...pairs: [string, string | undefined][]): AiElement[] {
  const out: AiElement[] = [];
  for (const [ai, value] of pairs) {
    if (value === undefined) continue;
    withContext({ ai }, () => validateAiValue(ai, value));
    out.push({ ai, value });
  }
  return out;
}

const enc = encodeEpcComponent;

function parseGtinBased(scheme: "sgtin" | "lgtin", body: string): EpcIdentifier {
  const [g = "", ir = "", last = ""] = components(body, 2, true);
  const companyPrefix = gcpOf(g);
  const itemReference = digits(ir, 13 - companyPrefix.length, "indicator digit and item reference");
  const gtin = withCd(itemReference.charAt(0) + companyPrefix + itemReference.slice(1));
  const head = `${companyPrefix}.${itemReference}`;
  if (scheme === "sgtin") {
    const serial = text(last, "82", "serial", 1, 20);
    const elements = els(["01", gtin], ["21", serial]);
    return {
      scheme,
      level: "instance",
      uri: `urn:epc:id:sgtin:${head}.${enc(serial)}`,
      companyPrefix,
      elements,
      gtin,
      itemReference,
      serial,
    };
  }
  const lot = text(last, "82", "lot", 1, 20);
  const elements = els(["01", gtin], ["10", lot]);
  return {
    scheme,
    level: "class",
    uri: `urn:epc:class:lgtin:${head}.${enc(lot)}`,
    companyPrefix,
    elements,
    gtin,
    itemReference,
    lot,
  };
}

function gtinClass(body: string): GtinIdentifier {
  const [g = "", ir = ""] = components(body, 2, false);
  const companyPrefix = gcpOf(g);
  const itemReference = digits(ir, 13 - companyPrefix.length, "indicator digit and item reference");
  const gtin = withCd(itemReference.charAt(0) + companyPrefix + itemReference.slice(1));
  const uri = `urn:epc:idpat:sgtin:${companyPrefix}.${itemReference}.*`;
  return {
    scheme: "gtin",
    level: "class",
    uri,
    companyPrefix,
    elements: els(["01", gtin]),
    gtin,
    itemReference,
  };
}

function parseSscc(body: string): EpcIdentifier {
  const [g = "", sr = ""] = components(body, 2, false);
  const companyPrefix = gcpOf(g);
  const serialReference = digits(sr, 17 - companyPrefix.length, "extension digit and serial reference");
  const sscc = withCd(serialReference.charAt(0) + companyPrefix + serialReference.slice(1));
  const uri = `urn:epc:id:sscc:${companyPrefix}.${serialReference}`;
  return {
    scheme: "sscc",
    level: "instance",
    uri,
    companyPrefix,
    elements: els(["00", sscc]),
    sscc,
    serialReference,
  };
}

function parseSgln(body: string): EpcIdentifier {
  const [g = "", lr = "", ext = ""] = components(body, 2, true);
  const companyPrefix = gcpOf(g);
  const locationReference = digits(lr, 12 - companyPrefix.length, "location reference");
  const gln = withCd(companyPrefix + locationReference);
  const value = text(ext, "82", "extension", 1, 20);
  const extension = value === "0" ? undefined : value;
  const uri = `urn:epc:id:sgln:${companyPrefix}.${locationReference}.${enc(value)}`;
  const elements = els(["414", gln], ["254", extension]);
  return {
    scheme: "sgln",
    level: "instance",
    uri,
    companyPrefix,
    elements,
    gln,
    locationReference,
    ...(extension !== undefined ? { extension } : {}),
  };
}

function parsePgln(body: string): EpcIdentifier {
  const [g = "", pr = ""] = components(body, 2, false);
  const companyPrefix = gcpOf(g);
  const partyReference = digits(pr, 12 - companyPrefix.length, "party reference");
  const gln = withCd(companyPrefix + partyReference);
  const uri = `urn:epc:id:pgln:${companyPrefix}.${partyReference}`;
  return {
    scheme: "pgln",
    level: "instance",
    uri,
    companyPrefix,
    elements: els(["417", gln]),
    gln,
    partyReference,
  };
}

function parseGiai(body: string): EpcIdentifier {
  const [g = "", ar = ""] = components(body, 1, true);
  const companyPrefix = gcpOf(g);
  const assetReference = text(ar, "82", "individual asset reference", 1, 30 - companyPrefix.length);
  const giai = companyPrefix + assetReference;
  const uri = `urn:epc:id:giai:${companyPrefix}.${enc(assetReference)}`;
  return {
    scheme: "giai",
    level: "instance",
    uri,
    companyPrefix,
    elements: els(["8004", giai]),
    giai,
    assetReference,
  };
}

function parseGinc(body: string): EpcIdentifier {
  const [g = "", cr = ""] = components(body, 1, true);
  const companyPrefix = gcpOf(g);
  const consignmentReference = text(cr, "82", "consignment reference", 1, 30 - companyPrefix.length);
  const ginc = companyPrefix + consignmentReference;
  const uri = `urn:epc:id:ginc:${companyPrefix}.${enc(consignmentReference)}`;
  return {
    scheme: "ginc",
    level: "instance",
    uri,
    companyPrefix,
    elements: els(["401", ginc]),
    ginc,
    consignmentReference,
  };
}

function grai(body: string, classLevel: boolean): EpcIdentifier {
  const [g = "", at = "", s] = components(body, 2, !classLevel);
  const companyPrefix = gcpOf(g);
  const assetType = digits(at, 12 - companyPrefix.length, "asset type");
  const serial = s === undefined ? undefined : text(s, "82", "serial", 1, 16);
  const value = withCd(`0${companyPrefix}${assetType}`) + (serial ?? "");
  const head = `${companyPrefix}.${assetType}`;
  const uri =
    serial === undefined ? `urn:epc:idpat:grai:${head}.*` : `urn:epc:id:grai:${head}.${enc(serial)}`;
  const level = serial === undefined ? "class" : "instance";
  const base = {
    scheme: "grai" as const,
    level: level as "class" | "instance",
    uri,
    companyPrefix,
    elements: els(["8003", value]),
    grai: value,
    assetType,
  };
  return serial === undefined ? base : { ...base, serial };
}

function gsrn(scheme: "gsrn" | "gsrnp", body: string): EpcIdentifier {
  const [g = "", sr = ""] = components(body, 2, false);
  const companyPrefix = gcpOf(g);
  const serviceReference = digits(sr, 17 - companyPrefix.length, "service reference");
  const value = withCd(companyPrefix + serviceReference);
  const uri = `urn:epc:id:${scheme}:${companyPrefix}.${serviceReference}`;
  const ai = scheme === "gsrn" ? "8018" : "8017";
  return {
    scheme,
    level: "instance",
    uri,
    companyPrefix,
    elements: els([ai, value]),
    gsrn: value,
    serviceReference,
  };
}

function gdti(body: string, classLevel: boolean): EpcIdentifier {
  const [g = "", dt = "", s] = components(body, 2, !classLevel);
  const companyPrefix = gcpOf(g);
  const documentType = digits(dt, 12 - companyPrefix.length, "document type");
  const serial = s === undefined ? undefined : text(s, "82", "serial", 1, 17);
  const value = withCd(companyPrefix + documentType) + (serial ?? "");
  const head = `${companyPrefix}.${documentType}`;
  const uri =
    serial === undefined ? `urn:epc:idpat:gdti:${head}.*` : `urn:epc:id:gdti:${head}.${enc(serial)}`;
  const level = serial === undefined ? "class" : "instance";
  const base = {
    scheme: "gdti" as const,
    level: level as "class" | "instance",
    uri,
    companyPrefix,
    elements: els(["253", value]),
    gdti: value,
    documentType,
  };
  return serial === undefined ? base : { ...base, serial };
}

function sgcn(body: string, classLevel: boolean): EpcIdentifier {
  const [g = "", cr = "", s] = components(body, 2, !classLevel);
  const companyPrefix = gcpOf(g);
  const couponReference = digits(cr, 12 - companyPrefix.length, "coupon reference");
  const serial = s === undefined ? undefined : text(s, "digits", "serial", 1, 12);
  const value = withCd(companyPrefix + couponReference) + (serial ?? "");
  const head = `${companyPrefix}.${couponReference}`;
  const uri = serial === undefined ? `urn:epc:idpat:sgcn:${head}.*` : `urn:epc:id:sgcn:${head}.${serial}`;
  const level = serial === undefined ? "class" : "instance";
  const base = {
    scheme: "sgcn" as const,
    level: level as "class" | "instance",
    uri,
    companyPrefix,
    elements: els(["255", value]),
    gcn: value,
    couponReference,
  };
  return serial === undefined ? base : { ...base, serial };
}

function parseGsin(body: string): EpcIdentifier {
  const [g = "", sr = ""] = components(body, 2, false);
  const companyPrefix = gcpOf(g);
  const shipperReference = digits(sr, 16 - companyPrefix.length, "shipper reference");
  const gsin = withCd(companyPrefix + shipperReference);
  const uri = `urn:epc:id:gsin:${companyPrefix}.${shipperReference}`;
  return {
    scheme: "gsin",
    level: "instance",
    uri,
    companyPrefix,
    elements: els(["402", gsin]),
    gsin,
    shipperReference,
  };
}

function itip(body: string, classLevel: boolean): EpcIdentifier {
  const [g = "", ir = "", p = "", t = "", s] = components(body, 4, !classLevel);
  const companyPrefix = gcpOf(g);
  const itemReference = digits(ir, 13 - companyPrefix.length, "indicator digit and item reference");
  const piece = digits(p, 2, "piece number");
  const total = digits(t, 2, "total count");
  const serial = s === undefined ? undefined : text(s, "82", "serial", 1, 20);
  const gtin = withCd(itemReference.charAt(0) + companyPrefix + itemReference.slice(1));
  const value = gtin + piece + total;
  const head = `${companyPrefix}.${itemReference}.${piece}.${total}`;
  const uri =
    serial === undefined ? `urn:epc:idpat:itip:${head}.*` : `urn:epc:id:itip:${head}.${enc(serial)}`;
  const level = serial === undefined ? "class" : "instance";
  const elements = els(["8006", value], ["21", serial]);
  const base = {
    scheme: "itip" as const,
    level: level as "class" | "instance",
    uri,
    companyPrefix,
    elements,
    itip: value,
    gtin,
    itemReference,
    piece,
    total,
  };
  return serial === undefined ? base : { ...base, serial };
}

function parseUpui(body: string): EpcIdentifier {
  const [g = "", ir = "", x = ""] = components(body, 2, true);
  const companyPrefix = gcpOf(g);
  const itemReference = digits(ir, 13 - companyPrefix.length, "indicator digit and item reference");
  const tpx = text(x, "82", "third-party controlled serialised extension (TPX)", 1, 28);
  const gtin = withCd(itemReference.charAt(0) + companyPrefix + itemReference.slice(1));
  const uri = `urn:epc:id:upui:${companyPrefix}.${itemReference}.${enc(tpx)}`;
  return {
    scheme: "upui",
    level: "instance",
    uri,
    companyPrefix,
    elements: els(["01", gtin], ["235", tpx]),
    gtin,
    itemReference,
    tpx,
  };
}

function cpi(body: string, classLevel: boolean): EpcIdentifier {
  const [g = "", cr = "", s] = components(body, classLevel ? 2 : 3, false);
  const companyPrefix = gcpOf(g);
  const componentPartReference = text(cr, "39", "component/part reference", 1, 30 - companyPrefix.length);
  let serial: string | undefined;
  if (s !== undefined) {
    serial = digits(s, s.length, "serial");
    if (serial.length < 1 || serial.length > 12 || (serial.length > 1 && serial.startsWith("0"))) {
      throw idError("ID_LENGTH", "CPI serial has 1 to 12 digits without a leading zero", serial);
    }
  }
  const cpid = companyPrefix + componentPartReference;
  const head = `${companyPrefix}.${enc(componentPartReference)}`;
  const uri = serial === undefined ? `urn:epc:idpat:cpi:${head}.*` : `urn:epc:id:cpi:${head}.${serial}`;
  const level = serial === undefined ? "class" : "instance";
  const elements = els(["8010", cpid], ["8011", serial]);
  const base = {
    scheme: "cpi" as const,
    level: level as "class" | "instance",
    uri,
    companyPrefix,
    elements,
    cpid,
    componentPartReference,
  };
  return serial === undefined ? base : { ...base, serial };
}

const INSTANCE: Readonly<Record<string, (body: string) => EpcIdentifier>> = {
  sgtin: (b) => parseGtinBased("sgtin", b),
  sscc: parseSscc,
  sgln: parseSgln,
  pgln: parsePgln,
  giai: parseGiai,
  grai: (b) => grai(b, false),
  gsrn: (b) => gsrn("gsrn", b),
  gsrnp: (b) => gsrn("gsrnp", b),
  gdti: (b) => gdti(b, false),
  sgcn: (b) => sgcn(b, false),
  ginc: parseGinc,
  gsin: parseGsin,
  itip: (b) => itip(b, false),
  upui: parseUpui,
  cpi: (b) => cpi(b, false),
};

/** Class-level ID patterns (`…*` in the last component only); `upui` patterns denote the GTIN. */
const CLASS_PATTERN: Readonly<Record<string, (fixed: string) => EpcIdentifier>> = {
  sgtin: gtinClass,
  upui: gtinClass,
  grai: (b) => grai(b, true),
  gdti: (b) => gdti(b, true),
  sgcn: (b) => sgcn(b, true),
  itip: (b) => itip(b, true),
  cpi: (b) => cpi(b, true),
};
