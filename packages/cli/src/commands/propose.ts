import type { CanonicalValue } from "@weft/core";
import type { TxCall } from "@weft/sdk";
import type { Command } from "commander";
import { parseJsonObject } from "../args.js";
import { type CliIo, contextOf } from "../context.js";
import { usage } from "../errors.js";
import {
  MAX_ACTIONS,
  type ProposeFlags,
  parseAction,
  propose,
  proposeOptions,
  renderReport,
} from "../governance.js";

interface Flags extends ProposeFlags {
  title: string;
  action: string[];
  args: string[];
}

const collect = (value: string, previous: string[]): string[] => [...previous, value];

export function registerPropose(program: Command, io: CliIo): void {
  proposeOptions(
    program
      .command("propose")
      .description(
        "propose calls for the organisations to vote on (gov.propose; your own yes vote is counted); prints the proposal id",
      )
      .requiredOption("--title <text>", "what the proposal is about")
      .option("--action <module.method>", "a call to make once it passes; repeat for several", collect, [])
      .option(
        "--args <json>",
        "the arguments of the --action at the same position, as a JSON object",
        collect,
        [],
      ),
  ).action(async (flags: Flags, command: Command) => {
    const ctx = contextOf(command, io);
    const actions = parseActions(flags.action, flags.args);
    if (flags.title.trim() === "") throw usage("--title must not be empty");
    const report = await propose(ctx, flags, flags.title, actions);
    ctx.out.result(report, (r) => renderReport(r, "proposed"));
  });
}

/** `--action a.b --args {…} --action c.d --args {…}`: paired by position; every --action needs its --args. */
export function parseActions(actions: string[], args: string[]): TxCall[] {
  if (actions.length === 0) throw usage("give at least one --action module.method (with its --args)");
  if (actions.length > MAX_ACTIONS)
    throw usage(`a proposal holds at most ${MAX_ACTIONS} actions (got ${actions.length})`);
  if (args.length !== actions.length) {
    throw usage(
      `${actions.length} --action but ${args.length} --args: give each --action its --args (use '{}' for none)`,
    );
  }
  return actions.map((action, i) => ({
    ...parseAction(action),
    args: parseJsonObject(args[i] ?? "{}", `--args of ${action}`) as { [key: string]: CanonicalValue },
  }));
}
