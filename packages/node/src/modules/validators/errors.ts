import { WeftError } from "@weft/core";

export type ValidatorsErrorCode =
  | "VALIDATORS_GOVERNANCE_ONLY"
  | "VALIDATORS_BAD_HEIGHT"
  | "VALIDATORS_BAD_KEY"
  | "VALIDATORS_BAD_POWER"
  | "VALIDATORS_DUPLICATE"
  | "VALIDATORS_NOT_IN_SET"
  | "VALIDATORS_EMPTY_SET"
  | "VALIDATORS_TOO_MANY"
  | "VALIDATORS_LATER_CHANGE";
export class ValidatorsError extends WeftError<{
  code: ValidatorsErrorCode;
  message: string;
  [field: string]: unknown;
}> {}
