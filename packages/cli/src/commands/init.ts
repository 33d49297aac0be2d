import { existsSync, rmSync } from "node:fs";
import { join, relative } from "node:path";
import { addressOf, type KeyAlgorithm } from "@weft/core";
import { type InitOptions, initHome } from "@weft/node";
import { toAmount } from "@weft/sdk";
import { type Command, Option } from "commander";
import { integerOption, parseAssetId, parseChainId, parseNameList } from "../args.js";
import { type CliContext, type CliIo, contextOf } from "../context.js";
import { CliError } from "../errors.js";
import { formatUnits } from "../format.js";
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
}

export interface InitReport {
  home: string;
  chainId: string;
  files: { genesis: string; nodeKey: string; config: string; keys: string; data: string };
  validator: string;
  asset: { id: string; decimals: number; supplyPerAccount: string } | null;
  accounts: { name: string; address: string; keyFile: string }[];
}

export function registerInit(program: Command, io: CliIo): void {
  program
    .command("init")
    .description("create a home: genesis with one validator, funded account keys")
    .option("--chain-id <id>", "chain id", "weft-local")
    .option("--accounts <names>", "comma-separated account names; the first issues the asset", "alice,bob")
    .option("--asset <id>", "genesis asset every account is funded with", "WEFT")
    .option("--no-asset", "no genesis asset")
    .option("--asset-name <name>", "the asset's display name (default: the id)")
    .option("--decimals <n>", "the asset's decimals", integerOption("--decimals", 0, 36), 2)
    .option("--supply <units>", "balance of each account, in the asset's smallest unit", "100000000")
    .addOption(new Option("--alg <alg>", "key algorithm").choices(["ed25519", "p256"]).default("ed25519"))
    .option("--force", "replace an existing chain in the home (its data is deleted)")
    .action((flags: InitFlags, command: Command) => {
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
      ctx.out.result(initialise(ctx, options, flags.force === true), renderInit);
      ctx.out.note(`next: weft --home ${ctx.shownHome()} start`);
    });
}

/** `weft init` and the first `weft dev`: writes the home and describes it. */
export function initialise(ctx: CliContext, options: InitOptions, force = false): InitReport {
  const { paths } = ctx;
  if (ctx.isInitialised()) {
    if (!force) {
      throw new CliError({
        code: "CLI_HOME_EXISTS",
        message: `${ctx.home} already holds a chain (pass --force to replace it and delete its data)`,
        exitCode: 1,
      });
    }
    const running = runningNode(ctx.home);
    if (running) throw nodeRunning(ctx.home, running);
    // Other keys in keys/ stay: an address is valid on any chain.
    const replaced = [
      paths.genesis,
      paths.nodeKey,
      paths.data,
      ...options.accounts.map((n) => keyFile(ctx, n)),
    ];
    for (const path of replaced) rmSync(path, { recursive: true, force: true });
  }
  for (const name of options.accounts) {
    if (existsSync(keyFile(ctx, name))) {
      throw new CliError({
        code: "CLI_KEY_EXISTS",
        message: `${keyFile(ctx, name)} already exists (choose other --accounts, or --force to replace it)`,
        exitCode: 1,
      });
    }
  }
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

const keyFile = (ctx: CliContext, name: string): string => join(ctx.paths.keys, `${name}.json`);

export function renderInit(r: InitReport): string[] {
  const rel = (path: string) => relative(r.home, path) || ".";
  const width = Math.max(...r.accounts.map((a) => a.name.length));
  const funded = r.asset
    ? ` (each holds ${r.asset.supplyPerAccount} units = ${formatUnits(r.asset.supplyPerAccount, r.asset.decimals)} ${r.asset.id})`
    : "";
  return [
    `initialised ${r.home} for chain ${r.chainId}`,
    `  ${rel(r.files.genesis).padEnd(14)} trust anchor: share it with every node and verifier`,
    `  ${rel(r.files.nodeKey).padEnd(14)} validator key (${r.validator})`,
    `  ${rel(r.files.config).padEnd(14)} optional node options (absent: defaults)`,
    `  ${`${rel(r.files.keys)}/`.padEnd(14)} account keys`,
    `  ${`${rel(r.files.data)}/`.padEnd(14)} chain data (created by \`weft start\`)`,
    `accounts${funded}:`,
    ...r.accounts.map((a) => `  ${a.name.padEnd(width)}  ${a.address}  ${a.keyFile}`),
  ];
}
