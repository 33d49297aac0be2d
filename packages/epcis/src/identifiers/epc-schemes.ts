import { encodeEpcComponent } from "./charset.js";
import { components, digits, els, gcpOf, text, withCd } from "./epc-fields.js";
import { idError } from "./errors.js";
import type { EpcIdentifier, GtinIdentifier } from "./types.js";

/**
 * One parser per EPC URN scheme (GS1 EPC Tag Data Standard 2.0 §6.3, §6.4 and the class-level ID
 * patterns of §8): URN body → typed identifier with its GS1 element strings and canonical URN.
 */

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

export const INSTANCE: Readonly<Record<string, (body: string) => EpcIdentifier>> = {
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

/** `urn:epc:class:` schemes. */
export const CLASS: Readonly<Record<string, (body: string) => EpcIdentifier>> = {
  lgtin: (b) => parseGtinBased("lgtin", b),
};

/** Class-level ID patterns (`…*` in the last component only); `upui` patterns denote the GTIN. */
export const CLASS_PATTERN: Readonly<Record<string, (fixed: string) => EpcIdentifier>> = {
  sgtin: gtinClass,
  upui: gtinClass,
  grai: (b) => grai(b, true),
  gdti: (b) => gdti(b, true),
  sgcn: (b) => sgcn(b, true),
  itip: (b) => itip(b, true),
  cpi: (b) => cpi(b, true),
};
