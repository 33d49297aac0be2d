// Runs one node from a home folder as its own process (for end-to-end tests): node-main <home> <port>
// WEFT_NODE_OPTIONS (JSON) overrides options per subsystem, e.g. fast consensus timeouts.
import {
  createNode,
  homePaths,
  type NodeOptionsInput,
  readGenesis,
  readKeyFile,
  readNodeNetwork,
} from "../../../src/index.js";

const [home, port] = process.argv.slice(2);
if (!home || !port) throw new Error("usage: node-main <home> <port>");
const paths = homePaths(home);
const extra = JSON.parse(process.env.WEFT_NODE_OPTIONS ?? "{}") as Omit<NodeOptionsInput, "storage">;
const network = readNodeNetwork(home);
const node = await createNode({
  genesis: readGenesis(paths.genesis),
  validatorKey: readKeyFile(paths.nodeKey),
  ...(network ? { network } : {}),
  options: {
    log: { level: "warn" },
    ...extra,
    storage: { dataDir: paths.data },
    api: { ...extra.api, port: Number(port) },
  },
});
await node.start();
process.stdout.write(`READY ${node.url}\n`);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    process.stderr.write(`received ${signal}\n`);
    void node.stop().then(() => process.exit(0));
  });
}
