import { sha256Hex } from "../crypto/hash.js";
import { canonicalBytes } from "../encoding/canonical.js";
import type { BlockHeader, CommitCertificate, Genesis, Validator } from "./types.js";

export function blockHash(header: BlockHeader): string {
  return sha256Hex(canonicalBytes(header));
}

export function commitHash(commit: CommitCertificate): string {
  return sha256Hex(canonicalBytes(commit));
}

export function genesisHash(genesis: Genesis): string {
  return sha256Hex(canonicalBytes(genesis));
}

/** Order-independent: validators are hashed sorted by address. */
export function validatorSetHash(validators: readonly Validator[]): string {
  const sorted = [...validators].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  return sha256Hex(canonicalBytes(sorted));
}
