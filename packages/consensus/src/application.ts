import type { Block, CommitCertificate } from "@weft/core";

/**
 * The consensus/application boundary (ABCI-like). Consensus decides the order of blocks; the
 * application builds, validates and executes them deterministically. The solo engine and the
 * Tendermint engine drive the same interface.
 */
export interface ProposalRequest {
  height: number;
  /** BFT time of the block: the weighted median of `lastCommit` timestamps (genesis time at height 1). */
  time: number;
  proposer: string;
  lastCommit: CommitCertificate | null;
}

export interface ConsensusApplication {
  /** Chooses transactions, executes them speculatively and returns the full block (header roots included). */
  prepareProposal(request: ProposalRequest): Block;
  /** Re-executes another proposer's block; true only if every header field matches this node's execution. */
  processProposal(block: Block): boolean;
  /** Makes a decided block durable together with the certificate that decided it. Resolves once on disk. */
  commitBlock(block: Block, commit: CommitCertificate): Promise<void>;
  /** The last committed height and its commit certificate (null before the first block). */
  lastCommitted(): { height: number; blockHash: string; time: number; commit: CommitCertificate | null };
}
