#!/usr/bin/env node
import { run } from "./run.js";

const code = await run(process.argv.slice(2), {
  env: process.env,
  cwd: process.cwd(),
  stdout: process.stdout,
  stderr: process.stderr,
});
// Exit explicitly (idle keep-alive sockets must not hold the process), once both streams drained.
process.stdout.write("", () => process.stderr.write("", () => process.exit(code)));
