import type { Command } from "commander";
import type { CliIo } from "../context.js";
import { registerIdentityKind } from "./member.js";

/** `weft device add|revoke`: `member` for devices (kind device, default role device). */
export function registerDevice(program: Command, io: CliIo): void {
  registerIdentityKind(program, io, "device");
}
