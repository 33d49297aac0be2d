// `npm run bench`: every figure is printed beside the limit measured in the same run on this machine.
import { availableParallelism, cpus } from "node:os";
import { benchMerkleLog } from "../packages/core/bench/merkle-log.js";
import { benchStateTree } from "../packages/core/bench/state-tree.js";
import { benchAuthorization } from "../packages/node/bench/authorization.js";
import { benchBftThroughput } from "../packages/node/bench/bft-throughput.js";
import { verificationsPerSecond } from "../packages/node/bench/crypto-limit.js";
import { benchEscrow, printEscrow } from "../packages/node/bench/escrow.js";
import { benchEscrowBft, printEscrowBft } from "../packages/node/bench/escrow-bft.js";
import { benchProofBundles } from "../packages/node/bench/proof-bundle.js";
import { benchThroughput } from "../packages/node/bench/throughput.js";
import { benchGenealogy } from "../packages/node/bench/trace-genealogy.js";
import {
  benchBftTraceCapture,
  benchTraceCapture,
  EVENTS_PER_TX,
} from "../packages/node/bench/trace-throughput.js";

const loads = (process.env.WEFT_BENCH_LOADS ?? "1000,2000,5000,8000").split(",").map(Number);
const bftLoads = (process.env.WEFT_BENCH_BFT_LOADS ?? "500,1000,2000").split(",").map(Number);
const traceLoads = (process.env.WEFT_BENCH_TRACE_LOADS ?? "1000,2000,4000").split(",").map(Number);
const traceBftLoads = (process.env.WEFT_BENCH_TRACE_BFT_LOADS ?? "500,1000").split(",").map(Number);
const traceLedgerEvents = Number(process.env.WEFT_BENCH_TRACE_EVENTS ?? 1_000_000);
const seconds = Number(process.env.WEFT_BENCH_SECONDS ?? 10);
const [authOrgs, authMembers] = (process.env.WEFT_BENCH_AUTH_REGISTRY ?? "50x200").split("x").map(Number);
const authBlockTxs = Number(process.env.WEFT_BENCH_AUTH_TXS ?? 2000);
const openEscrows = Number(process.env.WEFT_BENCH_ESCROWS ?? 10_000);
const escrowTxs = Number(process.env.WEFT_BENCH_ESCROW_TXS ?? 5000);
const escrowBftLoads = (process.env.WEFT_BENCH_ESCROW_BFT_LOADS ?? "250,500").split(",").map(Number);
const escrowBftSeconds = Number(process.env.WEFT_BENCH_ESCROW_BFT_SECONDS ?? 5);
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

console.log(
  `# Weft benchmarks — ${cpus()[0]?.model ?? "cpu"}, ${availableParallelism()} cores, Node ${process.version}\n`,
);
const ed = verificationsPerSecond("ed25519");
const p256 = verificationsPerSecond("p256");
const cores = availableParallelism();
console.log("## Limits of this machine (same run)");
console.log(`Ed25519 verifications/s, one core:  ${fmt(ed)}   (all cores: ${fmt(ed * cores)})`);
console.log(`P-256 verifications/s, one core:    ${fmt(p256)}   (all cores: ${fmt(p256 * cores)})\n`);

console.log("## Single-node committed transfers (node in its own process, load generator in this one)");
console.log(
  "offered tx/s | committed tx/s | commit latency p50 | p99 | Ed25519 bound (cores × verifications/s)",
);
for (const load of loads) {
  const r = await benchThroughput(load, seconds);
  console.log(
    `${fmt(r.offeredTps).padStart(12)} | ${fmt(r.committedTps).padStart(14)} | ${`${fmt(r.p50Ms)} ms`.padStart(18)} | ${`${fmt(r.p99Ms)} ms`.padStart(8)} | ${fmt(ed * cores)}  (${r.committed}/${r.submitted} committed)`,
  );
}

const validators = 4;
console.log(
  "\n## Four validators, each its own process, mutual TLS on 127.0.0.1 (load spread over all four APIs)",
);
console.log(
  `offered tx/s | committed tx/s | finality p50 | p99 | signature bound (cores × verifications/s ÷ validators)`,
);
for (const load of bftLoads) {
  const r = await benchBftThroughput(load, seconds);
  console.log(
    `${fmt(r.offeredTps).padStart(12)} | ${fmt(r.committedTps).padStart(14)} | ${`${fmt(r.p50Ms)} ms`.padStart(12)} | ${`${fmt(r.p99Ms)} ms`.padStart(8)} | ${fmt((ed * cores) / validators)}  (${r.committed}/${r.submitted} committed)`,
  );
}

console.log(
  `\n## EPCIS capture: committed events/s (signed trace.capture transactions of ${EVENTS_PER_TX} events each; validation, CBV 2.0 hash ids, indexes)`,
);
console.log(
  "network                  | offered events/s | committed events/s | finality p50 | p99 | tx signature bound (events/s)",
);
const traceRow = (label: string, r: Awaited<ReturnType<typeof benchTraceCapture>>, bound: number) =>
  console.log(
    `${label.padEnd(24)} | ${fmt(r.offeredEventsPerSec).padStart(16)} | ${fmt(r.committedEventsPerSec).padStart(18)} | ${`${fmt(r.p50Ms)} ms`.padStart(12)} | ${`${fmt(r.p99Ms)} ms`.padStart(8)} | ${fmt(bound)}  (${r.committed}/${r.submitted} txs committed)`,
  );
for (const load of traceLoads)
  traceRow("one node", await benchTraceCapture(load, seconds), ed * cores * EVENTS_PER_TX);
for (const load of traceBftLoads) {
  traceRow(
    "four validators",
    await benchBftTraceCapture(load, seconds),
    ((ed * cores) / validators) * EVENTS_PER_TX,
  );
}

console.log(`\n## Genealogy on a ledger of ${fmt(traceLedgerEvents)} EPCIS events (one node, in process)`);
const gen = await benchGenealogy(traceLedgerEvents);
console.log(
  `ledger built through trace.capture in ${fmt(gen.buildSeconds)} s (${fmt(gen.capturedEventsPerSec)} events/s); ${fmt(gen.genealogies)} genealogies of 10 tiers; ${gen.samples} samples each`,
);
console.log("query                                   | p50      | p99      | size");
console.log(
  `lineage upstream (item → 10 tiers)      | ${gen.upstream.p50Ms} ms | ${gen.upstream.p99Ms} ms | ${gen.upstream.nodes} nodes`,
);
console.log(
  `lineage downstream (root lot → items)   | ${gen.downstream.p50Ms} ms | ${gen.downstream.p99Ms} ms | ${gen.downstream.nodes} nodes`,
);
console.log(
  `recall (root lot → items with status)   | ${gen.recall.p50Ms} ms | ${gen.recall.p99Ms} ms | ${gen.recall.items} items`,
);

const auth = await benchAuthorization(authOrgs, authMembers, authBlockTxs);
const edUs = 1e6 / ed;
console.log(
  `\n## Permissioning: the identity authorize hook on ${fmt(auth.orgs)} orgs × ${fmt(auth.members / auth.orgs)} members, default policies (in memory)`,
);
console.log(
  "call (policy)                                                          | authorizations/s, one core | Ed25519 limit, one core",
);
for (const c of auth.cases)
  console.log(
    `${c.label.padEnd(70)} | ${`${fmt(c.perSec)} (${(1e6 / c.perSec).toFixed(1)} µs)`.padStart(26)} | ${fmt(ed)} verifications/s (${edUs.toFixed(0)} µs): authorizing is ${fmt(c.perSec / ed)}× cheaper`,
  );
console.log(`\nblock of ${fmt(auth.blockTxs)} signed transfers, executeBlock in process (median of 7)`);
console.log(
  "chain                                          | ms per block | overhead            | Ed25519 limit: its signatures, one core",
);
const sigMs = (auth.blockTxs * edUs) / 1000;
console.log(
  `${"open".padEnd(46)} | ${`${auth.openMs.toFixed(1)} ms`.padStart(12)} | ${"".padEnd(19)} | ${fmt(sigMs)} ms (${edUs.toFixed(0)} µs/tx)`,
);
for (const b of auth.blocks) {
  const perTxUs = ((b.ms - auth.openMs) * 1000) / auth.blockTxs;
  console.log(
    `${b.label.padEnd(46)} | ${`${b.ms.toFixed(1)} ms`.padStart(12)} | ${`+${b.overheadPct.toFixed(0)} %, ${perTxUs.toFixed(1)} µs/tx`.padEnd(19)} | ${fmt(sigMs)} ms (overhead = ${((perTxUs / edUs) * 100).toFixed(0)} % of a verification)`,
  );
}

printEscrow(await benchEscrow(openEscrows, escrowTxs), ed);
printEscrowBft(await benchEscrowBft(escrowBftLoads, escrowBftSeconds), ed, cores);

console.log("\n## Proof bundles");
const pb = benchProofBundles();
console.log(
  `tx proof bundle with ${fmt(pb.logEntries)} log entries: ${fmt(pb.txBundleBytes)} bytes (${pb.txBundlePathHashes} path hashes)`,
);
console.log(
  `tx bundle verifications/s:    ${fmt(pb.txBundleVerifiesPerSec)}   (Ed25519 limit one core: ${fmt(ed)})`,
);
console.log(`state bundles over ${fmt(pb.stateKeys)} keys: ${fmt(pb.stateBundleBytes)} bytes`);
console.log(`state bundle generations/s:   ${fmt(pb.stateBundleGeneratedPerSec)}`);
console.log(
  `state bundle verifications/s: ${fmt(pb.stateBundleVerifiesPerSec)}   (Ed25519 limit one core: ${fmt(ed)})`,
);

console.log("\n## Merkle structures (core, in memory)");
const log = await benchMerkleLog();
console.log(
  `RFC 6962 log, ${fmt(log.entries ?? 0)} entries: appends/s ${fmt(log.appendsPerSec ?? 0)}, inclusion proofs/s ${fmt(log.inclusionProofsPerSec ?? 0)}, verifications/s ${fmt(log.inclusionVerifiesPerSec ?? 0)}, proof ${fmt(log.inclusionProofBytes ?? 0)} bytes`,
);
const st = await benchStateTree();
console.log(
  `state tree, ${fmt(st.baseKeys ?? 0)} keys: ${fmt(st.batchKeys ?? 0)}-key batch in ${fmt(st.batchUpdateMs ?? 0)} ms (${fmt(st.updateKeysPerSecond ?? 0)} keys/s), proofs/s ${fmt(st.proofsPerSecond ?? 0)}, verifications/s ${fmt(st.verificationsPerSecond ?? 0)}`,
);
