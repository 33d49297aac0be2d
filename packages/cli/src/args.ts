import { ADDRESS_PATTERN } from "@weft/core";
import { usage } from "./errors.js";

// Pure parsers for command-line values: each throws CLI_USAGE (exit 2) naming the option.

export function parseInteger(value: string, name: string, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  const n = /^-?[0-9]+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `between ${min} and ${max}`;
    throw usage(`${name} must be an integer ${range} (got "${value}")`);
  }
  return n;
}

/** A commander option parser for an integer option. */
export const integerOption =
  (name: string, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  (value: string): number =>
    parseInteger(value, name, min, max);

export const portOption = integerOption("--port", 0, 65_535);

// Names become file names under <home>/keys: no separators, no leading dot.
export const KEY_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function parseKeyName(value: string, name = "key name"): string {
  if (!KEY_NAME.test(value)) {
    throw usage(
      `${name} "${value}" must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit`,
    );
  }
  return value;
}

/** `alice,bob` → ["alice", "bob"]: non-empty, valid and distinct names. */
export function parseNameList(value: string, name: string): string[] {
  const names = value
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  if (names.length === 0) throw usage(`${name} needs at least one name`);
  for (const n of names) parseKeyName(n, name);
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw usage(`${name} lists "${dup}" twice`);
  return names;
}

// Mirrors the token module's asset symbol, so `init` cannot write a genesis the node refuses.
const ASSET_ID = /^[A-Z0-9][A-Z0-9._-]{0,31}$/;

export function parseAssetId(value: string, name = "asset"): string {
  if (!ASSET_ID.test(value)) {
    throw usage(
      `${name} "${value}" must be 1-32 of A-Z, 0-9, '.', '_' or '-', starting with a letter or digit`,
    );
  }
  return value;
}

const CHAIN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function parseChainId(value: string): string {
  if (!CHAIN_ID.test(value))
    throw usage(`--chain-id "${value}" must be 1-64 letters, digits, '.', '_' or '-'`);
  return value;
}

const ADDRESS = new RegExp(ADDRESS_PATTERN);

export const isAddress = (value: string): boolean => ADDRESS.test(value);

const TX_HASH = /^[0-9a-f]{64}$/;

export function parseTxHash(value: string): string {
  if (!TX_HASH.test(value))
    throw usage(`transaction hash must be 64 lowercase hex characters (got "${value}")`);
  return value;
}

/** `--args '{"k": 1}'`: a JSON object, or CLI_USAGE naming the option. */
export function parseJsonObject(value: string, name: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (e) {
    throw usage(`${name} is not valid JSON: ${(e as Error).message}`);
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed))
    throw usage(`${name} must be a JSON object`);
  return parsed as Record<string, unknown>;
}

/** `query block [height|latest]`: undefined means latest. */
export function parseBlockRef(value: string | undefined): number | undefined {
  if (value === undefined || value === "latest") return undefined;
  return parseInteger(value, "block height", 1);
}
