import { type Genesis, genesisHash, type Validator } from "@weft/core";
import { chainParamsFor } from "../app/chain-params.js";
import { buildGenesisState } from "../app/genesis-state.js";
import type { ModuleRegistry } from "../app/registry.js";
import { validatorSetFor } from "../modules/validators/state.js";
import type { ChainStore } from "../storage/chain-store.js";
import { checkStoredBlock, fail, replayBlock } from "./block-check.js";

export interface RebuildReport {
  blocks: number;
  txs: number;
  stateRoot: string;
}

/**
 * Throws away everything derived from blocks (state, history, Merkle nodes, indexes) and
 * derives it again by verifying and re-executing every stored block from genesis. The result
 * must reproduce each header's roots; the first block that does not stops the rebuild.
 */
export async function rebuildChain(
  store: ChainStore,
  genesis: Genesis,
  registry: ModuleRegistry,
): Promise<RebuildReport> {
  const heights = [...store.blocks.getKeys()];
  const last = heights.at(-1) ?? 0;
  if (heights.length !== last)
    throw fail(null, "blocks", `storage holds ${heights.length} blocks but the last is ${last}`);
  await store.clearDerived();
  const initial = buildGenesisState(genesis, registry);
  const hash = genesisHash(genesis);
  await store.commitGenesis(hash, genesis.genesisTime, initial);
  let previousHash = hash;
  let stateRoot = initial.stateRoot;
  let logSize = 0;
  let txs = 0;
  let previousSet = genesis.validators as readonly Validator[];
  for (let height = 1; height <= last; height++) {
    const commit = store.getCommit(height);
    // The store's state is the rebuilt state after height - 1: sets and params come from it.
    const read = (key: string) => store.getState(key);
    const currentSet = validatorSetFor(read, genesis);
    const checked = checkStoredBlock(
      genesis,
      height,
      store.getBlockBytes(height),
      previousHash,
      commit,
      { current: currentSet, previous: previousSet },
      chainParamsFor(read, genesis).maxTxBytes,
    );
    previousSet = currentSet;
    const h = checked.block.header;
    const executed = replayBlock(genesis, registry, store, checked, {
      hash: previousHash,
      stateRoot,
      logSize,
    });
    if (executed.hash !== checked.hash)
      throw fail(height, "header", "re-execution gives different roots than the stored header");
    await store.writeReplayed({
      ...executed.write,
      blockHash: checked.hash,
      blockBytes: new Uint8Array(0),
      commit: commit!,
    });
    previousHash = checked.hash;
    stateRoot = h.stateRoot;
    logSize = h.logSize;
    txs += checked.txs.length;
  }
  return { blocks: last, txs, stateRoot };
}
