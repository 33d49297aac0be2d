import { WeftError } from "@weft/core";

export type EvidenceErrorCode =
  | "EVIDENCE_WRONG_CHAIN"
  | "EVIDENCE_NOT_EQUIVOCATION"
  | "EVIDENCE_FUTURE_HEIGHT"
  | "EVIDENCE_UNKNOWN_VALIDATOR"
  | "EVIDENCE_BAD_SIGNATURE"
  | "EVIDENCE_DUPLICATE";
export class EvidenceError extends WeftError<{
  code: EvidenceErrorCode;
  message: string;
  [field: string]: unknown;
}> {}
