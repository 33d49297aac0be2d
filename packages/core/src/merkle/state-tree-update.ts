import { sha256 } from "../crypto/hash.js";
import { bytesEqual } from "../encoding/bytes.js";
import { MerkleError } from "./errors.js";
import {
  checkStateRoot,
  EMPTY_STATE_NODE,
  emptyStateRoot,
  encodeStateInternal,
  encodeStateLeaf,
  isEmptyStateHash,
  loadStateNode,
  pathBit,
  STATE_HASH_SIZE,
  STATE_MAX_DEPTH,
  STATE_NODE_SIZE,
  type StateNode,
  type StateNodeStore,
  stateNodeHash,
  stateNodeKey,
} from "./state-tree-node.js";

/** One write: `value === null` deletes the key. */
export interface StateChange {
  key: Uint8Array;
  value: Uint8Array | null;
}

export interface StateTreeUpdate {
  root: Uint8Array;
  /** Nodes the new root needs that the store may lack: hex(hash) → encoding, to persist atomically. */
  newNodes: Map<string, Uint8Array>;
}

interface Pending {
  keyHash: Uint8Array;
  valueHash: Uint8Array | null;
}

/** A subtree during an update; `node` is filled in once decoded so it is never loaded twice. */
interface Sub {
  hash: Uint8Array;
  node: StateNode | undefined;
}

const EMPTY_HASH = emptyStateRoot();

/**
 * Applies `changes` to the tree at `root` as one batch and returns the new root. The store is
 * only read: new nodes are returned so the caller can persist them atomically with its block.
 * Changes are sorted by key hash and walked down together, so each shared upper node is read
 * and re-hashed once per batch rather than once per key. Duplicate keys: the last one wins.
 */
export function updateStateTree(
  store: StateNodeStore,
  root: Uint8Array,
  changes: readonly StateChange[],
): StateTreeUpdate {
  checkStateRoot(root);
  const batch = sortChanges(changes);
  const newNodes = new Map<string, Uint8Array>();
  if (batch.length === 0) return { root, newNodes };
  const updater = new BatchUpdate(store, newNodes, batch);
  const result = updater.apply({ hash: root, node: undefined }, 0, 0, batch.length);
  // Never hand out the shared zero constant: callers may keep and mutate the root they get.
  return { root: result.hash === EMPTY_HASH ? emptyStateRoot() : result.hash, newNodes };
}

function sortChanges(changes: readonly StateChange[]): Pending[] {
  // Hashes are copied into one buffer per batch: thousands of retained digest buffers slow GC.
  const keyHashes = new Uint8Array(changes.length * STATE_HASH_SIZE);
  const byKeyHash = new Map<string, { keyHash: Uint8Array; value: Uint8Array | null }>();
  changes.forEach(({ key, value }, i) => {
    const keyHash = keyHashes.subarray(i * STATE_HASH_SIZE, (i + 1) * STATE_HASH_SIZE);
    keyHash.set(sha256(key));
    byKeyHash.set(stateNodeKey(keyHash), { keyHash, value });
  });
  // Fixed-length lowercase hex sorts like the bytes it spells, i.e. in tree (left-to-right) order.
  const sorted = [...byKeyHash].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const valueHashes = new Uint8Array(sorted.length * STATE_HASH_SIZE);
  return sorted.map(([, { keyHash, value }], i) => {
    if (value === null) return { keyHash, valueHash: null };
    const valueHash = valueHashes.subarray(i * STATE_HASH_SIZE, (i + 1) * STATE_HASH_SIZE);
    valueHash.set(sha256(value));
    return { keyHash, valueHash };
  });
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] as number) - (b[i] as number);
    if (d !== 0) return d;
  }
  return 0;
}

class BatchUpdate {
  private readonly emptySub: Sub = { hash: EMPTY_HASH, node: EMPTY_STATE_NODE };
  // New encodings and hashes are packed into shared buffers: an ArrayBuffer per node made GC dominate.
  private readonly chunkNodes: number;
  private chunk = new Uint8Array(0);
  private used = 0;

  constructor(
    private readonly store: StateNodeStore,
    private readonly newNodes: Map<string, Uint8Array>,
    private readonly batch: Pending[],
  ) {
    // A key changes ~log2(tree size) nodes but batches share the top; sized so little is wasted.
    this.chunkNodes = Math.min(4096, 2 * batch.length + 32);
  }

  /**
   * Applies batch[lo, hi) — all sharing the first `depth` bits — to `sub`. Returns `sub` itself
   * when nothing changed, which lets callers skip re-hashing unchanged parents.
   */
  apply(sub: Sub, depth: number, lo: number, hi: number): Sub {
    if (lo === hi) return sub;
    if (depth >= STATE_MAX_DEPTH) {
      throw new MerkleError({
        code: "MERKLE_STATE_NODE_MALFORMED",
        message: "state tree deeper than 256 bits",
      });
    }
    const node = sub.node ?? this.load(sub.hash);
    if (node.kind === "internal") {
      const left: Sub = { hash: node.left, node: undefined };
      const right: Sub = { hash: node.right, node: undefined };
      return this.split(sub, left, right, depth, lo, hi);
    }
    if (node.kind === "empty") {
      if (hi - lo === 1) {
        const change = this.batch[lo] as Pending;
        return change.valueHash === null ? sub : this.leaf(change.keyHash, change.valueHash);
      }
      return this.split(sub, this.emptySub, this.emptySub, depth, lo, hi);
    }
    const own = this.indexOf(node.keyHash, lo, hi);
    if (hi - lo === 1 && own === lo) {
      const { valueHash } = this.batch[lo] as Pending;
      if (valueHash === null) return this.emptySub;
      return bytesEqual(valueHash, node.valueHash) ? sub : this.leaf(node.keyHash, valueHash);
    }
    if (own === -1 && this.onlyDeletes(lo, hi)) return sub;
    // Push the existing leaf down beside the incoming keys until their paths part.
    const here: Sub = { hash: sub.hash, node };
    return pathBit(node.keyHash, depth) === 0
      ? this.split(sub, here, this.emptySub, depth, lo, hi)
      : this.split(sub, this.emptySub, here, depth, lo, hi);
  }

  private split(original: Sub, left: Sub, right: Sub, depth: number, lo: number, hi: number): Sub {
    const mid = this.firstRight(depth, lo, hi);
    const newLeft = this.apply(left, depth + 1, lo, mid);
    const newRight = this.apply(right, depth + 1, mid, hi);
    if (newLeft === left && newRight === right) return original;
    const leftEmpty = isEmptyStateHash(newLeft.hash);
    const rightEmpty = isEmptyStateHash(newRight.hash);
    if (leftEmpty && rightEmpty) return this.emptySub;
    if (leftEmpty || rightEmpty) {
      // A subtree holding a single leaf is that leaf, moved up: the root must not depend on history.
      const only = leftEmpty ? newRight : newLeft;
      const onlyNode = only.node ?? this.load(only.hash);
      if (onlyNode.kind === "leaf") return { hash: only.hash, node: onlyNode };
    }
    return this.put(encodeStateInternal(newLeft.hash, newRight.hash, this.alloc(STATE_NODE_SIZE)), {
      kind: "internal",
      left: newLeft.hash,
      right: newRight.hash,
    });
  }

  private leaf(keyHash: Uint8Array, valueHash: Uint8Array): Sub {
    return this.put(encodeStateLeaf(keyHash, valueHash, this.alloc(STATE_NODE_SIZE)), {
      kind: "leaf",
      keyHash,
      valueHash,
    });
  }

  private put(encoding: Uint8Array, node: StateNode): Sub {
    // Copied out so the hash function's own buffer dies young: retaining it doubled GC time.
    const hash = this.alloc(STATE_HASH_SIZE);
    hash.set(stateNodeHash(encoding));
    this.newNodes.set(stateNodeKey(hash), encoding);
    return { hash, node };
  }

  /** Carves `size` bytes out of the current chunk. */
  private alloc(size: number): Uint8Array {
    if (this.used + size > this.chunk.length) {
      this.chunk = new Uint8Array(this.chunkNodes * (STATE_NODE_SIZE + STATE_HASH_SIZE));
      this.used = 0;
    }
    this.used += size;
    return this.chunk.subarray(this.used - size, this.used);
  }

  private load(hash: Uint8Array): StateNode {
    return loadStateNode(this.store, hash, this.newNodes);
  }

  /** First index in [lo, hi) whose bit `depth` is 1; the range is sorted, so bits run 0…0 1…1. */
  private firstRight(depth: number, lo: number, hi: number): number {
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (pathBit((this.batch[mid] as Pending).keyHash, depth) === 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  private indexOf(keyHash: Uint8Array, lo: number, hi: number): number {
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const c = compareBytes((this.batch[mid] as Pending).keyHash, keyHash);
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid;
    }
    return -1;
  }

  private onlyDeletes(lo: number, hi: number): boolean {
    for (let i = lo; i < hi; i++) if ((this.batch[i] as Pending).valueHash !== null) return false;
    return true;
  }
}
