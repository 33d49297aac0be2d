/// <reference path="./digital-link-js.d.ts" />
/**
 * The one place that touches digital-link.js (GS1/EVRYTHNG, Apache-2.0), GS1's published
 * Digital Link library. What it does for us:
 *
 * - the GS1 Digital Link grammar (its compiled DL 1.4 ABNF run by apg-lib): the whole URI —
 *   primary key, key qualifiers and their order, every data-attribute AI in the query string
 *   (≈150 AIs with their formats: dates, measures, country codes …) and extension parameters.
 *   It costs 0.2–0.4 ms a URI, so parseDigitalLink runs it only for what our own checks do not
 *   cover: a query string, or a path AI without a format in ai.ts (see digital-link.ts);
 * - decompression (and compression) of compressed Digital Links (GS1 DL compression).
 *
 * What it does not do, hence our own code around it: percent-decoding of values (it returns raw
 * URI text), EPC URNs and the GS1 Company Prefix, check digits for keys outside its table (its
 * `isValid()` answers false for every GIAI, PGLN, ITIP, CPID, GINC, GSRN-P because it has no check
 * digit rule for them, so we call its grammar directly), typed errors naming the offending value,
 * duplicate AIs, GS1 invalid pairs / mandatory associations, query parsing robust to fragments and
 * duplicate keys, and the 1.0 short names (/gtin/, /ser/ …). Its grammar also has two known
 * defects that digital-link.ts works around: `DoubleQuote = '"'` where the standard says `%22`
 * (so AI values are handed to it with a literal `"`), and ordered choice that makes the
 * `/01/…/235/…` and `…/7040/…` paths unreachable.
 *
 * `validateUrl` is not part of the package's documented API (its `isValid()` adds the faulty
 * check-digit test and `getValidationTrace()` costs ~2.5 ms), so it is imported from the file that
 * defines it; the package has no `exports` map and the version is pinned by package.json.
 * Breakage would surface at import time and in the unit tests.
 */
import dlPkg from "digital-link.js";
import dlUtil from "digital-link.js/src/util.js";

const { DigitalLink, Utils } = dlPkg;

/** GS1 Digital Link grammar check of an uncompressed DL URI (custom path removed). */
export function grammarAccepts(uri: string): boolean {
  return dlUtil.validateUrl(uri);
}

/** The part of `uri` the grammar could not match (for error messages; slow, call on failure only). */
export function grammarRemainder(uri: string): string {
  try {
    const { trace } = DigitalLink(uri).getValidationTrace();
    const last = trace[trace.length - 1];
    return last ? last.remainder : uri;
  } catch {
    return uri;
  }
}

/** True when `uri` is a compressed GS1 Digital Link that decompresses. */
export function isCompressedDigitalLink(uri: string): boolean {
  try {
    return Utils.isCompressedWebUri(uri);
  } catch {
    return false;
  }
}

export function decompressDigitalLink(uri: string): string {
  return Utils.decompressWebUri(uri);
}

/** GS1 DL compression of an uncompressed Digital Link (digital-link.js with its defaults). */
export function compressDigitalLinkUri(uri: string): string {
  return Utils.compressWebUri(uri);
}
