import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { Command } from "commander";
import { portOption } from "../args.js";
import { CliContext, type CliIo, type GlobalOptions, resolveUrl } from "../context.js";
import { startNode } from "../node-runner.js";
import { initialise, renderInit } from "./init.js";
import { announce, configOf, logLevelOption, type NodeFlags, runUntilSignal } from "./start.js";

export const DEV_HOME = ".weft-dev";

const DEV_CHAIN = {
  chainId: "weft-dev",
  accounts: ["alice", "bob"],
  // 1,000,000.00 WEFT each, in hundredths.
  asset: { id: "WEFT", name: "Weft dev token", decimals: 2, supplyPerAccount: "100000000" },
};

export function registerDev(program: Command, io: CliIo): void {
  program
    .command("dev")
    .description(`local development chain: creates ./${DEV_HOME} (or --home) on first run, then starts it`)
    .option("--port <n>", "API port", portOption)
    .option("--host <host>", "API listen address")
    .addOption(logLevelOption())
    .action(async (flags: NodeFlags, command: Command) => {
      // --home is global; without it dev uses its own home, not $WEFT_HOME, so `npm start` is predictable.
      const options = command.optsWithGlobals<GlobalOptions>();
      const ctx = new CliContext(io, { ...options, home: options.home ?? DEV_HOME });
      if (ctx.isInitialised()) ctx.out.note(`reusing ${ctx.home}`);
      else ctx.out.record(initialise(ctx, DEV_CHAIN), renderInit);
      // Quiet by default: the node logs JSON lines, which would bury the URLs below.
      const running = await startNode(ctx, configOf(flags), { log: { level: "warn" } });
      announce(ctx, running.node);
      ctx.out.note(...tryThis(ctx, running.node.url ?? ""));
      await runUntilSignal(ctx, running);
    });
}

/** First commands to paste, with --url only when the default would not find this node. */
function tryThis(ctx: CliContext, url: string): string[] {
  const urlFlag = url === resolveUrl(undefined, ctx.io, ctx.config()) ? "" : ` --url ${url}`;
  const weft = `npx weft --home ${ctx.shownHome()}${urlFlag}`;
  const bob = addressIn(join(ctx.paths.keys, "bob.json"));
  if (!bob) return ["try:", `  ${weft} keys list`, `  ${weft} query block latest`];
  return [
    "try:",
    `  ${weft} tx transfer --from alice --asset WEFT --to ${bob} --amount 100 --wait`,
    `  ${weft} query balance WEFT ${bob} --prove`,
  ];
}

function addressIn(path: string): string | undefined {
  if (!existsSync(path)) return undefined;
  try {
    const address = (JSON.parse(readFileSync(path, "utf8")) as { address?: unknown }).address;
    return typeof address === "string" ? address : undefined;
  } catch {
    return undefined;
  }
}
