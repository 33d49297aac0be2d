import type { PublicKeyInfo } from "../crypto/keys.js";
import type { CanonicalValue } from "../encoding/canonical.js";
import type { SignedTx } from "../tx/envelope.js";

export interface Validator {
  /** addressOf(publicKey) */
  address: string;
  publicKey: PublicKeyInfo;
  /** Voting power; a commit needs more than 2/3 of the total. */
  power: number;
  name: string;
}

export interface ChainParams {
  maxBlockBytes: number;
  maxBlockTxs: number;
  maxTxBytes: number;
}

/** The trust anchor: everything else is verified against the hash of this document. */
export interface Genesis {
  chainId: string;
  /** Milliseconds since the Unix epoch; the time of block 1. */
  genesisTime: number;
  validators: Validator[];
  params: ChainParams;
  /** Initial state per module, e.g. `{ token: { assets: [...], balances: [...] } }`. */
  appState: { [module: string]: CanonicalValue };
}

export interface BlockHeader {
  version: 1;
  chainId: string;
  height: number;
  /** BFT time in ms: the weighted median of the previous commit's precommit timestamps (genesisTime at height 1). */
  time: number;
  /** Hash of the previous header; the genesis hash at height 1. */
  previousBlockHash: string;
  /** Hash of the commit certificate of the previous block (carried in this block); zero at height 1. */
  lastCommitHash: string;
  proposer: string;
  validatorSetHash: string;
  /** RFC 6962 root over this block's transaction hashes. */
  txRoot: string;
  txCount: number;
  /** Root of the authenticated state tree after executing this block. */
  stateRoot: string;
  /** Root and size of the append-only RFC 6962 log over every receipt and event ever committed. */
  logRoot: string;
  logSize: number;
}

export interface Block {
  header: BlockHeader;
  txs: SignedTx[];
  /** The commit certificate of the previous block; null at height 1. */
  lastCommit: CommitCertificate | null;
}

export interface CommitSignature {
  validator: string;
  /** The validator's clock when it precommitted (ms); feeds BFT time. */
  timestamp: number;
  signature: string;
}

/** +2/3 of the voting power precommitted `blockHash` at `height`/`round`. One validator: one signature. */
export interface CommitCertificate {
  chainId: string;
  height: number;
  round: number;
  blockHash: string;
  signatures: CommitSignature[];
}

export const ZERO_HASH = "0".repeat(64);
