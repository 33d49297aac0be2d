import { Type } from "@sinclair/typebox";
import { WeftError } from "@weft/core";

export type TokenErrorCode =
  | "TOKEN_INVALID_AMOUNT"
  | "TOKEN_ASSET_EXISTS"
  | "TOKEN_UNKNOWN_ASSET"
  | "TOKEN_NOT_ISSUER"
  | "TOKEN_MINT_CLOSED"
  | "TOKEN_BURN_NOT_ALLOWED"
  | "TOKEN_INSUFFICIENT_FUNDS"
  | "TOKEN_SUPPLY_CAP"
  | "TOKEN_OVERFLOW"
  | "TOKEN_SELF_TRANSFER"
  | "TOKEN_WRONG_KIND"
  | "TOKEN_INVALID_ARGS"
  | "TOKEN_HOLD_EXISTS"
  | "TOKEN_UNKNOWN_HOLD"
  | "TOKEN_HOLD_AMOUNT"
  | "TOKEN_HOLD_EXPIRY"
  | "TOKEN_NOT_AUTHORIZED"
  | "TOKEN_NFT_EXISTS"
  | "TOKEN_UNKNOWN_NFT"
  | "TOKEN_NOT_OWNER";
export class TokenError extends WeftError<{
  code: TokenErrorCode;
  message: string;
  [field: string]: unknown;
}> {}

/** 2^256 - 1: the largest amount or supply any asset can reach. */
export const MAX_AMOUNT = (1n << 256n) - 1n;

/** Amounts travel as canonical decimal strings (no sign, no leading zeros): bigint-safe everywhere. */
export const AmountSchema = Type.String({
  pattern: "^(0|[1-9][0-9]{0,77})$",
  description: "Non-negative integer in the asset's smallest unit, as a decimal string",
});

export function parseAmount(text: string, field = "amount"): bigint {
  if (!/^(0|[1-9][0-9]{0,77})$/.test(text)) {
    throw new TokenError({
      code: "TOKEN_INVALID_AMOUNT",
      message: `${field} must be a non-negative decimal integer string`,
      field,
    });
  }
  const value = BigInt(text);
  if (value > MAX_AMOUNT) {
    throw new TokenError({ code: "TOKEN_INVALID_AMOUNT", message: `${field} exceeds 2^256-1`, field });
  }
  return value;
}

export function positiveAmount(text: string, field = "amount"): bigint {
  const value = parseAmount(text, field);
  if (value === 0n)
    throw new TokenError({
      code: "TOKEN_INVALID_AMOUNT",
      message: `${field} must be greater than zero`,
      field,
    });
  return value;
}

export function checkedAdd(a: bigint, b: bigint, what: string): bigint {
  const sum = a + b;
  if (sum > MAX_AMOUNT)
    throw new TokenError({ code: "TOKEN_OVERFLOW", message: `${what} would exceed 2^256-1` });
  return sum;
}
