import type { JsonLdContextMap } from "./types.js";

/**
 * Prefixes of the standard EPCIS 2.0 JSON-LD context that the algorithm needs (CBV 2.0 event hash
 * rule: CURIEs are expanded, "also for standard CBV values, i.e. with the CURIE prefix expansions
 * `gs1`, `epcis` and `cbv`"). `gs1` is the namespace of the EPCIS 2.0.0 context
 * (https://gs1.org/voc/), the one the CBV 2.0 vectors hash. Contexts are never fetched: a document's
 * remote context URLs are ignored and these are built in; a document may override them inline.
 */
export const STANDARD_PREFIXES: JsonLdContextMap = Object.freeze({
  gs1: "https://gs1.org/voc/",
  cbv: "https://ref.gs1.org/cbv/",
  epcis: "https://ref.gs1.org/epcis/",
});

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The prefix map declared by a JSON-LD `@context` value (a URL, an object, or a list of them),
 * layered over `base` (later definitions win, as in JSON-LD). Only prefix definitions of the form
 * `"example": "https://ns.example.com/epcis/"` are read; URLs (remote contexts), keywords (`@vocab`,
 * `@version`, …) and expanded term definitions are not prefixes and are skipped.
 */
export function jsonLdContextMap(
  context: unknown,
  base: JsonLdContextMap = STANDARD_PREFIXES,
): JsonLdContextMap {
  const out: Record<string, string> = { ...base };
  const visit = (c: unknown): void => {
    if (Array.isArray(c)) {
      for (const item of c) visit(item);
      return;
    }
    if (!isPlainObject(c)) return;
    for (const [key, value] of Object.entries(c)) {
      if (key.startsWith("@") || key.includes(":")) continue;
      if (typeof value === "string") out[key] = value;
    }
  };
  visit(context);
  return Object.freeze(out);
}

function prefixOf(text: string, context: JsonLdContextMap): [string, string] | undefined {
  const colon = text.indexOf(":");
  if (colon <= 0) return undefined;
  const prefix = text.slice(0, colon);
  if (!Object.hasOwn(context, prefix)) return undefined;
  return [context[prefix] as string, text.slice(colon + 1)];
}

/**
 * The canonical name of a field: a CURIE key `example:myField` becomes `{https://ns.example.com/epcis/}myField`
 * (namespace in braces, then the local name); other keys (standard EPCIS terms, undeclared prefixes)
 * are kept as written.
 */
export function expandKey(key: string, context: JsonLdContextMap): string {
  const split = prefixOf(key, context);
  return split === undefined ? key : `{${split[0]}}${split[1]}`;
}

/** A CURIE value `gs1:Temperature` → `https://gs1.org/voc/Temperature`; anything else unchanged. */
export function expandCurie(value: string, context: JsonLdContextMap): string {
  const split = prefixOf(value, context);
  return split === undefined ? value : split[0] + split[1];
}
