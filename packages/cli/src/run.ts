import { CommanderError } from "commander";
import type { CliIo } from "./context.js";
import { type ExitCode, exitCodeOf } from "./errors.js";
import { Output } from "./output.js";
import { buildProgram } from "./program.js";

// Commander has printed help (or the version) itself: nothing to add.
const HELP_CODES = new Set(["commander.help", "commander.helpDisplayed", "commander.version"]);

/** Runs one command line (without `node weft`) and returns the exit code; never throws. */
export async function run(args: readonly string[], io: CliIo): Promise<ExitCode> {
  try {
    await buildProgram(io).parseAsync(args, { from: "user" });
    return 0;
  } catch (e) {
    const code = exitCodeOf(e);
    if (e instanceof CommanderError && HELP_CODES.has(e.code)) return code;
    new Output(false, io.stdout, io.stderr).error(e, io.env.WEFT_DEBUG === "1");
    return code;
  }
}
