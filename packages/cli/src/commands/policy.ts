import type { CanonicalValue } from "@weft/core";
import type { Command } from "commander";
import { type CliContext, type CliIo, contextOf } from "../context.js";
import { columns } from "../format.js";
import { type ProposeFlags, parseAction, propose, proposeOptions, renderReport } from "../governance.js";
import { type Policy, readPolicy, showPolicy } from "../policy-shape.js";

// The actions the built-in modules define (spec of issue 4): what `policy show` lists without --action.
const KNOWN_ACTIONS = [
  "*",
  "identity.addOrg",
  "identity.removeOrg",
  "identity.updateOrg",
  "identity.updateNodes",
  "identity.revokeNodeCert",
  "identity.addMember",
  "identity.revokeMember",
  "identity.rotateKey",
  "identity.setRoles",
  "identity.defineRole",
  "identity.setPolicy",
  "gov.propose",
  "gov.vote",
  "gov.setParams",
  "validators.update",
  "token.*",
  "token.createAsset",
  "token.mint",
  "token.burn",
  "token.transfer",
  "trace.capture",
  "trace.anchor",
  "evidence.submit",
];

interface PolicyEntry {
  action: string;
  /** The stored policy, or null: a wider one (`module.*`, else `*`) applies. */
  policy: CanonicalValue | null;
  height: number;
}

export function registerPolicy(program: Command, io: CliIo): void {
  const policy = program.command("policy").description("who may call what: the identity module's policies");

  policy
    .command("show")
    .description("the policy of one action, or of every built-in action (query identity.policy)")
    .option("--action <module.method>", "one action (or * for the fallback)")
    .action(async (flags: { action?: string }, command: Command) => {
      const ctx = contextOf(command, io);
      const actions = flags.action === undefined ? KNOWN_ACTIONS : [actionName(flags.action)];
      const entries = await Promise.all(actions.map((action) => readEntry(ctx, action)));
      ctx.out.result(flags.action === undefined ? entries : entries[0], (shown) => {
        const list = Array.isArray(shown) ? (shown as PolicyEntry[]) : [shown as PolicyEntry];
        return columns(
          list.map((e) => [
            e.action,
            e.policy === null ? "(not set: module.* or * applies)" : showPolicy(e.policy),
          ]),
        );
      });
    });

  proposeOptions(
    policy
      .command("set")
      .description(
        "propose a new policy for an action (identity.setPolicy, decided by the organisations' votes)",
      )
      .requiredOption("--action <module.method>", "the action, or * for the fallback of actions without one")
      .requiredOption(
        "--policy <json|file>",
        'the policy as JSON, e.g. {"role":"writer"}, or a file holding it',
      ),
  ).action(async (flags: ProposeFlags & { action: string; policy: string }, command: Command) => {
    const ctx = contextOf(command, io);
    const action = actionName(flags.action);
    const value: Policy = readPolicy(ctx, flags.policy);
    const report = await propose(ctx, flags, `set the policy of ${action}: ${showPolicy(value)}`, [
      {
        module: "identity",
        method: "setPolicy",
        args: { action, policy: value as unknown as CanonicalValue },
      },
    ]);
    ctx.out.result(report, (r) => renderReport(r, "proposed"));
  });
}

/** `module.method`, `module.*` (every method of a module without its own) or `*`. */
const actionName = (value: string): string => {
  const text = value.trim();
  if (text === "*") return "*";
  const wildcard = /^([a-z][A-Za-z0-9_]{0,63})\.\*$/.exec(text);
  if (wildcard) return text;
  const { module, method } = parseAction(text);
  return `${module}.${method}`;
};

async function readEntry(ctx: CliContext, action: string): Promise<PolicyEntry> {
  const { value, height } = await ctx.client().query("identity", "policy", { action });
  return { action, policy: value, height };
}
