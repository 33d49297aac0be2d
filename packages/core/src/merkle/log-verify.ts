import { bytesEqual } from "../encoding/bytes.js";
import { MerkleError } from "./errors.js";
import { checkHash, checkIndex, checkSize } from "./log-checks.js";
import { nodeHash } from "./log-hash.js";
import { auditPathSides, isPowerOfTwo } from "./log-math.js";

// Roots are only compared, never hashed, so their length is not checked: a root of the wrong
// length simply never matches (and RFC 6962's test vectors accept equal opaque roots).

function checkLength(proof: readonly Uint8Array[], expected: number): void {
  if (proof.length !== expected) {
    throw new MerkleError({
      code: "MERKLE_LOG_PROOF_LENGTH",
      message: `proof has ${proof.length} hashes, the sizes require ${expected}`,
    });
  }
  for (const h of proof) checkHash(h, "proof hash");
}

/** RFC 9162 §2.1.3.2. Throws MerkleError unless `proof` shows the leaf at `index` under `root`. */
export function verifyInclusion(
  leafHash: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): void {
  checkSize(size, "tree size");
  checkIndex(index, size);
  checkHash(leafHash, "leaf hash");
  const sides = auditPathSides(index, size - 1);
  checkLength(proof, sides.length);
  let r = leafHash;
  for (let i = 0; i < sides.length; i++) {
    const p = proof[i]!;
    r = sides[i] ? nodeHash(p, r) : nodeHash(r, p);
  }
  if (!bytesEqual(r, root)) {
    throw new MerkleError({
      code: "MERKLE_LOG_ROOT_MISMATCH",
      message: "inclusion proof does not lead to the root",
    });
  }
}

/**
 * RFC 9162 §2.1.4.2. Throws MerkleError unless `proof` shows the tree of `newSize` leaves with
 * `newRoot` extends the tree of `oldSize` leaves with `oldRoot`. Requires 0 < oldSize.
 */
export function verifyConsistency(
  oldSize: number,
  newSize: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): void {
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
      message: "consistency with an empty tree proves nothing",
    });
  }
  if (oldSize === newSize) {
    checkLength(proof, 0);
    if (!bytesEqual(oldRoot, newRoot)) {
      throw new MerkleError({ code: "MERKLE_LOG_ROOT_MISMATCH", message: "same size but different roots" });
    }
    return;
  }
  // Skip the levels where the old tree's last node is a right child: the proof starts above them.
  let fn = oldSize - 1;
  let sn = newSize - 1;
  while (fn % 2 === 1) {
    fn = (fn - 1) / 2;
    sn = Math.floor(sn / 2);
  }
  const sides = auditPathSides(fn, sn);
  // When the old tree is one complete subtree, its root is the seed and the proof omits it.
  const seeded = isPowerOfTwo(oldSize);
  checkLength(proof, sides.length + (seeded ? 0 : 1));
  const path = seeded ? [oldRoot, ...proof] : proof;
  let fr = path[0]!;
  let sr = fr;
  for (let i = 0; i < sides.length; i++) {
    const c = path[i + 1]!;
    if (sides[i]) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
    } else {
      sr = nodeHash(sr, c);
    }
  }
  if (!bytesEqual(fr, oldRoot)) {
    throw new MerkleError({
      code: "MERKLE_LOG_OLD_ROOT_MISMATCH",
      message: "consistency proof does not lead to the old root",
    });
  }
  if (!bytesEqual(sr, newRoot)) {
    throw new MerkleError({
      code: "MERKLE_LOG_NEW_ROOT_MISMATCH",
      message: "consistency proof does not lead to the new root",
    });
  }
}

function succeeds(check: () => void): boolean {
  try {
    check();
    return true;
  } catch (e) {
    if (e instanceof MerkleError) return false;
    throw e;
  }
}

export function isValidInclusion(
  leafHash: Uint8Array,
  index: number,
  size: number,
  proof: readonly Uint8Array[],
  root: Uint8Array,
): boolean {
  return succeeds(() => verifyInclusion(leafHash, index, size, proof, root));
}

export function isValidConsistency(
  oldSize: number,
  newSize: number,
  oldRoot: Uint8Array,
  newRoot: Uint8Array,
  proof: readonly Uint8Array[],
): boolean {
  return succeeds(() => verifyConsistency(oldSize, newSize, oldRoot, newRoot, proof));
}
