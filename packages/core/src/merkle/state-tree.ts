/**
 * The authenticated state tree: a compact (Jellyfish-style, radix-2) sparse Merkle tree over
 * SHA-256 keyed by SHA-256(key), with inclusion and non-inclusion proofs and batched updates
 * over a content-addressed, append-only node store.
 */
export {
  decodeStateNode,
  emptyStateRoot,
  encodeStateInternal,
  encodeStateLeaf,
  isEmptyStateHash,
  STATE_HASH_SIZE,
  STATE_INTERNAL_TAG,
  STATE_LEAF_TAG,
  STATE_MAX_DEPTH,
  STATE_NODE_SIZE,
  type StateNode,
  type StateNodeStore,
  stateNodeHash,
} from "./state-tree-node.js";
export { getStateValueHash, proveState, type StateProof } from "./state-tree-read.js";
export { MemoryStateNodeStore } from "./state-tree-store.js";
export { type StateChange, type StateTreeUpdate, updateStateTree } from "./state-tree-update.js";
export { isValidStateProof, verifyStateProof } from "./state-tree-verify.js";
