import { WeftError } from "@weft/core";

export type GovErrorCode =
  | "GOV_UNKNOWN_PROPOSAL"
  | "GOV_CLOSED"
  | "GOV_ALREADY_VOTED"
  | "GOV_BAD_DEADLINE"
  | "GOV_BAD_ACTION"
  | "GOV_BAD_PARAMS"
  | "GOV_GOVERNANCE_ONLY";

export class GovError extends WeftError<{
  code: GovErrorCode;
  message: string;
  [field: string]: unknown;
}> {}
