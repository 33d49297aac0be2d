import { describe, expect, it } from "vitest";
import {
  appendLeaf,
  bytesToHex,
  CodecError,
  consistencyProof,
  EMPTY_ROOT,
  hexToBytes,
  inclusionProof,
  isValidConsistency,
  isValidInclusion,
  type LogNodeStore,
  leafHash,
  logRoot,
  MemoryLogStore,
  MerkleError,
  nodeHash,
  proofFromHex,
  proofToHex,
  rootFromLeafHashes,
  sha256Concat,
  verifyConsistency,
  verifyInclusion,
} from "../../src/index.js";

// ---- Reference: RFC 6962 §2.1 written out recursively, with its own hashing. ----

const refNode = (l: Uint8Array, r: Uint8Array) => sha256Concat(Uint8Array.of(1), l, r);
const refLeaf = (data: Uint8Array) => sha256Concat(Uint8Array.of(0), data);

function largestPowerOfTwoBelow(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[start:start+n]) over a fixed leaf list; memoised because ranges repeat across sizes. */
class Reference {
  private readonly memo = new Map<string, Uint8Array>();
  constructor(readonly leaves: Uint8Array[]) {}

  mth(start: number, n: number): Uint8Array {
    if (n === 0) return sha256Concat();
    if (n === 1) return this.leaves[start]!;
    const key = `${start}:${n}`;
    let h = this.memo.get(key);
    if (h === undefined) {
      const k = largestPowerOfTwoBelow(n);
      h = refNode(this.mth(start, k), this.mth(start + k, n - k));
      this.memo.set(key, h);
    }
    return h;
  }

  path(m: number, start: number, n: number): Uint8Array[] {
    if (n <= 1) return [];
    const k = largestPowerOfTwoBelow(n);
    if (m < k) return [...this.path(m, start, k), this.mth(start + k, n - k)];
    return [...this.path(m - k, start + k, n - k), this.mth(start, k)];
  }

  subproof(m: number, start: number, n: number, b: boolean): Uint8Array[] {
    if (m === n) return b ? [] : [this.mth(start, n)];
    const k = largestPowerOfTwoBelow(n);
    if (m <= k) return [...this.subproof(m, start, k, b), this.mth(start + k, n - k)];
    return [...this.subproof(m - k, start + k, n - k, false), this.mth(start, k)];
  }
}

const hex = (proof: Uint8Array[]) => proof.map(bytesToHex).join(",");

function leavesUpTo(n: number): Uint8Array[] {
  return Array.from({ length: n }, (_, i) => refLeaf(new TextEncoder().encode(`leaf ${i}`)));
}

function buildStore(leaves: Uint8Array[]): MemoryLogStore {
  const store = new MemoryLogStore();
  leaves.reduce((size, h) => appendLeaf(store, size, h), 0);
  return store;
}

function codeOf(f: () => void): string | undefined {
  try {
    f();
  } catch (e) {
    if (e instanceof MerkleError) return e.code;
    throw e;
  }
  return undefined;
}

/** Deterministic PRNG so failures reproduce. */
function prng(seed: number): (below: number) => number {
  let s = seed >>> 0;
  return (below) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return Math.floor((s / 2 ** 32) * below);
  };
}

describe("RFC 6962 hashing", () => {
  it("uses the 0x00 / 0x01 prefixes and SHA-256('') for the empty tree", () => {
    expect(bytesToHex(EMPTY_ROOT)).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(bytesToHex(leafHash(new Uint8Array(0)))).toBe(
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
    );
    const a = leafHash(Uint8Array.of(1));
    const b = leafHash(Uint8Array.of(2));
    expect(nodeHash(a, b)).toEqual(refNode(a, b));
  });

  it("matches the RFC 6962 reference roots for the 8-leaf test tree", () => {
    const data = [
      "",
      "00",
      "10",
      "2021",
      "3031",
      "40414243",
      "5051525354555657",
      "606162636465666768696a6b6c6d6e6f",
    ];
    const roots = [
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ];
    const leaves = data.map((d) => leafHash(hexToBytes(d)));
    const store = buildStore(leaves);
    roots.forEach((root, i) => {
      expect(bytesToHex(logRoot(store, i + 1))).toBe(root);
      expect(bytesToHex(rootFromLeafHashes(leaves.slice(0, i + 1)))).toBe(root);
    });
  });
});

describe("incremental log vs the recursive reference", () => {
  it("agrees on roots and every inclusion and consistency proof for sizes 0..300", () => {
    const MAX = 300;
    const leaves = leavesUpTo(MAX);
    const ref = new Reference(leaves);
    const store = new MemoryLogStore();
    const failures: string[] = [];
    let checked = 0;
    for (let n = 0; n <= MAX; n++) {
      const root = logRoot(store, n);
      if (bytesToHex(root) !== bytesToHex(ref.mth(0, n))) failures.push(`root ${n}`);
      if (bytesToHex(rootFromLeafHashes(leaves.slice(0, n))) !== bytesToHex(root))
        failures.push(`direct ${n}`);
      for (let i = 0; i < n; i++) {
        const proof = inclusionProof(store, i, n);
        if (hex(proof) !== hex(ref.path(i, 0, n))) failures.push(`inclusion ${i}/${n}`);
        if (!isValidInclusion(leaves[i]!, i, n, proof, root)) failures.push(`verify inclusion ${i}/${n}`);
        checked++;
      }
      for (let m = 1; m <= n; m++) {
        const proof = consistencyProof(store, m, n);
        if (hex(proof) !== hex(ref.subproof(m, 0, n, true))) failures.push(`consistency ${m}/${n}`);
        if (!isValidConsistency(m, n, ref.mth(0, m), root, proof))
          failures.push(`verify consistency ${m}/${n}`);
        checked++;
      }
      if (n < MAX) appendLeaf(store, n, leaves[n]!);
      if (failures.length > 5) break;
    }
    expect(failures).toEqual([]);
    expect(checked).toBe(MAX * (MAX + 1));
  });

  it("agrees at larger sizes, and old-size proofs do not change as the log grows", () => {
    const leaves = leavesUpTo(70_000);
    const ref = new Reference(leaves);
    const store = buildStore(leaves);
    const rand = prng(6962);
    for (const n of [1023, 1024, 1025, 4097, 65_535, 65_536, 65_537, 70_000]) {
      const root = logRoot(store, n);
      expect(bytesToHex(root)).toBe(bytesToHex(ref.mth(0, n)));
      for (const i of [0, n - 1, rand(n), rand(n), rand(n)]) {
        const proof = inclusionProof(store, i, n);
        expect(hex(proof)).toBe(hex(ref.path(i, 0, n)));
        verifyInclusion(leaves[i]!, i, n, proof, root);
      }
      for (const m of [1, n, 1 + rand(n), 1 + rand(n), 1 + rand(n)]) {
        const proof = consistencyProof(store, m, n);
        expect(hex(proof)).toBe(hex(ref.subproof(m, 0, n, true)));
        verifyConsistency(m, n, logRoot(store, m), root, proof);
      }
    }
  });

  it("handles sizes beyond 32 bits (a virtual log of identical leaves)", () => {
    // Every complete subtree of height h over identical leaves has the same root, so a store
    // can answer for a log of any size without holding it.
    const levels = [leafHash(Uint8Array.of(7))];
    for (let h = 1; h <= 53; h++) levels.push(refNode(levels[h - 1]!, levels[h - 1]!));
    const virtual: LogNodeStore = { getNode: (level) => levels[level], putNode: () => {} };
    const ref = (n: number): Uint8Array => {
      const k = largestPowerOfTwoBelow(n);
      return n === 1
        ? levels[0]!
        : k * 2 === n
          ? levels[Math.log2(n)]!
          : refNode(levels[Math.log2(k)]!, ref(n - k));
    };
    for (const n of [2 ** 32 + 1, 2 ** 40 + 12_345, Number.MAX_SAFE_INTEGER]) {
      const root = logRoot(virtual, n);
      expect(bytesToHex(root)).toBe(bytesToHex(ref(n)));
      for (const i of [0, 2 ** 31, 2 ** 32 - 1, n - 1]) {
        verifyInclusion(levels[0]!, i, n, inclusionProof(virtual, i, n), root);
      }
      for (const m of [1, 3, 2 ** 32 - 1, 2 ** 32, 2 ** 32 + 1, n - 1, n]) {
        verifyConsistency(m, n, logRoot(virtual, m), root, consistencyProof(virtual, m, n));
      }
    }
  });
});

describe("storage costs", () => {
  function counting(inner: LogNodeStore) {
    const counts = { reads: 0, writes: 0 };
    const store: LogNodeStore = {
      getNode: (level, index) => {
        counts.reads++;
        return inner.getNode(level, index);
      },
      putNode: (level, index, hash) => {
        counts.writes++;
        inner.putNode(level, index, hash);
      },
    };
    return { store, counts };
  }

  it("writes each leaf and completed subtree once: 2n - popcount(n) nodes", () => {
    const { store, counts } = counting(new MemoryLogStore());
    const n = 10_000;
    leavesUpTo(n).reduce((size, h) => appendLeaf(store, size, h), 0);
    const popcount = n.toString(2).replaceAll("0", "").length;
    expect(counts.writes).toBe(2 * n - popcount);
    expect(counts.reads).toBe(n - popcount);
  });

  it("reads O(log n) nodes per root and proof", () => {
    const n = 100_000;
    const { store, counts } = counting(buildStore(leavesUpTo(n)));
    const budget = 2 * Math.ceil(Math.log2(n)) + 2;
    const rand = prng(1);
    const measure = (f: () => void) => {
      counts.reads = 0;
      f();
      return counts.reads;
    };
    expect(measure(() => logRoot(store, n))).toBeLessThanOrEqual(budget);
    for (let t = 0; t < 50; t++) {
      expect(measure(() => inclusionProof(store, rand(n), n))).toBeLessThanOrEqual(budget);
      expect(measure(() => consistencyProof(store, 1 + rand(n), n))).toBeLessThanOrEqual(budget);
    }
  });

  it("appends 1,000,000 leaves and proves inclusion in seconds", () => {
    const n = 1_000_000;
    const store = new MemoryLogStore();
    const leaf = new Uint8Array(32);
    const started = performance.now();
    for (let size = 0; size < n; ) {
      new DataView(leaf.buffer).setUint32(0, size);
      size = appendLeaf(store, size, leaf);
    }
    const root = logRoot(store, n);
    const proof = inclusionProof(store, 765_432, n);
    new DataView(leaf.buffer).setUint32(0, 765_432);
    verifyInclusion(leaf, 765_432, n, proof, root);
    expect(proof.length).toBe(20);
    expect(performance.now() - started).toBeLessThan(20_000);
  });
});

describe("rejections", () => {
  const n = 13;
  const leaves = leavesUpTo(n);
  const store = buildStore(leaves);
  const root = logRoot(store, n);
  const flip = (proof: Uint8Array[], i: number) =>
    proof.map((h, j) => (j === i ? h.map((b, k) => (k === 0 ? b ^ 1 : b)) : h));

  it("inclusion: bad index, size, lengths, leaves, proofs and roots", () => {
    const i = 5;
    const proof = inclusionProof(store, i, n);
    const leaf = leaves[i]!;
    expect(codeOf(() => verifyInclusion(leaf, i, n, proof, root))).toBeUndefined();
    expect(codeOf(() => verifyInclusion(leaf, n, n, proof, root))).toBe("MERKLE_LOG_INDEX_OUT_OF_RANGE");
    expect(codeOf(() => verifyInclusion(leaf, -1, n, proof, root))).toBe("MERKLE_LOG_INDEX_OUT_OF_RANGE");
    expect(codeOf(() => verifyInclusion(leaf, 1.5, n, proof, root))).toBe("MERKLE_LOG_INDEX_OUT_OF_RANGE");
    expect(codeOf(() => verifyInclusion(leaf, 0, 0, [], EMPTY_ROOT))).toBe("MERKLE_LOG_INDEX_OUT_OF_RANGE");
    expect(codeOf(() => verifyInclusion(leaf, i, 2 ** 64, proof, root))).toBe("MERKLE_LOG_INVALID_SIZE");
    expect(codeOf(() => verifyInclusion(leaf, i, Number.NaN, proof, root))).toBe("MERKLE_LOG_INVALID_SIZE");
    expect(codeOf(() => verifyInclusion(leaf.slice(1), i, n, proof, root))).toBe("MERKLE_LOG_INVALID_HASH");
    expect(codeOf(() => verifyInclusion(leaf, i, n, [...proof.slice(1), new Uint8Array(31)], root))).toBe(
      "MERKLE_LOG_INVALID_HASH",
    );
    expect(codeOf(() => verifyInclusion(leaf, i, n, proof.slice(1), root))).toBe("MERKLE_LOG_PROOF_LENGTH");
    expect(codeOf(() => verifyInclusion(leaf, i, n, [...proof, root], root))).toBe("MERKLE_LOG_PROOF_LENGTH");
    expect(codeOf(() => verifyInclusion(leaf, i, n * 2, proof, root))).toBe("MERKLE_LOG_PROOF_LENGTH");
    expect(codeOf(() => verifyInclusion(leaves[i + 1]!, i, n, proof, root))).toBe("MERKLE_LOG_ROOT_MISMATCH");
    expect(codeOf(() => verifyInclusion(leaf, i + 1, n, proof, root))).toBe("MERKLE_LOG_ROOT_MISMATCH");
    expect(codeOf(() => verifyInclusion(leaf, i, n, proof, logRoot(store, n - 1)))).toBe(
      "MERKLE_LOG_ROOT_MISMATCH",
    );
    proof.forEach((_, j) => {
      expect(codeOf(() => verifyInclusion(leaf, i, n, flip(proof, j), root))).toBe(
        "MERKLE_LOG_ROOT_MISMATCH",
      );
    });
    expect(isValidInclusion(leaf, i, n, flip(proof, 0), root)).toBe(false);
  });

  it("consistency: bad sizes, lengths, proofs and roots", () => {
    const m = 6;
    const old = logRoot(store, m);
    const proof = consistencyProof(store, m, n);
    expect(codeOf(() => verifyConsistency(m, n, old, root, proof))).toBeUndefined();
    expect(codeOf(() => verifyConsistency(n, m, root, old, proof))).toBe("MERKLE_LOG_SIZE_DECREASED");
    expect(codeOf(() => verifyConsistency(0, n, EMPTY_ROOT, root, []))).toBe("MERKLE_LOG_EMPTY_OLD_TREE");
    expect(codeOf(() => verifyConsistency(-1, n, old, root, proof))).toBe("MERKLE_LOG_INVALID_SIZE");
    expect(codeOf(() => verifyConsistency(m, n, old, root, []))).toBe("MERKLE_LOG_PROOF_LENGTH");
    expect(codeOf(() => verifyConsistency(m, n, old, root, proof.slice(1)))).toBe("MERKLE_LOG_PROOF_LENGTH");
    expect(codeOf(() => verifyConsistency(m, n, old, root, [...proof, old]))).toBe("MERKLE_LOG_PROOF_LENGTH");
    expect(codeOf(() => verifyConsistency(m, n, old, root, [new Uint8Array(32), ...proof.slice(1)]))).toBe(
      "MERKLE_LOG_OLD_ROOT_MISMATCH",
    );
    expect(codeOf(() => verifyConsistency(m, n, old, root, [new Uint8Array(0), ...proof.slice(1)]))).toBe(
      "MERKLE_LOG_INVALID_HASH",
    );
    expect(codeOf(() => verifyConsistency(m, n, logRoot(store, m + 1), root, proof))).toBe(
      "MERKLE_LOG_OLD_ROOT_MISMATCH",
    );
    expect(codeOf(() => verifyConsistency(m, n, old, logRoot(store, n - 1), proof))).toBe(
      "MERKLE_LOG_NEW_ROOT_MISMATCH",
    );
    proof.forEach((_, j) => {
      expect(["MERKLE_LOG_OLD_ROOT_MISMATCH", "MERKLE_LOG_NEW_ROOT_MISMATCH"]).toContain(
        codeOf(() => verifyConsistency(m, n, old, root, flip(proof, j))),
      );
    });
    // The last proof hash only feeds the new root: tampering with it cannot pass as the old tree.
    expect(codeOf(() => verifyConsistency(m, n, old, root, flip(proof, proof.length - 1)))).toBe(
      "MERKLE_LOG_NEW_ROOT_MISMATCH",
    );
    expect(codeOf(() => verifyConsistency(n, n, root, root, []))).toBeUndefined();
    expect(codeOf(() => verifyConsistency(n, n, root, root, [root]))).toBe("MERKLE_LOG_PROOF_LENGTH");
    expect(codeOf(() => verifyConsistency(n, n, root, old, []))).toBe("MERKLE_LOG_ROOT_MISMATCH");
    expect(isValidConsistency(m, n, old, root, flip(proof, 0))).toBe(false);
  });

  it("prover: bad arguments, missing nodes and bad leaves", () => {
    expect(codeOf(() => inclusionProof(store, n, n))).toBe("MERKLE_LOG_INDEX_OUT_OF_RANGE");
    expect(codeOf(() => consistencyProof(store, 0, n))).toBe("MERKLE_LOG_EMPTY_OLD_TREE");
    expect(codeOf(() => consistencyProof(store, n, n - 1))).toBe("MERKLE_LOG_SIZE_DECREASED");
    expect(consistencyProof(store, n, n)).toEqual([]);
    expect(codeOf(() => logRoot(store, n + 1))).toBe("MERKLE_LOG_NODE_MISSING");
    expect(codeOf(() => logRoot(store, -1))).toBe("MERKLE_LOG_INVALID_SIZE");
    expect(codeOf(() => appendLeaf(new MemoryLogStore(), 0, new Uint8Array(31)))).toBe(
      "MERKLE_LOG_INVALID_HASH",
    );
    expect(codeOf(() => appendLeaf(new MemoryLogStore(), 1, leaves[0]!))).toBe("MERKLE_LOG_NODE_MISSING");
    expect(codeOf(() => rootFromLeafHashes([leaves[0]!, new Uint8Array(3)]))).toBe("MERKLE_LOG_INVALID_HASH");
    expect(rootFromLeafHashes([])).toEqual(EMPTY_ROOT);
  });

  it("store contents cannot be changed through returned hashes", () => {
    const before = bytesToHex(root);
    for (const h of inclusionProof(store, 0, n)) h.fill(0);
    logRoot(store, 8).fill(0);
    expect(bytesToHex(logRoot(store, n))).toBe(before);
  });
});

describe("hex proofs", () => {
  it("round-trips as lowercase hex and rejects anything else", () => {
    const store = buildStore(leavesUpTo(9));
    const proof = inclusionProof(store, 3, 9);
    const json = JSON.parse(JSON.stringify(proofToHex(proof))) as string[];
    expect(json.every((h) => /^[0-9a-f]{64}$/.test(h))).toBe(true);
    expect(proofFromHex(json)).toEqual(proof);
    expect(() => proofFromHex([json[0]!.toUpperCase()])).toThrow(CodecError);
    expect(() => proofFromHex([json[0]!.slice(2)])).toThrow(CodecError);
    expect(() => proofFromHex("ab" as unknown as string[])).toThrow(CodecError);
  });
});
