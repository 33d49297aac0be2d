import { certify } from "@weft/consensus";
import {
  addressOf,
  appendLeaf,
  type BlockHeader,
  bytesToHex,
  canonicalBytes,
  defaultChainParams,
  emptyStateRoot,
  type Genesis,
  generateKeyPair,
  genesisHash,
  inclusionProof,
  leafHash,
  logRoot,
  MemoryLogStore,
  MemoryStateNodeStore,
  proveState,
  type StateProofBundle,
  signTx,
  type TxProofBundle,
  type TxReceipt,
  txHash,
  updateStateTree,
  utf8,
  validatorSetHash,
  verifyProof,
  ZERO_HASH,
} from "@weft/core";

export interface ProofBundleResult {
  logEntries: number;
  txBundleBytes: number;
  txBundlePathHashes: number;
  txBundleVerifiesPerSec: number;
  stateKeys: number;
  stateBundleBytes: number;
  stateBundleGeneratedPerSec: number;
  stateBundleVerifiesPerSec: number;
}

/**
 * Real bundles over a chain-sized log and state: a log of `entries` records and a state tree of
 * `stateKeys` balances, certified by a validator's signature, then verified as an outsider would.
 */
export function benchProofBundles(entries = 1_000_000, stateKeys = 200_000): ProofBundleResult {
  const validator = generateKeyPair();
  const user = generateKeyPair();
  const genesis: Genesis = {
    chainId: "bench",
    genesisTime: 1_700_000_000_000,
    validators: [
      {
        address: addressOf(validator),
        publicKey: { alg: validator.alg, publicKey: validator.publicKey },
        power: 1,
        name: "v0",
      },
    ],
    params: { ...defaultChainParams },
    appState: {},
  };
  const tx = signTx(
    {
      chainId: "bench",
      signer: { alg: user.alg, publicKey: user.publicKey },
      sequence: 0,
      expiresAt: 10,
      module: "token",
      method: "transfer",
      args: { asset: "WEFT", to: addressOf(generateKeyPair()), amount: "1" },
    },
    user,
  );
  const receipt: TxReceipt = {
    kind: "receipt",
    chainId: "bench",
    height: 1,
    index: 0,
    txHash: txHash(tx),
    status: "ok",
    eventCount: 0,
  };
  const log = new MemoryLogStore();
  const target = Math.floor(entries / 2) + 1234;
  let size = 0;
  const filler = new Uint8Array(32);
  for (let i = 0; i < entries; i++) {
    new DataView(filler.buffer).setUint32(0, i);
    size = appendLeaf(log, size, leafHash(i === target ? canonicalBytes(receipt) : filler));
  }
  const store = new MemoryStateNodeStore();
  const keys: string[] = [];
  for (let i = 0; i < stateKeys; i++) keys.push(`token/balance/WEFT/${i.toString(16).padStart(40, "0")}`);
  const tree = updateStateTree(
    store,
    emptyStateRoot(),
    keys.map((k, i) => ({ key: utf8(k), value: canonicalBytes(String(i + 1)) })),
  );
  store.putNodes(tree.newNodes);
  const header: BlockHeader = {
    version: 1,
    chainId: "bench",
    height: 1,
    time: genesis.genesisTime,
    previousBlockHash: genesisHash(genesis),
    lastCommitHash: ZERO_HASH,
    proposer: addressOf(validator),
    validatorSetHash: validatorSetHash(genesis.validators),
    txRoot: ZERO_HASH,
    txCount: 1,
    stateRoot: bytesToHex(tree.root),
    logRoot: bytesToHex(logRoot(log, size)),
    logSize: size,
  };
  const commit = certify({ header, txs: [tx], lastCommit: null }, validator, genesis.genesisTime + 1);
  const txBundle: TxProofBundle = {
    kind: "weft.proof.tx/v1",
    chainId: "bench",
    genesisHash: genesisHash(genesis),
    tx,
    receipt: { entry: receipt, logIndex: target, path: inclusionProof(log, target, size).map(bytesToHex) },
    events: [],
    header,
    commit,
  };
  const stateBundle = (i: number): StateProofBundle => ({
    kind: "weft.proof.state/v1",
    chainId: "bench",
    genesisHash: txBundle.genesisHash,
    key: keys[i] as string,
    value: String(i + 1),
    proof: proveState(store, tree.root, utf8(keys[i] as string)),
    header,
    commit,
  });
  const rate = (fn: (i: number) => void, ms = 1500) => {
    let n = 0;
    const start = performance.now();
    while (performance.now() - start < ms) fn(n++);
    return Math.round(n / ((performance.now() - start) / 1000));
  };
  const bundles = Array.from({ length: 512 }, (_, i) => stateBundle((i * 7919) % stateKeys));
  return {
    logEntries: size,
    txBundleBytes: JSON.stringify(txBundle).length,
    txBundlePathHashes: txBundle.receipt.path.length,
    txBundleVerifiesPerSec: rate(() => verifyProof(txBundle, genesis)),
    stateKeys,
    stateBundleBytes: JSON.stringify(bundles[0]).length,
    stateBundleGeneratedPerSec: rate((i) => stateBundle((i * 7919) % stateKeys)),
    stateBundleVerifiesPerSec: rate((i) => verifyProof(bundles[i % bundles.length], genesis)),
  };
}
