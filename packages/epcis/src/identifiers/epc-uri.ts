import { CLASS, CLASS_PATTERN, INSTANCE } from "./epc-schemes.js";
import { idError, withContext } from "./errors.js";
import type { EpcIdentifier } from "./types.js";

/**
 * EPC Pure Identity URIs (GS1 EPC Tag Data Standard 2.0 §6.3), EPC Class URIs (§6.4, LGTIN) and
 * the class-level ID pattern URIs EPCIS uses (`urn:epc:idpat:sgtin:CompanyPrefix.ItemRef.*` for a
 * GTIN). Hand-written: digital-link.js knows nothing of EPC URNs. The dot after the GS1 Company
 * Prefix is the only place where its length is stated; it is kept in `companyPrefix`.
 */

const MAX_URN_LENGTH = 256;

export function parseEpcUri(uri: string): EpcIdentifier {
  if (typeof uri !== "string") throw idError("ID_SYNTAX", "an EPC URI is a string", String(uri));
  return withContext({ input: uri }, () => parseUrn(uri));
}

function parseUrn(uri: string): EpcIdentifier {
  if (uri.length > MAX_URN_LENGTH)
    throw idError("ID_SYNTAX", `an EPC URI is at most ${MAX_URN_LENGTH} characters`, uri);
  if (/[^\x21-\x7e]/.test(uri))
    throw idError("ID_SYNTAX", "an EPC URI has printable ASCII characters only (no spaces)", uri);
  const m = /^urn:epc:(id|class|idpat):([A-Za-z0-9]+):(.*)$/i.exec(uri);
  if (!m) {
    if (/^urn:epc:(tag|raw|pat):/i.test(uri)) {
      throw idError(
        "ID_UNSUPPORTED_SCHEME",
        "EPC tag/raw/pat URIs describe RFID encodings; use the pure identity URI urn:epc:id:…",
        uri,
      );
    }
    throw idError("ID_SYNTAX", "not an EPC URI (urn:epc:id:…, urn:epc:class:lgtin:…, urn:epc:idpat:…)", uri);
  }
  const kind = (m[1] ?? "").toLowerCase();
  const scheme = (m[2] ?? "").toLowerCase();
  const body = m[3] ?? "";
  if (kind === "id" || kind === "class") {
    const table = kind === "id" ? INSTANCE : CLASS;
    const parse = table[scheme];
    if (!parse) {
      const known = Object.keys(table).join(", ");
      throw idError(
        "ID_UNSUPPORTED_SCHEME",
        `EPC ${kind} scheme "${scheme}" is not supported (${known})`,
        uri,
      );
    }
    return parse(body);
  }
  const parse = CLASS_PATTERN[scheme];
  if (!parse) {
    throw idError(
      "ID_PATTERN",
      `only ${Object.keys(CLASS_PATTERN).join(", ")} ID patterns ending in ".*" denote a class`,
      uri,
    );
  }
  if (!body.endsWith(".*") || body.slice(0, -2).includes("*")) {
    throw idError(
      "ID_PATTERN",
      "a class-level ID pattern fixes every component but the last, which is *",
      uri,
    );
  }
  return parse(body.slice(0, -2));
}
