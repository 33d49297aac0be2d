import { sha256 } from "../crypto/hash.js";
import { bytesEqual, hexToBytes } from "../encoding/bytes.js";
import { MerkleError } from "./errors.js";
import {
  emptyStateRoot,
  encodeStateInternal,
  encodeStateLeaf,
  isEmptyStateHash,
  pathBit,
  STATE_HASH_SIZE,
  STATE_MAX_DEPTH,
  stateNodeHash,
} from "./state-tree-node.js";
import type { StateProof } from "./state-tree-read.js";

interface ParsedProof {
  siblings: Uint8Array[];
  leaf: { keyHash: Uint8Array; valueHash: Uint8Array } | undefined;
}

function malformed(message: string): MerkleError {
  return new MerkleError({ code: "MERKLE_STATE_PROOF_MALFORMED", message });
}

function hash32(hex: unknown, what: string): Uint8Array {
  if (typeof hex !== "string") throw malformed(`${what} must be a hex string`);
  try {
    return hexToBytes(hex, STATE_HASH_SIZE);
  } catch {
    throw malformed(`${what} must be 32 bytes of lowercase hex`);
  }
}

/** Proofs usually arrive as untrusted JSON, so the static type is not relied on. */
function parseProof(proof: StateProof): ParsedProof {
  const raw: unknown = proof;
  if (typeof raw !== "object" || raw === null) throw malformed("proof must be an object");
  const { siblings, leaf } = raw as { siblings?: unknown; leaf?: unknown };
  if (!Array.isArray(siblings)) throw malformed("proof.siblings must be an array");
  if (siblings.length > STATE_MAX_DEPTH) throw malformed(`more than ${STATE_MAX_DEPTH} siblings`);
  const parsed: ParsedProof = {
    siblings: siblings.map((s, i) => hash32(s, `proof.siblings[${i}]`)),
    leaf: undefined,
  };
  if (leaf !== undefined) {
    if (typeof leaf !== "object" || leaf === null) throw malformed("proof.leaf must be an object");
    const { keyHash, valueHash } = leaf as { keyHash?: unknown; valueHash?: unknown };
    parsed.leaf = {
      keyHash: hash32(keyHash, "proof.leaf.keyHash"),
      valueHash: hash32(valueHash, "proof.leaf.valueHash"),
    };
  }
  // An honest tree never has a leaf or an empty subtree beside an empty one: it would have collapsed.
  const last = parsed.siblings[parsed.siblings.length - 1];
  if (last !== undefined && isEmptyStateHash(last)) throw malformed("path ends beside an empty sibling");
  return parsed;
}

function sharesPrefix(a: Uint8Array, b: Uint8Array, bits: number): boolean {
  for (let i = 0; i < bits; i++) if (pathBit(a, i) !== pathBit(b, i)) return false;
  return true;
}

/**
 * Checks that `proof` shows `key` holding `value` (or, with value === null, being absent) in the
 * tree whose root is `root`. Throws MerkleError: PROOF_MALFORMED / LEAF_OFF_PATH / ROOT_MISMATCH
 * when the proof itself is bad; KEY_MISMATCH / VALUE_MISMATCH when it is authentic but proves
 * something else (so callers can tell a forged proof from a wrong claim).
 */
export function verifyStateProof(
  root: Uint8Array,
  key: Uint8Array,
  value: Uint8Array | null,
  proof: StateProof,
): void {
  const { siblings, leaf } = parseProof(proof);
  const keyHash = sha256(key);
  if (leaf !== undefined && !sharesPrefix(leaf.keyHash, keyHash, siblings.length)) {
    throw new MerkleError({
      code: "MERKLE_STATE_LEAF_OFF_PATH",
      message: `proof leaf does not share the key's first ${siblings.length} path bits`,
    });
  }
  let node =
    leaf === undefined ? emptyStateRoot() : stateNodeHash(encodeStateLeaf(leaf.keyHash, leaf.valueHash));
  for (let depth = siblings.length - 1; depth >= 0; depth--) {
    const sibling = siblings[depth] as Uint8Array;
    const encoding =
      pathBit(keyHash, depth) === 0 ? encodeStateInternal(node, sibling) : encodeStateInternal(sibling, node);
    node = stateNodeHash(encoding);
  }
  if (!(root instanceof Uint8Array) || !bytesEqual(node, root)) {
    throw new MerkleError({
      code: "MERKLE_STATE_ROOT_MISMATCH",
      message: "proof does not lead to the state root",
    });
  }
  const present = leaf !== undefined && bytesEqual(leaf.keyHash, keyHash);
  if (value === null) {
    if (present) {
      throw new MerkleError({
        code: "MERKLE_STATE_VALUE_MISMATCH",
        message: "key is present, expected absent",
      });
    }
    return;
  }
  if (!present) {
    throw new MerkleError({
      code: "MERKLE_STATE_KEY_MISMATCH",
      message:
        leaf === undefined
          ? "proof shows the key is absent"
          : "proof ends at another key's leaf: the key is absent",
    });
  }
  if (!bytesEqual(sha256(value), leaf.valueHash)) {
    throw new MerkleError({ code: "MERKLE_STATE_VALUE_MISMATCH", message: "key holds a different value" });
  }
}

export function isValidStateProof(
  root: Uint8Array,
  key: Uint8Array,
  value: Uint8Array | null,
  proof: StateProof,
): boolean {
  try {
    verifyStateProof(root, key, value, proof);
    return true;
  } catch (e) {
    if (e instanceof MerkleError) return false;
    throw e;
  }
}
