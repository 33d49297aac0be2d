import type { Command } from "commander";
import { integerOption } from "../args.js";
import { type CliIo, contextOf } from "../context.js";
import { CliError, usage } from "../errors.js";
import {
  eventId,
  type ProposalReport,
  readProposal,
  renderReport,
  type SignFlags,
  signer,
  signOptions,
  submitAndWait,
} from "../governance.js";

interface Flags extends SignFlags {
  id: number;
  yes?: boolean;
  no?: boolean;
}

export function registerVote(program: Command, io: CliIo): void {
  signOptions(
    program
      .command("vote")
      .description("vote on an open proposal (gov.vote); it executes as soon as its policy is met")
      .requiredOption("--id <n>", "proposal id", integerOption("--id", 1))
      .option("--yes", "approve")
      .option("--no", "reject"),
  ).action(async (flags: Flags, command: Command) => {
    const ctx = contextOf(command, io);
    if (flags.yes === flags.no) throw usage("give exactly one of --yes and --no");
    const key = await signer(ctx, flags);
    // A decided proposal takes no votes: say so rather than spend a transaction on it.
    const before = await readProposal(ctx, flags.id);
    if (before.status !== "open") {
      throw new CliError({
        code: "CLI_PROPOSAL_CLOSED",
        message: `proposal ${flags.id} is ${before.status}${before.decidedAt !== undefined ? ` since height ${before.decidedAt}` : ""}: voting is over`,
        exitCode: 1,
      });
    }
    const status = await submitAndWait(
      ctx,
      key,
      { module: "gov", method: "vote", args: { id: flags.id, approve: flags.yes === true } },
      flags,
    );
    // The vote's own event names the proposal; fall back to the id voted on.
    const id = status.events?.some((e) => e.module === "gov" && e.type === "Voted")
      ? eventId(status, "Voted")
      : flags.id;
    const report: ProposalReport = {
      tx: status.hash,
      height: status.height ?? 0,
      proposal: await readProposal(ctx, id),
    };
    ctx.out.result(report, (r) => renderReport(r, `voted ${flags.yes ? "yes" : "no"}`));
  });
}
