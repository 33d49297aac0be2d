import type { AiElement } from "./ai.js";
import { encodeEpcComponent } from "./charset.js";
import { parseEpcUri } from "./epc-uri.js";
import { idError } from "./errors.js";
import { type CompanyPrefixLength, resolveGcpLength } from "./gcp.js";

/**
 * GS1 elements (primary key + key qualifiers, finest level) → EPC URN, splitting each key at the
 * GS1 Company Prefix length the caller supplied (TDS 2.0 §7: GS1 element string ↔ EPC). The URN
 * built is parsed back, so it is validated and canonical.
 */

function notConvertible(what: string, value: string, input: string): never {
  throw idError("ID_NOT_CONVERTIBLE", `${what} has no EPC URN form`, value, { input });
}

/** Splits a key whose GCP may be followed by non-digits (GIAI, GINC, CPID) and checks it fits. */
function textKeyParts(value: string, d: number, ai: string, input: string): [string, string] {
  const gcp = value.slice(0, d);
  if (!/^\d+$/.test(gcp) || gcp.length !== d || value.length <= d) {
    throw idError(
      "ID_GCP_LENGTH",
      `a GS1 Company Prefix of ${d} digits does not fit AI (${ai}) "${value}"`,
      value,
      {
        input,
        ai,
      },
    );
  }
  return [gcp, value.slice(d)];
}

export function epcUriFromElements(
  elements: readonly AiElement[],
  gcp: CompanyPrefixLength | undefined,
  input: string,
): string {
  const [primary, ...qualifiers] = elements;
  if (!primary) throw idError("ID_SYNTAX", "no GS1 key", input);
  const q = new Map(qualifiers.map((e) => [e.ai, e.value]));
  const v = primary.value;
  const enc = encodeEpcComponent;
  const len = (keyDigits: string) => resolveGcpLength(gcp, keyDigits, input);
  let urn: string;
  switch (primary.ai) {
    case "01": {
      const d = len(v.slice(1));
      const head = `${v.slice(1, 1 + d)}.${v.charAt(0)}${v.slice(1 + d, 13)}`;
      const serial = q.get("21");
      const lot = q.get("10");
      const tpx = q.get("235");
      if (serial !== undefined) urn = `urn:epc:id:sgtin:${head}.${enc(serial)}`;
      else if (lot !== undefined) urn = `urn:epc:class:lgtin:${head}.${enc(lot)}`;
      else if (tpx !== undefined) urn = `urn:epc:id:upui:${head}.${enc(tpx)}`;
      else urn = `urn:epc:idpat:sgtin:${head}.*`;
      break;
    }
    case "00": {
      const d = len(v.slice(1));
      urn = `urn:epc:id:sscc:${v.slice(1, 1 + d)}.${v.charAt(0)}${v.slice(1 + d, 17)}`;
      break;
    }
    case "414": {
      if (q.has("7040")) notConvertible("A GLN with a UIC extension (7040)", q.get("7040") ?? "", input);
      const ext = q.get("254");
      if (ext === "0") notConvertible('GLN extension "0" (it means "no extension" in an SGLN)', ext, input);
      const d = len(v);
      urn = `urn:epc:id:sgln:${v.slice(0, d)}.${v.slice(d, 12)}.${enc(ext ?? "0")}`;
      break;
    }
    case "417": {
      if (q.has("7040"))
        notConvertible("A party GLN with a UIC extension (7040)", q.get("7040") ?? "", input);
      const d = len(v);
      urn = `urn:epc:id:pgln:${v.slice(0, d)}.${v.slice(d, 12)}`;
      break;
    }
    case "8004": {
      if (q.has("7040")) notConvertible("A GIAI with a UIC extension (7040)", q.get("7040") ?? "", input);
      const [g, ref] = textKeyParts(v, len(v), "8004", input);
      urn = `urn:epc:id:giai:${g}.${enc(ref)}`;
      break;
    }
    case "401": {
      const [g, ref] = textKeyParts(v, len(v), "401", input);
      urn = `urn:epc:id:ginc:${g}.${enc(ref)}`;
      break;
    }
    case "8003": {
      const d = len(v.slice(1));
      const serial = v.slice(14);
      const head = `${v.slice(1, 1 + d)}.${v.slice(1 + d, 13)}`;
      urn = serial ? `urn:epc:id:grai:${head}.${enc(serial)}` : `urn:epc:idpat:grai:${head}.*`;
      break;
    }
    case "8017":
    case "8018": {
      if (q.has("8019"))
        notConvertible("A service relation instance number (8019)", q.get("8019") ?? "", input);
      const d = len(v);
      urn = `urn:epc:id:${primary.ai === "8018" ? "gsrn" : "gsrnp"}:${v.slice(0, d)}.${v.slice(d, 17)}`;
      break;
    }
    case "253":
    case "255": {
      const d = len(v);
      const serial = v.slice(13);
      const scheme = primary.ai === "253" ? "gdti" : "sgcn";
      const head = `${v.slice(0, d)}.${v.slice(d, 12)}`;
      urn = serial ? `urn:epc:id:${scheme}:${head}.${enc(serial)}` : `urn:epc:idpat:${scheme}:${head}.*`;
      break;
    }
    case "402": {
      const d = len(v);
      urn = `urn:epc:id:gsin:${v.slice(0, d)}.${v.slice(d, 16)}`;
      break;
    }
    case "8006": {
      const serial = q.get("21");
      if (serial === undefined && q.has("10"))
        notConvertible("An ITIP with a lot (10)", q.get("10") ?? "", input);
      const d = len(v.slice(1, 14));
      const head = `${v.slice(1, 1 + d)}.${v.charAt(0)}${v.slice(1 + d, 13)}.${v.slice(14, 16)}.${v.slice(16, 18)}`;
      urn = serial !== undefined ? `urn:epc:id:itip:${head}.${enc(serial)}` : `urn:epc:idpat:itip:${head}.*`;
      break;
    }
    case "8010": {
      const [g, ref] = textKeyParts(v, len(v), "8010", input);
      const serial = q.get("8011");
      urn =
        serial !== undefined
          ? `urn:epc:id:cpi:${g}.${enc(ref)}.${serial}`
          : `urn:epc:idpat:cpi:${g}.${enc(ref)}.*`;
      break;
    }
    default:
      notConvertible(`AI (${primary.ai})`, v, input);
  }
  return parseEpcUri(urn).uri;
}
