export type { AiElement } from "./ai.js";
export { type CanonicalOptions, canonicalIdentifier, identifierElements } from "./canonical.js";
export { encodeDigitalLinkValue, encodeEpcComponent, isAi39, isAi82 } from "./charset.js";
export {
  checkDigit,
  hasValidCheckDigit,
  isValidGln,
  isValidGtin,
  isValidSscc,
  normalizeGtin,
} from "./check-digit.js";
export { type DigitalLinkToEpcOptions, digitalLinkToEpcUri, epcUriToDigitalLink } from "./convert.js";
export { looksLikeDigitalLink, parseDigitalLink } from "./digital-link.js";
export { compressDigitalLink, formatDigitalLink } from "./dl-format.js";
export { GS1_RESOLVER } from "./dl-uri.js";
export { parseEpcUri } from "./epc-uri.js";
export { IdentifierError, type IdentifierErrorCode, type IdentifierErrorData } from "./errors.js";
export { type CompanyPrefixLength, type GcpLengthLookup, gcpLengthTable } from "./gcp.js";
export { elementsLevel, type IdentifierLevel, identifierLevel } from "./level.js";
export type * from "./types.js";
