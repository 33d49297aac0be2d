import type { AiElement } from "./ai.js";
import { identifierElements } from "./canonical.js";
import { checkOtherEpcUri, isOtherEpcScheme, OTHER_EPC_SCHEMES } from "./epc-other.js";
import { INSTANCE } from "./epc-schemes.js";
import { idError } from "./errors.js";

/**
 * `instance`: the identifier names one object (an SGTIN, an SSCC, a location, a party …);
 * `class`: a class of objects (a GTIN, GTIN + lot, a GRAI/GDTI/GCN type, an ITIP or CPID without
 * serial). EPCIS lists of objects take the first, quantity lists the second (CBV 2.0 instance-level
 * and class-level identifiers).
 */
export type IdentifierLevel = "instance" | "class";

/** Keys that name one object whatever follows them: SSCC, GLNs, GIAI, GSRNs, GINC, GSIN. */
const INSTANCE_KEYS: ReadonlySet<string> = new Set([
  "00",
  "401",
  "402",
  "414",
  "415",
  "417",
  "8004",
  "8017",
  "8018",
]);

/** The level of a primary key and its key qualifiers (`parseDigitalLink`'s or `parseEpcUri`'s elements). */
export function elementsLevel(elements: readonly AiElement[]): IdentifierLevel {
  const [primary, ...qualifiers] = elements;
  if (primary === undefined) return "class";
  const has = (ai: string) => qualifiers.some((q) => q.ai === ai);
  let instance: boolean;
  switch (primary.ai) {
    case "01":
      instance = has("21") || has("235");
      break;
    case "8006":
      instance = has("21");
      break;
    case "8010":
      instance = has("8011");
      break;
    case "8003": // GRAI: 0 + 13-digit key, then the optional serial
      instance = primary.value.length > 14;
      break;
    case "253": // GDTI, GCN: 13-digit key, then the optional serial
    case "255":
      instance = primary.value.length > 13;
      break;
    default:
      instance = INSTANCE_KEYS.has(primary.ai);
  }
  return instance ? "instance" : "class";
}

const OTHER_EPC = /^urn:epc:id:([A-Za-z0-9]+):(.*)$/i;

/**
 * The level of an EPC URI (GS1 schemes, and the TDS schemes without a GS1 key such as GID, which
 * are instance-level) or of a GS1 Digital Link, after checking it: throws an IdentifierError on
 * anything that is not a valid identifier in either form.
 */
export function identifierLevel(uriOrDl: string): IdentifierLevel {
  const other = typeof uriOrDl === "string" ? OTHER_EPC.exec(uriOrDl) : null;
  const scheme = other?.[1]?.toLowerCase() ?? "";
  if (other !== null && isOtherEpcScheme(scheme)) {
    checkOtherEpcUri(scheme, other[2] ?? "", uriOrDl);
    return "instance";
  }
  if (other !== null && !Object.hasOwn(INSTANCE, scheme)) {
    const known = [...Object.keys(INSTANCE), ...OTHER_EPC_SCHEMES].join(", ");
    throw idError("ID_UNSUPPORTED_SCHEME", `"${scheme}" is not an EPC scheme of TDS 2.0 (${known})`, uriOrDl);
  }
  return elementsLevel(identifierElements(uriOrDl));
}
