import { isWeftError, ProofError, parseJson, type VerifiedProof, verifyProof } from "@weft/core";
import { SdkError } from "./errors.js";
import { parseGenesis } from "./genesis.js";

export type { ProofBundle, StateProofBundle, TxProofBundle, ValidatorSetChange } from "@weft/core";
export { ProofError, type VerifiedProof, verifyProof } from "@weft/core";

/**
 * Offline verification from text, as a browser page or the CLI has it: a proof bundle checked
 * against the genesis the caller trusts. Throws only WeftErrors: SdkError (SDK_INVALID_JSON,
 * SDK_INVALID_GENESIS) for unreadable input, ProofError for a proof that does not hold.
 */
export function verifyProofJson(text: string, genesisText: string): VerifiedProof {
  const genesis = parseGenesis(genesisText);
  let bundle: unknown;
  try {
    bundle = parseJson(text);
  } catch (e) {
    throw new SdkError({
      code: "SDK_INVALID_JSON",
      message: `proof: ${(e as Error).message}`,
      input: "proof",
    });
  }
  try {
    return verifyProof(bundle, genesis);
  } catch (e) {
    if (isWeftError(e)) throw e;
    // verifyProof checks the bundle's shape first; anything else slipping through is still a bad bundle.
    throw new ProofError({
      code: "PROOF_MALFORMED",
      part: "bundle",
      message: `proof rejected: ${String(e)}`,
    });
  }
}
