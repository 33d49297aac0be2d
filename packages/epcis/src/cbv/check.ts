/**
 * Is a value a CBV 2.0 value of one vocabulary, or a private (user) vocabulary value?
 *
 * Accepted (CBV 2.0 standard and user vocabularies):
 * - the bare name of the EPCIS 2.0 JSON binding: `shipping`;
 * - the CBV web URI, written out or compact: `https://ref.gs1.org/cbv/BizStep-shipping`, `cbv:BizStep-shipping`;
 * - the CBV URN: `urn:epcglobal:cbv:bizstep:shipping`;
 * - (measurement and alert types) the GS1 Web Vocabulary term: `gs1:Temperature`, `https://gs1.org/voc/Temperature`;
 * - a URI outside GS1's namespaces (a private vocabulary): `https://example.com/bizStep/inspecting`,
 *   `ext1:summarising_discharge` (with `ext1` declared in `@context`), `urn:example:bizstep:x`.
 * Refused: a bare word that is not a CBV name (`transforming`), and a URI in a GS1 namespace that names
 * no CBV value of that vocabulary (`urn:epcglobal:cbv:bizstep:transforming`, `cbv:my_own_party`,
 * `gs1:Temperatur`).
 */
import { expandIri, isAbsoluteUri, type Namespaces, STANDARD_NAMESPACES } from "../validate/context.js";
import { GS1_RESERVED_NAMESPACES, VOCABULARIES, type VocabularyName } from "./vocabulary.js";

export type CbvForm = "name" | "urn" | "web" | "private";

export interface CbvValue {
  /** How the value was written. */
  readonly form: CbvForm;
  /** The CBV name (`shipping`) when the value is a CBV value. */
  readonly name?: string;
  /** The value with a compact IRI expanded. */
  readonly iri: string;
}

/** Classifies `value` in `vocabulary`; returns the reason (naming the value) when it is not acceptable. */
export function classifyCbvValue(
  vocabulary: VocabularyName,
  value: string,
  namespaces: Namespaces = STANDARD_NAMESPACES,
): { ok: true; value: CbvValue } | { ok: false; reason: string } {
  const v = VOCABULARIES[vocabulary];
  if (v.values.has(value)) return { ok: true, value: { form: "name", name: value, iri: value } };
  const iri = expandIri(value, namespaces);
  const head = `${JSON.stringify(value)} is not a ${v.label}`;
  let inNamespace = false;
  if (v.urnPrefix !== undefined && iri.startsWith(v.urnPrefix)) {
    const name = iri.slice(v.urnPrefix.length);
    if (v.values.has(name)) return { ok: true, value: { form: "urn", name, iri } };
    inNamespace = true;
  }
  for (const prefix of v.webPrefixes) {
    if (!iri.startsWith(prefix)) continue;
    const name = iri.slice(prefix.length);
    if (v.values.has(name)) return { ok: true, value: { form: "web", name, iri } };
    inNamespace = true;
  }
  if (inNamespace) return { ok: false, reason: iri === value ? head : `${head} (${iri})` };
  const reserved = GS1_RESERVED_NAMESPACES.find((ns) => iri.startsWith(ns));
  if (reserved !== undefined)
    return {
      ok: false,
      reason: `${head} (${iri}: ${reserved} is a GS1 namespace; a private value needs a namespace of its own)`,
    };
  if (isAbsoluteUri(value)) return { ok: true, value: { form: "private", iri } };
  return { ok: false, reason: `${head}; a value outside CBV 2.0 must be a full URI (private vocabulary)` };
}

/** `undefined` when `value` is acceptable in `vocabulary`, else the reason. */
export function checkCbvValue(
  vocabulary: VocabularyName,
  value: string,
  namespaces: Namespaces = STANDARD_NAMESPACES,
): string | undefined {
  const r = classifyCbvValue(vocabulary, value, namespaces);
  return r.ok ? undefined : r.reason;
}
