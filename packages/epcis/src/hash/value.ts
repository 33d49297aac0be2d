import { canonicalGs1Uri } from "./identifier.js";
import { canonicalNumberText } from "./number.js";
import { replaceLegacyCbvUrns } from "./vocabulary.js";

/**
 * Python's `str.strip()` whitespace (what the reference trims, CBV 2.0 hash rule 5): it differs from
 * JavaScript's `trim()` (which also trims U+FEFF but not U+001C-U+001F, U+0085).
 */
const PY_SPACE =
  "\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
const STRIP = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, "g");

export function stripValue(text: string): string {
  return text.replace(STRIP, "");
}

/**
 * The pre-hash form of a (stripped) non-time value, applying in order what the reference does to every
 * value: CBV 1.x URNs → CBV 2.0 web URIs, numbers → canonical number text, GS1 identifiers → canonical
 * Digital Link URIs.
 */
export function canonicalValue(text: string, path = ""): string {
  let out = replaceLegacyCbvUrns(text);
  out = canonicalNumberText(out, path) ?? out;
  return canonicalGs1Uri(out) ?? out;
}
