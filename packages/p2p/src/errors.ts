import { WeftError } from "@weft/core";

/** Refusals of input (config, certificates, frames) and host misuse. */
export type P2PErrorCode =
  | "P2P_BAD_NETWORK_CONFIG"
  | "P2P_BAD_CERTIFICATE"
  | "P2P_BAD_IDENTITY"
  | "P2P_FRAME_TOO_LARGE"
  | "P2P_UNKNOWN_CHANNEL"
  | "P2P_MALFORMED_FRAME"
  | "P2P_UNENCODABLE_MESSAGE"
  | "P2P_BAD_OPTIONS"
  | "P2P_HOST_STATE";

export class P2PError extends WeftError<{ code: P2PErrorCode; message: string; [field: string]: unknown }> {}

/**
 * Why a connection was refused or dropped; the keys of `stats().rejected` (metrics labels).
 * Frame errors reuse their `P2PErrorCode`.
 */
export type RejectCode =
  | "P2P_TLS_FAILED"
  | "P2P_NO_CERTIFICATE"
  | "P2P_BAD_CERTIFICATE"
  | "P2P_UNKNOWN_PEER"
  | "P2P_SELF"
  | "P2P_WRONG_PEER"
  | "P2P_WRONG_ISSUER"
  | "P2P_REVOKED"
  | "P2P_CERT_EXPIRED"
  | "P2P_CERT_NOT_YET_VALID"
  | "P2P_REMOVED"
  | "P2P_WRONG_DIRECTION"
  | "P2P_BANNED"
  | "P2P_PENALIZED"
  | "P2P_HANDSHAKE_TIMEOUT"
  | "P2P_HANDSHAKE_MISMATCH"
  | "P2P_UNEXPECTED_FRAME"
  | "P2P_FRAME_TOO_LARGE"
  | "P2P_UNKNOWN_CHANNEL"
  | "P2P_MALFORMED_FRAME";
