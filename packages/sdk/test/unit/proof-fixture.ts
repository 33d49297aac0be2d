import {
  addressOf,
  appendLeaf,
  type BlockHeader,
  blockHash,
  bytesToHex,
  type ChainEvent,
  canonicalBytes,
  type Genesis,
  generateKeyPair,
  genesisHash,
  inclusionProof,
  leafHash,
  logRoot,
  MemoryLogStore,
  proofToHex,
  signPrecommit,
  type TxProofBundle,
  type TxReceipt,
  txHash,
  validatorSetHash,
  ZERO_HASH,
} from "@weft/core";
import { buildTx } from "../../src/index.js";

/** A one-validator chain whose block 1 holds one transfer with one event: a real, valid proof. */
export function validTxProof(): { genesis: Genesis; bundle: TxProofBundle } {
  const validatorKey = generateKeyPair();
  const chainId = "proof-chain";
  const genesis: Genesis = {
    chainId,
    genesisTime: 1_700_000_000_000,
    validators: [
      {
        address: addressOf(validatorKey),
        publicKey: { alg: "ed25519", publicKey: validatorKey.publicKey },
        power: 10,
        name: "v1",
      },
    ],
    params: { maxBlockBytes: 1_000_000, maxBlockTxs: 1000, maxTxBytes: 65_536 },
    appState: { token: { assets: [] } },
  };
  const tx = buildTx({
    chainId,
    signer: generateKeyPair(),
    sequence: 0,
    expiresAt: 50,
    module: "token",
    method: "transfer",
    args: { asset: "GOLD", to: "ab".repeat(20), amount: "5" },
  });
  const receipt: TxReceipt = {
    kind: "receipt",
    chainId,
    height: 1,
    index: 0,
    txHash: txHash(tx),
    status: "ok",
    eventCount: 1,
  };
  const event: ChainEvent = {
    kind: "event",
    chainId,
    height: 1,
    txIndex: 0,
    index: 0,
    module: "token",
    type: "transfer",
    attributes: { asset: "GOLD", amount: "5" },
  };
  const store = new MemoryLogStore();
  let size = 0;
  for (const entry of [receipt, event]) size = appendLeaf(store, size, leafHash(canonicalBytes(entry)));
  const header: BlockHeader = {
    version: 1,
    chainId,
    height: 1,
    time: genesis.genesisTime,
    previousBlockHash: genesisHash(genesis),
    lastCommitHash: ZERO_HASH,
    proposer: addressOf(validatorKey),
    validatorSetHash: validatorSetHash(genesis.validators),
    txRoot: ZERO_HASH,
    txCount: 1,
    stateRoot: ZERO_HASH,
    logRoot: bytesToHex(logRoot(store, size)),
    logSize: size,
  };
  const hash = blockHash(header);
  const commit = {
    chainId,
    height: 1,
    round: 0,
    blockHash: hash,
    signatures: [
      signPrecommit(validatorKey, {
        chainId,
        height: 1,
        round: 0,
        blockHash: hash,
        timestamp: genesis.genesisTime,
      }),
    ],
  };
  const bundle: TxProofBundle = {
    kind: "weft.proof.tx/v1",
    chainId,
    genesisHash: genesisHash(genesis),
    tx,
    receipt: { entry: receipt, logIndex: 0, path: proofToHex(inclusionProof(store, 0, size)) },
    events: [{ entry: event, logIndex: 1, path: proofToHex(inclusionProof(store, 1, size)) }],
    header,
    commit,
  };
  return { genesis, bundle };
}
