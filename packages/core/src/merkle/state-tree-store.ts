import { MerkleError } from "./errors.js";
import {
  STATE_HASH_SIZE,
  STATE_INTERNAL_TAG,
  STATE_NODE_SIZE,
  type StateNodeStore,
  stateNodeHash,
} from "./state-tree-node.js";

const RECORD = STATE_HASH_SIZE + STATE_NODE_SIZE;
const CHUNK_BITS = 14;
const CHUNK_RECORDS = 1 << CHUNK_BITS;

/**
 * In-memory node store, for tests, light clients and benchmarks. Records (hash || encoding) sit
 * in fixed-size chunks indexed by an open-addressing table of typed arrays, so a million-node
 * tree is a few dozen objects to the garbage collector instead of millions (a Map of strings to
 * Uint8Arrays spent most of its time in GC). Node hashes are SHA-256 outputs, so their first
 * bytes serve directly as the table hash.
 */
export class MemoryStateNodeStore implements StateNodeStore {
  private readonly chunks: Uint8Array[] = [];
  /** Record index + 1 per slot; 0 = free. Kept at most half full. */
  private table = new Int32Array(1024);
  private count = 0;

  get size(): number {
    return this.count;
  }

  getNode(hash: Uint8Array): Uint8Array | undefined {
    if (hash.length !== STATE_HASH_SIZE) return undefined;
    const record = this.find(hash, this.table);
    if (record < 0) return undefined;
    const chunk = this.chunks[record >>> CHUNK_BITS] as Uint8Array;
    const at = (record & (CHUNK_RECORDS - 1)) * RECORD + STATE_HASH_SIZE;
    return chunk.subarray(at, at + STATE_NODE_SIZE);
  }

  /**
   * Adds the `newNodes` of an update (real storage would write them in one transaction). Each
   * node is stored under the hash of its encoding, recomputed: cheaper than parsing the hex key,
   * and a node can never sit under the wrong hash.
   */
  putNodes(nodes: Map<string, Uint8Array>): void {
    for (const encoding of nodes.values()) this.putNode(encoding);
  }

  putNode(encoding: Uint8Array): void {
    if (encoding.length !== STATE_NODE_SIZE || (encoding[0] as number) > STATE_INTERNAL_TAG) {
      throw new MerkleError({ code: "MERKLE_STATE_NODE_MALFORMED", message: "not a state node encoding" });
    }
    const hash = stateNodeHash(encoding);
    if (this.find(hash, this.table) >= 0) return; // content-addressed: same hash, same node
    if (2 * (this.count + 1) > this.table.length) this.grow();
    const record = this.count++;
    if ((record & (CHUNK_RECORDS - 1)) === 0) this.chunks.push(new Uint8Array(CHUNK_RECORDS * RECORD));
    const chunk = this.chunks[record >>> CHUNK_BITS] as Uint8Array;
    const at = (record & (CHUNK_RECORDS - 1)) * RECORD;
    chunk.set(hash, at);
    chunk.set(encoding, at + STATE_HASH_SIZE);
    this.table[this.freeSlot(hash, this.table)] = record + 1;
  }

  /** The record index holding `hash`, or -1. */
  private find(hash: Uint8Array, table: Int32Array): number {
    const mask = table.length - 1;
    for (let slot = slotOf(hash, mask); ; slot = (slot + 1) & mask) {
      const entry = table[slot] as number;
      if (entry === 0) return -1;
      if (this.recordHashEquals(entry - 1, hash)) return entry - 1;
    }
  }

  private freeSlot(hash: Uint8Array, table: Int32Array): number {
    const mask = table.length - 1;
    let slot = slotOf(hash, mask);
    while (table[slot] !== 0) slot = (slot + 1) & mask;
    return slot;
  }

  private recordHashEquals(record: number, hash: Uint8Array): boolean {
    const chunk = this.chunks[record >>> CHUNK_BITS] as Uint8Array;
    const at = (record & (CHUNK_RECORDS - 1)) * RECORD;
    for (let i = 0; i < STATE_HASH_SIZE; i++) if (chunk[at + i] !== hash[i]) return false;
    return true;
  }

  private grow(): void {
    const table = new Int32Array(this.table.length * 2);
    for (let record = 0; record < this.count; record++) {
      const chunk = this.chunks[record >>> CHUNK_BITS] as Uint8Array;
      const at = (record & (CHUNK_RECORDS - 1)) * RECORD;
      table[this.freeSlot(chunk.subarray(at, at + STATE_HASH_SIZE), table)] = record + 1;
    }
    this.table = table;
  }
}

function slotOf(hash: Uint8Array, mask: number): number {
  return (
    (((hash[0] as number) << 24) |
      ((hash[1] as number) << 16) |
      ((hash[2] as number) << 8) |
      (hash[3] as number)) &
    mask
  );
}
