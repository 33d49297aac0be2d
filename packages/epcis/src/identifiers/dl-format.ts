import type { AiElement } from "./ai.js";
import { encodeDigitalLinkValue } from "./charset.js";
import { parseDigitalLink } from "./digital-link.js";
import { compressDigitalLinkUri } from "./dl-library.js";
import { elementsPath, GS1_RESOLVER, normaliseBase } from "./dl-uri.js";

/**
 * Builds a Digital Link URI from GS1 elements on `base` (default https://id.gs1.org), values
 * percent-encoded as the DL grammar wants. The result is parsed back, so every element written is
 * validated (formats, check digits, qualifier order, AI associations, grammar).
 */
export function formatDigitalLink(
  id: { primaryKey: AiElement; qualifiers?: readonly AiElement[]; attributes?: readonly AiElement[] },
  base: string = GS1_RESOLVER,
): string {
  const query = id.attributes?.length
    ? `?${id.attributes.map((a) => `${a.ai}=${encodeDigitalLinkValue(a.value)}`).join("&")}`
    : "";
  const uri =
    normaliseBase(base) +
    elementsPath([id.primaryKey, ...(id.qualifiers ?? [])], encodeDigitalLinkValue) +
    query;
  parseDigitalLink(uri);
  return uri;
}

/**
 * The GS1-compressed form of a Digital Link (compression by digital-link.js), after validating
 * it. Keeps the base, primary key, qualifiers and GS1 attributes; linkType and non-GS1 query
 * parameters are dropped.
 */
export function compressDigitalLink(uri: string): string {
  const dl = parseDigitalLink(uri);
  return compressDigitalLinkUri(
    formatDigitalLink(
      { primaryKey: dl.primaryKey, qualifiers: dl.qualifiers, attributes: dl.attributes },
      dl.base,
    ),
  );
}
