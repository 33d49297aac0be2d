import { MerkleError } from "./errors.js";
import { checkHash, checkSize, LOG_HASH_SIZE } from "./log-checks.js";
import { EMPTY_ROOT, nodeHash } from "./log-hash.js";
import { bitLength } from "./log-math.js";

/**
 * Node (level, index) is the root of the COMPLETE subtree over leaves
 * [index * 2^level, (index + 1) * 2^level); level 0 holds leaf hashes. Only complete subtrees
 * are stored, so a stored node never changes as the log grows. Synchronous: LMDB reads are.
 */
export interface LogNodeStore {
  getNode(level: number, index: number): Uint8Array | undefined;
  putNode(level: number, index: number, hash: Uint8Array): void;
}

/** One tree level in memory: hashes packed back to back, plus which slots are filled. */
interface MemoryLevel {
  hashes: Uint8Array;
  filled: Uint8Array;
}

/**
 * In-memory store for tests, light clients and benchmarks. Hashes are packed into one growing
 * buffer per level rather than a Map of small arrays: a million appends then cost a few large
 * allocations instead of millions of objects for the garbage collector. Sized for append order
 * (dense indices); copies in and out, like a database would.
 */
export class MemoryLogStore implements LogNodeStore {
  private readonly levels: MemoryLevel[] = [];
  private count = 0;

  getNode(level: number, index: number): Uint8Array | undefined {
    const nodes = this.levels[level];
    if (nodes === undefined || index >= nodes.filled.length || nodes.filled[index] !== 1) return undefined;
    return nodes.hashes.slice(index * LOG_HASH_SIZE, (index + 1) * LOG_HASH_SIZE);
  }

  putNode(level: number, index: number, hash: Uint8Array): void {
    checkHash(hash, "node hash");
    const nodes = this.reserve(level, index);
    if (nodes.filled[index] !== 1) this.count++;
    nodes.hashes.set(hash, index * LOG_HASH_SIZE);
    nodes.filled[index] = 1;
  }

  /** Number of stored nodes. */
  get nodeCount(): number {
    return this.count;
  }

  private reserve(level: number, index: number): MemoryLevel {
    const nodes = this.levels[level] ?? { hashes: new Uint8Array(0), filled: new Uint8Array(0) };
    this.levels[level] = nodes;
    if (index < nodes.filled.length) return nodes;
    let capacity = Math.max(nodes.filled.length * 2, 1024);
    while (capacity <= index) capacity *= 2;
    const hashes = new Uint8Array(capacity * LOG_HASH_SIZE);
    hashes.set(nodes.hashes);
    const filled = new Uint8Array(capacity);
    filled.set(nodes.filled);
    nodes.hashes = hashes;
    nodes.filled = filled;
    return nodes;
  }
}

export function readNode(store: LogNodeStore, level: number, index: number): Uint8Array {
  const hash = store.getNode(level, index);
  if (hash === undefined) {
    throw new MerkleError({
      code: "MERKLE_LOG_NODE_MISSING",
      message: `log node (${level}, ${index}) is not stored`,
    });
  }
  return hash;
}

/**
 * Appends a leaf to a log of `size` leaves and returns the new size. Writes the leaf and each
 * subtree it completes: 2 writes per append on average. The caller persists `size` with them.
 */
export function appendLeaf(store: LogNodeStore, size: number, leafHash: Uint8Array): number {
  checkSize(size, "log size");
  checkSize(size + 1, "log size");
  checkHash(leafHash, "leaf hash");
  store.putNode(0, size, leafHash);
  let hash = leafHash;
  let index = size;
  let level = 0;
  // A right child (odd index) completes its parent; keep climbing while that happens.
  while (index % 2 === 1) {
    hash = nodeHash(readNode(store, level, index - 1), hash);
    index = (index - 1) / 2;
    level++;
    store.putNode(level, index, hash);
  }
  return size + 1;
}

/**
 * MTH of leaves [start, start + count), for ranges RFC 6962's recursion produces (start is a
 * multiple of a power of two >= count). The range is the complete subtrees given by count's
 * binary digits, largest first, folded right to left: O(log count) reads.
 */
export function subtreeHash(store: LogNodeStore, start: number, count: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let position = start;
  for (let level = bitLength(count) - 1; level >= 0; level--) {
    const width = 2 ** level;
    if (Math.floor(count / width) % 2 === 1) {
      parts.push(readNode(store, level, position / width));
      position += width;
    }
  }
  let hash = parts[parts.length - 1]!;
  for (let i = parts.length - 2; i >= 0; i--) hash = nodeHash(parts[i]!, hash);
  return hash;
}

/** Root of the log's first `size` leaves (any size up to the stored one): O(log size) reads. */
export function logRoot(store: LogNodeStore, size: number): Uint8Array {
  checkSize(size, "log size");
  return size === 0 ? EMPTY_ROOT.slice() : subtreeHash(store, 0, size);
}
