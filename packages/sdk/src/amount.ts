import { SdkError } from "./errors.js";

const DIGITS = /^[0-9]+$/;

/**
 * Amounts travel as canonical decimal strings (no sign, no leading zeros) because on-chain
 * JSON has no numbers beyond 2^53. Accepts a bigint or a string of digits; refuses negatives.
 */
export function toAmount(value: bigint | string, field = "amount"): string {
  if (typeof value === "bigint") {
    if (value < 0n) throw invalid(field, `${field} must not be negative`);
    return value.toString();
  }
  if (typeof value !== "string" || !DIGITS.test(value)) {
    const negative = typeof value === "string" && /^-[0-9]+$/.test(value);
    throw invalid(
      field,
      negative ? `${field} must not be negative` : `${field} must be a string of decimal digits`,
    );
  }
  return BigInt(value).toString();
}

function invalid(field: string, message: string): SdkError {
  return new SdkError({ code: "SDK_INVALID_AMOUNT", message, field });
}
