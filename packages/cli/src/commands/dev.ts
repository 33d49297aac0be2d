import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { homePaths } from "@weft/node";
import type { Command } from "commander";
import { integerOption, portOption } from "../args.js";
import type { NodeConfig } from "../config.js";
import { CliContext, type CliIo, type GlobalOptions, localUrl, resolveUrl } from "../context.js";
import { CliError, usage } from "../errors.js";
import { columns } from "../format.js";
import { DEFAULT_NETWORK_API_PORT, DEFAULT_PEER_PORT, orgNames, parseOrgs, readPeers } from "../network.js";
import { type RunningNode, startNode } from "../node-runner.js";
import { initialise, initialiseNetwork, networkOptions, renderInit, renderNetworkInit } from "./init.js";
import {
  announce,
  configOf,
  describeNode,
  logLevelOption,
  type NodeAnnouncement,
  type NodeFlags,
  runUntilSignal,
} from "./start.js";

export const DEV_HOME = ".weft-dev";

/**
 * `weft dev --orgs N` without --home: a network folder inside the dev home, one per size, so a
 * single-node `.weft-dev` from before stays as it is (and `.weft-dev` stays the one folder that
 * git and the linter ignore).
 */
export const devNetworkHome = (orgs: number): string => join(DEV_HOME, `${orgs}orgs`);

const DEV_CHAIN = {
  chainId: "weft-dev",
  accounts: ["alice", "bob"],
  // 1,000,000.00 WEFT each, in hundredths.
  asset: { id: "WEFT", name: "Weft dev token", decimals: 2, supplyPerAccount: "100000000" },
};

// Quiet by default: the nodes log JSON lines, which would bury the URLs. Peers listen on
// loopback only (a deployed node listens on every interface: see docs/DEPLOY.md).
const DEV_NODE_DEFAULTS: NodeConfig = { log: { level: "warn" } };
const DEV_NETWORK_DEFAULTS: NodeConfig = {
  log: { level: "warn" },
  p2p: { host: "127.0.0.1" },
  mempool: { verifyThreads: 1 },
};

interface DevFlags extends NodeFlags {
  orgs?: string[];
  apiPort?: number;
  peerPort?: number;
}

export function registerDev(program: Command, io: CliIo): void {
  program
    .command("dev")
    .description(
      `local development chain: creates ./${DEV_HOME} (or --home) on first run, then starts it; ` +
        `with --orgs N, a network of N organisations in ./${DEV_HOME}/<N>orgs ` +
        "whose nodes all run in this process (BFT over loopback TLS)",
    )
    .option("--port <n>", "API port (single node)", portOption)
    .option("--host <host>", "API listen address (single node)")
    .option("--orgs <n|names>", "run a network of organisations (created on first run)", parseOrgs)
    .option(
      "--api-port <n>",
      `with --orgs: API port of the first node, the others count up (default ${DEFAULT_NETWORK_API_PORT})`,
      integerOption("--api-port", 1, 65_535),
    )
    .option(
      "--peer-port <n>",
      `with --orgs, on first run: peer port of the first node, the others count up (default ${DEFAULT_PEER_PORT})`,
      integerOption("--peer-port", 1, 65_535),
    )
    .addOption(logLevelOption())
    .action(async (flags: DevFlags, command: Command) => {
      // --home is global; without it dev uses its own home, not $WEFT_HOME, so `npm start` is predictable.
      const options = command.optsWithGlobals<GlobalOptions>();
      if (options.node !== undefined)
        throw usage(
          "weft dev runs every organisation's node; --node picks one for start, tx, query and others",
        );
      const home = options.home ?? (flags.orgs ? devNetworkHome(flags.orgs.length) : DEV_HOME);
      const ctx = new CliContext(io, { ...options, home });
      if (flags.orgs !== undefined || ctx.isNetworkRoot()) return runNetwork(ctx, flags);
      if (flags.apiPort !== undefined || flags.peerPort !== undefined)
        throw usage("--api-port and --peer-port are for a network: add --orgs <n|names>, or use --port");
      if (ctx.isInitialised()) ctx.out.note(`reusing ${ctx.home}`);
      else ctx.out.record(initialise(ctx, DEV_CHAIN), renderInit);
      const running = await startNode(ctx, configOf(flags), DEV_NODE_DEFAULTS);
      announce(ctx, running);
      ctx.out.note(...tryThis(ctx, running.node.url ?? ""));
      await runUntilSignal(ctx, running);
    });
}

/** Every organisation's node of the network folder `ctx.home`, in this process (creating it first if needed). */
async function runNetwork(ctx: CliContext, flags: DevFlags): Promise<void> {
  if (flags.port !== undefined || flags.host !== undefined) {
    throw usage(
      "--port and --host are for a single node; a dev network's APIs listen on 127.0.0.1 from --api-port",
    );
  }
  const shown = ctx.shownHome();
  if (ctx.isNetworkRoot()) {
    const existing = orgNames(ctx.home);
    if (flags.orgs && flags.orgs.join(",") !== existing.join(",")) {
      throw mismatch(`${shown} holds a network of ${existing.join(", ")}, not of ${flags.orgs.join(", ")}`);
    }
    const firstPeerPort = readPeers(ctx.home)[0]?.port;
    if (flags.peerPort !== undefined && flags.peerPort !== firstPeerPort) {
      throw usage(
        `--peer-port: peer ports are fixed in ${shown}/network.json when the network is made (first: ${firstPeerPort})`,
      );
    }
    ctx.out.note(`reusing ${shown} (${existing.length} organisations)`);
  } else if (ctx.isInitialised() || existsSync(ctx.paths.network)) {
    throw mismatch(`${shown} holds a single node's chain, not a network`);
  } else {
    // Only reached with --orgs: without it, a folder that is no network runs a single node.
    const orgs = flags.orgs ?? [];
    const options = networkOptions(DEV_CHAIN, orgs, { peerPort: flags.peerPort, apiPort: flags.apiPort });
    ctx.out.record(await initialiseNetwork(ctx, options), renderNetworkInit);
  }
  const root = ctx.home;
  const orgs = orgNames(root);
  const missing = orgs.filter((org) => !existsSync(homePaths(join(root, org)).nodeKey));
  if (missing.length > 0) {
    throw new CliError({
      code: "CLI_UNKNOWN_NODE",
      message: `weft dev runs every organisation's node, but ${root} has no node home for ${missing.join(", ")}`,
      exitCode: 2,
    });
  }
  if (flags.apiPort !== undefined && flags.apiPort + orgs.length - 1 > 65_535)
    throw usage(`--api-port must be at most ${65_536 - orgs.length} for ${orgs.length} organisations`);

  const running: { org: string; ctx: CliContext; node: RunningNode }[] = [];
  try {
    for (const [i, org] of orgs.entries()) {
      const nodeCtx = new CliContext(ctx.io, { ...ctx.options, home: join(root, org), node: undefined });
      const overrides: NodeConfig = {
        api: { port: flags.apiPort === undefined ? undefined : flags.apiPort + i },
        log: { level: flags.logLevel },
      };
      running.push({ org, ctx: nodeCtx, node: await startNode(nodeCtx, overrides, DEV_NETWORK_DEFAULTS) });
    }
  } catch (e) {
    await Promise.all(running.map((r) => r.node.stop().catch(() => undefined)));
    throw e;
  }
  const nodes = running.map((r) => describeNode(r.ctx, r.node));
  const accounts = accountsIn(ctx.keysDir);
  ctx.out.record({ home: root, chainId: nodes[0]?.chainId ?? "", nodes, accounts }, (r) =>
    renderNetwork(r, shown),
  );
  ctx.out.note(...tryNetwork(shown, running, accounts));
  const all = {
    async stop() {
      await Promise.all(running.map((r) => r.node.stop()));
    },
  };
  await runUntilSignal(ctx, all, `${running.length} nodes`);
}

const mismatch = (what: string): CliError =>
  new CliError({
    code: "CLI_NETWORK_MISMATCH",
    message: `${what}: pass --home <another folder> for this network, or move the folder away`,
    exitCode: 2,
  });

function renderNetwork(
  r: { chainId: string; nodes: NodeAnnouncement[]; accounts: { name: string; address: string }[] },
  home: string,
): string[] {
  const height = Math.max(0, ...r.nodes.map((n) => n.height));
  const rows = [
    ["org", "node id", "API", "peer port", "validator"],
    ...r.nodes.map((n) => [
      n.network?.org ?? basename(n.home),
      n.network?.nodeId ?? "",
      n.url,
      n.network?.listen.split(":").at(-1) ?? "",
      n.network?.validator ?? "",
    ]),
  ];
  return [
    `weft dev network: ${r.nodes.length} organisations in ${home}, BFT consensus over mutual TLS on 127.0.0.1 (chain ${r.chainId}, height ${height})`,
    ...columns(rows).map((line) => `  ${line}`),
    `every node serves its API docs at <API>/docs; accounts (keys in ${home}/keys):`,
    ...columns(r.accounts.map((a) => [a.name, a.address])).map((line) => `  ${line}`),
  ];
}

/** First commands to paste: a transfer through the first node, the balance read from another. */
function tryNetwork(
  home: string,
  running: { org: string; ctx: CliContext; node: RunningNode }[],
  accounts: { name: string }[],
): string[] {
  const names = accounts.map((a) => a.name);
  const [from, to] = names.includes("alice") && names.includes("bob") ? ["alice", "bob"] : names;
  const first = running[0];
  const other = running[Math.min(2, running.length - 1)];
  if (!first || !other || from === undefined || to === undefined) return [];
  // --node finds a node through its config.json; an --api-port override needs --url instead.
  const target = (r: { org: string; ctx: CliContext; node: RunningNode }) =>
    r.node.node.url === localUrl(r.ctx.config()) ? `--node ${r.org}` : `--url ${r.node.node.url}`;
  const weft = `npx weft --home ${home}`;
  return [
    "try (send through one node, read from another):",
    `  ${weft} tx transfer ${target(first)} --from ${from} --asset WEFT --to ${to} --amount 100 --wait`,
    `  ${weft} query balance WEFT ${to} ${target(other)} --prove`,
  ];
}

function accountsIn(dir: string): { name: string; address: string }[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json") && !f.startsWith("."))
    .sort()
    .flatMap((f) => {
      const address = addressIn(join(dir, f));
      return address ? [{ name: basename(f, ".json"), address }] : [];
    });
}

/** First commands to paste, with --url only when the default would not find this node. */
function tryThis(ctx: CliContext, url: string): string[] {
  const urlFlag = url === resolveUrl(undefined, ctx.io, ctx.config()) ? "" : ` --url ${url}`;
  const weft = `npx weft --home ${ctx.shownHome()}${urlFlag}`;
  const bob = addressIn(join(ctx.keysDir, "bob.json"));
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
