import { isWeftError, WeftError } from "@weft/core";
import { ApiError } from "@weft/sdk";
import { CommanderError } from "commander";

/** 0: done; 1: the operation failed (or its answer is negative); 2: the command line or a config/input file is wrong. */
export type ExitCode = 0 | 1 | 2;

export type CliErrorCode =
  | "CLI_USAGE"
  | "CLI_BAD_CONFIG"
  | "CLI_BAD_INPUT"
  | "CLI_NOT_INITIALISED"
  | "CLI_HOME_EXISTS"
  | "CLI_KEY_NOT_FOUND"
  | "CLI_KEY_EXISTS"
  | "CLI_NOT_FOUND"
  | "CLI_NO_PROOF"
  | "CLI_TX_PENDING"
  | "CLI_NODE_RUNNING"
  | "CLI_NO_CHAIN_DATA"
  | "CLI_NO_NETWORK"
  | "CLI_UNKNOWN_NODE"
  | "CLI_UNKNOWN_ORG"
  | "CLI_PROPOSAL_CLOSED"
  | "CLI_ESCROW_CLOSED"
  | "CLI_ESCROW_NOT_FROZEN"
  | "CLI_NETWORK_HOME"
  | "CLI_NETWORK_MISMATCH";

/** Errors the CLI raises itself; each says which exit code it means. */
export class CliError extends WeftError<{ code: CliErrorCode; message: string; exitCode: 1 | 2 }> {}

export const usage = (message: string): CliError => new CliError({ code: "CLI_USAGE", message, exitCode: 2 });

// Codes of errors raised locally, before anything is attempted: the input is what is wrong.
const INPUT_CODES = new Set([
  "SDK_INVALID_AMOUNT",
  "SDK_INVALID_ARGUMENT",
  "SDK_INVALID_JSON",
  "SDK_INVALID_GENESIS",
  "SDK_KEYFILE_INVALID",
  "SDK_KEYFILE_MISMATCH",
  "SDK_KEYFILE_NOT_FOUND",
  "NODE_BAD_CONFIG",
  "GENESIS_INVALID",
  "CODEC_INVALID_JSON",
  "CODEC_NOT_CANONICAL",
  "CODEC_UNSUPPORTED_VALUE",
  "TX_MALFORMED",
  "TX_TOO_LARGE",
  // network.json, certificates and p2p options the node refuses at start: configuration errors.
  "P2P_BAD_NETWORK_CONFIG",
  "P2P_BAD_CERTIFICATE",
  "P2P_BAD_IDENTITY",
  "P2P_BAD_OPTIONS",
]);

export function exitCodeOf(e: unknown): ExitCode {
  if (e instanceof CommanderError) return e.exitCode === 0 ? 0 : 2;
  if (e instanceof CliError) return e.type.exitCode;
  // The node said no: the operation was attempted and failed, whatever the code.
  if (e instanceof ApiError) return 1;
  if (isWeftError(e) && INPUT_CODES.has(e.code)) return 2;
  return 1;
}

/** The code and one-line message printed as `error: <CODE>: message`. */
export function describeError(e: unknown): { code: string; message: string } {
  if (e instanceof CommanderError) {
    return { code: "CLI_USAGE", message: `${oneLine(e.message.replace(/^error: /, ""))} (see weft --help)` };
  }
  if (isWeftError(e)) return { code: e.code, message: oneLine(e.message) + hint(e.code) };
  const errno = (e as { code?: unknown } | null)?.code;
  const message = e instanceof Error ? e.message : String(e);
  const code = typeof errno === "string" ? errno : "CLI_INTERNAL";
  return { code, message: oneLine(message) + hint(code) };
}

const HINTS: Readonly<Record<string, string>> = {
  SDK_NETWORK: " (is the node running? start it with `weft start`, or pass --url)",
  EADDRINUSE:
    " (another process uses the port: stop it, or pick another API --port or p2p.port in config.json)",
};

const hint = (code: string): string => HINTS[code] ?? "";

const oneLine = (text: string): string => text.replace(/\s*\n\s*/g, " ").trim();
