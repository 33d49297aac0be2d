import { idError } from "./errors.js";

/**
 * Character sets and escaping of GS1 alphanumeric fields (serials, lots, GLN extensions, asset
 * references …) in the two URI forms.
 *
 * - GS1 AI encodable character set 82 (General Specifications Figure 7.11-1): `0-9 A-Z a-z` and
 *   `! " % & ' ( ) * + , - . / : ; < = > ? _`.
 * - Set 39 (Figure 7.11-2, used by CPID AI 8010): `0-9 A-Z # - /`.
 *
 * EPC URN (Tag Data Standard §5, URN syntax of RFC 8141): the characters of set 82 that a URN may
 * not carry raw are escaped as `%22 " %25 % %26 & %2F / %3C < %3E > %3F ?` (plus `%23 #` for set
 * 39); everything else stays literal. On input any `%XX` that decodes to an allowed character is
 * accepted (hex in either case); output uses the minimal escaping with upper-case hex.
 *
 * GS1 Digital Link: path segments and query values are percent-encoded. The grammar shipped with
 * digital-link.js (DL 1.4 ABNF, XCHAR) admits only `0-9 A-Z a-z - . _` literally and every other
 * character of set 82 percent-encoded — that is what `encodeDigitalLinkValue` produces. On input
 * we also accept the RFC 3986 sub-delimiters literally in path segments (`! ' ( ) * + , ; = :`),
 * which decode unambiguously.
 *
 * The canonical key (`canonicalIdentifier`) uses a third spelling: the one of the CBV 2.0 event
 * hash ("constrained canonical GS1 Digital Link URI"), so that keys equal the hash pre-image
 * tokens — `! " # % & ( ) * + , / : < > ?` encoded, `' ; =` literal.
 */

const AI82 = /^[!"%-?A-Z_a-z]*$/;
const AI39 = /^[#\-/0-9A-Z]*$/;

export type CharacterSet = "82" | "39" | "digits";

export function isAi82(value: string): boolean {
  return AI82.test(value);
}

export function isAi39(value: string): boolean {
  return AI39.test(value);
}

export function inCharacterSet(value: string, set: CharacterSet): boolean {
  if (set === "82") return AI82.test(value);
  if (set === "39") return AI39.test(value);
  return /^\d*$/.test(value);
}

const URN_ESCAPE = /["%&/<>?#]/g;

/** Escapes a decoded set-82/39 value for an EPC URN component (minimal escaping, upper-case hex). */
export function encodeEpcComponent(value: string): string {
  return value.replace(URN_ESCAPE, hexEscape);
}

/** Characters that may stand literally in an EPC URN component (set 82/39 minus the escaped ones). */
const URN_LITERAL = /^[!'()*+,\-.0-9:;=A-Z_a-z]$/;

/**
 * Decodes an EPC URN component. Throws on a malformed escape, a literal character the URN may
 * not carry, or a decoded character outside `set`.
 */
export function decodeEpcComponent(raw: string, set: CharacterSet, field: string): string {
  let out = "";
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charAt(i);
    if (c === "%") {
      const hex = raw.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) {
        throw idError("ID_SYNTAX", `${field}: "%" must start a two-digit hex escape`, raw);
      }
      out += String.fromCharCode(Number.parseInt(hex, 16));
      i += 2;
    } else if (URN_LITERAL.test(c)) {
      out += c;
    } else {
      throw idError(
        "ID_CHARSET",
        `${field}: character ${JSON.stringify(c)} must be %-escaped or is not allowed`,
        raw,
      );
    }
  }
  if (!inCharacterSet(out, set)) {
    throw idError("ID_CHARSET", `${field}: ${describeSet(set)} only`, out);
  }
  return out;
}

/** Digital Link spelling of a value (DL 1.4 grammar XCHAR: only `0-9A-Za-z-._` literal). */
export function encodeDigitalLinkValue(value: string): string {
  return value.replace(/[^0-9A-Za-z\-._]/g, hexEscape);
}

/** The CBV 2.0 event-hash spelling (see file comment): `' ; =` stay literal. */
export function encodeCanonicalValue(value: string): string {
  return value.replace(/[^0-9A-Za-z\-._';=]/g, hexEscape);
}

/** Literal characters accepted in a Digital Link path segment: RFC 3986 pchar except "%". */
const DL_LITERAL = /^[!$&'()*+,\-.0-9:;=@A-Z_a-z~]$/;
const DL_LITERALS = /^[!$&'()*+,\-.0-9:;=@A-Z_a-z~]*$/;

/**
 * Decodes one Digital Link path segment or query value. Throws on a malformed escape or on a
 * literal character that cannot stand in a URI component.
 */
export function decodeDigitalLinkValue(raw: string, field: string): string {
  if (DL_LITERALS.test(raw)) return raw; // nothing to decode (the common case)
  let out = "";
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charAt(i);
    if (c === "%") {
      const hex = raw.slice(i + 1, i + 3);
      if (!/^[0-9A-Fa-f]{2}$/.test(hex)) {
        throw idError("ID_SYNTAX", `${field}: "%" must start a two-digit hex escape`, raw);
      }
      const code = Number.parseInt(hex, 16);
      if (code < 0x21 || code > 0x7e) {
        throw idError("ID_CHARSET", `${field}: escape %${hex} is not a printable ASCII character`, raw);
      }
      out += String.fromCharCode(code);
      i += 2;
    } else if (DL_LITERAL.test(c)) {
      out += c;
    } else {
      throw idError("ID_SYNTAX", `${field}: character ${JSON.stringify(c)} must be percent-encoded`, raw);
    }
  }
  return out;
}

export function describeSet(set: CharacterSet): string {
  if (set === "82")
    return "GS1 AI encodable character set 82 (0-9 A-Z a-z ! \" % & ' ( ) * + , - . / : ; < = > ? _)";
  if (set === "39") return "GS1 AI encodable character set 39 (0-9 A-Z # - /)";
  return "decimal digits";
}

function hexEscape(c: string): string {
  return `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, "0")}`;
}
