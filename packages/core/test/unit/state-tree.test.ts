import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sha256, sha256Concat } from "../../src/crypto/hash.js";
import { bytesEqual, bytesToHex, utf8 } from "../../src/encoding/bytes.js";
import { MerkleError, type MerkleErrorCode } from "../../src/merkle/errors.js";
import {
  decodeStateNode,
  emptyStateRoot,
  encodeStateInternal,
  encodeStateLeaf,
  getStateValueHash,
  isValidStateProof,
  MemoryStateNodeStore,
  proveState,
  type StateChange,
  type StateNodeStore,
  type StateProof,
  stateNodeHash,
  updateStateTree,
  verifyStateProof,
} from "../../src/merkle/state-tree.js";
import { loadStateNode } from "../../src/merkle/state-tree-node.js";

const ZERO = new Uint8Array(32);
const key = (i: number) => utf8(`token/balance/ACME/${i.toString(16).padStart(4, "0")}`);
const val = (s: string | number) => utf8(`{"v":${JSON.stringify(String(s))}}`);
const bit = (h: Uint8Array, i: number) => ((h[i >> 3] as number) >> (7 - (i & 7))) & 1;

/** Independent model of the spec: the root from the key/value set alone, recursively. */
function referenceRoot(entries: Map<number, string>): Uint8Array {
  const leaves = [...entries].map(([k, v]) => ({ keyHash: sha256(key(k)), valueHash: sha256(val(v)) }));
  const build = (set: typeof leaves, depth: number): Uint8Array => {
    if (set.length === 0) return ZERO;
    if (set.length === 1) {
      const only = set[0]!;
      return sha256Concat(new Uint8Array([0]), only.keyHash, only.valueHash);
    }
    const left = build(
      set.filter((l) => bit(l.keyHash, depth) === 0),
      depth + 1,
    );
    const right = build(
      set.filter((l) => bit(l.keyHash, depth) === 1),
      depth + 1,
    );
    return sha256Concat(new Uint8Array([1]), left, right);
  };
  return build(leaves, 0);
}

function apply(store: MemoryStateNodeStore, root: Uint8Array, changes: StateChange[]): Uint8Array {
  const result = updateStateTree(store, root, changes);
  store.putNodes(result.newNodes);
  return result.root;
}

function build(entries: Iterable<[number, string]>): { store: MemoryStateNodeStore; root: Uint8Array } {
  const store = new MemoryStateNodeStore();
  const changes = [...entries].map(([k, v]) => ({ key: key(k), value: val(v) }));
  return { store, root: apply(store, emptyStateRoot(), changes) };
}

function codeOf(fn: () => void): MerkleErrorCode | "none" {
  try {
    fn();
    return "none";
  } catch (e) {
    expect(e).toBeInstanceOf(MerkleError);
    return (e as MerkleError).code;
  }
}

/** Finds absent keys whose proofs end in an empty subtree and on another key's leaf. */
function absentKeys(store: StateNodeStore, root: Uint8Array, from: number) {
  let onEmpty: number | undefined;
  let onLeaf: number | undefined;
  for (let k = from; onEmpty === undefined || onLeaf === undefined; k++) {
    if (proveState(store, root, key(k)).leaf === undefined) onEmpty ??= k;
    else onLeaf ??= k;
  }
  return { onEmpty, onLeaf };
}

describe("state tree: roots", () => {
  it("the empty tree's root is 32 zero bytes, and absence proves there", () => {
    const store = new MemoryStateNodeStore();
    expect(emptyStateRoot()).toEqual(ZERO);
    const proof = proveState(store, emptyStateRoot(), key(1));
    expect(proof).toEqual({ siblings: [] });
    expect(getStateValueHash(store, emptyStateRoot(), key(1))).toBeUndefined();
    expect(() => verifyStateProof(ZERO, key(1), null, proof)).not.toThrow();
    expect(codeOf(() => verifyStateProof(ZERO, key(1), val(1), proof))).toBe("MERKLE_STATE_KEY_MISMATCH");
    const noop = updateStateTree(store, emptyStateRoot(), [{ key: key(1), value: null }]);
    expect(noop.root).toEqual(ZERO);
    expect(noop.newNodes.size).toBe(0);
  });

  it("a single key's root is its leaf hash, SHA-256(0x00 || keyHash || valueHash)", () => {
    const { store, root } = build([[7, "a"]]);
    const keyHash = sha256(key(7));
    const valueHash = sha256(val("a"));
    expect(root).toEqual(sha256Concat(new Uint8Array([0]), keyHash, valueHash));
    expect(store.getNode(root)).toEqual(encodeStateLeaf(keyHash, valueHash));
    expect(getStateValueHash(store, root, key(7))).toEqual(valueHash);
    expect(proveState(store, root, key(7))).toEqual({
      siblings: [],
      leaf: { keyHash: bytesToHex(keyHash), valueHash: bytesToHex(valueHash) },
    });
  });

  it("two keys: internal node SHA-256(0x01 || left || right) ordered by the first differing bit", () => {
    // Keys 0 and k differ at the first bit for some k; find one so both orders are covered.
    const a = sha256(key(0));
    const k = [1, 2, 3, 4, 5, 6, 7, 8].find((i) => bit(sha256(key(i)), 0) !== bit(a, 0))!;
    const { root } = build([
      [0, "x"],
      [k, "y"],
    ]);
    const leafA = sha256Concat(new Uint8Array([0]), a, sha256(val("x")));
    const leafB = sha256Concat(new Uint8Array([0]), sha256(key(k)), sha256(val("y")));
    const [left, right] = bit(a, 0) === 0 ? [leafA, leafB] : [leafB, leafA];
    expect(root).toEqual(sha256Concat(new Uint8Array([1]), left, right));
  });

  it("matches the reference model on a few hundred keys, whatever the insertion order", () => {
    const entries = new Map(Array.from({ length: 300 }, (_, i) => [i, `v${i}`] as [number, string]));
    const forward = build(entries).root;
    expect(forward).toEqual(referenceRoot(entries));
    const store = new MemoryStateNodeStore();
    let root = emptyStateRoot();
    for (const [k, v] of [...entries].reverse()) root = apply(store, root, [{ key: key(k), value: val(v) }]);
    expect(root).toEqual(forward);
  });

  it("updates, deletes and re-inserts land on the same root as building the final set", () => {
    const fixed = fc.array(
      fc.array(
        fc.record({
          k: fc.integer({ min: 0, max: 40 }),
          v: fc.option(fc.integer({ min: 0, max: 3 }), { nil: null }),
        }),
        { maxLength: 25 },
      ),
      { maxLength: 8 },
    );
    fc.assert(
      fc.property(fixed, fc.integer(), (batches, seed) => {
        const store = new MemoryStateNodeStore();
        const model = new Map<number, string>();
        let root = emptyStateRoot();
        for (const batch of batches) {
          root = apply(
            store,
            root,
            batch.map(({ k, v }) => ({ key: key(k), value: v === null ? null : val(v) })),
          );
          for (const { k, v } of batch) v === null ? model.delete(k) : model.set(k, String(v));
          expect(root).toEqual(referenceRoot(model));
        }
        // Rebuild from scratch, in a shuffled order, one key per batch.
        const shuffled = [...model].sort((x, y) => ((x[0] * 7919 + seed) % 41) - ((y[0] * 7919 + seed) % 41));
        const fresh = new MemoryStateNodeStore();
        let rebuilt = emptyStateRoot();
        for (const [k, v] of shuffled) rebuilt = apply(fresh, rebuilt, [{ key: key(k), value: val(v) }]);
        expect(rebuilt).toEqual(root);
        for (let k = 0; k <= 40; k++) {
          const got = getStateValueHash(store, root, key(k));
          const want = model.get(k);
          expect(got).toEqual(want === undefined ? undefined : sha256(val(want)));
        }
      }),
      { numRuns: 150 },
    );
  });

  it("deleting every key returns to the empty root", () => {
    const entries = new Map(Array.from({ length: 100 }, (_, i) => [i, "v"] as [number, string]));
    const { store, root } = build(entries);
    const half = apply(
      store,
      root,
      [...entries.keys()].filter((k) => k % 2 === 0).map((k) => ({ key: key(k), value: null })),
    );
    expect(half).toEqual(referenceRoot(new Map([...entries].filter(([k]) => k % 2 === 1))));
    const empty = apply(
      store,
      half,
      [...entries.keys()].map((k) => ({ key: key(k), value: null })),
    );
    expect(empty).toEqual(ZERO);
  });

  it("collapses a single remaining leaf back up to the root", () => {
    const { store, root } = build([
      [1, "a"],
      [2, "b"],
      [3, "c"],
    ]);
    const after = apply(store, root, [
      { key: key(1), value: null },
      { key: key(3), value: null },
    ]);
    expect(after).toEqual(sha256Concat(new Uint8Array([0]), sha256(key(2)), sha256(val("b"))));
    expect(proveState(store, after, key(2)).siblings).toEqual([]);
  });
});

describe("state tree: batches", () => {
  it("duplicate keys in a batch: the last one wins", () => {
    const store = new MemoryStateNodeStore();
    const root = apply(store, emptyStateRoot(), [
      { key: key(1), value: val("first") },
      { key: key(2), value: val("x") },
      { key: key(1), value: val("last") },
      { key: key(2), value: null },
    ]);
    expect(root).toEqual(referenceRoot(new Map([[1, "last"]])));
  });

  it("is deterministic: change order does not affect the root or the new nodes", () => {
    const changes = Array.from({ length: 64 }, (_, i) => ({ key: key(i), value: val(i) }));
    const store = new MemoryStateNodeStore();
    const a = updateStateTree(store, emptyStateRoot(), changes);
    const b = updateStateTree(store, emptyStateRoot(), [...changes].reverse());
    expect(a.root).toEqual(b.root);
    expect([...a.newNodes.keys()].sort()).toEqual([...b.newNodes.keys()].sort());
  });

  it("only reads the store and returns every new node, keyed by the hex of its hash", () => {
    const { store, root } = build(Array.from({ length: 50 }, (_, i) => [i, "v"] as [number, string]));
    const before = store.size;
    const reads: string[] = [];
    const spy: StateNodeStore = {
      getNode: (hash) => {
        reads.push(bytesToHex(hash));
        return store.getNode(hash);
      },
    };
    const result = updateStateTree(spy, root, [
      { key: key(3), value: val("new") },
      { key: key(500), value: val("added") },
      { key: key(7), value: null },
    ]);
    expect(store.size).toBe(before);
    expect(reads.length).toBeGreaterThan(0);
    for (const [hex, encoding] of result.newNodes) {
      expect(bytesToHex(stateNodeHash(encoding))).toBe(hex);
      expect(store.getNode(stateNodeHash(encoding))).toBeUndefined();
    }
    // Without persisting, the new root is unreadable; with the new nodes it is complete.
    expect(() => proveState(store, result.root, key(3))).toThrow(MerkleError);
    store.putNodes(result.newNodes);
    expect(getStateValueHash(store, result.root, key(3))).toEqual(sha256(val("new")));
    expect(getStateValueHash(store, result.root, key(7))).toBeUndefined();
  });

  it("node reads fall back to not-yet-persisted nodes", () => {
    const store = new MemoryStateNodeStore();
    const { root, newNodes } = updateStateTree(store, emptyStateRoot(), [{ key: key(1), value: val(1) }]);
    expect(() => loadStateNode(store, root)).toThrow(MerkleError);
    expect(loadStateNode(store, root, newNodes)).toEqual({
      kind: "leaf",
      keyHash: sha256(key(1)),
      valueHash: sha256(val(1)),
    });
    expect(loadStateNode(store, ZERO)).toEqual({ kind: "empty" });
  });

  it("no-op changes create no nodes and keep the root", () => {
    const { store, root } = build([
      [1, "a"],
      [2, "b"],
    ]);
    const same = updateStateTree(store, root, [
      { key: key(1), value: val("a") },
      { key: key(99), value: null },
    ]);
    expect(same.root).toEqual(root);
    expect(same.newNodes.size).toBe(0);
  });

  it("a batch on a 5,000-key tree writes only the changed paths", () => {
    const { store, root } = build(Array.from({ length: 5000 }, (_, i) => [i, "v"] as [number, string]));
    const result = updateStateTree(store, root, [{ key: key(42), value: val("changed") }]);
    // One leaf plus one internal node per level above it (~log2(5000) ≈ 12, plus a little).
    expect(result.newNodes.size).toBeGreaterThan(8);
    expect(result.newNodes.size).toBeLessThan(30);
  });

  it("reports missing nodes and malformed encodings", () => {
    const store = new MemoryStateNodeStore();
    const unknown = sha256(utf8("nope"));
    expect(codeOf(() => updateStateTree(store, unknown, [{ key: key(1), value: val(1) }]))).toBe(
      "MERKLE_STATE_NODE_MISSING",
    );
    expect(codeOf(() => proveState(store, unknown, key(1)))).toBe("MERKLE_STATE_NODE_MISSING");
    expect(codeOf(() => proveState(store, new Uint8Array(31), key(1)))).toBe("MERKLE_STATE_NODE_MISSING");
    const bad: StateNodeStore = { getNode: () => new Uint8Array(65).fill(2) };
    expect(codeOf(() => proveState(bad, unknown, key(1)))).toBe("MERKLE_STATE_NODE_MALFORMED");
    expect(codeOf(() => decodeStateNode(new Uint8Array(64)))).toBe("MERKLE_STATE_NODE_MALFORMED");
  });

  it("encodes nodes compactly: tag, then two 32-byte hashes", () => {
    const a = sha256(utf8("a"));
    const b = sha256(utf8("b"));
    const leaf = encodeStateLeaf(a, b);
    const internal = encodeStateInternal(a, ZERO);
    expect(leaf.length).toBe(65);
    expect(leaf[0]).toBe(0);
    expect(internal[0]).toBe(1);
    expect(decodeStateNode(leaf)).toEqual({ kind: "leaf", keyHash: a, valueHash: b });
    expect(decodeStateNode(internal)).toEqual({ kind: "internal", left: a, right: ZERO });
    expect(stateNodeHash(internal)).toEqual(sha256Concat(new Uint8Array([1]), a, ZERO));
  });
});

describe("state tree: proofs", () => {
  const entries = new Map(Array.from({ length: 200 }, (_, i) => [i, `v${i}`] as [number, string]));
  const { store, root } = build(entries);

  it("inclusion proofs verify for every present key and survive JSON", () => {
    for (const [k, v] of entries) {
      const proof = JSON.parse(JSON.stringify(proveState(store, root, key(k)))) as StateProof;
      expect(proof.leaf?.keyHash).toBe(bytesToHex(sha256(key(k))));
      expect(proof.siblings.length).toBeLessThan(40);
      expect(() => verifyStateProof(root, key(k), val(v), proof)).not.toThrow();
      expect(isValidStateProof(root, key(k), val(v), proof)).toBe(true);
      expect(isValidStateProof(root, key(k), null, proof)).toBe(false);
    }
  });

  it("non-inclusion proofs verify, both on an empty subtree and on another key's leaf", () => {
    const { onEmpty, onLeaf } = absentKeys(store, root, 1000);
    const emptyProof = proveState(store, root, key(onEmpty));
    expect(emptyProof.leaf).toBeUndefined();
    expect(emptyProof.siblings.length).toBeGreaterThan(0);
    expect(() => verifyStateProof(root, key(onEmpty), null, emptyProof)).not.toThrow();
    expect(codeOf(() => verifyStateProof(root, key(onEmpty), val(1), emptyProof))).toBe(
      "MERKLE_STATE_KEY_MISMATCH",
    );

    const leafProof = proveState(store, root, key(onLeaf));
    expect(leafProof.leaf).toBeDefined();
    expect(leafProof.leaf?.keyHash).not.toBe(bytesToHex(sha256(key(onLeaf))));
    expect(() => verifyStateProof(root, key(onLeaf), null, leafProof)).not.toThrow();
    expect(codeOf(() => verifyStateProof(root, key(onLeaf), val(1), leafProof))).toBe(
      "MERKLE_STATE_KEY_MISMATCH",
    );
  });

  it("proofs agree with the model for random keys (property)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 400 }), (k) => {
        const proof = proveState(store, root, key(k));
        const v = entries.get(k);
        verifyStateProof(root, key(k), v === undefined ? null : val(v), proof);
        expect(isValidStateProof(root, key(k), v === undefined ? val("x") : null, proof)).toBe(false);
      }),
      { numRuns: 300 },
    );
  });

  describe("tampering", () => {
    const present = proveState(store, root, key(5));
    const v5 = val(entries.get(5)!);
    const clone = (p: StateProof): StateProof => JSON.parse(JSON.stringify(p)) as StateProof;
    const flip = (hex: string) => (hex[0] === "0" ? "1" : "0") + hex.slice(1);

    it("a flipped sibling byte breaks the root", () => {
      for (let i = 0; i < present.siblings.length; i++) {
        const p = clone(present);
        p.siblings[i] = flip(p.siblings[i]!);
        expect(codeOf(() => verifyStateProof(root, key(5), v5, p))).toBe("MERKLE_STATE_ROOT_MISMATCH");
      }
    });

    it("the wrong value, or claiming absence, is a value mismatch", () => {
      expect(codeOf(() => verifyStateProof(root, key(5), val("other"), present))).toBe(
        "MERKLE_STATE_VALUE_MISMATCH",
      );
      expect(codeOf(() => verifyStateProof(root, key(5), null, present))).toBe("MERKLE_STATE_VALUE_MISMATCH");
    });

    it("a missing or extra sibling breaks the root", () => {
      const missing = clone(present);
      missing.siblings.pop();
      // Dropping the bottom sibling can expose an empty one, which no honest proof ends beside.
      const exposed = missing.siblings[missing.siblings.length - 1] === bytesToHex(ZERO);
      expect(codeOf(() => verifyStateProof(root, key(5), v5, missing))).toBe(
        exposed ? "MERKLE_STATE_PROOF_MALFORMED" : "MERKLE_STATE_ROOT_MISMATCH",
      );
      const missingTop = clone(present);
      missingTop.siblings.shift();
      expect(codeOf(() => verifyStateProof(root, key(5), v5, missingTop))).toBe("MERKLE_STATE_ROOT_MISMATCH");
      const extra = clone(present);
      extra.siblings.push(bytesToHex(sha256(utf8("extra"))));
      expect(codeOf(() => verifyStateProof(root, key(5), v5, extra))).toBe("MERKLE_STATE_ROOT_MISMATCH");
    });

    it("removing or duplicating any one sibling never verifies, for any key", () => {
      for (const k of [...entries.keys()].slice(0, 50)) {
        const proof = proveState(store, root, key(k));
        const v = val(entries.get(k)!);
        for (let i = 0; i < proof.siblings.length; i++) {
          const removed = clone(proof);
          removed.siblings.splice(i, 1);
          expect(isValidStateProof(root, key(k), v, removed)).toBe(false);
          const doubled = clone(proof);
          doubled.siblings.splice(i, 0, proof.siblings[i]!);
          expect(isValidStateProof(root, key(k), v, doubled)).toBe(false);
        }
      }
    });

    it("a wrong leaf is rejected: forged value hash, dropped leaf, another key's leaf", () => {
      const forged = clone(present);
      forged.leaf = { keyHash: forged.leaf!.keyHash, valueHash: bytesToHex(sha256(val("forged"))) };
      expect(codeOf(() => verifyStateProof(root, key(5), val("forged"), forged))).toBe(
        "MERKLE_STATE_ROOT_MISMATCH",
      );
      const dropped = clone(present);
      delete dropped.leaf;
      expect(codeOf(() => verifyStateProof(root, key(5), null, dropped))).toBe("MERKLE_STATE_ROOT_MISMATCH");
      // A leaf from elsewhere in the tree: off the key's path entirely.
      const k = [...entries.keys()].find((i) => bit(sha256(key(i)), 0) !== bit(sha256(key(5)), 0))!;
      const swapped = clone(present);
      swapped.leaf = proveState(store, root, key(k)).leaf!;
      expect(codeOf(() => verifyStateProof(root, key(5), null, swapped))).toBe("MERKLE_STATE_LEAF_OFF_PATH");
    });

    it("a proof for another root or key fails", () => {
      const other = build([[1, "z"]]).root;
      expect(codeOf(() => verifyStateProof(other, key(5), v5, present))).toBe("MERKLE_STATE_ROOT_MISMATCH");
      expect(codeOf(() => verifyStateProof(new Uint8Array(5), key(5), v5, present))).toBe(
        "MERKLE_STATE_ROOT_MISMATCH",
      );
      const neighbour = proveState(store, root, key(6));
      expect(isValidStateProof(root, key(5), v5, neighbour)).toBe(false);
    });

    it("malformed proofs are rejected before hashing", () => {
      const malformed: unknown[] = [
        null,
        "proof",
        { siblings: "00" },
        { siblings: [present.siblings[0]!.toUpperCase(), ...present.siblings.slice(1)], leaf: present.leaf },
        { siblings: [present.siblings[0]!.slice(2), ...present.siblings.slice(1)], leaf: present.leaf },
        { siblings: [42], leaf: present.leaf },
        { siblings: present.siblings, leaf: "leaf" },
        { siblings: present.siblings, leaf: { keyHash: present.leaf!.keyHash } },
        { siblings: present.siblings, leaf: { ...present.leaf, valueHash: "zz" } },
        { siblings: Array.from({ length: 257 }, () => present.siblings[0]!), leaf: present.leaf },
        // A leaf beside an empty sibling would have been collapsed: never produced honestly.
        { siblings: [...present.siblings, bytesToHex(ZERO)], leaf: present.leaf },
      ];
      for (const p of malformed) {
        expect(codeOf(() => verifyStateProof(root, key(5), v5, p as StateProof))).toBe(
          "MERKLE_STATE_PROOF_MALFORMED",
        );
        expect(isValidStateProof(root, key(5), v5, p as StateProof)).toBe(false);
      }
    });

    it("no single-character edit of a proof verifies (property)", () => {
      const json = JSON.stringify(present);
      fc.assert(
        fc.property(fc.nat(json.length - 1), fc.constantFrom(..."0123456789abcdef"), (at, ch) => {
          const edited = json.slice(0, at) + ch + json.slice(at + 1);
          if (edited === json) return;
          let parsed: unknown;
          try {
            parsed = JSON.parse(edited);
          } catch {
            return;
          }
          expect(isValidStateProof(root, key(5), v5, parsed as StateProof)).toBe(false);
        }),
        { numRuns: 300 },
      );
    });
  });
});

describe("state tree: versioning", () => {
  it("old roots still prove old values after updates and deletes", () => {
    const store = new MemoryStateNodeStore();
    const roots: Uint8Array[] = [];
    const models: Map<number, string>[] = [];
    let root = emptyStateRoot();
    const model = new Map<number, string>();
    for (let version = 0; version < 6; version++) {
      const changes: StateChange[] = [];
      for (let k = version * 3; k < version * 3 + 20; k++) {
        const value = k % 5 === version % 5 ? null : `r${version}k${k}`;
        changes.push({ key: key(k), value: value === null ? null : val(value) });
        value === null ? model.delete(k) : model.set(k, value);
      }
      root = apply(store, root, changes);
      roots.push(root);
      models.push(new Map(model));
    }
    for (let version = 0; version < roots.length; version++) {
      const r = roots[version]!;
      const m = models[version]!;
      expect(r).toEqual(referenceRoot(m));
      for (let k = 0; k < 40; k++) {
        const v = m.get(k);
        const proof = proveState(store, r, key(k));
        expect(() => verifyStateProof(r, key(k), v === undefined ? null : val(v), proof)).not.toThrow();
      }
    }
    // The latest root does not accept an old value that has since changed.
    const old = models[0]!.get(11)!;
    const latest = roots[roots.length - 1]!;
    expect(bytesEqual(sha256(val(old)), getStateValueHash(store, latest, key(11)) ?? ZERO)).toBe(false);
    expect(isValidStateProof(latest, key(11), val(old), proveState(store, latest, key(11)))).toBe(false);
  });
});
