import type { AiElement } from "./ai.js";
import { parseDigitalLink } from "./digital-link.js";
import { formatDigitalLink } from "./dl-format.js";
import { GS1_RESOLVER } from "./dl-uri.js";
import { epcUriFromElements } from "./elements-to-epc.js";
import { parseEpcUri } from "./epc-uri.js";
import { idError } from "./errors.js";
import type { CompanyPrefixLength } from "./gcp.js";

/**
 * The finest level of identification among a primary key and its qualifiers, as the CBV 2.0
 * event hash defines it ("constrained canonical GS1 Digital Link URI"): for a GTIN or ITIP the
 * consumer product variant (22) is dropped, and the lot (10) is dropped when a serial (21) is
 * present — an SGTIN is GTIN + serial whatever lot it belongs to.
 */
export function finestElements(elements: readonly AiElement[]): AiElement[] {
  const [primary, ...qualifiers] = elements;
  if (!primary) return [];
  if (primary.ai !== "01" && primary.ai !== "8006") return [...elements];
  const hasSerial = qualifiers.some((q) => q.ai === "21");
  return [primary, ...qualifiers.filter((q) => q.ai !== "22" && !(hasSerial && q.ai === "10"))];
}

/** EPC URN → Digital Link on `base` (default https://id.gs1.org). */
export function epcUriToDigitalLink(uri: string, base: string = GS1_RESOLVER): string {
  const epc = parseEpcUri(uri);
  const [primaryKey, ...qualifiers] = epc.elements;
  if (!primaryKey) throw idError("ID_SYNTAX", "EPC URI without a GS1 key", uri);
  return formatDigitalLink({ primaryKey, qualifiers }, base);
}

export interface DigitalLinkToEpcOptions {
  /** GS1 Company Prefix length: a number or a lookup such as `gcpLengthTable(...)`. Required. */
  readonly companyPrefixLength: CompanyPrefixLength;
}

/**
 * Digital Link → EPC URN (pure identity, LGTIN class, or class-level ID pattern for a GTIN / GRAI
 * type / GDTI type / GCN / ITIP / CPID without serial). Data attributes and the query string are
 * not part of the identifier and are ignored; CPV is dropped, and the lot when a serial is given.
 * The GS1 Company Prefix length must be supplied (see gcp.ts): it is never guessed.
 */
export function digitalLinkToEpcUri(uri: string, opts: DigitalLinkToEpcOptions): string {
  const dl = parseDigitalLink(uri);
  return epcUriFromElements(
    finestElements([dl.primaryKey, ...dl.qualifiers]),
    opts?.companyPrefixLength,
    uri,
  );
}
