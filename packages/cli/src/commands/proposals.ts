import type { Command } from "commander";
import { Option } from "commander";
import { integerOption } from "../args.js";
import { type CliIo, contextOf } from "../context.js";
import { columns } from "../format.js";
import { type Proposal, readProposal, renderProposal } from "../governance.js";
import { nodeGet } from "../node-get.js";

const STATUSES = ["open", "executed", "rejected", "expired", "failed"];

export function registerProposals(program: Command, io: CliIo): void {
  program
    .command("proposals")
    .description("governance proposals, newest first (GET /v1/gov/proposals)")
    .addOption(new Option("--status <status>", "only proposals with this status").choices(STATUSES))
    .action(async (flags: { status?: string }, command: Command) => {
      const ctx = contextOf(command, io);
      const answer = await nodeGet<unknown>(ctx.url(), "/v1/gov/proposals", { status: flags.status });
      const list = proposalsOf(answer);
      ctx.out.result(list, (ps) => {
        if (ps.length === 0) return `no ${flags.status ?? ""}${flags.status ? " " : ""}proposals`;
        return columns([
          ["id", "status", "yes", "no", "deadline", "title"],
          ...ps.map((p) => [
            `${p.id}`,
            p.status,
            `${p.votes.filter((v) => v.approve).length}`,
            `${p.votes.filter((v) => !v.approve).length}`,
            new Date(p.deadline).toISOString(),
            p.title,
          ]),
        ]);
      });
    });

  program
    .command("proposal")
    .description("one proposal: its actions, votes and status (query gov.proposal)")
    .requiredOption("--id <n>", "proposal id", integerOption("--id", 1))
    .action(async (flags: { id: number }, command: Command) => {
      const ctx = contextOf(command, io);
      ctx.out.result(await readProposal(ctx, flags.id), renderProposal);
    });
}

// The route answers a list, or an object holding one (with paging fields).
function proposalsOf(answer: unknown): Proposal[] {
  if (Array.isArray(answer)) return answer as Proposal[];
  const held = (answer as { proposals?: unknown; items?: unknown } | null) ?? {};
  const list = held.proposals ?? held.items;
  return Array.isArray(list) ? (list as Proposal[]) : [];
}
