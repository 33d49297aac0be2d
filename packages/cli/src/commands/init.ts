import { existsSync, rmSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { addressOf, type KeyAlgorithm } from "@weft/core";
import { homePaths, type InitNetworkOptions, type InitOptions, initHome, initNetwork } from "@weft/node";
import { toAmount } from "@weft/sdk";
import { type Command, Option } from "commander";
import { integerOption, parseAssetId, parseChainId, parseNameList } from "../args.js";
import { type CliContext, type CliIo, contextOf, type GlobalOptions, localUrl } from "../context.js";
import { CliError, usage } from "../errors.js";
import { columns, formatUnits } from "../format.js";
import {
  checkPortRanges,
  DEFAULT_NETWORK_API_PORT,
  DEFAULT_NETWORK_HOST,
  DEFAULT_PEER_PORT,
  MAX_ORGS,
  orgNames,
  parseNetworkHost,
  parseOrgs,
} from "../network.js";
import { nodeRunning, runningNode } from "../node-lock.js";

interface InitFlags {
  chainId: string;
  accounts: string;
  asset: string | false;
  assetName?: string;
  decimals: number;
  supply: string;
  alg: KeyAlgorithm;
  force?: boolean;
  orgs?: string[];
  host?: string;
  peerPort?: number;
  apiPort?: number;
}

export interface InitReport {
  home: string;
  chainId: string;
  files: { genesis: string; nodeKey: string; config: string; keys: string; data: string };
  validator: string;
  asset: { id: string; decimals: number; supplyPerAccount: string } | null;
  accounts: { name: string; address: string; keyFile: string }[];
}

/** What `weft init --orgs` (and the first `weft dev --orgs`) made. */
export interface NetworkInitReport {
  home: string;
  chainId: string;
  files: { genesis: string; network: string; keys: string };
  orgs: {
    name: string;
    home: string;
    nodeId: string;
    validator: string;
    /** Where the other nodes dial it (network.json). */
    peerAddress: string;
    peerPort: number;
    apiPort: number;
    /** Its API as seen from its own machine. */
    url: string;
  }[];
  asset: InitReport["asset"];
  accounts: InitReport["accounts"];
}

export function registerInit(program: Command, io: CliIo): void {
  program
    .command("init")
    .description(
      "create a home: genesis with one validator, funded account keys; " +
        "with --orgs, a network folder: one node home per organisation (CA, TLS certificate, validator key)",
    )
    .option("--chain-id <id>", "chain id", "weft-local")
    .option("--accounts <names>", "comma-separated account names; the first issues the asset", "alice,bob")
    .option("--asset <id>", "genesis asset every account is funded with", "WEFT")
    .option("--no-asset", "no genesis asset")
    .option("--asset-name <name>", "the asset's display name (default: the id)")
    .option("--decimals <n>", "the asset's decimals", integerOption("--decimals", 0, 36), 2)
    .option("--supply <units>", "balance of each account, in the asset's smallest unit", "100000000")
    .addOption(new Option("--alg <alg>", "key algorithm").choices(["ed25519", "p256"]).default("ed25519"))
    .option(
      "--orgs <n|names>",
      `a network of organisations, one validator node each: a count (org1..orgN, at most ${MAX_ORGS}) or names a,b,c`,
      parseOrgs,
    )
    .option("--host <host>", `with --orgs: the address nodes are dialed at (default ${DEFAULT_NETWORK_HOST})`)
    .option(
      "--peer-port <n>",
      `with --orgs: the first node's peer (TLS) port; the others count up (default ${DEFAULT_PEER_PORT})`,
      integerOption("--peer-port", 1, 65_535),
    )
    .option(
      "--api-port <n>",
      `with --orgs: the first node's API port; the others count up (default ${DEFAULT_NETWORK_API_PORT})`,
      integerOption("--api-port", 1, 65_535),
    )
    .option("--force", "replace an existing chain or network in the home (its data is deleted)")
    .action(async (flags: InitFlags, command: Command) => {
      if (command.optsWithGlobals<GlobalOptions>().node !== undefined)
        throw usage("--node picks a node of an existing network; `weft init --orgs N` creates one");
      const ctx = contextOf(command, io);
      const options: InitOptions = {
        chainId: parseChainId(flags.chainId),
        accounts: parseNameList(flags.accounts, "--accounts"),
        keyAlg: flags.alg,
      };
      if (flags.asset !== false) {
        const id = parseAssetId(flags.asset, "--asset");
        const supplyPerAccount = toAmount(flags.supply, "--supply");
        options.asset = { id, name: flags.assetName ?? id, decimals: flags.decimals, supplyPerAccount };
      }
      if (flags.orgs === undefined) {
        const stray = [
          ["--host", flags.host],
          ["--peer-port", flags.peerPort],
          ["--api-port", flags.apiPort],
        ].find(([, v]) => v !== undefined);
        if (stray) throw usage(`${stray[0]} describes a network: add --orgs <n|names>`);
        ctx.out.result(initialise(ctx, options, flags.force === true), renderInit);
        ctx.out.note(`next: weft --home ${ctx.shownHome()} start`);
        return;
      }
      const network = networkOptions(options, flags.orgs, flags);
      ctx.out.result(await initialiseNetwork(ctx, network, flags.force === true), renderNetworkInit);
      ctx.out.note(...networkNextSteps(ctx.shownHome(), flags.orgs));
    });
}

/** Checks the network flags (before anything is written) and fills in their defaults. */
export function networkOptions(
  options: InitOptions,
  orgs: string[],
  flags: { host?: string; peerPort?: number; apiPort?: number },
): InitNetworkOptions {
  const host = parseNetworkHost(flags.host ?? DEFAULT_NETWORK_HOST);
  const basePeerPort = flags.peerPort ?? DEFAULT_PEER_PORT;
  const baseApiPort = flags.apiPort ?? DEFAULT_NETWORK_API_PORT;
  checkPortRanges(orgs.length, baseApiPort, basePeerPort);
  return { ...options, orgs, host, basePeerPort, baseApiPort };
}

/** `weft init` and the first `weft dev`: writes the home and describes it. */
export function initialise(ctx: CliContext, options: InitOptions, force = false): InitReport {
  const { paths } = ctx;
  if (ctx.isInitialised() || existsSync(paths.network)) {
    if (!force) throw homeExists(ctx);
    clearHome(ctx, options.accounts, []);
  }
  refuseExistingKeys(ctx, options.accounts);
  const { genesis, accounts } = initHome(ctx.home, options);
  return {
    home: ctx.home,
    chainId: genesis.chainId,
    files: {
      genesis: paths.genesis,
      nodeKey: paths.nodeKey,
      config: paths.config,
      keys: paths.keys,
      data: paths.data,
    },
    validator: genesis.validators[0]?.address ?? "",
    asset: options.asset
      ? {
          id: options.asset.id,
          decimals: options.asset.decimals,
          supplyPerAccount: options.asset.supplyPerAccount,
        }
      : null,
    accounts: Object.entries(accounts).map(([name, key]) => ({
      name,
      address: addressOf(key),
      keyFile: keyFile(ctx, name),
    })),
  };
}

// init writes account keys into the home itself (a network folder's keys/ is the home's too).
const keyFile = (ctx: CliContext, name: string): string => join(ctx.paths.keys, `${name}.json`);

function refuseExistingKeys(ctx: CliContext, accounts: string[]): void {
  for (const name of accounts) {
    if (existsSync(keyFile(ctx, name))) {
      throw new CliError({
        code: "CLI_KEY_EXISTS",
        message: `${keyFile(ctx, name)} already exists (choose other --accounts, or --force to replace it)`,
        exitCode: 1,
      });
    }
  }
}

const homeExists = (ctx: CliContext): CliError =>
  new CliError({
    code: "CLI_HOME_EXISTS",
    message: `${ctx.home} already holds a chain (pass --force to replace it and delete its data)`,
    exitCode: 1,
  });

/**
 * `--force`: removes the home's chain (genesis, node key, data; a network's peer book and every
 * organisation's node home) and the account keys about to be recreated, once nothing refuses:
 * no node may run from the home or one of its node homes, and only node homes are deleted.
 */
function clearHome(ctx: CliContext, accounts: string[], newOrgs: string[]): void {
  const { home, paths } = ctx;
  let oldOrgs: string[] = [];
  if (existsSync(paths.network) && !existsSync(paths.nodeKey)) {
    try {
      oldOrgs = orgNames(home);
    } catch {
      // An unreadable peer book names no folders: they are left alone.
    }
  }
  const orgHomes = [...new Set([...oldOrgs, ...newOrgs])].map((org) => join(home, org)).filter(existsSync);
  for (const dir of [home, ...orgHomes]) {
    const running = runningNode(dir);
    if (running) throw nodeRunning(dir, running);
  }
  for (const dir of orgHomes) {
    const p = homePaths(dir);
    if (!existsSync(p.nodeKey) && !existsSync(p.genesis)) {
      throw new CliError({
        code: "CLI_HOME_EXISTS",
        message: `${dir} is in the way and is not a node home: move it away first`,
        exitCode: 1,
      });
    }
  }
  // Other keys in keys/ stay: an address is valid on any chain.
  const replaced = [
    paths.genesis,
    paths.nodeKey,
    paths.network,
    paths.data,
    dirname(paths.tlsCert),
    dirname(paths.caKey),
    ...accounts.map((n) => keyFile(ctx, n)),
    ...orgHomes,
  ];
  for (const path of replaced) rmSync(path, { recursive: true, force: true });
}

/** `weft init --orgs` and the first `weft dev --orgs`: writes the network folder and describes it. */
export async function initialiseNetwork(
  ctx: CliContext,
  options: InitNetworkOptions,
  force = false,
): Promise<NetworkInitReport> {
  const { home, paths } = ctx;
  if (ctx.isInitialised() || existsSync(paths.network)) {
    if (!force) throw homeExists(ctx);
    clearHome(ctx, options.accounts, options.orgs);
  }
  for (const org of options.orgs) {
    if (existsSync(join(home, org))) {
      throw new CliError({
        code: "CLI_HOME_EXISTS",
        message: `${join(home, org)} already exists (choose other --orgs, or move it away)`,
        exitCode: 1,
      });
    }
  }
  refuseExistingKeys(ctx, options.accounts);
  const report = await initNetwork(home, options);
  return {
    home,
    chainId: report.genesis.chainId,
    files: { genesis: paths.genesis, network: paths.network, keys: paths.keys },
    orgs: report.orgs.map((o) => ({
      name: o.name,
      home: o.home,
      nodeId: o.nodeId,
      validator: o.validator,
      peerAddress: `${options.host}:${o.peerPort}`,
      peerPort: o.peerPort,
      apiPort: o.apiPort,
      url: localUrl({ api: { port: o.apiPort } }),
    })),
    asset: options.asset
      ? {
          id: options.asset.id,
          decimals: options.asset.decimals,
          supplyPerAccount: options.asset.supplyPerAccount,
        }
      : null,
    accounts: Object.entries(report.accounts).map(([name, key]) => ({
      name,
      address: addressOf(key),
      keyFile: keyFile(ctx, name),
    })),
  };
}

export function renderNetworkInit(r: NetworkInitReport): string[] {
  const rel = (path: string) => relative(r.home, path) || ".";
  const table = [
    ["org", "node id", "validator", "peers dial", "API"],
    ...r.orgs.map((o) => [`${rel(o.home)}/`, o.nodeId, o.validator, o.peerAddress, o.url]),
  ];
  return [
    `initialised a network of ${r.orgs.length} organisations in ${r.home} for chain ${r.chainId}`,
    `  ${rel(r.files.genesis).padEnd(14)} trust anchor, ${r.orgs.length} validators (one per organisation): identical on every node`,
    `  ${rel(r.files.network).padEnd(14)} peer book (CA certificates, node addresses): identical on every node`,
    `  ${`${rel(r.files.keys)}/`.padEnd(14)} account keys`,
    "node homes (each organisation copies its folder to its machine; see docs/DEPLOY.md):",
    ...columns(table).map((line) => `  ${line}`),
    ...renderAccounts(r),
  ];
}

function renderAccounts(r: Pick<InitReport, "asset" | "accounts">): string[] {
  const width = Math.max(...r.accounts.map((a) => a.name.length));
  const funded = r.asset
    ? ` (each holds ${r.asset.supplyPerAccount} units = ${formatUnits(r.asset.supplyPerAccount, r.asset.decimals)} ${r.asset.id})`
    : "";
  return [
    `accounts${funded}:`,
    ...r.accounts.map((a) => `  ${a.name.padEnd(width)}  ${a.address}  ${a.keyFile}`),
  ];
}

function networkNextSteps(home: string, orgs: string[]): string[] {
  const first = orgs[0] ?? "org1";
  return [
    `next: weft --home ${home} start --node ${first}   (and each other organisation's node: --node <org>)`,
    `  or: weft --home ${home} dev   (every node in this one process)`,
  ];
}

export function renderInit(r: InitReport): string[] {
  const rel = (path: string) => relative(r.home, path) || ".";
  return [
    `initialised ${r.home} for chain ${r.chainId}`,
    `  ${rel(r.files.genesis).padEnd(14)} trust anchor: share it with every node and verifier`,
    `  ${rel(r.files.nodeKey).padEnd(14)} validator key (${r.validator})`,
    `  ${rel(r.files.config).padEnd(14)} optional node options (absent: defaults)`,
    `  ${`${rel(r.files.keys)}/`.padEnd(14)} account keys`,
    `  ${`${rel(r.files.data)}/`.padEnd(14)} chain data (created by \`weft start\`)`,
    ...renderAccounts(r),
  ];
}
