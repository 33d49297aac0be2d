import { WeftError } from "../errors.js";

export type MerkleErrorCode =
  /** The proof's recomputed root differs from the trusted root (forged or stale proof). */
  | "MERKLE_STATE_ROOT_MISMATCH"
  /** An authentic proof shows a different value (or presence/absence) than the one claimed. */
  | "MERKLE_STATE_VALUE_MISMATCH"
  /** An authentic proof ends at another key's leaf, so it cannot prove this key's value. */
  | "MERKLE_STATE_KEY_MISMATCH"
  /** Wrong shape: not hex, wrong lengths, too many siblings, non-canonical path. */
  | "MERKLE_STATE_PROOF_MALFORMED"
  /** The proof's leaf does not share the key's path prefix, so it is not on the key's path. */
  | "MERKLE_STATE_LEAF_OFF_PATH"
  /** A node the tree references is not in the store (pruned or wrong root). */
  | "MERKLE_STATE_NODE_MISSING"
  /** A stored node encoding is not a valid leaf or internal node. */
  | "MERKLE_STATE_NODE_MALFORMED"
  /** A log size or leaf index is not a non-negative safe integer. */
  | "MERKLE_LOG_INVALID_SIZE"
  /** A leaf index is not below the tree size. */
  | "MERKLE_LOG_INDEX_OUT_OF_RANGE"
  /** A leaf hash or proof element is not 32 bytes. */
  | "MERKLE_LOG_INVALID_HASH"
  /** The proof has more or fewer hashes than the sizes require (garbage or truncation). */
  | "MERKLE_LOG_PROOF_LENGTH"
  /** An inclusion proof, or a same-size consistency check, does not reproduce the trusted root. */
  | "MERKLE_LOG_ROOT_MISMATCH"
  /** A consistency proof does not reproduce the old root: it belongs to another old tree. */
  | "MERKLE_LOG_OLD_ROOT_MISMATCH"
  /** A consistency proof does not reproduce the new root: the log was rewritten or forked. */
  | "MERKLE_LOG_NEW_ROOT_MISMATCH"
  /** The "new" tree is smaller than the old one: an append-only log never shrinks. */
  | "MERKLE_LOG_SIZE_DECREASED"
  /** Consistency with an empty tree proves nothing, so it is refused (as RFC 9162 requires 0 < first). */
  | "MERKLE_LOG_EMPTY_OLD_TREE"
  /** The store lacks a complete-subtree node the log's size says it must hold. */
  | "MERKLE_LOG_NODE_MISSING";

export class MerkleError extends WeftError<{ code: MerkleErrorCode; message: string }> {}
