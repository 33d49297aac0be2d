import { canonicalString, type ProofBundle, ProofError, type VerifiedProof } from "@weft/core";
import { SdkError, verifyProofJson } from "@weft/sdk";
import type { Command } from "commander";
import type { CliIo } from "../context.js";
import { contextOf } from "../context.js";
import { CliError } from "../errors.js";
import { readInput } from "../files.js";

export function registerVerifyProof(program: Command, io: CliIo): void {
  program
    .command("verify-proof")
    .description("check a proof bundle offline against a genesis file (no node, no home)")
    .argument("<file>", "proof bundle (from `weft proof` or GET /v1/proofs/...)")
    .requiredOption("--genesis <file>", "the genesis.json you trust")
    .action((file: string, flags: { genesis: string }, command: Command) => {
      const ctx = contextOf(command, io);
      const bundleText = readInput(ctx.resolvePath(file), "proof file");
      const genesisText = readInput(ctx.resolvePath(flags.genesis), "genesis file");
      let verified: VerifiedProof;
      try {
        verified = verifyProofJson(bundleText, genesisText);
      } catch (e) {
        if (e instanceof ProofError) {
          const { code, part } = e.type;
          ctx.out.result(
            { valid: false, code, part, reason: e.message },
            (r) => `invalid: ${r.part}: ${r.reason}`,
          );
        }
        throw inputError(e, file, flags.genesis);
      }
      const details = describe(JSON.parse(bundleText) as ProofBundle);
      ctx.out.result({ valid: true, ...verified, ...details }, (r) => [
        `valid: ${r.kind} at height ${r.height} of chain ${r.chainId} (block ${r.blockHash})`,
        r.summary,
      ]);
    });
}

/** What the bundle proves, in one line (and as fields for --json). */
function describe(bundle: ProofBundle): { subject: string; summary: string } {
  if (bundle.kind === "weft.proof.state/v1") {
    const value = bundle.value === null ? "(absent)" : canonicalString(bundle.value);
    return { subject: bundle.key, summary: `state ${bundle.key} = ${value}` };
  }
  const { entry } = bundle.receipt;
  const { module, method } = bundle.tx.body;
  const result = entry.status === "ok" ? "ok" : `failed (${entry.error?.code ?? "no code"})`;
  return { subject: entry.txHash, summary: `tx ${entry.txHash} ${module}.${method}: ${result}` };
}

/** Unreadable input is the caller's mistake (exit 2), named by file; a proof that fails stays as is (exit 1). */
function inputError(e: unknown, proofFile: string, genesisFile: string): unknown {
  if (!(e instanceof SdkError)) return e;
  const file =
    e.code === "SDK_INVALID_GENESIS" || e.type.input === "genesis"
      ? `genesis file ${genesisFile}`
      : `proof file ${proofFile}`;
  const reason = e.message.replace(/^(proof|genesis): /, "");
  return new CliError({ code: "CLI_BAD_INPUT", message: `${file} is not usable: ${reason}`, exitCode: 2 });
}
