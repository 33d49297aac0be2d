import { isEquivocation, type SignedVote, verifyVote } from "@weft/core";
import type { TxContext } from "../../app/module.js";
import { EvidenceError } from "./errors.js";

/**
 * Throws unless `a` and `b` prove that a validator of this chain double-signed at a height the
 * chain has reached. Cheap checks first; signatures last.
 */
export function checkDoubleSign(ctx: TxContext, a: SignedVote, b: SignedVote): void {
  for (const vote of [a, b]) {
    if (vote.chainId !== ctx.chainId) {
      throw new EvidenceError({
        code: "EVIDENCE_WRONG_CHAIN",
        message: `vote is for chain ${vote.chainId}, not ${ctx.chainId}`,
        chainId: vote.chainId,
      });
    }
  }
  if (!isEquivocation(a, b)) {
    const field = (["validator", "type", "height", "round"] as const).find((f) => a[f] !== b[f]);
    throw new EvidenceError({
      code: "EVIDENCE_NOT_EQUIVOCATION",
      message: field
        ? `the votes differ in ${field}; a double sign has the same validator, type, height and round`
        : "the votes have the same blockHash; a double sign is for different blocks",
      field: field ?? "blockHash",
    });
  }
  if (a.height > ctx.height) {
    throw new EvidenceError({
      code: "EVIDENCE_FUTURE_HEIGHT",
      message: `votes are for height ${a.height}, above the current height ${ctx.height}`,
      height: a.height,
    });
  }
  if (!ctx.validators.some((v) => v.address === a.validator)) {
    throw new EvidenceError({
      code: "EVIDENCE_UNKNOWN_VALIDATOR",
      message: `${a.validator} is not a validator of this chain`,
      validator: a.validator,
    });
  }
}

/** Signature checks, kept apart so a duplicate is refused before paying for them. */
export function checkSignatures(ctx: TxContext, a: SignedVote, b: SignedVote): void {
  for (const [name, vote] of [
    ["a", a],
    ["b", b],
  ] as const) {
    if (!verifyVote(vote, ctx.validators)) {
      throw new EvidenceError({
        code: "EVIDENCE_BAD_SIGNATURE",
        message: `vote ${name} is not signed by ${vote.validator}`,
        vote: name,
      });
    }
  }
}

/** Nil first, then by block hash: both submission orders give one record. */
export function orderVotes(a: SignedVote, b: SignedVote): [SignedVote, SignedVote] {
  if (a.blockHash === null) return [a, b];
  if (b.blockHash === null) return [b, a];
  return a.blockHash < b.blockHash ? [a, b] : [b, a];
}
