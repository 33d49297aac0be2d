// The RFC 6962 / RFC 9162 append-only log: hashing, node storage, proofs and their verification.
export { MerkleError, type MerkleErrorCode } from "./errors.js";
export { LOG_HASH_SIZE } from "./log-checks.js";
export { EMPTY_ROOT, leafHash, nodeHash, rootFromLeafHashes } from "./log-hash.js";
export { consistencyProof, inclusionProof, proofFromHex, proofToHex } from "./log-proofs.js";
export { appendLeaf, type LogNodeStore, logRoot, MemoryLogStore } from "./log-store.js";
export { isValidConsistency, isValidInclusion, verifyConsistency, verifyInclusion } from "./log-verify.js";
