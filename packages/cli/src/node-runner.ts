import { addressOf, type Genesis } from "@weft/core";
import { createNode, type NodeNetwork, readKeyFile, readNodeNetwork, type WeftNode } from "@weft/node";
import { mergeConfig, type NodeConfig, nodeOptionsOf } from "./config.js";
import type { CliContext } from "./context.js";
import { requireNodeHome } from "./network.js";
import { claimHome } from "./node-lock.js";

/** Something running that stops on request (one node, or a whole dev network). */
export interface Stoppable {
  stop(): Promise<void>;
}

/** A started node and how to stop it (which also releases the home). */
export interface RunningNode extends Stoppable {
  node: WeftNode;
  genesis: Genesis;
  /** This node's validator address. */
  validator: string;
  /** The peer book and this node's identity, when the home belongs to a network. */
  network: NodeNetwork | undefined;
}

/**
 * Starts the home's node: with `<home>/network.json` it joins that network (BFT consensus over
 * mutual TLS), else it runs alone. Options in increasing precedence: `defaults` (the command's
 * own), config.json, `overrides` (flags).
 */
export async function startNode(
  ctx: CliContext,
  overrides: NodeConfig,
  defaults: NodeConfig = {},
): Promise<RunningNode> {
  requireNodeHome(ctx.home, ctx.shownHome(), "start");
  const genesis = ctx.genesis();
  const validatorKey = readKeyFile(ctx.paths.nodeKey);
  const network = readNodeNetwork(ctx.home);
  const config = mergeConfig(defaults, ctx.config(), overrides);
  const lock = claimHome(ctx.home);
  let node: WeftNode | undefined;
  try {
    // SIGHUP reloads a rotated TLS certificate (`weft cert rotate`); the tls folder is watched too.
    const withReload = network && { ...network, reloadOnSighup: true };
    node = await createNode({
      genesis,
      validatorKey,
      options: nodeOptionsOf(ctx.home, config),
      network: withReload,
    });
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
    genesis,
    validator: addressOf(validatorKey),
    network,
    async stop() {
      await started.stop();
      lock.release();
    },
  };
}

const SIGNALS = ["SIGINT", "SIGTERM"] as const;

/**
 * Resolves once `running` has stopped after SIGINT or SIGTERM. A second signal while stopping
 * exits at once (exit 130), for a stop that hangs.
 */
export function stopOnSignal(running: Stoppable, onStopping: (signal: string) => void): Promise<void> {
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
