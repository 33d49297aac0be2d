import type { NodeNetwork } from "@weft/node";
import { type Command, Option } from "commander";
import { integerOption, portOption } from "../args.js";
import { LOG_LEVELS, type NodeConfig } from "../config.js";
import { type CliContext, type CliIo, contextOf } from "../context.js";
import { type RunningNode, type Stoppable, startNode, stopOnSignal } from "../node-runner.js";

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
    .description(
      "run the home's node until SIGINT/SIGTERM (config: <home>/config.json, then these flags); " +
        "with network.json it joins its network (BFT); in a network folder pick the node with --node <org>",
    )
    .option("--port <n>", "API port (0: any free port)", portOption)
    .option("--host <host>", "API listen address")
    .option("--block-interval-ms <n>", "shortest time between blocks", integerOption("--block-interval-ms"))
    .addOption(logLevelOption())
    .action(async (flags: NodeFlags, command: Command) => {
      const ctx = contextOf(command, io);
      const running = await startNode(ctx, configOf(flags));
      announce(ctx, running);
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

export interface NodeAnnouncement {
  url: string;
  docs: string;
  chainId: string;
  height: number;
  home: string;
  engine: "solo" | "tendermint";
  network: PeerView | null;
}

/** Where a network node stands among its peers, as printed by `start` and `dev`. */
export interface PeerView {
  org: string;
  nodeId: string;
  validator: string;
  validators: number;
  /** Where this node listens for peers (mutual TLS). */
  listen: string;
  /** Peers this node connects to; the others connect to it. */
  dials: { id: string; address: string }[];
  accepts: { id: string; address: string }[];
}

export function describeNode(ctx: CliContext, running: RunningNode): NodeAnnouncement {
  const { node, network } = running;
  const url = node.url ?? "";
  return {
    url,
    docs: `${url}/docs`,
    chainId: node.service.chainId,
    height: node.store.head()?.height ?? 0,
    home: ctx.home,
    engine: node.consensus ? "tendermint" : "solo",
    network: network && node.consensus ? peerView(running, network) : null,
  };
}

function peerView({ node, genesis, validator }: RunningNode, network: NodeNetwork): PeerView {
  const self = network.nodeId;
  const nodes = network.config.orgs.flatMap((org) => org.nodes.map((n) => ({ org: org.name, ...n })));
  const own = nodes.find((n) => n.id === self);
  const others = nodes
    .filter((n) => n.id !== self)
    .map((n) => ({ id: n.id, address: `${n.host}:${n.port}` }));
  const port = node.p2p?.listenPort ?? own?.port ?? 0;
  return {
    org: own?.org ?? "",
    nodeId: self,
    validator,
    validators: genesis.validators.length,
    listen: `${node.options.p2p.host}:${port}`,
    // Each pair connects once: the node whose id sorts lower dials (packages/p2p/src/host.ts).
    dials: others.filter((p) => self < p.id),
    accepts: others.filter((p) => p.id < self),
  };
}

export function announce(ctx: CliContext, running: RunningNode): void {
  ctx.out.record(describeNode(ctx, running), renderNode);
}

export function renderNode(i: NodeAnnouncement): string[] {
  const lines = [
    `weft node for chain ${i.chainId} (home ${i.home}, height ${i.height})`,
    `API:  ${i.url}`,
    `docs: ${i.docs}`,
  ];
  const n = i.network;
  if (!n) return lines;
  const list = (peers: { id: string; address: string }[]) =>
    peers.length === 0 ? "none" : peers.map((p) => `${p.id} (${p.address})`).join(", ");
  return [
    ...lines,
    `node: ${n.nodeId} of ${n.org}, validator ${n.validator} (BFT consensus, ${n.validators} validators)`,
    `peers: listening on ${n.listen} (mutual TLS)`,
    `  dials:   ${list(n.dials)}`,
    `  accepts: ${list(n.accepts)}`,
  ];
}

export async function runUntilSignal(ctx: CliContext, running: Stoppable, what = "node"): Promise<void> {
  ctx.out.note("stop with Ctrl-C (SIGINT) or SIGTERM");
  await stopOnSignal(running, (signal) => ctx.out.note(`${signal}: stopping...`));
  ctx.out.note(`${what} stopped`);
}
