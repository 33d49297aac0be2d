import {
  type Block,
  commitHash,
  type Genesis,
  medianCommitTime,
  type Validator,
  validatorSetHash,
  verifyCommit,
  ZERO_HASH,
} from "@weft/core";

/** The validator sets a block is checked against: set(h) signs it, set(h-1) signed its lastCommit. */
export interface LinkSets {
  current: readonly Validator[];
  previous: readonly Validator[];
}

export interface LinkProblem {
  field: string;
  message: string;
}

/**
 * What ties a block to its predecessor and to genesis, checked before anything is executed:
 * height, chain, version, hash chain, validator set, proposer, the previous block's commit
 * certificate and the BFT time it implies. Shared by proposal checking, block sync and audit.
 * The sets come from state (validators/set after h-1 and h-2), so a governance change is
 * followed by everyone who executed the chain.
 */
export function blockLinkProblem(
  genesis: Genesis,
  block: Block,
  height: number,
  previousHash: string,
  sets: LinkSets,
): LinkProblem | undefined {
  const h = block?.header;
  if (!h || typeof h !== "object") return { field: "header", message: "missing" };
  if (h.height !== height) return { field: "header.height", message: `is ${h.height}` };
  if (h.chainId !== genesis.chainId) return { field: "header.chainId", message: `is ${h.chainId}` };
  if (h.version !== 1) return { field: "header.version", message: `is ${h.version}` };
  if (h.previousBlockHash !== previousHash)
    return { field: "header.previousBlockHash", message: "does not match the previous block" };
  if (h.validatorSetHash !== validatorSetHash(sets.current))
    return { field: "header.validatorSetHash", message: "is not the validator set of this height" };
  if (!sets.current.some((v) => v.address === h.proposer))
    return { field: "header.proposer", message: "is not a validator" };
  if (height === 1) {
    if (block.lastCommit !== null || h.lastCommitHash !== ZERO_HASH)
      return { field: "lastCommit", message: "must be empty at height 1" };
    if (h.time !== genesis.genesisTime)
      return { field: "header.time", message: "must be the genesis time at height 1" };
  } else {
    if (!block.lastCommit) return { field: "lastCommit", message: "missing" };
    try {
      verifyCommit(
        block.lastCommit,
        { chainId: genesis.chainId, height: height - 1, blockHash: previousHash },
        sets.previous,
      );
    } catch (e) {
      return { field: "lastCommit", message: (e as Error).message };
    }
    if (h.lastCommitHash !== commitHash(block.lastCommit))
      return { field: "header.lastCommitHash", message: "does not match lastCommit" };
    if (h.time !== medianCommitTime(block.lastCommit, sets.previous))
      return { field: "header.time", message: "is not the BFT time of lastCommit" };
  }
  if (!Array.isArray(block.txs) || block.txs.length !== h.txCount)
    return { field: "header.txCount", message: "does not match the transactions" };
  return undefined;
}
