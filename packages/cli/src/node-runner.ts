import { type WeftNode, createNode, readKeyFile } from "@weft/node";
import { type NodeConfig, loadNodeConfig, mergeConfig, nodeOptionsOf } from "./config.js";
import type { CliContext } from "./context.js";

/** Starts the home's node: genesis, validator key, config.json, then `overrides` (flags). */
export async function startNode(ctx: CliContext, overrides: NodeConfig): Promise<WeftNode> {
  const genesis = ctx.genesis();
  const validatorKey = readKeyFile(ctx.paths.nodeKey);
  const config = mergeConfig(loadNodeConfig(ctx.paths.config), overrides);
  const node = await createNode({ genesis, validatorKey, options: nodeOptionsOf(ctx.home, config) });
  try {
    await node.start();
  } catch (e) {
    // Storage is open by now: close it so the process can report the error and exit.
    await node.stop().catch(() => undefined);
    throw e;
  }
  return node;
}

const SIGNALS = ["SIGINT", "SIGTERM"] as const;

/**
 * Resolves once the node has stopped after SIGINT or SIGTERM. A second signal while stopping
 * exits at once (exit 130), for a stop that hangs.
 */
export function stopOnSignal(node: WeftNode, onStopping: (signal: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    let stopping = false;
    const handler = (signal: NodeJS.Signals) => {
      if (stopping) process.exit(130);
      stopping = true;
      onStopping(signal);
      node.stop().then(() => {
        for (const s of SIGNALS) process.off(s, handler);
        resolve();
      }, reject);
    };
    for (const s of SIGNALS) process.on(s, handler);
  });
}
