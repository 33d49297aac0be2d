import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ProofError,
  parseGenesis,
  SdkError,
  verifyProof,
  verifyProofJson,
  WeftError,
} from "../../src/index.js";
import { validTxProof } from "./proof-fixture.js";

function errorOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return e;
  }
  throw new Error("expected a failure");
}

describe("verifyProofJson", () => {
  const { genesis, bundle } = validTxProof();
  const genesisText = JSON.stringify(genesis);
  const bundleText = JSON.stringify(bundle);

  it("verifies a valid transaction proof from text, as verifyProof does from objects", () => {
    const verified = verifyProofJson(bundleText, genesisText);
    expect(verified).toEqual({
      kind: "weft.proof.tx/v1",
      chainId: "proof-chain",
      height: 1,
      blockHash: bundle.commit.blockHash,
    });
    expect(verifyProof(bundle, genesis)).toEqual(verified);
  });

  it("gives a typed error for malformed proof JSON", () => {
    const e = errorOf(() => verifyProofJson('{"kind": ', genesisText));
    expect(e).toBeInstanceOf(SdkError);
    expect((e as SdkError).code).toBe("SDK_INVALID_JSON");
    expect((e as SdkError).type.input).toBe("proof");
  });

  it("gives a typed error for a malformed or unusable genesis", () => {
    const bad = errorOf(() => verifyProofJson(bundleText, "not json")) as SdkError;
    expect([bad.code, bad.type.input]).toEqual(["SDK_INVALID_JSON", "genesis"]);
    for (const g of [
      "[]",
      "null",
      JSON.stringify({ ...genesis, validators: "all of them" }),
      JSON.stringify({ ...genesis, validators: [{ name: "v" }] }),
      JSON.stringify({ ...genesis, genesisTime: 1.5 }),
      JSON.stringify({ ...genesis, appState: { token: { rate: 0.5 } } }),
    ]) {
      expect((errorOf(() => verifyProofJson(bundleText, g)) as SdkError).code).toBe("SDK_INVALID_GENESIS");
    }
    expect(parseGenesis(genesisText)).toEqual(genesis);
  });

  it("reports a bundle that is not a proof as PROOF_MALFORMED", () => {
    const e = errorOf(() => verifyProofJson("{}", genesisText));
    expect(e).toBeInstanceOf(ProofError);
    expect((e as ProofError).code).toBe("PROOF_MALFORMED");
  });

  it("rejects a forged record and a foreign genesis", () => {
    const forged = structuredClone(bundle);
    forged.receipt.entry.status = "failed";
    expect((errorOf(() => verifyProofJson(JSON.stringify(forged), genesisText)) as ProofError).code).toBe(
      "PROOF_BAD_PATH",
    );
    const other = validTxProof().genesis;
    expect((errorOf(() => verifyProofJson(bundleText, JSON.stringify(other))) as ProofError).code).toBe(
      "PROOF_WRONG_GENESIS",
    );
  });

  it("throws only WeftErrors, whatever the input", () => {
    const text = fc.oneof(
      fc.string(),
      fc.json(),
      fc.constantFrom(bundleText, genesisText, "{}", "[]", "null", "1e999"),
      // Valid JSON with one field of the real bundle or genesis replaced by junk.
      fc.tuple(fc.constantFrom(bundle as object, genesis as object), fc.jsonValue()).map(([base, junk]) => {
        const keys = Object.keys(base);
        const copy: Record<string, unknown> = { ...base };
        copy[keys[JSON.stringify(junk).length % keys.length] as string] = junk;
        return JSON.stringify(copy);
      }),
    );
    fc.assert(
      fc.property(text, text, (proof, gen) => {
        try {
          verifyProofJson(proof, gen);
        } catch (e) {
          if (!(e instanceof WeftError)) throw e;
        }
      }),
      { numRuns: 300 },
    );
  });
});
