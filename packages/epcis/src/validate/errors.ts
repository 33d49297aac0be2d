import { WeftError } from "@weft/core";

/** One thing wrong with a capture document or event. */
export interface ValidationProblem {
  /** Where: a JavaScript-style path from the validated value, e.g. `epcisBody.eventList[2].bizStep`. */
  readonly path: string;
  /** What, naming the offending value or field. */
  readonly message: string;
  /** The offending value, when there is one. */
  readonly value?: unknown;
}

/**
 * EPCIS 2.0 REST binding (OpenAPI `epcisException:*` problem types): the exception type a validation failure maps to: a capture whose
 * document or event breaks the EPCIS/CBV rules is answered with `epcisException:ValidationException`.
 */
export type EpcisExceptionType = "epcisException:ValidationException";

export interface EpcisValidationErrorData {
  code: "EPCIS_VALIDATION";
  message: string;
  problems: ValidationProblem[];
  epcisType: EpcisExceptionType;
  [field: string]: unknown;
}

/** `path: message` for one problem. */
export function formatProblem(p: ValidationProblem): string {
  return p.path === "" ? p.message : `${p.path}: ${p.message}`;
}

/** Thrown by `validateCaptureDocument`/`validateEvent`; lists every problem, the first in the message. */
export class EpcisValidationError extends WeftError<EpcisValidationErrorData> {
  constructor(problems: readonly ValidationProblem[]) {
    const first = problems[0];
    const head = first === undefined ? "invalid EPCIS input" : formatProblem(first);
    const more =
      problems.length > 1
        ? ` (and ${problems.length - 1} more problem${problems.length > 2 ? "s" : ""})`
        : "";
    const message = `EPCIS validation failed: ${head}${more}`;
    super({
      code: "EPCIS_VALIDATION",
      message,
      problems: [...problems],
      epcisType: "epcisException:ValidationException",
    });
  }

  get problems(): readonly ValidationProblem[] {
    return this.type.problems;
  }
}
