import type { KeyPair } from "@weft/core";
import type { Database, Key } from "lmdb";
import type { TxSubmitter } from "../../app/tx-submitter.js";
import type { TraceReader } from "../../modules/trace/api.js";
import type { VerifyOptions } from "../../verify/options.js";
import type { EpcisApiOptions } from "./options.js";

/** EPCIS options as given (missing fields, also inside `verify`, take their defaults). */
export type EpcisOptionsInput = Partial<Omit<EpcisApiOptions, "verify">> & {
  verify?: Partial<VerifyOptions>;
};

/** What the EPCIS binding, the resolver and item verification need from the node. */
export interface EpcisDeps {
  /** The trace module's reader (committed, indexed events). */
  trace: TraceReader;
  /**
   * Signs this node's `trace.capture` transactions. For now the node's validator key: every
   * capture through this node's API is attributed to the node (binding API clients to member
   * identities is a later issue).
   */
  captureKey: KeyPair;
  /** The node's submitter for that key, shared with its other own transactions (evidence). */
  submitter?: TxSubmitter;
  /** Node-local LMDB repositories (`ChainStore.openRepository`): capture jobs, queries, scans. */
  openRepository<V = unknown, K extends Key = Key>(name: string): Database<V, K>;
  /** Limits, resolver templates and verification thresholds (defaults: `defaultEpcisApiOptions`). */
  options?: EpcisOptionsInput;
  /** Clock (ms); tests pass their own. */
  now?: () => number;
}
