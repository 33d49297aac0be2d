import { bytesToHex, hexToBytes } from "../encoding/bytes.js";
import { CodecError } from "../errors.js";
import { MerkleError } from "./errors.js";
import { checkIndex, checkSize, LOG_HASH_SIZE } from "./log-checks.js";
import { splitPoint } from "./log-math.js";
import { type LogNodeStore, subtreeHash } from "./log-store.js";

/**
 * RFC 9162 §2.1.3.1 PATH(index, D[size]), leaf to root. Siblings are met top-down and the
 * proof lists them bottom-up. Only the first left turn leaves a right sibling that is not a
 * complete subtree, so the reads stay O(log size).
 */
export function inclusionProof(store: LogNodeStore, index: number, size: number): Uint8Array[] {
  checkSize(size, "log size");
  checkIndex(index, size);
  const path: Uint8Array[] = [];
  let start = 0;
  let count = size;
  let m = index;
  while (count > 1) {
    const k = splitPoint(count);
    if (m < k) {
      path.push(subtreeHash(store, start + k, count - k));
      count = k;
    } else {
      path.push(subtreeHash(store, start, k));
      start += k;
      m -= k;
      count -= k;
    }
  }
  return path.reverse();
}

/**
 * RFC 9162 §2.1.4.1 PROOF(oldSize, D[newSize]) for 0 < oldSize <= newSize (empty when equal).
 * Walks SUBPROOF iteratively; `isOldRoot` is its flag b: while true, the subtree holding the
 * old tree is the old tree itself, whose root the verifier already has.
 */
export function consistencyProof(store: LogNodeStore, oldSize: number, newSize: number): Uint8Array[] {
  checkSize(oldSize, "old size");
  checkSize(newSize, "new size");
  if (oldSize > newSize) {
    throw new MerkleError({
      code: "MERKLE_LOG_SIZE_DECREASED",
      message: `old size ${oldSize} > new size ${newSize}`,
    });
  }
  if (oldSize === 0) {
    throw new MerkleError({
      code: "MERKLE_LOG_EMPTY_OLD_TREE",
      message: "no consistency proof from an empty tree",
    });
  }
  const path: Uint8Array[] = [];
  let start = 0;
  let count = newSize;
  let m = oldSize;
  let isOldRoot = true;
  while (m < count) {
    const k = splitPoint(count);
    if (m <= k) {
      path.push(subtreeHash(store, start + k, count - k));
      count = k;
    } else {
      path.push(subtreeHash(store, start, k));
      start += k;
      m -= k;
      count -= k;
      isOldRoot = false;
    }
  }
  if (!isOldRoot) path.push(subtreeHash(store, start, count));
  return path.reverse();
}

/** Proofs travel in JSON as lowercase hex, one string per hash. */
export function proofToHex(proof: readonly Uint8Array[]): string[] {
  return proof.map(bytesToHex);
}

export function proofFromHex(hex: readonly string[]): Uint8Array[] {
  if (!Array.isArray(hex))
    throw new CodecError({ code: "CODEC_INVALID_HEX", message: "a proof is an array of hex strings" });
  return hex.map((h) => hexToBytes(h, LOG_HASH_SIZE));
}
