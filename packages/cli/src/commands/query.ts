import type { VerifiedProof } from "@weft/core";
import type { QueryResult } from "@weft/sdk";
import type { Command } from "commander";
import { resolveAddress } from "../accounts.js";
import { integerOption, parseBlockRef, parseTxHash } from "../args.js";
import { type CliContext, type CliIo, contextOf } from "../context.js";
import { CliError, usage } from "../errors.js";
import { formatUnits, renderBlock, renderTxStatus, showValue } from "../format.js";
import { checkAnswerProof, renderVerified } from "../proof-check.js";

interface ProveFlag {
  prove?: boolean;
}

/** A state answer, with what its proof established when --prove was given. */
type Answer = QueryResult & { verified?: VerifiedProof };

export function registerQuery(program: Command, io: CliIo): void {
  const query = program
    .command("query")
    .description("read the chain (--prove: check the answer against <home>/genesis.json)");

  query
    .command("balance")
    .description("an account's balance of an asset, in the smallest unit")
    .argument("<asset>", "asset symbol")
    .argument("<account>", "an address or a key name")
    .option("--prove", "verify a proof of the balance locally")
    .action(async (asset: string, account: string, flags: ProveFlag, command: Command) => {
      const ctx = contextOf(command, io);
      const prove = prover(ctx, flags);
      const address = await resolveAddress(ctx, account, "account");
      const client = ctx.client();
      const [result, definition] = await Promise.all([
        client.balance(asset, address, { prove: flags.prove }),
        client.asset(asset).catch(() => undefined),
      ]);
      // An absent balance is proven by a proof of absence: the query's "0".
      const answer = prove(result, "0");
      const decimals = (definition?.value as { decimals?: unknown } | null | undefined)?.decimals;
      ctx.out.result({ asset, address, ...answer }, (a) => {
        const units = typeof a.value === "string" ? a.value : showValue(a.value);
        const shown =
          typeof decimals === "number" && decimals > 0 ? ` (${formatUnits(units, decimals)} ${asset})` : "";
        return [`${asset} balance of ${address}: ${units}${shown}`, `height: ${a.height}`, ...proofLines(a)];
      });
    });

  query
    .command("asset")
    .description("an asset's issuer, decimals, supply and cap")
    .argument("<asset>", "asset symbol")
    .option("--prove", "verify a proof of the asset record locally")
    .action(async (asset: string, flags: ProveFlag, command: Command) => {
      const ctx = contextOf(command, io);
      const prove = prover(ctx, flags);
      const answer = prove(await ctx.client().query("token", "asset", { asset }, { prove: flags.prove }));
      if (answer.value === null) {
        const proven = answer.verified ? ` (proven absent at block ${answer.verified.height})` : "";
        throw new CliError({
          code: "CLI_NOT_FOUND",
          message: `asset ${asset} does not exist${proven}`,
          exitCode: 1,
        });
      }
      ctx.out.result(answer, (a) => [
        `${a.key} = ${showValue(a.value)}`,
        `height: ${a.height}`,
        ...proofLines(a),
      ]);
    });

  query
    .command("state")
    .description("a raw state key, e.g. token/balance/WEFT/<address>")
    .argument("<key>", "state key")
    .option("--height <n>", "read the value as of an earlier block", integerOption("--height"))
    .option("--prove", "verify a proof of the value locally (latest height only)")
    .action(async (key: string, flags: ProveFlag & { height?: number }, command: Command) => {
      const ctx = contextOf(command, io);
      if (flags.prove && flags.height !== undefined)
        throw usage("--prove reads the latest height; drop --height");
      const prove = prover(ctx, flags);
      const answer = prove(await ctx.client().getState(key, { height: flags.height, prove: flags.prove }));
      ctx.out.result(answer, (a) => [
        `${a.key} = ${showValue(a.value)}`,
        `height: ${a.height}`,
        ...proofLines(a),
      ]);
    });

  query
    .command("tx")
    .description("a transaction's status, receipt and events")
    .argument("<hash>", "transaction hash")
    .action(async (hash: string, _flags: unknown, command: Command) => {
      const ctx = contextOf(command, io);
      ctx.out.result(await ctx.client().getTx(parseTxHash(hash)), renderTxStatus);
    });

  query
    .command("block")
    .description("a block with its commit certificate")
    .argument("[height]", "block height, or latest", "latest")
    .action(async (ref: string, _flags: unknown, command: Command) => {
      const ctx = contextOf(command, io);
      const height = parseBlockRef(ref);
      const client = ctx.client();
      ctx.out.result(
        await (height === undefined ? client.latestBlock() : client.getBlock(height)),
        renderBlock,
      );
    });
}

/**
 * With --prove, a checker of answers' proofs (ProofError, exit 1, when one does not hold). The
 * genesis is read first, so a home without one fails before anything is asked of the node.
 */
function prover(ctx: CliContext, flags: ProveFlag): (result: QueryResult, absent?: string) => Answer {
  if (!flags.prove) return (result) => result;
  const genesis = ctx.genesis();
  return (result, absent) => ({ ...result, verified: checkAnswerProof(result, genesis, absent) });
}

const proofLines = (a: Answer): string[] => (a.verified ? [renderVerified(a.verified)] : []);
