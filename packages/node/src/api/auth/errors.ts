import { WeftError } from "@weft/core";

/**
 * Why a request acting on behalf of an organisation was refused. 401 for the first four (no or
 * unusable credentials), 403 for AUTH_WRONG_ORG (a valid member of another organisation) and
 * AUTH_ROLE (a member whose roles only read).
 */
export type AuthErrorCode =
  | "AUTH_REQUIRED"
  | "AUTH_BAD_TOKEN"
  | "AUTH_EXPIRED"
  | "AUTH_REVOKED"
  | "AUTH_WRONG_ORG"
  | "AUTH_ROLE";

export class AuthError extends WeftError<{
  code: AuthErrorCode;
  message: string;
  [field: string]: unknown;
}> {}

export const AUTH_STATUS: Readonly<Record<AuthErrorCode, number>> = {
  AUTH_REQUIRED: 401,
  AUTH_BAD_TOKEN: 401,
  AUTH_EXPIRED: 401,
  AUTH_REVOKED: 401,
  AUTH_WRONG_ORG: 403,
  AUTH_ROLE: 403,
};

export const badToken = (message: string): AuthError => new AuthError({ code: "AUTH_BAD_TOKEN", message });
