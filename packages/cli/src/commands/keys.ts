import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import { type KeyAlgorithm, parseKeyFile, SdkError } from "@weft/sdk";
import { generateKeyFile } from "@weft/sdk/keyfile";
import { type Command, Option } from "commander";
import { keyFilePath, loadAccount } from "../accounts.js";
import { parseKeyName } from "../args.js";
import { type CliIo, contextOf } from "../context.js";
import { CliError } from "../errors.js";

interface KeyInfo {
  name: string;
  alg: KeyAlgorithm;
  address: string;
  publicKey: string;
  path: string;
  secretKey?: string;
}

export function registerKeys(program: Command, io: CliIo): void {
  const keys = program.command("keys").description("account keys in <home>/keys");

  keys
    .command("generate")
    .description("create a key file <home>/keys/<name>.json (owner-only permissions)")
    .argument("<name>", "key name")
    .addOption(
      new Option("--alg <alg>", "signature algorithm").choices(["ed25519", "p256"]).default("ed25519"),
    )
    .action(async (name: string, flags: { alg: KeyAlgorithm }, command: Command) => {
      const ctx = contextOf(command, io);
      const path = join(ctx.keysDir, `${parseKeyName(name)}.json`);
      try {
        const key = await generateKeyFile(path, flags.alg);
        ctx.out.result(
          { name, alg: key.alg, address: key.address, publicKey: key.publicKey, path },
          renderKey,
        );
      } catch (e) {
        if (!(e instanceof SdkError && e.code === "SDK_KEYFILE_EXISTS")) throw e;
        throw new CliError({
          code: "CLI_KEY_EXISTS",
          message: `key "${name}" already exists: ${path}`,
          exitCode: 1,
        });
      }
    });

  keys
    .command("list")
    .description("the keys in <home>/keys")
    .action((_flags: unknown, command: Command) => {
      const ctx = contextOf(command, io);
      const dir = ctx.keysDir;
      const files = existsSync(dir)
        ? readdirSync(dir).filter((f) => f.endsWith(".json") && !f.startsWith("."))
        : [];
      const listed = files.sort().map((file) => describeFile(join(dir, file)));
      ctx.out.result(listed, (list) => {
        if (list.length === 0) return `no keys in ${dir} (create one with \`weft keys generate <name>\`)`;
        const width = Math.max(...list.map((k) => k.name.length));
        return list.map((k) =>
          "error" in k
            ? `${k.name.padEnd(width)}  (unreadable: ${k.error})`
            : `${k.name.padEnd(width)}  ${k.address}  ${k.alg}`,
        );
      });
    });

  keys
    .command("show")
    .description("a key's address and public key (the secret only with --secret)")
    .argument("<name>", "key name, or path to a key file")
    .option("--secret", "also print the secret key")
    .action(async (ref: string, flags: { secret?: boolean }, command: Command) => {
      const ctx = contextOf(command, io);
      const key = await loadAccount(ctx, ref, "keys show");
      const path = keyFilePath(ctx, ref);
      const info: KeyInfo = {
        name: basename(path, ".json"),
        alg: key.alg,
        address: key.address,
        publicKey: key.publicKey,
        path,
      };
      if (flags.secret) info.secretKey = key.secretKey;
      ctx.out.result(info, renderKey);
    });
}

type Listed = Omit<KeyInfo, "secretKey"> | { name: string; path: string; error: string };

// One bad file must not hide the others: it is listed with its problem.
function describeFile(path: string): Listed {
  const name = basename(path, ".json");
  try {
    const key = parseKeyFile(readFileSync(path, "utf8"), path);
    return { name, alg: key.alg, address: key.address, publicKey: key.publicKey, path };
  } catch (e) {
    return { name, path, error: (e as Error).message };
  }
}

function renderKey(k: KeyInfo): string[] {
  const lines = [
    `name: ${k.name}`,
    `address: ${k.address}`,
    `alg: ${k.alg}`,
    `public key: ${k.publicKey}`,
    `file: ${k.path}`,
  ];
  return k.secretKey === undefined ? lines : [...lines, `secret key: ${k.secretKey}`];
}
