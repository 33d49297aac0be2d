import type { ChainEvent, TxReceipt } from "../block/log-entry.js";
import type { BlockHeader, CommitCertificate, Validator } from "../block/types.js";
import type { CanonicalValue } from "../encoding/canonical.js";
import type { SignedTx } from "../tx/envelope.js";

/** A log entry with its RFC 6962 inclusion path in the header's log. */
export interface LoggedEntry<T> {
  entry: T;
  logIndex: number;
  /** Audit path, hex, leaf to root. */
  path: string[];
}

/** A state-tree inclusion (leaf) or absence path, as `proveState` returns it. */
export interface StatePath {
  siblings: string[];
  leaf?: { keyHash: string; valueHash: string };
}

/** The state key holding the validator set of the next height (the `validators` module). */
export const VALIDATOR_SET_STATE_KEY = "validators/set";

/**
 * One hand-over of the validator set, as a verifier walking from genesis needs it: the header
 * of the last block of the old set (height e-1), its commit certificate signed by the old set,
 * and the new set proven under `validators/set` at that header's state root (set of e).
 */
export interface ValidatorSetChange {
  header: BlockHeader;
  commit: CommitCertificate;
  set: Validator[];
  proof: StatePath;
}

/** Proves that a transaction was committed with this result, to anyone holding the genesis file. */
export interface TxProofBundle {
  kind: "weft.proof.tx/v1";
  chainId: string;
  genesisHash: string;
  tx: SignedTx;
  receipt: LoggedEntry<TxReceipt>;
  events: LoggedEntry<ChainEvent>[];
  header: BlockHeader;
  commit: CommitCertificate;
  /** Every validator set change in (genesis, header.height], in order; absent when none. */
  validatorSetChanges?: ValidatorSetChange[];
}

/** Proves the value (or absence) of a state key after the block in `header`. */
export interface StateProofBundle {
  kind: "weft.proof.state/v1";
  chainId: string;
  genesisHash: string;
  key: string;
  /** The stored value (canonical JSON), or null to prove absence. */
  value: CanonicalValue | null;
  proof: StatePath;
  header: BlockHeader;
  commit: CommitCertificate;
  /** Every validator set change in (genesis, header.height], in order; absent when none. */
  validatorSetChanges?: ValidatorSetChange[];
}

export type ProofBundle = TxProofBundle | StateProofBundle;
