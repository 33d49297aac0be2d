import type { ProofBundle, VerifiedProof } from "@weft/core";
import { verifyProof } from "@weft/core";
import type { Command } from "commander";
import { parseTxHash } from "../args.js";
import { type CliIo, contextOf } from "../context.js";
import { CliError, usage } from "../errors.js";
import { writeJson } from "../files.js";
import { renderVerified } from "../proof-check.js";

interface ProofFlags {
  state?: string;
  out?: string;
  verify: boolean;
}

export function registerProof(program: Command, io: CliIo): void {
  program
    .command("proof")
    .description("save a proof bundle that anyone with genesis.json can check (weft verify-proof)")
    .argument("[tx-hash]", "a committed transaction")
    .option("--state <key>", "prove a state key's current value instead")
    .option("--out <file>", "where to write (default: <tx-hash>.proof.json or state-<key>.proof.json)")
    .option("--no-verify", "save without first checking the bundle against <home>/genesis.json")
    .action(async (hash: string | undefined, flags: ProofFlags, command: Command) => {
      const ctx = contextOf(command, io);
      if ((hash === undefined) === (flags.state === undefined))
        throw usage("give either a transaction hash or --state <key>");
      // When the home has a genesis, a bundle that does not verify against it is not saved.
      const genesis = flags.verify && ctx.isInitialised() ? ctx.genesis() : undefined;
      const client = ctx.client();
      let bundle: ProofBundle;
      let out: string;
      if (hash !== undefined) {
        bundle = await client.txProof(parseTxHash(hash));
        out = flags.out ?? `${hash}.proof.json`;
      } else {
        const key = flags.state ?? "";
        const answer = await client.getState(key, { prove: true });
        if (!answer.proof)
          throw new CliError({ code: "CLI_NO_PROOF", message: "the node sent no proof", exitCode: 1 });
        bundle = answer.proof;
        out = flags.out ?? `state-${key.replace(/[^A-Za-z0-9._-]+/g, "_")}.proof.json`;
      }
      const verified: VerifiedProof | undefined = genesis ? verifyProof(bundle, genesis) : undefined;
      const path = ctx.resolvePath(out);
      writeJson(path, bundle);
      const report = { path, kind: bundle.kind, height: bundle.header.height, verified: verified ?? null };
      ctx.out.result(report, (r) => [
        `wrote ${r.path} (${r.kind}, block ${r.height})`,
        r.verified
          ? renderVerified(r.verified)
          : "proof: not checked (no genesis.json in the home, or --no-verify)",
      ]);
    });
}
