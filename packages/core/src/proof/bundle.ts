import type { ChainEvent, TxReceipt } from "../block/log-entry.js";
import type { BlockHeader, CommitCertificate } from "../block/types.js";
import type { CanonicalValue } from "../encoding/canonical.js";
import type { SignedTx } from "../tx/envelope.js";

/** A log entry with its RFC 6962 inclusion path in the header's log. */
export interface LoggedEntry<T> {
  entry: T;
  logIndex: number;
  /** Audit path, hex, leaf to root. */
  path: string[];
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
}

/** Proves the value (or absence) of a state key after the block in `header`. */
export interface StateProofBundle {
  kind: "weft.proof.state/v1";
  chainId: string;
  genesisHash: string;
  key: string;
  /** The stored value (canonical JSON), or null to prove absence. */
  value: CanonicalValue | null;
  proof: { siblings: string[]; leaf?: { keyHash: string; valueHash: string } };
  header: BlockHeader;
  commit: CommitCertificate;
}

export type ProofBundle = TxProofBundle | StateProofBundle;
