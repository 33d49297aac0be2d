import { type ApiOptions, defaultApiOptions } from "./api/options.js";
import { defaultSoloOptions, type SoloOptions } from "./consensus/options.js";
import { defaultMempoolOptions, type MempoolOptions } from "./mempool/options.js";
import { defaultStorageOptions, type StorageOptions } from "./storage/options.js";

/** The node's whole configuration: each subsystem's options under its own key. */
export interface NodeOptions {
  storage: StorageOptions;
  api: ApiOptions;
  mempool: MempoolOptions;
  consensus: SoloOptions;
  log: { level: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent" };
}

export type NodeOptionsInput = { storage: Partial<StorageOptions> & { dataDir: string } } & {
  [K in Exclude<keyof NodeOptions, "storage">]?: Partial<NodeOptions[K]>;
};

export function resolveNodeOptions(input: NodeOptionsInput): NodeOptions {
  return {
    storage: { ...defaultStorageOptions, ...input.storage },
    api: { ...defaultApiOptions, ...input.api },
    mempool: { ...defaultMempoolOptions, ...input.mempool },
    consensus: { ...defaultSoloOptions, ...input.consensus },
    log: { level: "info", ...input.log },
  };
}
