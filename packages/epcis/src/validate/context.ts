/**
 * JSON-LD namespaces of an EPCIS 2.0 document: the prefixes of the standard EPCIS context plus the
 * term definitions of the document's and the event's own `@context` (later ones win, as in JSON-LD).
 * Only what the validator needs: expanding compact IRIs (`cbv:BizStep-shipping`, `gs1:Temperature`).
 */
import { CBV_NAMESPACE, GS1_VOC_NAMESPACE } from "../cbv/vocabulary.js";

export type JsonLdContextEntry = string | Readonly<Record<string, unknown>>;
export type JsonLdContext = JsonLdContextEntry | readonly JsonLdContextEntry[];

export type Namespaces = Readonly<Record<string, string>>;

/** Prefixes defined by the EPCIS 2.0 JSON-LD context (`epcis-context.jsonld`). */
export const STANDARD_NAMESPACES: Namespaces = Object.freeze({
  epcis: "https://ref.gs1.org/epcis/",
  cbv: CBV_NAMESPACE,
  cbvmda: "urn:epcglobal:cbv:mda:",
  gs1: GS1_VOC_NAMESPACE,
  rdf: "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
  rdfs: "http://www.w3.org/2000/01/rdf-schema#",
  owl: "http://www.w3.org/2002/07/owl#",
  xsd: "http://www.w3.org/2001/XMLSchema#",
  dcterms: "http://purl.org/dc/terms/",
});

/** `base` extended with the string term definitions of `context` (other entries are ignored). */
export function namespacesOf(context: unknown, base: Namespaces = STANDARD_NAMESPACES): Namespaces {
  const entries = Array.isArray(context) ? context : [context];
  let out: Record<string, string> | undefined;
  for (const entry of entries) {
    if (entry === null || typeof entry !== "object" || Array.isArray(entry)) continue;
    for (const [term, definition] of Object.entries(entry as Record<string, unknown>)) {
      const iri =
        typeof definition === "string"
          ? definition
          : definition !== null &&
              typeof definition === "object" &&
              typeof (definition as { "@id"?: unknown })["@id"] === "string"
            ? (definition as { "@id": string })["@id"]
            : undefined;
      if (iri === undefined || term.startsWith("@")) continue;
      out ??= { ...base };
      out[term] = iri;
    }
  }
  return out === undefined ? base : Object.freeze(out);
}

const COMPACT = /^([A-Za-z_][A-Za-z0-9_.+-]*):(.*)$/s;

/** An absolute URI (RFC 3986 `scheme ":" ...`), compact IRIs included, no white space. */
export function isAbsoluteUri(value: string): boolean {
  return /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/.test(value) && value.length > value.indexOf(":") + 1;
}

/** Expands `prefix:suffix` when `prefix` is a known namespace (and the suffix does not start with `//`). */
export function expandIri(value: string, namespaces: Namespaces): string {
  const m = COMPACT.exec(value);
  if (m === null) return value;
  const [, prefix, suffix] = m as unknown as [string, string, string];
  if (suffix.startsWith("//")) return value;
  const ns = namespaces[prefix];
  return ns === undefined ? value : ns + suffix;
}
