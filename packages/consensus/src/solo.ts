import {
  addressOf,
  type Block,
  blockHash,
  type CommitCertificate,
  type Genesis,
  type KeyPair,
  medianCommitTime,
  signPrecommit,
} from "@weft/core";
import type { ProposalRequest } from "./application.js";

/**
 * Single-validator consensus as pure functions: what to propose next and how to certify it.
 * A one-validator commit certificate is the same structure the BFT engine produces, with one
 * signature, so blocks made here verify unchanged once more validators join.
 */
export interface SoloState {
  height: number;
  lastCommit: CommitCertificate | null;
}

export function nextProposal(state: SoloState, genesis: Genesis, key: KeyPair): ProposalRequest {
  const height = state.height + 1;
  const time =
    state.lastCommit === null ? genesis.genesisTime : medianCommitTime(state.lastCommit, genesis.validators);
  return { height, time, proposer: addressOf(key), lastCommit: state.lastCommit };
}

/**
 * Precommits the block. The timestamp is the validator's clock, clamped to be later than the
 * block's own time so BFT time strictly increases even if the wall clock steps back.
 */
export function certify(block: Block, key: KeyPair, now: number, round = 0): CommitCertificate {
  const timestamp = Math.max(now, block.header.time + 1);
  const hash = blockHash(block.header);
  const signature = signPrecommit(key, {
    chainId: block.header.chainId,
    height: block.header.height,
    round,
    blockHash: hash,
    timestamp,
  });
  return {
    chainId: block.header.chainId,
    height: block.header.height,
    round,
    blockHash: hash,
    signatures: [signature],
  };
}
