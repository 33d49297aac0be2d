import { AuditFailure, auditChain, defaultModules, ModuleRegistry } from "@weft/node";
import type { Command } from "commander";
import { renderFailure, withChainStore } from "../chain-data.js";
import { type CliIo, contextOf } from "../context.js";
import { requireNodeHome } from "../network.js";

export function registerAudit(program: Command, io: CliIo): void {
  program
    .command("audit")
    .description("re-verify and re-execute every stored block from genesis (reads <home>/data directly)")
    .action(async (_flags: unknown, command: Command) => {
      const ctx = contextOf(command, io);
      requireNodeHome(ctx.home, ctx.shownHome(), "audit");
      const genesis = ctx.genesis();
      const report = await withChainStore(ctx, (store) =>
        auditChain(store, genesis, new ModuleRegistry(defaultModules)),
      );
      ctx.out.result(report, (r) =>
        r.failure
          ? renderFailure("audit", r.failure)
          : `audit passed: ${r.blocks} blocks, ${r.txs} transactions`,
      );
      if (report.failure) throw new AuditFailure({ code: "AUDIT_FAILED", ...report.failure });
    });
}
