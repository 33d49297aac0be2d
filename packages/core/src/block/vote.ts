import { addressOf, type KeyPair, signBytes, verifyBytes } from "../crypto/keys.js";
import { concatBytes, utf8 } from "../encoding/bytes.js";
import { canonicalBytes } from "../encoding/canonical.js";
import { voteSignBytes } from "./commit.js";
import type { Validator } from "./types.js";

/**
 * Consensus messages as validators sign them. A precommit for a block signs exactly the bytes a
 * commit certificate carries, so certificates are assembled from gossiped precommits unchanged.
 */
export type VoteKind = "prevote" | "precommit";

export interface VoteBody {
  type: VoteKind;
  chainId: string;
  height: number;
  round: number;
  /** The block voted for, or null for a nil vote. */
  blockHash: string | null;
  /** The validator's clock (ms); for precommits it feeds BFT time. */
  timestamp: number;
}

export interface SignedVote extends VoteBody {
  validator: string;
  signature: string;
}

export interface ProposalBody {
  type: "proposal";
  chainId: string;
  height: number;
  round: number;
  blockHash: string;
  /** Round of the polka that justifies re-proposing this block, or -1. */
  validRound: number;
}

export interface SignedProposal extends ProposalBody {
  proposer: string;
  signature: string;
}

const PROPOSAL_DOMAIN = utf8("WEFT/proposal/v1\n");

export function proposalSignBytes(body: ProposalBody): Uint8Array {
  return concatBytes(PROPOSAL_DOMAIN, canonicalBytes(body));
}

export function signVote(key: KeyPair, body: VoteBody): SignedVote {
  return { ...body, validator: addressOf(key), signature: signBytes(key, voteSignBytes(body)) };
}

export function signProposal(key: KeyPair, body: ProposalBody): SignedProposal {
  return { ...body, proposer: addressOf(key), signature: signBytes(key, proposalSignBytes(body)) };
}

/** The body a signed vote commits to (extra fields dropped, so a relayed vote cannot smuggle data). */
export function voteBodyOf(v: SignedVote): VoteBody {
  return {
    type: v.type,
    chainId: v.chainId,
    height: v.height,
    round: v.round,
    blockHash: v.blockHash,
    timestamp: v.timestamp,
  };
}

export function proposalBodyOf(p: SignedProposal): ProposalBody {
  return {
    type: "proposal",
    chainId: p.chainId,
    height: p.height,
    round: p.round,
    blockHash: p.blockHash,
    validRound: p.validRound,
  };
}

/** True when `vote` is signed by the validator it names and that validator is in `validators`. */
export function verifyVote(vote: SignedVote, validators: readonly Validator[]): boolean {
  const v = validators.find((x) => x.address === vote.validator);
  return v !== undefined && verifyBytes(v.publicKey, voteSignBytes(voteBodyOf(vote)), vote.signature);
}

export function verifyProposal(proposal: SignedProposal, validators: readonly Validator[]): boolean {
  const v = validators.find((x) => x.address === proposal.proposer);
  return (
    v !== undefined &&
    verifyBytes(v.publicKey, proposalSignBytes(proposalBodyOf(proposal)), proposal.signature)
  );
}

/**
 * Two votes prove double-signing when one validator signed both for the same height, round and
 * type but for different blocks (nil counts as a value). Timestamps alone never differ a vote.
 */
export function isEquivocation(a: SignedVote, b: SignedVote): boolean {
  return (
    a.validator === b.validator &&
    a.chainId === b.chainId &&
    a.type === b.type &&
    a.height === b.height &&
    a.round === b.round &&
    a.blockHash !== b.blockHash
  );
}
