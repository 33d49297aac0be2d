import { TypeCompiler } from "@sinclair/typebox/compiler";
import { verifyCommit } from "../block/commit.js";
import { blockHash, genesisHash, validatorSetHash } from "../block/hash.js";
import type { Genesis, Validator } from "../block/types.js";
import { hexToBytes, utf8 } from "../encoding/bytes.js";
import { canonicalBytes } from "../encoding/canonical.js";
import { WeftError } from "../errors.js";
import { leafHash, verifyInclusion } from "../merkle/log.js";
import { verifyStateProof } from "../merkle/state-tree.js";
import { txHash, verifyTxSignature } from "../tx/envelope.js";
import {
  type LoggedEntry,
  type ProofBundle,
  type StateProofBundle,
  type TxProofBundle,
  VALIDATOR_SET_STATE_KEY,
} from "./bundle.js";
import { ProofBundleSchema } from "./schema.js";

/** Which part of a bundle failed: the CLI and API report it so a reader knows what was forged. */
export type ProofPart =
  | "bundle"
  | "genesis"
  | "header"
  | "commit"
  | "record"
  | "path"
  | "signature"
  | "validators";
export type ProofErrorCode =
  | "PROOF_MALFORMED"
  | "PROOF_WRONG_GENESIS"
  | "PROOF_WRONG_VALIDATOR_SET"
  | "PROOF_BAD_VALIDATOR_CHANGE"
  | "PROOF_BAD_COMMIT"
  | "PROOF_RECORD_MISMATCH"
  | "PROOF_BAD_PATH"
  | "PROOF_BAD_TX_SIGNATURE";
export class ProofError extends WeftError<{ code: ProofErrorCode; message: string; part: ProofPart }> {}

export interface VerifiedProof {
  kind: ProofBundle["kind"];
  chainId: string;
  height: number;
  blockHash: string;
}

const checkBundle = TypeCompiler.Compile(ProofBundleSchema);

/**
 * Verifies a proof bundle offline against the genesis document the verifier trusts: starting
 * from the genesis validator set, each validator set change in the bundle is certified by the
 * set before it; the block header is certified by the set the changes lead to, and the record
 * is bound to the header's log root (transactions, receipts, events) or state root (state
 * values). Throws ProofError.
 */
export function verifyProof(bundle: unknown, trustedGenesis: Genesis): VerifiedProof {
  if (!checkBundle.Check(bundle)) {
    const first = checkBundle.Errors(bundle).First();
    throw new ProofError({
      code: "PROOF_MALFORMED",
      part: "bundle",
      message: `not a proof bundle${first ? ` (${first.path || "/"}: ${first.message})` : ""}`,
    });
  }
  const b = bundle as ProofBundle;
  const expectedGenesis = genesisHash(trustedGenesis);
  if (b.genesisHash !== expectedGenesis || b.chainId !== trustedGenesis.chainId) {
    throw new ProofError({
      code: "PROOF_WRONG_GENESIS",
      part: "genesis",
      message: `bundle is for chain ${b.chainId} with genesis ${b.genesisHash}, the trusted genesis is ${trustedGenesis.chainId} ${expectedGenesis}`,
    });
  }
  if (b.header.chainId !== b.chainId) {
    throw new ProofError({
      code: "PROOF_WRONG_GENESIS",
      part: "header",
      message: "header is for another chain",
    });
  }
  const trusted = walkValidatorSets(b, trustedGenesis.validators);
  if (b.header.validatorSetHash !== validatorSetHash(trusted)) {
    throw new ProofError({
      code: "PROOF_WRONG_VALIDATOR_SET",
      part: "header",
      message:
        b.validatorSetChanges && b.validatorSetChanges.length > 0
          ? "header's validator set is not the set the bundle's validator set changes lead to"
          : "header's validator set is not the genesis validator set",
    });
  }
  const hash = blockHash(b.header);
  try {
    verifyCommit(b.commit, { chainId: b.chainId, height: b.header.height, blockHash: hash }, trusted);
  } catch (e) {
    const code = (e as WeftError).code;
    throw new ProofError({
      code: "PROOF_BAD_COMMIT",
      part: code === "COMMIT_WRONG_BLOCK" ? "header" : "commit",
      message:
        code === "COMMIT_WRONG_BLOCK"
          ? "header does not match the block the commit certificate signs (header altered?)"
          : `commit certificate rejected: ${(e as Error).message}`,
    });
  }
  if (b.kind === "weft.proof.tx/v1") verifyTxRecord(b);
  else verifyStateRecord(b);
  return { kind: b.kind, chainId: b.chainId, height: b.header.height, blockHash: hash };
}

/**
 * Follows the bundle's validator set changes from the genesis set: each change's header must
 * name the set trusted so far and be certified by it, and its state root must hold the new set
 * under `validators/set` (the set of the following height). Returns the last trusted set.
 */
function walkValidatorSets(b: ProofBundle, genesisSet: readonly Validator[]): readonly Validator[] {
  let trusted = genesisSet;
  let lastHeight = 0;
  for (const [i, change] of (b.validatorSetChanges ?? []).entries()) {
    const bad = (message: string) =>
      new ProofError({
        code: "PROOF_BAD_VALIDATOR_CHANGE",
        part: "validators",
        message: `validatorSetChanges[${i}]: ${message}`,
      });
    const h = change.header;
    if (h.chainId !== b.chainId) throw bad("header is for another chain");
    // A change at height e is read from block e-1, so it precedes the proven block.
    if (h.height <= lastHeight || h.height >= b.header.height)
      throw bad(`height ${h.height} is out of order (after ${lastHeight}, before ${b.header.height})`);
    if (h.validatorSetHash !== validatorSetHash(trusted))
      throw bad("header's validator set is not the set trusted at that height");
    try {
      verifyCommit(change.commit, { chainId: b.chainId, height: h.height, blockHash: blockHash(h) }, trusted);
    } catch (e) {
      throw bad(`commit certificate rejected: ${(e as Error).message}`);
    }
    try {
      verifyStateProof(
        hexToBytes(h.stateRoot, 32),
        utf8(VALIDATOR_SET_STATE_KEY),
        canonicalBytes(change.set),
        change.proof,
      );
    } catch (e) {
      throw bad(`the new set is not the state's ${VALIDATOR_SET_STATE_KEY}: ${(e as Error).message}`);
    }
    trusted = change.set;
    lastHeight = h.height;
  }
  return trusted;
}

function verifyTxRecord(b: TxProofBundle): void {
  const receipt = b.receipt.entry;
  if (receipt.txHash !== txHash(b.tx) || receipt.chainId !== b.chainId || b.tx.body.chainId !== b.chainId) {
    throw new ProofError({
      code: "PROOF_RECORD_MISMATCH",
      part: "record",
      message: "receipt does not belong to this transaction",
    });
  }
  if (!verifyTxSignature(b.tx)) {
    throw new ProofError({
      code: "PROOF_BAD_TX_SIGNATURE",
      part: "signature",
      message: "transaction signature is invalid",
    });
  }
  if (b.events.length !== receipt.eventCount) {
    throw new ProofError({
      code: "PROOF_RECORD_MISMATCH",
      part: "record",
      message: "event count differs from the receipt",
    });
  }
  b.events.forEach((e, i) => {
    if (
      e.entry.height !== receipt.height ||
      e.entry.txIndex !== receipt.index ||
      e.logIndex !== b.receipt.logIndex + 1 + i
    ) {
      throw new ProofError({
        code: "PROOF_RECORD_MISMATCH",
        part: "record",
        message: `event ${i} is not this transaction's`,
      });
    }
  });
  for (const logged of [b.receipt as LoggedEntry<unknown>, ...b.events]) checkLogged(logged, b);
}

function checkLogged(logged: LoggedEntry<unknown>, b: ProofBundle): void {
  try {
    verifyInclusion(
      leafHash(canonicalBytes(logged.entry)),
      logged.logIndex,
      b.header.logSize,
      logged.path.map((h) => hexToBytes(h, 32)),
      hexToBytes(b.header.logRoot, 32),
    );
  } catch (e) {
    throw new ProofError({
      code: "PROOF_BAD_PATH",
      part: "path",
      message: `record at log index ${logged.logIndex} is not in the log of block ${b.header.height}: ${(e as Error).message}`,
    });
  }
}

function verifyStateRecord(b: StateProofBundle): void {
  try {
    verifyStateProof(
      hexToBytes(b.header.stateRoot, 32),
      utf8(b.key),
      b.value === null ? null : canonicalBytes(b.value),
      b.proof,
    );
  } catch (e) {
    const code = (e as WeftError).code;
    const isRecord = code === "MERKLE_STATE_VALUE_MISMATCH" || code === "MERKLE_STATE_KEY_MISMATCH";
    throw new ProofError({
      code: isRecord ? "PROOF_RECORD_MISMATCH" : "PROOF_BAD_PATH",
      part: isRecord ? "record" : "path",
      message: `state proof for ${b.key} rejected: ${(e as Error).message}`,
    });
  }
}
