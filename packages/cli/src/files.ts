import { readFileSync, writeFileSync } from "node:fs";
import { CliError } from "./errors.js";

/** Reads an input file named on the command line; failure is a usage error (exit 2). */
export function readInput(path: string, what: string): string {
  try {
    return readFileSync(path, "utf8");
  } catch (e) {
    throw new CliError({
      code: "CLI_BAD_INPUT",
      message: `cannot read ${what} ${path}: ${(e as Error).message}`,
      exitCode: 2,
    });
  }
}

export function writeJson(path: string, value: unknown): void {
  writeFileSync(path, `${JSON.stringify(value, null, 2)}\n`);
}
