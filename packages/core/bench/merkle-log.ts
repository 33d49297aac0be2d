import { pathToFileURL } from "node:url";
import {
  appendLeaf,
  inclusionProof,
  isValidInclusion,
  leafHash,
  logRoot,
  MemoryLogStore,
  proofToHex,
} from "../src/index.js";

const ENTRIES = 1_000_000;
const PROOFS = 20_000;

const perSecond = (count: number, ms: number) => Math.round((count / ms) * 1000);

/** Append, prove and verify throughput of the RFC 6962 log at 1,000,000 entries (in memory). */
export async function benchMerkleLog(): Promise<Record<string, number>> {
  // Leaf hashing is the caller's cost (one SHA-256 of the entry); time it apart from appending.
  let t = performance.now();
  const leaves = Array.from({ length: ENTRIES }, (_, i) => leafHash(new TextEncoder().encode(`entry ${i}`)));
  const leafHashMs = performance.now() - t;

  const store = new MemoryLogStore();
  t = performance.now();
  let size = 0;
  for (const leaf of leaves) size = appendLeaf(store, size, leaf);
  const appendMs = performance.now() - t;
  const root = logRoot(store, size);

  const indices = Array.from({ length: PROOFS }, (_, i) => Math.floor((i * 2_654_435_761) % size));
  t = performance.now();
  const proofs = indices.map((i) => inclusionProof(store, i, size));
  const proveMs = performance.now() - t;

  t = performance.now();
  let valid = 0;
  proofs.forEach((p, j) => {
    if (isValidInclusion(leaves[indices[j]!]!, indices[j]!, size, p, root)) valid++;
  });
  const verifyMs = performance.now() - t;
  if (valid !== PROOFS) throw new Error(`${PROOFS - valid} proofs failed to verify`);

  const hashes = proofs.reduce((n, p) => n + p.length, 0);
  return {
    entries: size,
    leafHashesPerSec: perSecond(ENTRIES, leafHashMs),
    appendsPerSec: perSecond(ENTRIES, appendMs),
    inclusionProofsPerSec: perSecond(PROOFS, proveMs),
    inclusionVerifiesPerSec: perSecond(PROOFS, verifyMs),
    inclusionProofBytes: Math.round((hashes / PROOFS) * 32),
    inclusionProofHexJsonBytes: JSON.stringify(proofToHex(proofs[0]!)).length,
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  for (const [name, value] of Object.entries(await benchMerkleLog())) console.log(`${name}: ${value}`);
}
