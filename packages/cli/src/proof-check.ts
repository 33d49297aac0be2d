import {
  type CanonicalValue,
  canonicalString,
  type Genesis,
  ProofError,
  type VerifiedProof,
  verifyProof,
} from "@weft/core";
import type { QueryResult } from "@weft/sdk";
import { CliError } from "./errors.js";

/**
 * Checks a `prove=true` answer against the home's genesis: the bundle must verify, and it must
 * prove this very answer (same key; same value, where a query's default stands in for absence).
 * Throws ProofError (exit 1) otherwise.
 */
export function checkAnswerProof(
  result: QueryResult,
  genesis: Genesis,
  absent?: CanonicalValue,
): VerifiedProof {
  const { proof } = result;
  if (!proof) throw new CliError({ code: "CLI_NO_PROOF", message: "the node sent no proof", exitCode: 1 });
  const verified = verifyProof(proof, genesis);
  const mismatch = (message: string) =>
    new ProofError({ code: "PROOF_RECORD_MISMATCH", part: "record", message });
  if (proof.key !== result.key)
    throw mismatch(`the proof is for key ${proof.key}, the answer for ${result.key}`);
  const proven = proof.value ?? absent ?? null;
  if (canonicalString(proven) !== canonicalString(result.value)) {
    throw mismatch(`the proof shows ${canonicalString(proven)}, the answer ${canonicalString(result.value)}`);
  }
  if (proof.header.height !== result.height) {
    throw mismatch(`the proof is at height ${proof.header.height}, the answer at ${result.height}`);
  }
  return verified;
}

export const renderVerified = (v: VerifiedProof): string => `proof: valid (block ${v.height})`;
