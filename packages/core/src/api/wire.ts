import type { ChainEvent, TxReceipt } from "../block/log-entry.js";
import type { Block, BlockHeader, CommitCertificate } from "../block/types.js";
import type { SignedTx } from "../tx/envelope.js";

// Shapes the node's HTTP API returns, shared by the node (which produces them) and the SDK
// (which must not depend on the node: it bundles for browsers).

/** Where a transaction stands. A committed receipt may still say `failed`. */
export interface TxStatus {
  hash: string;
  /** pending: in the mempool; committed: in a block (its receipt says ok or failed). */
  status: "pending" | "committed";
  height?: number;
  index?: number;
  tx: SignedTx;
  receipt?: TxReceipt;
  events?: ChainEvent[];
}

export interface BlockView {
  hash: string;
  block: Block;
  /** The certificate that committed this block (from the next block, or the latest seen commit). */
  commit: CommitCertificate | null;
}

/** What a node tells its subscribers, in commit order. */
export type NodeEvent =
  | { type: "block"; header: BlockHeader; hash: string }
  | {
      type: "tx";
      hash: string;
      height: number;
      index: number;
      status: "ok" | "failed";
      error?: { code: string; message: string };
    }
  | { type: "event"; event: ChainEvent };

export interface NodeHealth {
  ok: boolean;
  chainId: string;
  height: number;
  mempoolSize: number;
  /** ms since the last block was committed */
  lastBlockAgeMs: number | null;
  /** Where consensus stands (BFT nodes): the height being decided, its round and step, the peers. */
  consensus?: ConsensusStatus;
}

export interface ConsensusStatus {
  engine: "solo" | "tendermint";
  /** The height being decided (last committed + 1). */
  height: number;
  round: number;
  step: "propose" | "prevote" | "precommit";
  peers: { id: string; connected: boolean; height: number | null }[];
}
