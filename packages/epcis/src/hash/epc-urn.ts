import { gs1CheckDigit } from "./check-digit.js";

/**
 * EPC URIs (`urn:epc:id:…`), EPC class URIs (`urn:epc:class:lgtin:…`) and EPC pattern URIs
 * (`urn:epc:idpat:…`) → canonical GS1 Digital Link URIs on `https://id.gs1.org` (CBV 2.0 event hash
 * rule 17; GS1 Tag Data Standard 2.0 §6/§7 for the URN grammar, GS1 Digital Link 1.2 §4.11 for the
 * canonical form), reproducing the reference implementation's conversions:
 *  - the GS1 key is rebuilt from company prefix + reference (indicator digit moved to the front for
 *    GTINs/SSCCs, GRAI prefixed with `0`) plus its check digit;
 *  - serial-like components keep their EPC percent-escapes and additionally have `! ( ) * + , :`
 *    percent-encoded (`%21 %28 %29 %2A %2B %2C %3A`);
 *  - `sgln` with extension `0` is the bare GLN (no `/254/`); GRAI/GDTI/SGCN serials are appended to the
 *    key without a separate AI segment, as the DL URI syntax has them.
 * A URN outside this grammar (wrong digit counts, characters outside the GS1 AI character set, schemes
 * without a GS1 key such as `usdod`) is not converted.
 */

// One character of a GS1 AI encodable character set 82 component, escaped as in an EPC URI.
const CHAR =
  "(?:%2[125-9A-Fa-f]|%3[0-9A-Fa-f]|%4[1-9A-Fa-f]|%5[0-9AaFf]|%6[1-9A-Fa-f]|%7[0-9Aa]|[!')(*+,.0-9:;=A-Za-z_-])";
// One character of a CPI component (GS1 AI encodable character set 39), escaped.
const CPI_CHAR = "(?:%2[3dfDF]|%3[0-9]|%4[1-9A-Fa-f]|%5[0-9Aa]|[0-9A-Z-])";

const re = (source: string): RegExp => new RegExp(`^${source}$`);
const chars = (n: string) => `((?:${CHAR}){${n}})`;

function webUriEncode(component: string): string {
  return component
    .replaceAll("!", "%21")
    .replaceAll("(", "%28")
    .replaceAll(")", "%29")
    .replaceAll("*", "%2A")
    .replaceAll("+", "%2B")
    .replaceAll(",", "%2C")
    .replaceAll(":", "%3A");
}

/** Number of characters of an escaped component (an escape `%xx` is one character). */
const escapedLength = (component: string): number => component.replace(/%[0-9A-Fa-f]{2}/g, "%").length;

/** GTIN-14 / SSCC-18 style key: indicator (first digit of the reference) + company prefix + rest + check digit. */
function indicatorKey(companyPrefix: string, reference: string): string {
  const raw = reference.slice(0, 1) + companyPrefix + reference.slice(1);
  return raw + gs1CheckDigit(raw);
}

const withCheckDigit = (digits: string): string => digits + gs1CheckDigit(digits);

interface Scheme {
  readonly pattern: RegExp;
  /** Total digits of company prefix + reference the scheme requires (or, with `maxTotal`, allows). */
  readonly total?: number;
  readonly maxTotal?: number;
  readonly convert: (groups: readonly string[]) => string;
}

const DL = "https://id.gs1.org";

const SCHEMES: readonly Scheme[] = [
  {
    pattern: re(String.raw`urn:epc:id:sgtin:(\d{6,12})\.(\d{1,7})\.${chars("1,20")}`),
    total: 13,
    convert: ([cp, ref, serial]) => `${DL}/01/${indicatorKey(cp!, ref!)}/21/${webUriEncode(serial!)}`,
  },
  {
    pattern: re(String.raw`urn:epc:id:sscc:(\d{6,12})\.(\d{5,11})`),
    total: 17,
    convert: ([cp, ref]) => `${DL}/00/${indicatorKey(cp!, ref!)}`,
  },
  {
    pattern: re(String.raw`urn:epc:id:sgln:(\d{6,12})\.(\d{0,6})\.${chars("1,20")}`),
    total: 12,
    convert: ([cp, ref, ext]) => {
      const gln = withCheckDigit(cp! + ref!);
      return ext === "0" ? `${DL}/414/${gln}` : `${DL}/414/${gln}/254/${webUriEncode(ext!)}`;
    },
  },
  {
    pattern: re(String.raw`urn:epc:id:grai:(\d{6,12})\.(\d{0,6})\.${chars("1,16")}`),
    total: 12,
    convert: ([cp, ref, serial]) => `${DL}/8003/${withCheckDigit(`0${cp}${ref}`)}${webUriEncode(serial!)}`,
  },
  {
    pattern: re(String.raw`urn:epc:id:giai:(\d{6,12})\.((?:${CHAR})+)`),
    maxTotal: 30,
    convert: ([cp, ref]) => `${DL}/8004/${cp}${webUriEncode(ref!)}`,
  },
  {
    pattern: re(String.raw`urn:epc:id:gsrn:(\d{6,12})\.(\d{5,11})`),
    total: 17,
    convert: ([cp, ref]) => `${DL}/8018/${withCheckDigit(cp! + ref!)}`,
  },
  {
    pattern: re(String.raw`urn:epc:id:gsrnp:(\d{6,12})\.(\d{5,11})`),
    total: 17,
    convert: ([cp, ref]) => `${DL}/8017/${withCheckDigit(cp! + ref!)}`,
  },
  {
    pattern: re(String.raw`urn:epc:id:gdti:(\d{6,12})\.(\d{0,6})\.${chars("1,17")}`),
    total: 12,
    convert: ([cp, ref, serial]) => `${DL}/253/${withCheckDigit(cp! + ref!)}${webUriEncode(serial!)}`,
  },
  {
    pattern: re(String.raw`urn:epc:id:cpi:(\d{6,12})\.((?:${CPI_CHAR})+)\.(\d{1,12})`),
    maxTotal: 30,
    convert: ([cp, ref, serial]) => `${DL}/8010/${webUriEncode(cp! + ref!)}/8011/${serial}`,
  },
  {
    pattern: re(String.raw`urn:epc:id:sgcn:(\d{6,12})\.(\d{0,6})\.(\d{1,12})`),
    total: 12,
    convert: ([cp, ref, serial]) => `${DL}/255/${withCheckDigit(cp! + ref!)}${serial}`,
  },
  {
    pattern: re(String.raw`urn:epc:id:ginc:(\d{6,12})\.((?:${CHAR})+)`),
    maxTotal: 30,
    convert: ([cp, ref]) => `${DL}/401/${cp}${webUriEncode(ref!)}`,
  },
  {
    pattern: re(String.raw`urn:epc:id:gsin:(\d{6,12})\.(\d{4,10})`),
    total: 16,
    convert: ([cp, ref]) => `${DL}/402/${withCheckDigit(cp! + ref!)}`,
  },
  {
    pattern: re(String.raw`urn:epc:id:itip:(\d{6,12})\.(\d{1,7})\.(\d{2})\.(\d{2})\.${chars("1,20")}`),
    total: 13,
    convert: ([cp, ref, piece, count, serial]) =>
      `${DL}/8006/${indicatorKey(cp!, ref!)}${piece}${count}/21/${webUriEncode(serial!)}`,
  },
  {
    pattern: re(String.raw`urn:epc:id:upui:(\d{6,12})\.(\d{1,7})\.${chars("1,28")}`),
    total: 13,
    convert: ([cp, ref, serial]) => `${DL}/01/${indicatorKey(cp!, ref!)}/235/${webUriEncode(serial!)}`,
  },
  {
    pattern: re(String.raw`urn:epc:id:pgln:(\d{6,12})\.(\d{0,6})`),
    total: 12,
    convert: ([cp, ref]) => `${DL}/417/${withCheckDigit(cp! + ref!)}`,
  },
  {
    pattern: re(String.raw`urn:epc:class:lgtin:(\d{6,12})\.(\d{1,7})\.${chars("1,20")}`),
    total: 13,
    convert: ([cp, ref, lot]) => `${DL}/01/${indicatorKey(cp!, ref!)}/10/${webUriEncode(lot!)}`,
  },
  {
    pattern: re(String.raw`urn:epc:idpat:sgtin:(\d{6,12})\.(\d{1,7})\.\*`),
    total: 13,
    convert: ([cp, ref]) => `${DL}/01/${indicatorKey(cp!, ref!)}`,
  },
  {
    pattern: re(String.raw`urn:epc:idpat:grai:(\d{6,12})\.(\d{0,6})\.\*`),
    total: 12,
    convert: ([cp, ref]) => `${DL}/8003/${withCheckDigit(`0${cp}${ref}`)}`,
  },
  {
    pattern: re(String.raw`urn:epc:idpat:gdti:(\d{6,12})\.(\d{0,6})\.\*`),
    total: 12,
    convert: ([cp, ref]) => `${DL}/253/${withCheckDigit(cp! + ref!)}`,
  },
  {
    pattern: re(String.raw`urn:epc:idpat:sgcn:(\d{6,12})\.(\d{0,6})\.\*`),
    total: 12,
    convert: ([cp, ref]) => `${DL}/255/${withCheckDigit(cp! + ref!)}`,
  },
  {
    pattern: re(String.raw`urn:epc:idpat:cpi:(\d{6,12})\.((?:${CPI_CHAR})+)\.\*`),
    maxTotal: 30,
    convert: ([cp, ref]) => `${DL}/8010/${webUriEncode(cp! + ref!)}`,
  },
  {
    pattern: re(String.raw`urn:epc:idpat:itip:(\d{6,12})\.(\d{1,7})\.(\d{2})\.(\d{2})\.\*`),
    total: 13,
    convert: ([cp, ref, piece, count]) => `${DL}/8006/${indicatorKey(cp!, ref!)}${piece}${count}`,
  },
  {
    pattern: re(String.raw`urn:epc:idpat:upui:(\d{6,12})\.(\d{1,7})\.\*`),
    total: 13,
    convert: ([cp, ref]) => `${DL}/01/${indicatorKey(cp!, ref!)}`,
  },
];

/** The canonical GS1 Digital Link URI of an EPC (class/pattern) URI, or `undefined` if `uri` is none. */
export function epcUrnToDigitalLink(uri: string): string | undefined {
  if (!uri.startsWith("urn:epc:")) return undefined;
  for (const scheme of SCHEMES) {
    const m = scheme.pattern.exec(uri);
    if (m === null) continue;
    const groups = m.slice(1) as string[];
    const length = (groups[0] as string).length + escapedLength(groups[1] as string);
    if (scheme.total !== undefined && length !== scheme.total) return undefined;
    if (scheme.maxTotal !== undefined && length > scheme.maxTotal) return undefined;
    return scheme.convert(groups);
  }
  return undefined;
}
