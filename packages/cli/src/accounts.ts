import { join } from "node:path";
import { SdkError } from "@weft/sdk";
import { type KeyFile, loadKeyFile } from "@weft/sdk/keyfile";
import { isAddress, KEY_NAME, parseKeyName } from "./args.js";
import type { CliContext } from "./context.js";
import { CliError, usage } from "./errors.js";

const looksLikePath = (ref: string): boolean => /[\\/]/.test(ref) || ref.endsWith(".json");

/** A key reference: a path to a key file, or the name of one in `<home>/keys`. */
export function keyFilePath(ctx: CliContext, ref: string): string {
  return looksLikePath(ref) ? ctx.resolvePath(ref) : join(ctx.keysDir, `${parseKeyName(ref)}.json`);
}

/** Loads and checks a key file by name or path; a missing one is a usage error naming `what`. */
export async function loadAccount(ctx: CliContext, ref: string, what: string): Promise<KeyFile> {
  const path = keyFilePath(ctx, ref);
  try {
    return await loadKeyFile(path);
  } catch (e) {
    if (!(e instanceof SdkError && e.code === "SDK_KEYFILE_NOT_FOUND")) throw e;
    throw new CliError({
      code: "CLI_KEY_NOT_FOUND",
      message: `${what}: no key "${ref}" at ${path} (\`weft keys list\` shows the keys of ${ctx.home})`,
      exitCode: 2,
    });
  }
}

/** An address given as such, or as the name (or path) of a key file. */
export async function resolveAddress(ctx: CliContext, ref: string, what: string): Promise<string> {
  if (isAddress(ref)) return ref;
  const neither = () =>
    usage(`${what} "${ref}" is neither an address (40 lowercase hex characters) nor a key in ${ctx.keysDir}`);
  if (!looksLikePath(ref) && !KEY_NAME.test(ref)) throw neither();
  try {
    return (await loadAccount(ctx, ref, what)).address;
  } catch (e) {
    if (e instanceof CliError && e.code === "CLI_KEY_NOT_FOUND" && !looksLikePath(ref)) throw neither();
    throw e;
  }
}
