// Programmatic use of the CLI (tests, wrappers); the executable is bin.ts.

export type { CliIo, GlobalOptions } from "./context.js";
export type { ExitCode } from "./errors.js";
export { buildProgram } from "./program.js";
export { run } from "./run.js";
