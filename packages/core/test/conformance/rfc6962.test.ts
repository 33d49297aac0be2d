import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  appendLeaf,
  bytesEqual,
  consistencyProof,
  fromBase64,
  hexToBytes,
  inclusionProof,
  leafHash,
  logRoot,
  MemoryLogStore,
  MerkleError,
  toBase64,
  verifyConsistency,
  verifyInclusion,
} from "../../src/index.js";

// transparency-dev/merkle's vectors live beside the repository (see ../shared/testdata/SOURCES.md).
const REPO_ROOT = new URL("../../../../", import.meta.url);
const DATA_DIR = fileURLToPath(new URL("../shared/testdata/rfc6962/", REPO_ROOT));
const present = existsSync(DATA_DIR);

interface InclusionVector {
  leafIdx: number;
  treeSize: number;
  root: string;
  leafHash: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

interface ConsistencyVector {
  size1: number;
  size2: number;
  root1: string;
  root2: string;
  proof: string[] | null;
  desc: string;
  wantErr: boolean;
}

function jsonFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith(".json"))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

// Indices like 2^64 - 1 lose precision in JSON.parse, but every unsafe integer stays unsafe,
// so the verifier still rejects it as the vector expects.
function load<T>(kind: string): [string, T][] {
  const dir = join(DATA_DIR, kind);
  return jsonFiles(dir).map((f) => [relative(dir, f), JSON.parse(readFileSync(f, "utf8")) as T]);
}

const b64 = (s: string) => fromBase64(s);
const proofOf = (p: string[] | null) => (p ?? []).map(b64);

// The leaves behind the vectors' 8-entry tree (RFC 6962 reference test data).
const LEAVES = [
  "",
  "00",
  "10",
  "2021",
  "3031",
  "40414243",
  "5051525354555657",
  "606162636465666768696a6b6c6d6e6f",
];
const store = new MemoryLogStore();
LEAVES.reduce((size, hex) => appendLeaf(store, size, leafHash(hexToBytes(hex))), 0);

if (!present && process.env.CI === "true") {
  it("RFC 6962 test data is present in CI", () => {
    expect.fail(`missing ${DATA_DIR}`);
  });
}

describe.skipIf(!present)("RFC 6962 conformance (transparency-dev/merkle vectors)", () => {
  const inclusion = load<InclusionVector>("inclusion");
  const consistency = load<ConsistencyVector>("consistency");

  it("reads the vectors", () => {
    expect(inclusion.length).toBeGreaterThan(0);
    expect(consistency.length).toBeGreaterThan(0);
  });

  describe("inclusion", () => {
    for (const [name, v] of inclusion) {
      it(name, () => {
        const verify = () =>
          verifyInclusion(b64(v.leafHash), v.leafIdx, v.treeSize, proofOf(v.proof), b64(v.root));
        if (v.wantErr) {
          expect(verify).toThrow(MerkleError);
          return;
        }
        verify();
        // Happy paths come from the 8-leaf tree: our prover must emit the very same path.
        if (name.endsWith("happy-path.json")) {
          expect(bytesEqual(logRoot(store, v.treeSize), b64(v.root))).toBe(true);
          expect(inclusionProof(store, v.leafIdx, v.treeSize).map(toBase64)).toEqual(v.proof ?? []);
        }
      });
    }
  });

  describe("consistency", () => {
    for (const [name, v] of consistency) {
      it(name, () => {
        const verify = () =>
          verifyConsistency(v.size1, v.size2, b64(v.root1), b64(v.root2), proofOf(v.proof));
        if (v.wantErr) {
          expect(verify).toThrow(MerkleError);
          return;
        }
        verify();
        if (name.endsWith("happy-path.json")) {
          expect(bytesEqual(logRoot(store, v.size2), b64(v.root2))).toBe(true);
          expect(consistencyProof(store, v.size1, v.size2).map(toBase64)).toEqual(v.proof ?? []);
        }
      });
    }
  });
});
