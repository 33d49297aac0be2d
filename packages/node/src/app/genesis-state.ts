import { bytesToHex, emptyStateRoot, type Genesis, updateStateTree, utf8 } from "@weft/core";
import { AppError } from "../errors.js";
import { BlockState, type StateReader } from "./block-state.js";
import type { ModuleRegistry } from "./registry.js";

export interface GenesisState {
  stateRoot: string;
  stateChanges: [string, Uint8Array | null][];
  stateNodes: Map<string, Uint8Array>;
}

const EMPTY: StateReader = { getState: () => undefined };

/** Builds height 0: every module's initial state from the genesis appState. */
export function buildGenesisState(genesis: Genesis, registry: ModuleRegistry): GenesisState {
  for (const name of Object.keys(genesis.appState)) registry.module(name);
  const state = new BlockState(EMPTY);
  for (const m of registry.modules) {
    const appState = genesis.appState[m.name];
    if (appState === undefined || !m.initGenesis) continue;
    if (m.genesisSchema) registry.validate(m.genesisSchema, appState, `genesis appState.${m.name}`);
    try {
      m.initGenesis({ chainId: genesis.chainId, state: state.scoped(m.name) }, appState);
    } catch (e) {
      throw new AppError({
        code: "APP_INVALID_GENESIS",
        message: `genesis appState.${m.name}: ${(e as Error).message}`,
      });
    }
  }
  const stateChanges = state.changes();
  const tree = updateStateTree(
    { getNode: () => undefined },
    emptyStateRoot(),
    stateChanges.map(([key, value]) => ({ key: utf8(key), value })),
  );
  return { stateRoot: bytesToHex(tree.root), stateChanges, stateNodes: tree.newNodes };
}
