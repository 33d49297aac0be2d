// Runs one node from a home folder as its own process (for end-to-end tests): node-main <home> <port>
import { createNode, homePaths, readGenesis, readKeyFile } from "../../../src/index.js";

const [home, port] = process.argv.slice(2);
if (!home || !port) throw new Error("usage: node-main <home> <port>");
const paths = homePaths(home);
const node = await createNode({
  genesis: readGenesis(paths.genesis),
  validatorKey: readKeyFile(paths.nodeKey),
  options: { storage: { dataDir: paths.data }, api: { port: Number(port) }, log: { level: "warn" } },
});
await node.start();
process.stdout.write(`READY ${node.url}\n`);
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    process.stderr.write(`received ${signal}\n`);
    void node.stop().then(() => process.exit(0));
  });
}
