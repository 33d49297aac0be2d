import { AuditFailure, defaultModules, ModuleRegistry, rebuildChain } from "@weft/node";
import type { Command } from "commander";
import { renderFailure, withChainStore } from "../chain-data.js";
import { type CliIo, contextOf } from "../context.js";
import { requireNodeHome } from "../network.js";
import { nodeRunning, runningNode } from "../node-lock.js";

export function registerRebuild(program: Command, io: CliIo): void {
  program
    .command("rebuild")
    .description("re-derive state, indexes and Merkle nodes from the stored blocks (stop the node first)")
    .option("--force", "skip the check that no node runs from this home (for a stale lock)")
    .action(async (flags: { force?: boolean }, command: Command) => {
      const ctx = contextOf(command, io);
      requireNodeHome(ctx.home, ctx.shownHome(), "rebuild");
      const genesis = ctx.genesis();
      // Rebuilding under a running node would pull the state out from under it.
      const running = flags.force ? undefined : runningNode(ctx.home);
      if (running) throw nodeRunning(ctx.home, running);
      const registry = new ModuleRegistry(defaultModules);
      try {
        const report = await withChainStore(ctx, (store) => rebuildChain(store, genesis, registry));
        ctx.out.result(report, (r) => [
          `rebuilt ${r.blocks} blocks (${r.txs} transactions)`,
          `state root: ${r.stateRoot}`,
        ]);
      } catch (e) {
        if (!(e instanceof AuditFailure)) throw e;
        const { height, field, message } = e.type;
        ctx.out.result({ ok: false, failure: { height, field, message } }, (r) => [
          renderFailure("rebuild", r.failure),
          "state is rebuilt only up to the block before it: restore the data folder from a backup",
        ]);
        throw e;
      }
    });
}
