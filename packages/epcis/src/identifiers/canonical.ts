import type { AiElement } from "./ai.js";
import { encodeCanonicalValue } from "./charset.js";
import { finestElements } from "./convert.js";
import { parseDigitalLink } from "./digital-link.js";
import { elementsPath, GS1_RESOLVER } from "./dl-uri.js";
import { parseEpcUri } from "./epc-uri.js";
import { idError } from "./errors.js";

export interface CanonicalOptions {
  /**
   * `finest` (default): the object/lot/class the input names — SGTIN, LGTIN, GTIN class, SSCC,
   * SGLN … `primaryKey`: the primary GS1 key only (the GTIN of an SGTIN or LGTIN, the GLN of an
   * SGLN with extension), to index "everything about this product / location".
   */
  readonly level?: "finest" | "primaryKey";
}

/**
 * The GS1 elements an EPC URN or Digital Link names: primary key then key qualifiers.
 * Query-string attributes, linkType and the host are not part of the identity.
 */
export function identifierElements(uriOrDl: string): AiElement[] {
  if (typeof uriOrDl !== "string") throw idError("ID_SYNTAX", "an identifier is a string", String(uriOrDl));
  if (/^urn:/i.test(uriOrDl)) return [...parseEpcUri(uriOrDl).elements];
  if (/^https?:/i.test(uriOrDl)) {
    const dl = parseDigitalLink(uriOrDl);
    return [dl.primaryKey, ...dl.qualifiers];
  }
  throw idError("ID_SYNTAX", "neither an EPC URN (urn:epc:…) nor a GS1 Digital Link (http(s)://…)", uriOrDl);
}

/**
 * One string for every spelling of one identifier, for indexing: an event captured with
 * `urn:epc:id:sgtin:0614141.812345.6789` and a scan of
 * `https://example.com/01/80614141123458/10/LOT7/21/6789?17=260101` meet at
 * `https://id.gs1.org/01/80614141123458/21/6789`.
 *
 * The key is the CBV 2.0 event hash's "constrained canonical GS1 Digital Link URI": host
 * id.gs1.org, numeric AIs, GTIN-14, the finest identification level (no CPV; no lot when a serial
 * is present), no query string, and values percent-encoded as the hash algorithm does
 * (`! " # % & ( ) * + , / : < > ?` encoded; `' ; =` literal). A Digital Link form is used
 * rather than an EPC URN because it does not depend on the GS1 Company Prefix length, which a
 * Digital Link does not carry. Throws an IdentifierError on anything that is not a valid GS1
 * identifier in either form.
 */
export function canonicalIdentifier(uriOrDl: string, opts: CanonicalOptions = {}): string {
  const elements = identifierElements(uriOrDl);
  const chosen = opts.level === "primaryKey" ? elements.slice(0, 1) : finestElements(elements);
  return GS1_RESOLVER + elementsPath(chosen, encodeCanonicalValue);
}
