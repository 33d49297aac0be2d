import { existsSync } from "node:fs";
import { KEY_ALGORITHMS, type KeyAlgorithm, type PublicKeyInfo, validatePublicKey } from "@weft/core";
import { CliError, usage } from "./errors.js";
import { readInput } from "./files.js";

const BYTES: Readonly<Record<KeyAlgorithm, number>> = { ed25519: 32, p256: 33 };

/**
 * `--public-key`: a file holding `{alg, publicKey}` (a weft key file, or just its public part),
 * or the key itself as `[alg:]hex` or base64 (32 bytes: ed25519, 33: compressed p256). Checked
 * locally (on the curve, canonical), so a typo is refused before anything is submitted.
 */
export function parsePublicKey(
  ctx: { resolvePath(path: string): string },
  value: string,
  name: string,
): PublicKeyInfo {
  const text = value.trim();
  const path = ctx.resolvePath(text);
  // An existing file wins; then key text (base64 may hold "/"); then a path that cannot be read.
  const isText = decode(text.replace(/^[a-z0-9]+:/, "")) !== undefined;
  const info =
    existsSync(path) || (!isText && (/[\\/]/.test(text) || text.endsWith(".json")))
      ? fromFile(readInput(path, `${name} file`), path, name)
      : fromText(text, name);
  try {
    validatePublicKey(info);
  } catch (e) {
    throw usage(`${name}: ${(e as Error).message}`);
  }
  return info;
}

function fromFile(text: string, path: string, name: string): PublicKeyInfo {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (e) {
    // A file with one line of key text is as good as the text itself.
    const line = text.trim();
    if (!line.includes("\n") && decode(line.replace(/^[a-z0-9]+:/, ""))) return fromText(line, name);
    throw bad(`${path} is neither JSON nor a key (${(e as Error).message})`);
  }
  const v = value as { alg?: unknown; publicKey?: unknown } | null;
  if (typeof v?.publicKey === "object" && v.publicKey !== null)
    return fromFile(JSON.stringify(v.publicKey), path, name);
  if (!KEY_ALGORITHMS.includes(v?.alg as KeyAlgorithm) || typeof v?.publicKey !== "string")
    throw bad(`${path} has no {"alg", "publicKey"} (a weft key file or its public part)`);
  return { alg: v.alg as KeyAlgorithm, publicKey: v.publicKey };
}

function fromText(text: string, name: string): PublicKeyInfo {
  const [prefix, rest] = text.includes(":") ? (text.split(/:(.*)/s) as [string, string]) : [undefined, text];
  if (prefix !== undefined && !KEY_ALGORITHMS.includes(prefix as KeyAlgorithm))
    throw usage(`${name}: unknown key algorithm "${prefix}" (${KEY_ALGORITHMS.join(" or ")})`);
  const bytes = decode(rest);
  if (!bytes) throw usage(`${name} is neither a readable file nor a key in hex or base64 (got "${text}")`);
  const alg = (prefix as KeyAlgorithm | undefined) ?? (bytes.length === BYTES.p256 ? "p256" : "ed25519");
  if (bytes.length !== BYTES[alg])
    throw usage(
      `${name}: ${alg === "p256" ? "a" : "an"} ${alg} public key is ${BYTES[alg]} bytes (got ${bytes.length})`,
    );
  return { alg, publicKey: bytes.toString("hex") };
}

function decode(text: string): Buffer | undefined {
  if (/^(?:[0-9a-fA-F]{2})+$/.test(text)) return Buffer.from(text, "hex");
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(text) && text.length >= 40) {
    const bytes = Buffer.from(text, text.includes("-") || text.includes("_") ? "base64url" : "base64");
    return bytes.length > 0 ? bytes : undefined;
  }
  return undefined;
}

const bad = (message: string): CliError => new CliError({ code: "CLI_BAD_INPUT", message, exitCode: 2 });
