import type { BlockHeader } from "@weft/core";
import {
  addressOf,
  buildTx,
  generateKeyPair,
  type KeyPair,
  type SignedTx,
  type TxStatus,
} from "../../src/index.js";

export const CHAIN_ID = "test-chain";

export function sampleTx(signer: KeyPair = generateKeyPair(), sequence = 0): SignedTx {
  return buildTx({
    chainId: CHAIN_ID,
    signer,
    sequence,
    expiresAt: 100,
    module: "token",
    method: "transfer",
    args: { asset: "GOLD", to: "ab".repeat(20), amount: "5" },
  });
}

export function header(height: number, chainId = CHAIN_ID): BlockHeader {
  const zero = "00".repeat(32);
  return {
    version: 1,
    chainId,
    height,
    time: 1_700_000_000_000 + height,
    previousBlockHash: zero,
    lastCommitHash: zero,
    proposer: addressOf(generateKeyPair()),
    validatorSetHash: zero,
    txRoot: zero,
    txCount: 0,
    stateRoot: zero,
    logRoot: zero,
    logSize: 0,
  };
}

export function blockView(height: number, chainId = CHAIN_ID) {
  return {
    hash: "11".repeat(32),
    block: { header: header(height, chainId), txs: [], lastCommit: null },
    commit: null,
  };
}

export function pending(tx: SignedTx, hash: string): TxStatus {
  return { hash, status: "pending", tx };
}

export function committed(tx: SignedTx, hash: string, height = 5): TxStatus {
  return {
    hash,
    status: "committed",
    height,
    index: 0,
    tx,
    receipt: {
      kind: "receipt",
      chainId: CHAIN_ID,
      height,
      index: 0,
      txHash: hash,
      status: "ok",
      eventCount: 0,
    },
    events: [],
  };
}
