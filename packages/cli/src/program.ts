import { readFileSync } from "node:fs";
import { Command } from "commander";
import { registerAudit } from "./commands/audit.js";
import { registerCert } from "./commands/cert.js";
import { registerDev } from "./commands/dev.js";
import { registerDevice } from "./commands/device.js";
import { registerEscrow } from "./commands/escrow.js";
import { registerInit } from "./commands/init.js";
import { registerKeys } from "./commands/keys.js";
import { registerMember } from "./commands/member.js";
import { registerOrg } from "./commands/org.js";
import { registerPolicy } from "./commands/policy.js";
import { registerProof } from "./commands/proof.js";
import { registerProposals } from "./commands/proposals.js";
import { registerPropose } from "./commands/propose.js";
import { registerQuery } from "./commands/query.js";
import { registerRebuild } from "./commands/rebuild.js";
import { registerStart } from "./commands/start.js";
import { registerToken } from "./commands/token.js";
import { registerTx } from "./commands/tx.js";
import { registerVerifyProof } from "./commands/verify-proof.js";
import { registerVote } from "./commands/vote.js";
import type { CliIo } from "./context.js";

// src/ and dist/ both sit next to package.json.
const { version } = JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as {
  version: string;
};

/** The `weft` command tree. Errors are thrown (exitOverride), never printed by commander. */
export function buildProgram(io: CliIo): Command {
  const program = new Command("weft")
    .description("Weft ledger: run a node, send transactions, read, prove and audit the chain")
    .version(version)
    .option("--home <dir>", "home folder (default: $WEFT_HOME, else ./.weft; `weft dev`: ./.weft-dev)")
    .option(
      "--url <url>",
      "node API (default: $WEFT_URL, else 127.0.0.1 at the port in <home>/config.json, else 8080)",
    )
    .option(
      "--node <org>",
      "in a network folder (weft init --orgs): use that organisation's node home <home>/<org> and its API",
    )
    .option("--json", "machine-readable output")
    // Subcommands copy these settings when created, so they must come first.
    .exitOverride()
    .showSuggestionAfterError()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: () => undefined,
    });
  for (const register of [
    registerInit,
    registerStart,
    registerDev,
    registerKeys,
    registerTx,
    registerQuery,
    registerProof,
    registerVerifyProof,
    registerAudit,
    registerRebuild,
    // Identity and governance of a permissioned network.
    registerOrg,
    registerMember,
    registerDevice,
    registerCert,
    registerPropose,
    registerVote,
    registerProposals,
    registerPolicy,
    registerToken,
    // Payment released by the shipment's records.
    registerEscrow,
  ]) {
    register(program, io);
  }
  return program;
}
