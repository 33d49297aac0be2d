import { VOCABULARIES, type Vocabulary, type VocabularyName } from "../cbv/vocabulary.js";

/**
 * The CBV vocabularies as the hash reads them. The terms and namespaces are the validator's
 * (../cbv/vocabulary.ts, the CBV 2.0 lists of the EPCIS 2.0 JSON schema); this file only applies
 * two CBV 2.0 event hash rules to them.
 */

/**
 * Bare-string CBV values of EPCIS 2.0 JSON-LD (`"bizStep": "shipping"`) → the web URI the standard
 * EPCIS 2.0.0 JSON-LD context maps them to (`https://ref.gs1.org/cbv/BizStep-shipping`). CBV 2.0
 * event hash rule: "all standard vocabulary elements expressed in bare string notation SHALL be
 * expanded to their corresponding GS1 Web URI". Only the terms the context defines expand; any other
 * bare string stays as written, as in JSON-LD.
 */
export function expandBareTerm(value: string, vocabulary: Vocabulary): string | undefined {
  return vocabulary.values.has(value) ? `${vocabulary.webPrefixes[0] ?? ""}${value}` : undefined;
}

/**
 * CBV 1.x URNs of standard vocabularies → CBV 2.0 web URIs (event hash rule: "any URN-based standard
 * vocabulary value SHALL be expressed in its corresponding CBV Web URI term"), for the vocabularies
 * that had URNs in CBV 1.x (as the reference implementation lists them). Replaced wherever they occur
 * in a value, as the reference implementation does.
 */
const LEGACY_URN_VOCABULARIES: readonly VocabularyName[] = [
  "bizStep",
  "disposition",
  "bizTransactionType",
  "sourceDestinationType",
  "errorReason",
];

const LEGACY_URN_PREFIXES: readonly (readonly [string, string])[] = LEGACY_URN_VOCABULARIES.map((name) => {
  const v: Vocabulary = VOCABULARIES[name];
  return [v.urnPrefix ?? "", v.webPrefixes[0] ?? ""] as const;
});

export function replaceLegacyCbvUrns(value: string): string {
  let out = value;
  for (const [urn, web] of LEGACY_URN_PREFIXES) out = out.split(urn).join(web);
  return out;
}
