import { sha256 } from "../crypto/hash.js";
import { MerkleError } from "./errors.js";

/**
 * Node encodings of the state tree. A node's hash is SHA-256 of its encoding, so the encoding
 * is all a store needs to keep and any node read back can be re-hashed to check it:
 *   leaf     = 0x00 || keyHash(32) || valueHash(32)
 *   internal = 0x01 || leftHash(32) || rightHash(32)   (an empty child is 32 zero bytes)
 */
export const STATE_LEAF_TAG = 0x00;
export const STATE_INTERNAL_TAG = 0x01;
export const STATE_NODE_SIZE = 65;
export const STATE_HASH_SIZE = 32;
/** Deepest possible leaf: two key hashes can share at most 255 leading bits. */
export const STATE_MAX_DEPTH = 256;

export type StateNode =
  | { kind: "empty" }
  | { kind: "leaf"; keyHash: Uint8Array; valueHash: Uint8Array }
  | { kind: "internal"; left: Uint8Array; right: Uint8Array };

export const EMPTY_STATE_NODE: StateNode = { kind: "empty" };

/** Read access to content-addressed nodes: hash → encoding. Nodes are immutable, so old roots stay readable. */
export interface StateNodeStore {
  getNode(hash: Uint8Array): Uint8Array | undefined;
}

const HEX_DIGITS = "0123456789abcdef";
const hexCodes = new Array<number>(2 * STATE_HASH_SIZE);

/**
 * Map key of a node hash: the same lowercase hex as `bytesToHex`, but built as one flat string.
 * `+=` builds a rope of 32 pieces, which made keying million-node maps several times slower.
 */
export function stateNodeKey(hash: Uint8Array): string {
  if (hash.length !== STATE_HASH_SIZE) throw new RangeError("a state node hash is 32 bytes");
  for (let i = 0; i < STATE_HASH_SIZE; i++) {
    const b = hash[i] as number;
    hexCodes[2 * i] = HEX_DIGITS.charCodeAt(b >> 4);
    hexCodes[2 * i + 1] = HEX_DIGITS.charCodeAt(b & 15);
  }
  return String.fromCharCode.apply(null, hexCodes);
}

/** The root of the empty tree (and the hash of any empty subtree): 32 zero bytes. */
export function emptyStateRoot(): Uint8Array {
  return new Uint8Array(STATE_HASH_SIZE);
}

export function isEmptyStateHash(hash: Uint8Array): boolean {
  for (let i = 0; i < hash.length; i++) if (hash[i] !== 0) return false;
  return true;
}

/** Bit `index` of a key hash, most significant bit first: 0 = go left, 1 = go right. */
export function pathBit(keyHash: Uint8Array, index: number): number {
  return ((keyHash[index >> 3] as number) >> (7 - (index & 7))) & 1;
}

/** `out` lets batch updates pack encodings into shared buffers instead of one allocation each. */
export function encodeStateLeaf(
  keyHash: Uint8Array,
  valueHash: Uint8Array,
  out: Uint8Array = new Uint8Array(STATE_NODE_SIZE),
): Uint8Array {
  out[0] = STATE_LEAF_TAG;
  out.set(keyHash, 1);
  out.set(valueHash, 1 + STATE_HASH_SIZE);
  return out;
}

export function encodeStateInternal(
  left: Uint8Array,
  right: Uint8Array,
  out: Uint8Array = new Uint8Array(STATE_NODE_SIZE),
): Uint8Array {
  out[0] = STATE_INTERNAL_TAG;
  out.set(left, 1);
  out.set(right, 1 + STATE_HASH_SIZE);
  return out;
}

/** Hash of a node from its encoding: the tag byte domain-separates leaves from internal nodes. */
export function stateNodeHash(encoding: Uint8Array): Uint8Array {
  return sha256(encoding);
}

export function decodeStateNode(encoding: Uint8Array): StateNode {
  const tag = encoding[0];
  if (encoding.length !== STATE_NODE_SIZE || (tag !== STATE_LEAF_TAG && tag !== STATE_INTERNAL_TAG)) {
    throw new MerkleError({
      code: "MERKLE_STATE_NODE_MALFORMED",
      message: `state node encoding must be ${STATE_NODE_SIZE} bytes with tag 0 or 1`,
    });
  }
  const a = encoding.subarray(1, 1 + STATE_HASH_SIZE);
  const b = encoding.subarray(1 + STATE_HASH_SIZE);
  return tag === STATE_LEAF_TAG
    ? { kind: "leaf", keyHash: a, valueHash: b }
    : { kind: "internal", left: a, right: b };
}

export function checkStateRoot(root: Uint8Array): void {
  if (!(root instanceof Uint8Array) || root.length !== STATE_HASH_SIZE) {
    throw new MerkleError({ code: "MERKLE_STATE_NODE_MISSING", message: "a state root must be 32 bytes" });
  }
}

/** Loads and decodes a node; `pending` holds nodes created but not yet persisted. */
export function loadStateNode(
  store: StateNodeStore,
  hash: Uint8Array,
  pending?: Map<string, Uint8Array>,
): StateNode {
  if (isEmptyStateHash(hash)) return EMPTY_STATE_NODE;
  // Store first: batch updates keep their own new nodes decoded, so `pending` is a rare fallback.
  const encoding = store.getNode(hash) ?? pending?.get(stateNodeKey(hash));
  if (encoding === undefined) {
    throw new MerkleError({
      code: "MERKLE_STATE_NODE_MISSING",
      message: `state node ${stateNodeKey(hash)} is not in the store`,
    });
  }
  return decodeStateNode(encoding);
}
