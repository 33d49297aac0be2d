/**
 * Identifier checks of EPCIS 2.0 "what" and "where" fields (EPCIS 2.0 what/where dimensions, CBV 2.0
 * identifier sections). Parsing and checking are ../identifiers' (EPC URIs of TDS 2.0, GS1 Digital Links);
 * this file only decides which values are GS1 identifiers and which level a field takes:
 * - EPC URIs (`urn:epc:…`): pure identity URIs, `urn:epc:class:lgtin:` and class-level ID patterns
 *   (`urn:epc:idpat:sgtin:0614141.107346.*`);
 * - GS1 Digital Link URIs: an http(s) URI with a primary-key path, or any URI on `id.gs1.org`;
 * - any other absolute URI is a private identifier (CBV 2.0 user vocabularies) and is accepted.
 *
 * Each check returns `undefined` when the value is acceptable, or the reason it is not.
 */
import {
  IdentifierError,
  type IdentifierLevel,
  identifierLevel,
  looksLikeDigitalLink,
} from "../identifiers/index.js";

type Wanted = IdentifierLevel | "any";
type Kind = "epc" | "dl";

/** Anything on GS1's resolver is meant as a Digital Link, whatever its path. */
const GS1_RESOLVER_URI = /^https?:\/\/id\.gs1\.org\//i;

function kindOf(value: string): Kind | undefined {
  if (/^urn:epc:/i.test(value)) return "epc";
  if (looksLikeDigitalLink(value) || GS1_RESOLVER_URI.test(value)) return "dl";
  return undefined;
}

const NAME: Record<Kind, string> = { epc: "EPC URI", dl: "GS1 Digital Link URI" };

const WRONG_LEVEL: Record<Kind, Record<IdentifierLevel, string>> = {
  epc: {
    class: "is a class-level EPC; this list takes instance-level identifiers (urn:epc:id:...)",
    instance:
      "is an instance-level EPC; quantity lists take class-level identifiers (urn:epc:class:lgtin:, urn:epc:idpat:)",
  },
  dl: {
    class: "is a class-level GS1 Digital Link (no serial); this list takes instance-level identifiers",
    instance:
      "is an instance-level GS1 Digital Link; quantity lists take class-level identifiers (e.g. GTIN, GTIN + lot)",
  },
};

/** The identifier module's reason, naming the offending part when the message does not. */
function reasonOf(e: IdentifierError): string {
  const { value, input } = e.type;
  const named = e.message.includes('"') || e.message.includes(`(${value})`);
  return input === undefined || value === "" || named ? e.message : `${e.message}: ${JSON.stringify(value)}`;
}

function identifier(value: string, wanted: Wanted): string | undefined {
  const kind = kindOf(value);
  if (kind === undefined) return undefined; // a private (non-GS1) URI
  let level: IdentifierLevel;
  try {
    level = identifierLevel(value);
  } catch (e) {
    if (!(e instanceof IdentifierError)) throw e;
    return `is not a valid ${NAME[kind]} (${reasonOf(e)})`;
  }
  return wanted === "any" || wanted === level ? undefined : WRONG_LEVEL[kind][level];
}

/** epcList, childEPCs, inputEPCList, outputEPCList, parentID: one object instance. */
export function checkInstanceIdentifier(value: string): string | undefined {
  return identifier(value, "instance");
}

/** quantity list `epcClass`: a class of objects (GTIN, GTIN + lot, EPC class pattern). */
export function checkClassIdentifier(value: string): string | undefined {
  return identifier(value, "class");
}

/** readPoint, bizLocation, source, destination: syntax only (EPC URI or Digital Link if it is one). */
export function checkIdentifierSyntax(value: string): string | undefined {
  return identifier(value, "any");
}
