import { createNode, readKeyFile, type WeftNode } from "@weft/node";
import { mergeConfig, type NodeConfig, nodeOptionsOf } from "./config.js";
import type { CliContext } from "./context.js";
import { claimHome } from "./node-lock.js";

/** A started node and how to stop it (which also releases the home). */
export interface RunningNode {
  node: WeftNode;
  stop(): Promise<void>;
}

/**
 * Starts the home's node. Options in increasing precedence: `defaults` (the command's own),
 * config.json, `overrides` (flags).
 */
export async function startNode(
  ctx: CliContext,
  overrides: NodeConfig,
  defaults: NodeConfig = {},
): Promise<RunningNode> {
  const genesis = ctx.genesis();
  const validatorKey = readKeyFile(ctx.paths.nodeKey);
  const config = mergeConfig(defaults, ctx.config(), overrides);
  const lock = claimHome(ctx.home);
  let node: WeftNode | undefined;
  try {
    node = await createNode({ genesis, validatorKey, options: nodeOptionsOf(ctx.home, config) });
    await node.start();
  } catch (e) {
    // Storage may be open by now: close it so the process can report the error and exit.
    await node?.stop().catch(() => undefined);
    lock.release();
    throw e;
  }
  lock.setUrl(node.url ?? "");
  const started = node;
  return {
    node: started,
    async stop() {
      await started.stop();
      lock.release();
    },
  };
}

const SIGNALS = ["SIGINT", "SIGTERM"] as const;

/**
 * Resolves once the node has stopped after SIGINT or SIGTERM. A second signal while stopping
 * exits at once (exit 130), for a stop that hangs.
 */
export function stopOnSignal(running: RunningNode, onStopping: (signal: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let stopping = false;
    const handler = (signal: NodeJS.Signals) => {
      if (stopping) process.exit(130);
      stopping = true;
      onStopping(signal);
      running.stop().then(() => {
        for (const s of SIGNALS) process.off(s, handler);
        resolve();
      }, reject);
    };
    for (const s of SIGNALS) process.on(s, handler);
  });
}
