import type { WeftNode } from "@weft/node";
import { type Command, Option } from "commander";
import { integerOption, portOption } from "../args.js";
import { LOG_LEVELS, type NodeConfig } from "../config.js";
import { type CliContext, type CliIo, contextOf } from "../context.js";
import { type RunningNode, startNode, stopOnSignal } from "../node-runner.js";

export interface NodeFlags {
  port?: number;
  host?: string;
  blockIntervalMs?: number;
  logLevel?: NonNullable<NodeConfig["log"]>["level"];
}

export const logLevelOption = (): Option =>
  new Option("--log-level <level>", "node log level (logs are JSON lines)").choices(LOG_LEVELS);

export function registerStart(program: Command, io: CliIo): void {
  program
    .command("start")
    .description("run the home's node until SIGINT/SIGTERM (config: <home>/config.json, then these flags)")
    .option("--port <n>", "API port (0: any free port)", portOption)
    .option("--host <host>", "API listen address")
    .option("--block-interval-ms <n>", "shortest time between blocks", integerOption("--block-interval-ms"))
    .addOption(logLevelOption())
    .action(async (flags: NodeFlags, command: Command) => {
      const ctx = contextOf(command, io);
      const running = await startNode(ctx, configOf(flags));
      announce(ctx, running.node);
      await runUntilSignal(ctx, running);
    });
}

/** Flags as a config layer over config.json; unset flags leave it alone. */
export function configOf(flags: NodeFlags): NodeConfig {
  return {
    api: { port: flags.port, host: flags.host },
    consensus: { blockIntervalMs: flags.blockIntervalMs },
    log: { level: flags.logLevel },
  };
}

export function announce(ctx: CliContext, node: WeftNode): void {
  const url = node.url ?? "";
  const head = node.store.head();
  const info = {
    url,
    docs: `${url}/docs`,
    chainId: node.service.chainId,
    height: head?.height ?? 0,
    home: ctx.home,
  };
  ctx.out.record(info, (i) => [
    `weft node for chain ${i.chainId} (home ${i.home}, height ${i.height})`,
    `API:  ${i.url}`,
    `docs: ${i.docs}`,
  ]);
}

export async function runUntilSignal(ctx: CliContext, running: RunningNode): Promise<void> {
  ctx.out.note("stop with Ctrl-C (SIGINT) or SIGTERM");
  await stopOnSignal(running, (signal) => ctx.out.note(`${signal}: stopping...`));
  ctx.out.note("node stopped");
}
