import type { CanonicalValue } from "@weft/core";
import { tokenCall } from "@weft/sdk";
import { type Command, Option } from "commander";
import { resolveAddress } from "../accounts.js";
import { integerOption, parseJsonObject } from "../args.js";
import { type CliContext, type CliIo, contextOf } from "../context.js";
import { type SubmitFlags, submitCall } from "../tx-submit.js";

type Action<F> = (ctx: CliContext, flags: F & SubmitFlags) => Promise<void>;

export function registerTx(program: Command, io: CliIo): void {
  const tx = program
    .command("tx")
    .description("sign and submit transactions (amounts are in the asset's smallest unit)");

  /** A tx subcommand with the shared flags; `action` gets the context and all flags. */
  const command = <F>(name: string, description: string, action: Action<F>): Command =>
    tx
      .command(name)
      .description(description)
      .requiredOption("--from <key>", "signer: a key name in <home>/keys, or a key file path")
      .option("--wait", "wait until committed and print the receipt (exit 1 if the tx failed)")
      .option("--timeout-ms <n>", "how long --wait waits (default 30000)", integerOption("--timeout-ms", 1))
      .option("--memo <text>", "memo stored with the transaction")
      .action(async (flags: F & SubmitFlags, cmd: Command) => action(contextOf(cmd, io), flags));

  command<{ module: string; method: string; args: string }>("send", "any module call", (ctx, f) =>
    submitCall(ctx, f, { module: f.module, method: f.method, args: jsonArgs(f.args) }),
  )
    .requiredOption("--module <name>", "module, e.g. token")
    .requiredOption("--method <name>", "method, e.g. transfer")
    .option("--args <json>", "arguments as a JSON object", "{}");

  command<{ asset: string; name: string; decimals: number; maxSupply?: string }>(
    "create-asset",
    "create an asset; the signer becomes its issuer",
    (ctx, f) =>
      submitCall(
        ctx,
        f,
        tokenCall.createAsset({ asset: f.asset, name: f.name, decimals: f.decimals, maxSupply: f.maxSupply }),
      ),
  )
    .requiredOption("--asset <id>", "asset symbol, e.g. BOLT")
    .requiredOption("--name <name>", "display name")
    .addOption(
      new Option("--decimals <n>", "decimal places for display")
        .argParser(integerOption("--decimals", 0, 36))
        .makeOptionMandatory(),
    )
    .option("--max-supply <units>", "cap on the supply (default: none)");

  command<{ asset: string; to: string; amount: string }>(
    "mint",
    "create units for an account (issuer only)",
    async (ctx, f) =>
      submitCall(
        ctx,
        f,
        tokenCall.mint({ asset: f.asset, to: await resolveAddress(ctx, f.to, "--to"), amount: f.amount }),
      ),
  )
    .requiredOption("--asset <id>", "asset symbol")
    .requiredOption("--to <account>", "recipient: an address or a key name")
    .requiredOption("--amount <units>", "amount in the smallest unit");

  command<{ asset: string; amount: string }>("burn", "destroy units from the signer's balance", (ctx, f) =>
    submitCall(ctx, f, tokenCall.burn({ asset: f.asset, amount: f.amount })),
  )
    .requiredOption("--asset <id>", "asset symbol")
    .requiredOption("--amount <units>", "amount in the smallest unit");

  command<{ asset: string; to: string; amount: string }>(
    "transfer",
    "move units to another account",
    async (ctx, f) =>
      submitCall(
        ctx,
        f,
        tokenCall.transfer({ asset: f.asset, to: await resolveAddress(ctx, f.to, "--to"), amount: f.amount }),
      ),
  )
    .requiredOption("--asset <id>", "asset symbol")
    .requiredOption("--to <account>", "recipient: an address or a key name")
    .requiredOption("--amount <units>", "amount in the smallest unit");
}

// buildTx checks canonical-JSON compatibility (no floats, no nulls in odd places) with its own error.
const jsonArgs = (text: string) => parseJsonObject(text, "--args") as { [key: string]: CanonicalValue };
