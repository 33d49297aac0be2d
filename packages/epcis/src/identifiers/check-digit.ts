import { idError } from "./errors.js";

/**
 * GS1 standard mod-10 check digit (GS1 General Specifications §7.9.1): weights 3,1,3,1…
 * from the rightmost digit of the key without its check digit. Used for GTIN-8/12/13/14, GLN,
 * SSCC, GSIN, GSRN, GDTI, GCN, GRAI. `digits` is the key without its check digit (1–17 digits).
 */
export function checkDigit(digits: string): number {
  if (!/^\d{1,17}$/.test(digits)) {
    throw idError("ID_CHARSET", "check digit input must be 1 to 17 decimal digits", digits);
  }
  let sum = 0;
  let weight = 3;
  for (let i = digits.length - 1; i >= 0; i--) {
    sum += (digits.charCodeAt(i) - 48) * weight;
    weight = 4 - weight;
  }
  return (10 - (sum % 10)) % 10;
}

/** True when `key` (2–18 digits, check digit last) carries the right mod-10 check digit. */
export function hasValidCheckDigit(key: string): boolean {
  if (!/^\d{2,18}$/.test(key)) return false;
  return checkDigit(key.slice(0, -1)) === key.charCodeAt(key.length - 1) - 48;
}

/** GTIN-8, GTIN-12, GTIN-13 or GTIN-14 with a correct check digit. */
export function isValidGtin(value: string): boolean {
  return /^(\d{8}|\d{12,14})$/.test(value) && hasValidCheckDigit(value);
}

/** GLN: 13 digits with a correct check digit. */
export function isValidGln(value: string): boolean {
  return /^\d{13}$/.test(value) && hasValidCheckDigit(value);
}

/** SSCC: 18 digits with a correct check digit. */
export function isValidSscc(value: string): boolean {
  return /^\d{18}$/.test(value) && hasValidCheckDigit(value);
}

/**
 * GTIN-8/12/13/14 → GTIN-14 (left-padded with zeros, GS1 General Specifications §3.3.2: the
 * 14-digit form is the one used in AI (01), EPC and Digital Link). Throws on anything else.
 */
export function normalizeGtin(value: string): string {
  if (!/^\d+$/.test(value))
    throw idError("ID_CHARSET", "a GTIN has decimal digits only", value, { ai: "01" });
  if (!/^(\d{8}|\d{12,14})$/.test(value)) {
    throw idError("ID_LENGTH", `a GTIN has 8, 12, 13 or 14 digits, not ${value.length}`, value, { ai: "01" });
  }
  if (!hasValidCheckDigit(value)) {
    throw idError("ID_CHECK_DIGIT", `GTIN check digit should be ${expectedCheckDigit(value)}`, value, {
      ai: "01",
    });
  }
  return value.padStart(14, "0");
}

/** The check digit a digit string ending in a check digit should have (for error messages). */
export function expectedCheckDigit(keyWithCheckDigit: string): number {
  return checkDigit(keyWithCheckDigit.slice(0, -1));
}
