import { WeftError } from "@weft/core";

export type IdentityErrorCode =
  /** The approver's address is not a registered member or device. */
  | "IDENTITY_NOT_MEMBER"
  /** The key was revoked at or before this height. */
  | "IDENTITY_REVOKED"
  /** The key was rotated and its overlap period is over. */
  | "IDENTITY_KEY_EXPIRED"
  /** Block time is past the member certificate's notAfter. */
  | "IDENTITY_CERT_EXPIRED"
  /** Block time is before the member certificate's notBefore. */
  | "IDENTITY_CERT_NOT_YET_VALID"
  /** The member's organisation (or the one named) was removed. */
  | "IDENTITY_ORG_REMOVED"
  | "IDENTITY_UNKNOWN_ORG"
  | "IDENTITY_UNKNOWN_MEMBER"
  /** An org, member id, key, role or revoked fingerprint that already exists. */
  | "IDENTITY_EXISTS"
  /** A certificate that does not parse, is not a CA, was not issued by the org or does not certify the key. */
  | "IDENTITY_BAD_CERTIFICATE"
  /** Arguments the schema admits but the registry refuses (unknown role, bad height, bad policy…). */
  | "IDENTITY_BAD_ARGS";

export class IdentityError extends WeftError<{
  code: IdentityErrorCode;
  message: string;
  [field: string]: unknown;
}> {}

export type PolicyErrorCode =
  /** No approver satisfies the action's policy (wrong role, scope or owner). */
  | "POLICY_DENIED"
  /** The policy needs more approvers than the call has: propose it (gov.propose). */
  | "POLICY_APPROVALS_REQUIRED";

export class PolicyError extends WeftError<{
  code: PolicyErrorCode;
  message: string;
  action: string;
  [field: string]: unknown;
}> {}
