import {
  bytesEqual,
  bytesToHex,
  canonicalBytes,
  type Genesis,
  genesisHash,
  hexToBytes,
  sha256,
  type Validator,
} from "@weft/core";
import { chainParamsFor } from "../app/chain-params.js";
import type { executeBlock } from "../app/executor.js";
import { buildGenesisState } from "../app/genesis-state.js";
import type { ModuleRegistry } from "../app/registry.js";
import { validatorSetFor } from "../modules/validators/state.js";
import type { ChainStore } from "../storage/chain-store.js";
import { AuditFailure, checkStoredBlock, fail, replayBlock } from "./block-check.js";
import { MemoryChain } from "./memory-chain.js";

export interface AuditReport {
  ok: boolean;
  blocks: number;
  txs: number;
  failure?: { height: number | null; field: string; message: string };
}

const HEADER_FIELDS = ["txRoot", "txCount", "stateRoot", "logRoot", "logSize"] as const;

/**
 * Re-verifies everything stored: every block's hash chain, certificates and signatures, then
 * re-executes every block from genesis in memory and compares each root and each derived
 * record (results, indexes, state, state history, Merkle nodes) with what storage holds.
 * Reports the first height and field that fails.
 */
export async function auditChain(
  store: ChainStore,
  genesis: Genesis,
  registry: ModuleRegistry,
): Promise<AuditReport> {
  let blocks = 0;
  let txs = 0;
  try {
    const expectedGenesis = genesisHash(genesis);
    if (store.genesisHash() !== expectedGenesis)
      throw fail(0, "genesis", "storage belongs to another genesis");
    const head = store.head();
    if (!head) throw fail(0, "head", "missing");
    const memory = new MemoryChain();
    const initial = buildGenesisState(genesis, registry);
    memory.apply(initial);
    checkStateHistory(store, 0, initial.stateChanges);
    let previousHash = expectedGenesis;
    let stateRoot = initial.stateRoot;
    let logSize = 0;
    const lastStored = [...store.blocks.getKeys({ reverse: true, limit: 1 })][0] ?? 0;
    if (lastStored !== head.height)
      throw fail(head.height, "head", `storage holds blocks up to ${lastStored}`);
    let previousSet = genesis.validators as readonly Validator[];
    for (let height = 1; height <= head.height; height++) {
      // The sets and params come from the re-executed state, never from what storage claims.
      const read = (key: string) => memory.getState(key);
      const currentSet = validatorSetFor(read, genesis);
      const checked = checkStoredBlock(
        genesis,
        height,
        store.getBlockBytes(height),
        previousHash,
        store.getCommit(height),
        { current: currentSet, previous: previousSet },
        chainParamsFor(read, genesis).maxTxBytes,
      );
      previousSet = currentSet;
      const h = checked.block.header;
      const executed = replayBlock(genesis, registry, memory, checked, {
        hash: previousHash,
        stateRoot,
        logSize,
      });
      for (const field of HEADER_FIELDS) {
        if (executed.block.header[field] !== h[field]) {
          throw fail(
            height,
            `header.${field}`,
            `stored ${h[field]}, re-execution gives ${executed.block.header[field]}`,
          );
        }
      }
      checkDerived(store, height, executed.write);
      memory.apply(executed.write);
      previousHash = checked.hash;
      stateRoot = h.stateRoot;
      logSize = h.logSize;
      blocks++;
      txs += checked.txs.length;
    }
    if (head.blockHash !== previousHash || head.stateRoot !== stateRoot || head.logSize !== logSize) {
      throw fail(head.height, "head", "does not match the last block");
    }
    checkState(store, memory, head.height);
    checkNodeCounts(store, memory, head.height);
    return { ok: true, blocks, txs };
  } catch (e) {
    if (e instanceof AuditFailure) {
      return {
        ok: false,
        blocks,
        txs,
        failure: { height: e.type.height, field: e.type.field, message: e.message },
      };
    }
    return {
      ok: false,
      blocks,
      txs,
      failure: { height: blocks + 1, field: "storage", message: (e as Error).message },
    };
  }
}

function checkDerived(
  store: ChainStore,
  height: number,
  write: ReturnType<typeof executeBlock>["write"],
): void {
  write.results.forEach((result, index) => {
    const stored = store.results.get([height, index]);
    if (!stored || !bytesEqual(stored, canonicalBytes(result)))
      throw fail(height, `results[${index}]`, "differs from re-execution");
    const loc = store.getTxLocation(result.receipt.txHash);
    if (!loc || loc.height !== height || loc.index !== index)
      throw fail(height, `tx-index[${result.receipt.txHash}]`, "points elsewhere");
  });
  if (store.results.get([height, write.results.length]) !== undefined)
    throw fail(height, "results", "holds an extra entry");
  checkStateHistory(store, height, write.stateChanges);
  for (const [hex, node] of write.stateNodes) {
    const stored = store.stateNodeDb.get(hexToBytes(hex));
    if (!stored || !bytesEqual(stored, node))
      throw fail(height, `state-nodes[${hex}]`, "differs from re-execution");
  }
  for (const [level, index, hash] of write.logNodes) {
    const stored = store.logNodeDb.get([level, index]);
    if (!stored || !bytesEqual(stored, hash))
      throw fail(height, `log-nodes[${level},${index}]`, "differs from re-execution");
  }
}

function checkStateHistory(store: ChainStore, height: number, changes: [string, Uint8Array | null][]): void {
  for (const [key, value] of changes) {
    const stored = store.stateHistoryAt(key, height);
    if (stored === undefined || !bytesEqual(stored, value ?? new Uint8Array(0))) {
      throw fail(height, `state-history[${key}]`, "differs from re-execution");
    }
  }
}

function checkState(store: ChainStore, memory: MemoryChain, height: number): void {
  let count = 0;
  for (const [key, value] of store.stateEntries()) {
    count++;
    const expected = memory.state.get(key);
    if (!expected || !bytesEqual(expected, value)) {
      const at = store.lastWriteHeight(key) ?? height;
      throw fail(
        at,
        `state[${key}]`,
        expected ? "value differs from re-execution" : "is not produced by re-execution",
      );
    }
  }
  if (count !== memory.state.size) {
    for (const key of memory.state.keys()) {
      if (store.getState(key) === undefined)
        throw fail(store.lastWriteHeight(key) ?? height, `state[${key}]`, "missing");
    }
  }
}

function checkNodeCounts(store: ChainStore, memory: MemoryChain, height: number): void {
  // Every stored node must be one re-execution produced (content addressing: key = hash).
  for (const { key, value } of store.stateNodeDb.getRange()) {
    if (!bytesEqual(sha256(value), key))
      throw fail(height, `state-nodes[${bytesToHex(key)}]`, "content does not match its hash");
  }
  let logNodes = 0;
  for (const _ of store.logNodeDb.getKeys()) logNodes++;
  if (logNodes !== memory.logNodes.nodeCount)
    throw fail(height, "log-nodes", `storage holds ${logNodes}, re-execution ${memory.logNodes.nodeCount}`);
}
