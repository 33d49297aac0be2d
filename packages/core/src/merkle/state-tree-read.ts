import { sha256 } from "../crypto/hash.js";
import { bytesEqual } from "../encoding/bytes.js";
import {
  checkStateRoot,
  loadStateNode,
  pathBit,
  type StateNode,
  type StateNodeStore,
  stateNodeKey,
} from "./state-tree-node.js";

/**
 * Proof of a key's value or absence, JSON-safe. `siblings` run from the root down to where the
 * key's path ends; `leaf` is the leaf found there, if any (this key's for inclusion, another
 * key's sharing the path prefix for non-inclusion; none when the path ends in an empty subtree).
 */
export interface StateProof {
  siblings: string[];
  leaf?: { keyHash: string; valueHash: string };
}

interface PathEnd {
  siblings: Uint8Array[];
  end: Exclude<StateNode, { kind: "internal" }>;
}

/** Follows the key hash's bits from the root until the path reaches a leaf or an empty subtree. */
function walk(store: StateNodeStore, root: Uint8Array, keyHash: Uint8Array): PathEnd {
  checkStateRoot(root);
  const siblings: Uint8Array[] = [];
  let node = loadStateNode(store, root);
  while (node.kind === "internal") {
    const right = pathBit(keyHash, siblings.length) === 1;
    siblings.push(right ? node.left : node.right);
    node = loadStateNode(store, right ? node.right : node.left);
  }
  return { siblings, end: node };
}

/** The SHA-256 of the key's value in the tree at `root`, or undefined when the key is absent. */
export function getStateValueHash(
  store: StateNodeStore,
  root: Uint8Array,
  key: Uint8Array,
): Uint8Array | undefined {
  const keyHash = sha256(key);
  const { end } = walk(store, root, keyHash);
  return end.kind === "leaf" && bytesEqual(end.keyHash, keyHash) ? end.valueHash.slice() : undefined;
}

/** Proves the key's value, or its absence, in the tree at `root`. */
export function proveState(store: StateNodeStore, root: Uint8Array, key: Uint8Array): StateProof {
  const { siblings, end } = walk(store, root, sha256(key));
  const proof: StateProof = { siblings: siblings.map(stateNodeKey) };
  if (end.kind === "leaf") {
    proof.leaf = { keyHash: stateNodeKey(end.keyHash), valueHash: stateNodeKey(end.valueHash) };
  }
  return proof;
}
