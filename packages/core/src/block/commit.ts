import { addressOf, type KeyPair, signBytes, verifyBytes } from "../crypto/keys.js";
import { concatBytes, utf8 } from "../encoding/bytes.js";
import { canonicalBytes } from "../encoding/canonical.js";
import { WeftError } from "../errors.js";
import type { CommitCertificate, CommitSignature, Validator } from "./types.js";
import type { VoteBody } from "./vote.js";

export type CommitErrorCode =
  | "COMMIT_WRONG_CHAIN"
  | "COMMIT_WRONG_HEIGHT"
  | "COMMIT_WRONG_BLOCK"
  | "COMMIT_UNKNOWN_VALIDATOR"
  | "COMMIT_DUPLICATE_VALIDATOR"
  | "COMMIT_BAD_SIGNATURE"
  | "COMMIT_INSUFFICIENT_POWER";
export class CommitError extends WeftError<{
  code: CommitErrorCode;
  message: string;
  [field: string]: unknown;
}> {}

/** What a validator signs when it precommits a block. The same bytes the BFT engine uses. */
export interface Precommit {
  type: "precommit";
  chainId: string;
  height: number;
  round: number;
  blockHash: string;
  timestamp: number;
}

const VOTE_DOMAIN = utf8("WEFT/vote/v1\n");

/** Sign bytes of any vote (prevote or precommit; `blockHash` null for nil). */
export function voteSignBytes(vote: Precommit | VoteBody): Uint8Array {
  return concatBytes(VOTE_DOMAIN, canonicalBytes(vote));
}

export function signPrecommit(key: KeyPair, vote: Omit<Precommit, "type">): CommitSignature {
  const full: Precommit = { type: "precommit", ...vote };
  return {
    validator: addressOf(key),
    timestamp: vote.timestamp,
    signature: signBytes(key, voteSignBytes(full)),
  };
}

export interface CommitExpectation {
  chainId: string;
  height: number;
  blockHash: string;
}

/**
 * Checks that more than 2/3 of the validators' power signed this exact block. Every signature
 * present must be valid (a bad one is evidence of tampering, not something to skip).
 */
export function verifyCommit(
  commit: CommitCertificate,
  expected: CommitExpectation,
  validators: readonly Validator[],
): void {
  if (commit.chainId !== expected.chainId) {
    throw new CommitError({ code: "COMMIT_WRONG_CHAIN", message: `commit is for chain ${commit.chainId}` });
  }
  if (commit.height !== expected.height) {
    throw new CommitError({
      code: "COMMIT_WRONG_HEIGHT",
      message: `commit is for height ${commit.height}, expected ${expected.height}`,
    });
  }
  if (commit.blockHash !== expected.blockHash) {
    throw new CommitError({ code: "COMMIT_WRONG_BLOCK", message: "commit certifies a different block hash" });
  }
  const byAddress = new Map(validators.map((v) => [v.address, v]));
  const seen = new Set<string>();
  let total = 0;
  for (const v of validators) total += v.power;
  let signed = 0;
  for (const sig of commit.signatures) {
    const validator = byAddress.get(sig.validator);
    if (!validator) {
      throw new CommitError({
        code: "COMMIT_UNKNOWN_VALIDATOR",
        message: `${sig.validator} is not a validator`,
      });
    }
    if (seen.has(sig.validator)) {
      throw new CommitError({ code: "COMMIT_DUPLICATE_VALIDATOR", message: `${sig.validator} signed twice` });
    }
    seen.add(sig.validator);
    const vote: Precommit = {
      type: "precommit",
      chainId: commit.chainId,
      height: commit.height,
      round: commit.round,
      blockHash: commit.blockHash,
      timestamp: sig.timestamp,
    };
    if (!verifyBytes(validator.publicKey, voteSignBytes(vote), sig.signature)) {
      throw new CommitError({
        code: "COMMIT_BAD_SIGNATURE",
        message: `invalid precommit signature from ${validator.name || sig.validator}`,
        validator: sig.validator,
      });
    }
    signed += validator.power;
  }
  if (signed * 3 <= total * 2) {
    throw new CommitError({
      code: "COMMIT_INSUFFICIENT_POWER",
      message: `signed power ${signed} of ${total} is not more than 2/3`,
    });
  }
}

/** BFT time: the power-weighted median of the commit's timestamps (Tendermint's rule). */
export function medianCommitTime(commit: CommitCertificate, validators: readonly Validator[]): number {
  const power = new Map(validators.map((v) => [v.address, v.power]));
  const stamped = commit.signatures
    .map((s) => ({ t: s.timestamp, w: power.get(s.validator) ?? 0 }))
    .sort((a, b) => a.t - b.t);
  let total = 0;
  for (const s of stamped) total += s.w;
  let acc = 0;
  for (const s of stamped) {
    acc += s.w;
    if (acc * 2 >= total) return s.t;
  }
  return stamped.at(-1)?.t ?? 0;
}
