import { WeftError } from "@weft/core";

export type SdkErrorCode =
  | "SDK_KEYFILE_INVALID"
  | "SDK_KEYFILE_MISMATCH"
  | "SDK_KEYFILE_EXISTS"
  | "SDK_KEYFILE_NOT_FOUND"
  | "SDK_KEYFILE_IO"
  | "SDK_INVALID_AMOUNT"
  | "SDK_INVALID_ARGUMENT"
  | "SDK_INVALID_JSON"
  | "SDK_INVALID_GENESIS"
  | "SDK_NETWORK"
  | "SDK_TIMEOUT"
  | "SDK_BAD_RESPONSE"
  | "SDK_NO_WEBSOCKET";

/** Failures detected on the client side, before or without an answer from a node. */
export class SdkError extends WeftError<{ code: SdkErrorCode; message: string; [field: string]: unknown }> {}

export interface ApiErrorData {
  /** The problem's stable code (e.g. TX_BAD_SIGNATURE), or SDK_HTTP_ERROR when the body is no problem. */
  code: string;
  message: string;
  status: number;
  title?: string;
  detail?: string;
  /** The problem's `type` URI (renamed: WeftError already uses `type` for its data). */
  problemType?: string;
  [field: string]: unknown;
}

/** A node answered with an HTTP error (`application/problem+json`). */
export class ApiError extends WeftError<ApiErrorData> {
  get status(): number {
    return this.type.status;
  }

  get detail(): string | undefined {
    return this.type.detail;
  }
}
