import {
  type Block,
  blockHash,
  type CommitCertificate,
  type DecodedTx,
  type Genesis,
  parseCanonical,
  verifyCommit,
  WeftError,
} from "@weft/core";
import { decodeVerified } from "../app/application.js";
import { blockLinkProblem, type LinkSets } from "../app/block-links.js";
import { type ExecutedBlock, type ExecutionBase, executeBlock } from "../app/executor.js";
import type { ModuleRegistry } from "../app/registry.js";

/** Where the chain first stops verifying: the height and the field, for operators. */
export class AuditFailure extends WeftError<{
  code: "AUDIT_FAILED";
  message: string;
  height: number | null;
  field: string;
}> {}

export const fail = (height: number | null, field: string, message: string): AuditFailure =>
  new AuditFailure({
    code: "AUDIT_FAILED",
    message: `${height === null ? "" : `height ${height}: `}${field}: ${message}`,
    height,
    field,
  });

export interface CheckedBlock {
  block: Block;
  hash: string;
  txs: DecodedTx[];
}

/**
 * Checks one stored block on its own and against its predecessor: canonical bytes, hash chain,
 * the previous block's certificate it carries, BFT time, validator set, transaction signatures,
 * and the stored certificate that committed it. Execution results are checked by the caller.
 * `sets` and `maxTxBytes` are what the re-executed state before this block says.
 */
export function checkStoredBlock(
  genesis: Genesis,
  height: number,
  bytes: Uint8Array | undefined,
  previousHash: string,
  storedCommit: CommitCertificate | undefined,
  sets: LinkSets,
  maxTxBytes: number,
): CheckedBlock {
  if (bytes === undefined) throw fail(height, "block", "missing from storage");
  let block: Block;
  try {
    block = parseCanonical(bytes) as unknown as Block;
  } catch (e) {
    throw fail(height, "block", `unreadable (${(e as Error).message})`);
  }
  const problem = blockLinkProblem(genesis, block, height, previousHash, sets);
  if (problem) throw fail(height, problem.field, problem.message);
  const h = block.header;
  const txs = block.txs.map((tx, i) => {
    try {
      return decodeVerified(tx, maxTxBytes);
    } catch (e) {
      throw fail(height, `txs[${i}]`, (e as Error).message);
    }
  });
  const hash = blockHash(h);
  if (!storedCommit) throw fail(height, "commit", "certificate missing from storage");
  try {
    verifyCommit(storedCommit, { chainId: genesis.chainId, height, blockHash: hash }, sets.current);
  } catch (e) {
    throw fail(height, "commit", (e as Error).message);
  }
  return { block, hash, txs };
}

/** Re-executes a checked stored block on `base`, from the roots its predecessor left. */
export function replayBlock(
  genesis: Genesis,
  registry: ModuleRegistry,
  base: ExecutionBase,
  checked: CheckedBlock,
  previous: { hash: string; stateRoot: string; logSize: number },
): ExecutedBlock {
  const h = checked.block.header;
  try {
    return executeBlock(
      genesis,
      registry,
      base,
      {
        height: h.height,
        time: h.time,
        proposer: h.proposer,
        previousBlockHash: previous.hash,
        lastCommit: checked.block.lastCommit,
        stateRoot: previous.stateRoot,
        logSize: previous.logSize,
      },
      checked.txs,
      "replay",
    );
  } catch (e) {
    throw fail(h.height, "txs", `block does not re-execute: ${(e as Error).message}`);
  }
}
