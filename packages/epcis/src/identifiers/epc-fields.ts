import { type AiElement, validateAiValue } from "./ai.js";
import { type CharacterSet, decodeEpcComponent } from "./charset.js";
import { checkDigit } from "./check-digit.js";
import { idError, withContext } from "./errors.js";

/** Reading the components of an EPC URN body (TDS 2.0 §6.3): one job per helper. */

/** TDS partition tables cover GS1 Company Prefixes of 6 to 12 digits. */
export const MIN_GCP_LENGTH = 6;
export const MAX_GCP_LENGTH = 12;

/** Splits `body` into `fixed` dot-separated components, plus the remainder when `rest` (it may hold dots). */
export function components(body: string, fixed: number, rest: boolean): string[] {
  const expected = fixed + (rest ? 1 : 0);
  if (!rest) {
    const parts = body.split(".");
    if (parts.length !== fixed)
      throw idError("ID_SYNTAX", `expected ${fixed} dot-separated components`, body);
    return parts;
  }
  const parts: string[] = [];
  let s = body;
  for (let i = 0; i < fixed; i++) {
    const dot = s.indexOf(".");
    if (dot < 0) throw idError("ID_SYNTAX", `expected ${expected} dot-separated components`, body);
    parts.push(s.slice(0, dot));
    s = s.slice(dot + 1);
  }
  parts.push(s);
  return parts;
}

export function gcpOf(raw: string): string {
  if (!/^\d+$/.test(raw)) throw idError("ID_CHARSET", "the GS1 Company Prefix has digits only", raw);
  if (raw.length < MIN_GCP_LENGTH || raw.length > MAX_GCP_LENGTH) {
    throw idError(
      "ID_GCP_LENGTH",
      `a GS1 Company Prefix in an EPC URI has ${MIN_GCP_LENGTH} to ${MAX_GCP_LENGTH} digits`,
      raw,
    );
  }
  return raw;
}

export function digits(raw: string, length: number, field: string): string {
  if (!/^\d*$/.test(raw)) throw idError("ID_CHARSET", `${field} has digits only`, raw);
  if (raw.length !== length) {
    throw idError(
      "ID_LENGTH",
      `${field} has ${length} digits with this GS1 Company Prefix length, got ${raw.length}`,
      raw,
    );
  }
  return raw;
}

export function text(raw: string, set: CharacterSet, field: string, min: number, max: number): string {
  const value = decodeEpcComponent(raw, set, field);
  if (value.length < min || value.length > max) {
    throw idError(
      "ID_LENGTH",
      `${field} has ${min === max ? max : `${min} to ${max}`} characters, got ${value.length}`,
      value,
    );
  }
  return value;
}

export const withCd = (body: string): string => body + checkDigit(body);

/** Builds the element list, validating each element's AI format (lengths, sets, check digits). */
export function els(...pairs: [string, string | undefined][]): AiElement[] {
  const out: AiElement[] = [];
  for (const [ai, value] of pairs) {
    if (value === undefined) continue;
    withContext({ ai }, () => validateAiValue(ai, value));
    out.push({ ai, value });
  }
  return out;
}
