import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { certify, nextProposal } from "@weft/consensus";
import {
  addressOf,
  defaultChainParams,
  type Genesis,
  generateKeyPair,
  genesisHash,
  type KeyPair,
  type SignedTx,
  signTx,
} from "@weft/core";
import { pino } from "pino";
import { Application } from "../../src/app/application.js";
import { buildGenesisState } from "../../src/app/genesis-state.js";
import { ModuleRegistry } from "../../src/app/registry.js";
import { Mempool } from "../../src/mempool/mempool.js";
import { defaultMempoolOptions } from "../../src/mempool/options.js";
import { SignatureVerifier } from "../../src/mempool/verifier.js";
import { createMetrics } from "../../src/metrics/metrics.js";
import { defaultModules } from "../../src/modules/index.js";
import { LocalNodeService } from "../../src/service-impl.js";
import { ChainStore } from "../../src/storage/chain-store.js";

export interface TestChain {
  dir: string;
  genesis: Genesis;
  validator: KeyPair;
  alice: KeyPair;
  bob: KeyPair;
  store: ChainStore;
  app: Application;
  registry: ModuleRegistry;
  service: LocalNodeService;
  /** The service's metrics (serve them with `createApiServer(..., { metrics })`). */
  metrics: ReturnType<typeof createMetrics>;
  /** Builds, certifies and commits one block from the mempool, like the solo driver does. */
  produceBlock(now?: number): Promise<void>;
  tx(
    signer: KeyPair,
    method: string,
    args: Record<string, string | number>,
    opts?: { sequence?: number; expiresAt?: number; chainId?: string },
  ): SignedTx;
  submit(...txs: SignedTx[]): ReturnType<LocalNodeService["submitTxs"]>;
  reopen(): Promise<void>;
  close(): Promise<void>;
}

/** A real single-validator chain on LMDB in a temp folder, driven block by block. */
export async function createTestChain(
  options: { dir?: string; genesis?: Genesis; keys?: KeyPair[] } = {},
): Promise<TestChain> {
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), "weft-test-"));
  const [validator, alice, bob] = options.keys ?? [
    generateKeyPair(),
    generateKeyPair(),
    generateKeyPair("p256"),
  ];
  if (!validator || !alice || !bob) throw new Error("three keys needed");
  const genesis: Genesis = options.genesis ?? {
    chainId: "weft-test",
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
    appState: {
      token: {
        assets: [{ id: "EUR", name: "Euro token", decimals: 2, issuer: addressOf(alice) }],
        balances: [{ asset: "EUR", address: addressOf(alice), amount: "1000000" }],
      },
    },
  };
  const registry = new ModuleRegistry(defaultModules);
  const sequences = new Map<string, number>();
  const chain = { dir, genesis, validator, alice, bob, registry } as TestChain;

  const open = async () => {
    chain.store = ChainStore.open({ dataDir: join(dir, "data") });
    if (chain.store.genesisHash() === undefined) {
      await chain.store.commitGenesis(
        genesisHash(genesis),
        genesis.genesisTime,
        buildGenesisState(genesis, registry),
      );
    }
    chain.app = new Application(genesis, registry, chain.store, new Mempool(defaultMempoolOptions));
    chain.metrics = createMetrics({ defaultMetrics: false });
    chain.service = new LocalNodeService(
      genesis,
      chain.app,
      chain.store,
      chain.metrics,
      pino({ level: "silent" }),
      new SignatureVerifier(0),
    );
  };
  await open();

  chain.produceBlock = async (
    now = genesis.genesisTime + 1000 * (chain.store.head()?.height ?? 0) + 1000,
  ) => {
    const head = chain.app.lastCommitted();
    const state = { height: head.height, lastCommit: head.commit };
    const block = chain.app.prepareProposal(nextProposal(state, genesis, validator));
    const commit = certify(block, validator, now);
    await chain.app.commitBlock(block, commit);
  };
  chain.tx = (signer, method, args, opts = {}) => {
    const address = addressOf(signer);
    const sequence = opts.sequence ?? sequences.get(address) ?? 0;
    if (opts.sequence === undefined) sequences.set(address, sequence + 1);
    return signTx(
      {
        chainId: opts.chainId ?? genesis.chainId,
        signer: { alg: signer.alg, publicKey: signer.publicKey },
        sequence,
        expiresAt: opts.expiresAt ?? 1_000_000,
        module: "token",
        method,
        args,
      },
      signer,
    );
  };
  chain.submit = (...txs) => chain.service.submitTxs(txs);
  chain.reopen = async () => {
    await chain.store.close();
    await open();
  };
  chain.close = async () => {
    await chain.store.close();
    if (!options.dir) rmSync(dir, { recursive: true, force: true });
  };
  return chain;
}
