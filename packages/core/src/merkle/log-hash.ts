import { sha256, sha256Concat } from "../crypto/hash.js";
import { checkHash } from "./log-checks.js";

/** RFC 6962 §2.1 hashing. Distinct leaf and node prefixes stop a node being passed off as a leaf. */
const LEAF_PREFIX = Uint8Array.of(0x00);
const NODE_PREFIX = Uint8Array.of(0x01);

/** MTH({}) = SHA-256(""). Copy before handing out: typed arrays cannot be frozen. */
export const EMPTY_ROOT: Uint8Array = sha256(new Uint8Array(0));

export function leafHash(data: Uint8Array): Uint8Array {
  return sha256Concat(LEAF_PREFIX, data);
}

export function nodeHash(left: Uint8Array, right: Uint8Array): Uint8Array {
  return sha256Concat(NODE_PREFIX, left, right);
}

/**
 * MTH over a list of leaf hashes, e.g. a block's transactions. Pairing level by level and
 * promoting an odd last node unchanged yields exactly RFC 6962's split at the largest power of two.
 */
export function rootFromLeafHashes(leafHashes: readonly Uint8Array[]): Uint8Array {
  if (leafHashes.length === 0) return EMPTY_ROOT.slice();
  for (const h of leafHashes) checkHash(h, "leaf hash");
  let layer = leafHashes;
  while (layer.length > 1) {
    const next: Uint8Array[] = [];
    for (let i = 0; i + 1 < layer.length; i += 2) next.push(nodeHash(layer[i]!, layer[i + 1]!));
    if (layer.length % 2 === 1) next.push(layer[layer.length - 1]!);
    layer = next;
  }
  return layer[0]!.slice();
}
