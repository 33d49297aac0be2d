import type { TimeoutKind } from "@weft/consensus";
import type { Block, ProposalBody, SignedProposal, SignedVote, VoteBody } from "@weft/core";

/** Signs consensus messages; refuses (throws) anything that would double-sign. */
export interface ConsensusSigner {
  signVote(body: VoteBody): SignedVote;
  signProposal(body: ProposalBody): SignedProposal;
}

/** What the BFT driver writes to its write-ahead log, per height. */
export type WalRecordOf =
  | { kind: "proposal"; height: number; proposal: SignedProposal; block: Block }
  | { kind: "vote"; height: number; vote: SignedVote }
  | { kind: "timeout"; height: number; round: number; timeout: TimeoutKind }
  | { kind: "value"; height: number; round: number; block: Block }
  | { kind: "start"; height: number }
  | { kind: "own-vote"; height: number; vote: SignedVote }
  | { kind: "own-proposal"; height: number; proposal: SignedProposal; block: Block };

export interface WalLike {
  append(record: WalRecordOf): void;
  /** Writes and fsyncs everything appended so far. */
  sync(): void;
  /** The given height has begun: records of earlier heights may be discarded. */
  startHeight(height: number): void;
}
