/**
 * Errors are typed data: every error has a stable machine-readable `code` plus fields that
 * explain it. `WeftError<{code: "X_..."}>` subclasses give each subsystem its own family.
 */
export interface ErrorData {
  code: string;
  message?: string;
  [field: string]: unknown;
}

export class WeftError<T extends ErrorData = ErrorData> extends Error {
  readonly type: T;

  constructor(type: T, message?: string) {
    super(message ?? type.message ?? type.code);
    this.type = type;
    this.name = new.target.name;
  }

  get code(): T["code"] {
    return this.type.code;
  }

  /** A JSON-safe view (bigints as strings) for logs, API problems and tx results. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(this.type)) out[k] = typeof v === "bigint" ? v.toString() : v;
    out.message = this.message;
    return out;
  }
}

export function isWeftError(e: unknown): e is WeftError {
  return e instanceof WeftError;
}

export type CodecErrorCode =
  | "CODEC_INVALID_HEX"
  | "CODEC_INVALID_BASE64"
  | "CODEC_INVALID_JSON"
  | "CODEC_NOT_CANONICAL"
  | "CODEC_UNSUPPORTED_VALUE";
export class CodecError extends WeftError<{ code: CodecErrorCode; message: string; path?: string }> {}

export type CryptoErrorCode =
  | "CRYPTO_UNKNOWN_ALGORITHM"
  | "CRYPTO_INVALID_PUBLIC_KEY"
  | "CRYPTO_NON_CANONICAL_PUBLIC_KEY"
  | "CRYPTO_SMALL_ORDER_PUBLIC_KEY"
  | "CRYPTO_INVALID_SECRET_KEY"
  | "CRYPTO_INVALID_SIGNATURE";
export class CryptoError extends WeftError<{ code: CryptoErrorCode; message: string }> {}
