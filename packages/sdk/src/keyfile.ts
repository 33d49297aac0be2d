import { randomBytes } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { basename, dirname, join } from "node:path";
import { generateKeyPair, type KeyAlgorithm, type KeyPair } from "@weft/core";
import { SdkError } from "./errors.js";
import { formatKeyFile, type KeyFile, parseKeyFile, toKeyFile } from "./key-format.js";

// Node only (subpath @weft/sdk/keyfile): the rest of the SDK must stay bundleable for browsers.
export { formatKeyFile, KEY_FILE_TYPE, type KeyFile, parseKeyFile } from "./key-format.js";

export interface SaveKeyOptions {
  /** Replace an existing file; without it an existing file is an error (SDK_KEYFILE_EXISTS). */
  overwrite?: boolean;
}

/** Owner read/write only: the file holds a secret key. */
const KEY_FILE_MODE = 0o600;

export async function generateKeyFile(
  path: string,
  alg: KeyAlgorithm = "ed25519",
  opts: SaveKeyOptions = {},
): Promise<KeyFile> {
  return saveKeyFile(path, generateKeyPair(alg), opts);
}

export async function saveKeyFile(path: string, key: KeyPair, opts: SaveKeyOptions = {}): Promise<KeyFile> {
  const file = toKeyFile(key);
  const text = formatKeyFile(file);
  try {
    await mkdir(dirname(path), { recursive: true, mode: 0o700 });
    if (!opts.overwrite) {
      // "wx" fails if the file exists, atomically: no check-then-write race.
      await writeFile(path, text, { mode: KEY_FILE_MODE, flag: "wx" });
      return file;
    }
    // Write a fresh 0600 file and rename it over the old one, so a crash never leaves half a key
    // and an old file's looser mode is not inherited.
    const temp = join(dirname(path), `.${basename(path)}.${randomBytes(6).toString("hex")}.tmp`);
    try {
      await writeFile(temp, text, { mode: KEY_FILE_MODE, flag: "wx" });
      await rename(temp, path);
    } catch (e) {
      await rm(temp, { force: true });
      throw e;
    }
    return file;
  } catch (e) {
    throw ioError(e, path);
  }
}

export async function loadKeyFile(path: string): Promise<KeyFile> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (e) {
    throw ioError(e, path);
  }
  return parseKeyFile(text, path);
}

function ioError(e: unknown, path: string): SdkError {
  const errno = (e as { code?: unknown } | null)?.code;
  if (errno === "ENOENT")
    return new SdkError({ code: "SDK_KEYFILE_NOT_FOUND", message: `no key file at ${path}`, path });
  if (errno === "EEXIST") {
    return new SdkError({
      code: "SDK_KEYFILE_EXISTS",
      message: `${path} already exists (pass { overwrite: true } to replace it)`,
      path,
    });
  }
  const reason = e instanceof Error ? e.message : String(e);
  return new SdkError({ code: "SDK_KEYFILE_IO", message: `${path}: ${reason}`, path, errno });
}
