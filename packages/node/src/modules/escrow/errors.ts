import { WeftError } from "@weft/core";

export type EscrowErrorCode =
  | "ESCROW_BAD_ARGS"
  | "ESCROW_EXISTS"
  | "ESCROW_UNKNOWN"
  | "ESCROW_NOT_AUTHORIZED"
  | "ESCROW_CLOSED"
  | "ESCROW_NOT_FROZEN"
  | "ESCROW_NOT_ATTESTER"
  | "ESCROW_ALREADY_ATTESTED"
  | "ESCROW_TOO_MANY_WAITING";

export class EscrowError extends WeftError<{
  code: EscrowErrorCode;
  message: string;
  escrowId?: string;
  [field: string]: unknown;
}> {}
