import { pathToFileURL } from "node:url";
import { utf8 } from "../src/encoding/bytes.js";
import {
  emptyStateRoot,
  MemoryStateNodeStore,
  proveState,
  type StateChange,
  updateStateTree,
  verifyStateProof,
} from "../src/merkle/state-tree.js";

const BASE_KEYS = Number(process.env.WEFT_BENCH_STATE_KEYS ?? 1_000_000);
const BATCH = 10_000;
const BATCHES = 5;
const PROOFS = 20_000;

const key = (i: number) => utf8(`token/balance/ACME/${i.toString(16).padStart(40, "0")}`);
const value = (i: number, round: number) => utf8(`{"amount":"${i * 7 + round}"}`);

function secondsSince(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/** Batch update, proof generation and proof verification rates on a large in-memory tree. */
export async function benchStateTree(): Promise<Record<string, number>> {
  const store = new MemoryStateNodeStore();
  let start = process.hrtime.bigint();
  let root = emptyStateRoot();
  // Built in 100k-key batches: one giant batch only adds garbage-collection time to the setup.
  for (let from = 0; from < BASE_KEYS; from += 100_000) {
    const changes: StateChange[] = [];
    for (let i = from; i < Math.min(BASE_KEYS, from + 100_000); i++)
      changes.push({ key: key(i), value: value(i, 0) });
    const built = updateStateTree(store, root, changes);
    store.putNodes(built.newNodes);
    root = built.root;
  }
  const buildSeconds = secondsSince(start);

  // Each batch rewrites BATCH/2 existing keys and inserts BATCH/2 new ones.
  let updateSeconds = 0;
  const lastRound = new Map<number, number>();
  for (let round = 1; round <= BATCHES; round++) {
    const changes: StateChange[] = [];
    for (let j = 0; j < BATCH / 2; j++) {
      const existing = (j * 7919 + round * 104_729) % BASE_KEYS;
      const fresh = BASE_KEYS + round * BATCH + j;
      changes.push({ key: key(existing), value: value(existing, round) });
      changes.push({ key: key(fresh), value: value(fresh, round) });
      lastRound.set(existing, round);
      lastRound.set(fresh, round);
    }
    start = process.hrtime.bigint();
    const next = updateStateTree(store, root, changes);
    updateSeconds += secondsSince(start);
    store.putNodes(next.newNodes);
    root = next.root;
  }

  const proofKeys = Array.from({ length: PROOFS }, (_, j) => (j * 15_485_863) % (BASE_KEYS * 2));
  start = process.hrtime.bigint();
  const proofs = proofKeys.map((i) => proveState(store, root, key(i)));
  const proveSeconds = secondsSince(start);
  // Keys past BASE_KEYS were mostly never written: those verify as non-inclusion proofs.
  const claims = proofKeys.map((i) =>
    i < BASE_KEYS || lastRound.has(i) ? value(i, lastRound.get(i) ?? 0) : null,
  );
  start = process.hrtime.bigint();
  for (let j = 0; j < PROOFS; j++) {
    verifyStateProof(root, key(proofKeys[j] as number), claims[j] as Uint8Array | null, proofs[j]!);
  }
  const verifySeconds = secondsSince(start);

  return {
    baseKeys: BASE_KEYS,
    storedNodes: store.size,
    buildSeconds,
    batchKeys: BATCH,
    batchUpdateMs: (updateSeconds / BATCHES) * 1000,
    updateKeysPerSecond: (BATCH * BATCHES) / updateSeconds,
    proofsPerSecond: PROOFS / proveSeconds,
    verificationsPerSecond: PROOFS / verifySeconds,
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const figures = await benchStateTree();
  for (const [name, figure] of Object.entries(figures)) {
    console.log(`${name.padEnd(24)} ${Number.isInteger(figure) ? figure : figure.toFixed(2)}`);
  }
}
