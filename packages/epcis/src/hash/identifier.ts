import {
  canonicalIdentifier,
  GS1_RESOLVER,
  IdentifierError,
  looksLikeDigitalLink,
} from "../identifiers/index.js";

/**
 * GS1 identifiers in the pre-hash string (CBV 2.0 event hash rules 17 and 18): an EPC URI becomes
 * its canonical GS1 Digital Link URI, a Digital Link its "constrained canonical" form — host
 * `https://id.gs1.org`, numeric AIs, GTIN-14, no CPV, no lot under a serial, no query string.
 * That is `canonicalIdentifier` (../identifiers), which parses, checks and spells both forms; what
 * stays here is where the hash rule is narrower than an identifier:
 *
 * - only the AI combinations rule 18 lists take the canonical form (`HASHABLE`); a valid link of
 *   another combination (a GLN with a UIC extension 7040, a GSRN with 8019, a GMN …) stays as written;
 * - the query string is dropped before the link is read (rule 18), so a data attribute the GS1 grammar
 *   refuses does not stop the identifier from being normalised;
 * - like the reference implementation, a value without a `.` is never an identifier (every EPC URI
 *   and Digital Link has one), and only an uncompressed Digital Link is read (`looksLikeDigitalLink`).
 *
 * Anything that is not a valid identifier stays as written.
 */

/** AI sequences of a constrained canonical Digital Link (CBV 2.0 hash rule 18), finest level. */
const HASHABLE: ReadonlySet<string> = new Set([
  "00",
  "01",
  "01/21",
  "01/10",
  "01/235",
  "253",
  "255",
  "401",
  "402",
  "414",
  "414/254",
  "417",
  "8003",
  "8004",
  "8006",
  "8006/21",
  "8006/10",
  "8010",
  "8010/8011",
  "8017",
  "8018",
]);

/** The AIs of a canonical Digital Link (`https://id.gs1.org/01/…/21/…` → `01/21`). */
function aisOf(canonical: string): string {
  return canonical
    .slice(GS1_RESOLVER.length + 1)
    .split("/")
    .filter((_, i) => i % 2 === 0)
    .join("/");
}

/** The pre-hash form of a GS1 identifier, or `undefined` when `text` is none. */
export function canonicalGs1Uri(text: string): string | undefined {
  if (!text.includes(".")) return undefined;
  let uri: string;
  if (/^urn:epc:/i.test(text)) uri = text;
  else if (looksLikeDigitalLink(text)) uri = text.split("?", 1)[0] ?? text;
  else return undefined;
  let canonical: string;
  try {
    canonical = canonicalIdentifier(uri);
  } catch (e) {
    if (e instanceof IdentifierError) return undefined;
    throw e;
  }
  return HASHABLE.has(aisOf(canonical)) ? canonical : undefined;
}
