import { defaultP2POptions, type P2POptions } from "@weft/p2p";
import { defaultEpcisApiOptions, type EpcisApiOptions } from "./api/epcis/options.js";
import { type ApiOptions, defaultApiOptions } from "./api/options.js";
import { type ConsensusOptions, defaultConsensusOptions } from "./consensus/options.js";
import { defaultIdentityOptions, type IdentityOptions } from "./identity-options.js";
import { defaultMempoolOptions, type MempoolOptions } from "./mempool/options.js";
import { defaultStorageOptions, type StorageOptions } from "./storage/options.js";
import { defaultVerifyOptions, type VerifyOptions } from "./verify/options.js";

/** The node's whole configuration: each subsystem's options under its own key. */
export interface NodeOptions {
  storage: StorageOptions;
  api: ApiOptions;
  mempool: MempoolOptions;
  consensus: ConsensusOptions;
  p2p: P2POptions;
  /** The EPCIS REST binding, resolver and verification (limits, public URL, templates). */
  epcis: Omit<EpcisApiOptions, "verify">;
  /** Thresholds of item verification's clone and counterfeit signals. */
  verify: VerifyOptions;
  /** Certificate expiry warnings and TLS certificate reloads. */
  identity: IdentityOptions;
  log: { level: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent" };
}

export type NodeOptionsInput = { storage: Partial<StorageOptions> & { dataDir: string } } & {
  [K in Exclude<keyof NodeOptions, "storage">]?: Partial<NodeOptions[K]>;
};

const { verify: _verify, ...epcisDefaults } = defaultEpcisApiOptions;

export function resolveNodeOptions(input: NodeOptionsInput): NodeOptions {
  return {
    storage: { ...defaultStorageOptions, ...input.storage },
    api: { ...defaultApiOptions, ...input.api },
    mempool: { ...defaultMempoolOptions, ...input.mempool },
    consensus: { ...defaultConsensusOptions, ...input.consensus },
    p2p: { ...defaultP2POptions, ...input.p2p },
    epcis: { ...epcisDefaults, ...input.epcis },
    verify: { ...defaultVerifyOptions, ...input.verify },
    identity: { ...defaultIdentityOptions, ...input.identity },
    log: { level: "info", ...input.log },
  };
}
