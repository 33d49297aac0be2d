import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Genesis, KeyPair } from "@weft/core";
import type { Logger } from "pino";
import {
  createNode,
  homePaths,
  type InitNetworkOptions,
  type InitNetworkReport,
  initNetwork,
  type Module,
  type NodeOptionsInput,
  readGenesis,
  readKeyFile,
  readNodeNetwork,
  type WeftNode,
  writeGenesis,
} from "../../src/index.js";
import { freePortRange } from "../e2e/support/process.js";

/** Fast timeouts for tests on loopback; production defaults are in consensus/options.ts. */
export const FAST_CONSENSUS: NodeOptionsInput["consensus"] = {
  timeoutProposeMs: 800,
  timeoutVoteMs: 300,
  timeoutDeltaMs: 200,
  commitTimeoutMs: 20,
  regossipIntervalMs: 500,
  statusIntervalMs: 300,
  emptyBlockIntervalMs: 2_000,
};

export interface TestNetwork {
  root: string;
  report: InitNetworkReport;
  accounts: Record<string, KeyPair>;
  nodes: (WeftNode | undefined)[];
  start(i: number): Promise<WeftNode>;
  stop(i: number): Promise<void>;
  close(): Promise<void>;
}

/** An n-organisation network of in-process nodes talking mutual TLS over 127.0.0.1. */
export async function createTestNetwork(
  n: number,
  opts: {
    accounts?: string[];
    consensus?: NodeOptionsInput["consensus"];
    epcis?: (i: number) => NodeOptionsInput["epcis"];
    logger?: (i: number) => Logger;
    /** GS1 identifiers by org name (org1…); others get the demo prefix 952000<i>. */
    gs1?: InitNetworkOptions["gs1"];
    /**
     * The last `nonValidators` nodes are in network.json (they connect and sync) but not in
     * genesis.validators: they follow until governance adds them.
     */
    nonValidators?: number;
    /** Rewrites the genesis every node starts from (e.g. an open chain without identity). */
    genesis?: (genesis: Genesis) => Genesis;
    /** Modules of every node (default: defaultModules). */
    modules?: readonly Module[];
  } = {},
): Promise<TestNetwork> {
  const root = mkdtempSync(join(tmpdir(), "weft-net-"));
  const orgs = Array.from({ length: n }, (_, i) => `org${i + 1}`);
  const report = await initNetwork(root, {
    chainId: "weft-test",
    orgs,
    host: "127.0.0.1",
    basePeerPort: await freePortRange(n),
    baseApiPort: 0,
    accounts: opts.accounts ?? ["alice", "bob"],
    asset: { id: "WEFT", name: "WEFT", decimals: 2, supplyPerAccount: "1000000000" },
    ...(opts.gs1 ? { gs1: opts.gs1 } : {}),
  });
  if (opts.nonValidators || opts.genesis) {
    const followers = new Set(report.orgs.slice(n - (opts.nonValidators ?? 0)).map((o) => o.validator));
    let genesis: Genesis = {
      ...report.genesis,
      validators: report.genesis.validators.filter((v) => !followers.has(v.address)),
    };
    if (opts.genesis) genesis = opts.genesis(genesis);
    report.genesis = genesis;
    writeGenesis(join(root, "genesis.json"), genesis);
    for (const org of orgs) writeGenesis(homePaths(join(root, org)).genesis, genesis);
  }
  const nodes: (WeftNode | undefined)[] = Array.from({ length: n });
  const net: TestNetwork = {
    root,
    report,
    accounts: report.accounts,
    nodes,
    async start(i) {
      const home = join(root, orgs[i] as string);
      const paths = homePaths(home);
      const node = await createNode({
        genesis: readGenesis(paths.genesis),
        validatorKey: readKeyFile(paths.nodeKey),
        network: readNodeNetwork(home),
        options: {
          storage: { dataDir: paths.data },
          api: { host: "127.0.0.1", port: 0 },
          consensus: { ...FAST_CONSENSUS, ...opts.consensus },
          p2p: { host: "127.0.0.1", reconnectInitialMs: 50, reconnectMaxMs: 500 },
          mempool: { verifyThreads: 1 },
          log: { level: "silent" },
          ...(opts.epcis ? { epcis: opts.epcis(i) } : {}),
        },
        ...(opts.logger ? { logger: opts.logger(i) } : {}),
        ...(opts.modules ? { modules: opts.modules } : {}),
      });
      await node.start();
      nodes[i] = node;
      return node;
    },
    async stop(i) {
      const node = nodes[i];
      nodes[i] = undefined;
      await node?.stop();
    },
    async close() {
      await Promise.all(nodes.map((_, i) => net.stop(i)));
      rmSync(root, { recursive: true, force: true });
    },
  };
  return net;
}

/** Polls until `check` holds or the time runs out (then throws with `what`). */
export async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
