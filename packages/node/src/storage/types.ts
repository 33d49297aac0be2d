import type { ChainEvent, CommitCertificate, LogNodeStore, StateNodeStore, TxReceipt } from "@weft/core";

/** The result of a transaction as stored: its receipt and events, each with its log position. */
export interface StoredResult {
  receipt: TxReceipt;
  logIndex: number;
  events: { entry: ChainEvent; logIndex: number }[];
}

export interface ChainHead {
  height: number;
  /** The genesis hash at height 0. */
  blockHash: string;
  stateRoot: string;
  logSize: number;
  time: number;
  /** Certificate of the head block; null at height 0. */
  commit: CommitCertificate | null;
}

/** Everything one block changes, written in a single atomic transaction. */
export interface BlockWrite {
  height: number;
  blockHash: string;
  /** Canonical bytes of the block (header, txs, last commit). */
  blockBytes: Uint8Array;
  commit: CommitCertificate;
  time: number;
  stateRoot: string;
  logSize: number;
  txHashes: string[];
  results: StoredResult[];
  /** canonicalBytes of each result, already encoded by execution. */
  resultBytes: Uint8Array[];
  /** End-of-block events (txIndex null) with their log positions. */
  blockEvents: { entry: ChainEvent; logIndex: number }[];
  /** Sorted by key; null deletes. */
  stateChanges: [string, Uint8Array | null][];
  stateNodes: Map<string, Uint8Array>;
  logNodes: [number, number, Uint8Array][];
}

/** Read access to committed state that execution needs; the LMDB store and replays provide it. */
export interface StateSource {
  getState(key: string): Uint8Array | undefined;
  readonly stateNodes: StateNodeStore;
  readonly logNodes: LogNodeStore;
}
