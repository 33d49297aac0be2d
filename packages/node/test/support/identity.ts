/**
 * A permissioned single-validator chain for identity tests: org CAs, member certificates with
 * chosen validity, a genesis with appState.identity, and blocks whose time the test sets.
 * `force` puts a transaction in the mempool without the admission policy check, so a test can
 * see what the chain itself does with a denied call.
 */
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as x509 from "@peculiar/x509";
import { certify, nextProposal } from "@weft/consensus";
import {
  addressOf,
  type CanonicalValue,
  defaultChainParams,
  type Genesis,
  generateKeyPair,
  genesisHash,
  type KeyPair,
  parseJson,
  type SignedTx,
  signTx,
  type TxReceipt,
  txHash,
} from "@weft/core";
import { type CaMaterial, createOrgCa } from "@weft/p2p";
import { pino } from "pino";
import { Application } from "../../src/app/application.js";
import { buildGenesisState } from "../../src/app/genesis-state.js";
import type { Module } from "../../src/app/module.js";
import { ModuleRegistry } from "../../src/app/registry.js";
import { Mempool } from "../../src/mempool/mempool.js";
import { defaultMempoolOptions } from "../../src/mempool/options.js";
import { SignatureVerifier } from "../../src/mempool/verifier.js";
import { createMetrics } from "../../src/metrics/metrics.js";
import { defaultModules } from "../../src/modules/index.js";
import { LocalNodeService } from "../../src/service-impl.js";
import { ChainStore } from "../../src/storage/chain-store.js";

x509.cryptoProvider.set(webcrypto as Crypto);

export const GENESIS_TIME = 1_700_000_000_000;
const SPKI_PREFIX = {
  ed25519: "302a300506032b6570032100",
  p256: "3039301306072a8648ce3d020106082a8648ce3d030107032200",
} as const;

export const createCa = (org: string): Promise<CaMaterial> =>
  createOrgCa(org, { now: new Date(GENESIS_TIME - 86_400_000) });

/** An X.509 certificate for a member key, issued by `ca`, valid notBefore..notAfter (ms). */
export async function memberCertificate(
  ca: CaMaterial,
  key: KeyPair,
  validity: { notBefore: number; notAfter: number },
  cn = "member",
): Promise<string> {
  const algorithm =
    key.alg === "ed25519" ? { name: "Ed25519" } : ({ name: "ECDSA", namedCurve: "P-256" } as const);
  const publicKey = await webcrypto.subtle.importKey(
    "spki",
    Buffer.from(SPKI_PREFIX[key.alg] + key.publicKey, "hex"),
    algorithm,
    true,
    ["verify"],
  );
  const signingKey = await webcrypto.subtle.importKey(
    "pkcs8",
    x509.PemConverter.decodeFirst(ca.keyPem),
    { name: "ECDSA", namedCurve: "P-256" },
    false,
    ["sign"],
  );
  const caCert = new x509.X509Certificate(ca.certPem);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: "01",
    subject: [{ CN: [cn] }],
    issuer: caCert.subject,
    notBefore: new Date(validity.notBefore),
    notAfter: new Date(validity.notAfter),
    publicKey,
    signingKey,
    signingAlgorithm: { name: "ECDSA", hash: "SHA-256" },
    extensions: [new x509.BasicConstraintsExtension(false, undefined, true)],
  });
  return cert.toString("pem");
}

export const pk = (key: KeyPair) => ({ alg: key.alg, publicKey: key.publicKey });

export interface GenesisMemberSpec {
  id: string;
  key: KeyPair;
  roles: string[];
  kind?: "member" | "device";
  certificate?: string;
}
export interface OrgSpec {
  name: string;
  ca: CaMaterial;
  companyPrefixes?: string[];
  glns?: string[];
  members: GenesisMemberSpec[];
}

export function identityAppState(
  orgs: OrgSpec[],
  extra: { policies?: Record<string, unknown>; roles?: { name: string; description: string }[] } = {},
): CanonicalValue {
  return {
    orgs: orgs.map((o) => ({
      name: o.name,
      caCerts: [o.ca.certPem],
      nodes: [{ id: `${o.name}-node`, host: "127.0.0.1", port: 7000 }],
      gs1: { companyPrefixes: o.companyPrefixes ?? [], glns: o.glns ?? [] },
      members: o.members.map((m) => ({
        id: m.id,
        kind: m.kind ?? "member",
        roles: m.roles,
        publicKey: pk(m.key),
        ...(m.certificate ? { certificate: m.certificate } : {}),
      })),
    })),
    ...(extra.policies ? { policies: extra.policies } : {}),
    ...(extra.roles ? { roles: extra.roles } : {}),
  } as unknown as CanonicalValue;
}

export interface IdChain {
  genesis: Genesis;
  validator: KeyPair;
  store: ChainStore;
  app: Application;
  registry: ModuleRegistry;
  service: LocalNodeService;
  tx(signer: KeyPair, module: string, method: string, args: unknown): SignedTx;
  /** Admission as the API does it (with the policy check). */
  submit(...txs: SignedTx[]): ReturnType<LocalNodeService["submitTxs"]>;
  /** Into the mempool with no call checks at all (the chain must refuse it itself). */
  force(...txs: SignedTx[]): void;
  /** Commits one block from the mempool; the block after it gets time `nextTime` (default +1 s). */
  produceBlock(nextTime?: number): Promise<void>;
  /** Forces the txs in, commits one block, returns their receipts. */
  run(...txs: SignedTx[]): Promise<TxReceipt[]>;
  receipt(hash: string): TxReceipt | undefined;
  state(key: string): CanonicalValue | undefined;
  /** Time of the next block. */
  nextTime(): number;
  close(): Promise<void>;
}

export async function createIdChain(opts: {
  identity?: CanonicalValue;
  appState?: Record<string, CanonicalValue>;
  modules?: readonly Module[];
}): Promise<IdChain> {
  const dir = mkdtempSync(join(tmpdir(), "weft-identity-"));
  const validator = generateKeyPair();
  const genesis: Genesis = {
    chainId: "weft-identity",
    genesisTime: GENESIS_TIME,
    validators: [{ address: addressOf(validator), publicKey: pk(validator), power: 1, name: "v0" }],
    params: { ...defaultChainParams },
    appState: { ...(opts.identity ? { identity: opts.identity } : {}), ...opts.appState },
  };
  const registry = new ModuleRegistry(opts.modules ?? defaultModules);
  const store = ChainStore.open({ dataDir: join(dir, "data") });
  await store.commitGenesis(genesisHash(genesis), genesis.genesisTime, buildGenesisState(genesis, registry));
  const app = new Application(genesis, registry, store, new Mempool(defaultMempoolOptions));
  const service = new LocalNodeService(
    genesis,
    app,
    store,
    createMetrics({ defaultMetrics: false }),
    pino({ level: "silent" }),
    new SignatureVerifier(0),
  );
  const sequences = new Map<string, number>();
  let next = GENESIS_TIME;
  const chain: IdChain = {
    genesis,
    validator,
    store,
    app,
    registry,
    service,
    tx(signer, module, method, args) {
      const address = addressOf(signer);
      const sequence = sequences.get(address) ?? 0;
      sequences.set(address, sequence + 1);
      return signTx(
        {
          chainId: genesis.chainId,
          signer: pk(signer),
          sequence,
          expiresAt: 1_000_000,
          module,
          method,
          args: args as { [key: string]: CanonicalValue },
        },
        signer,
      );
    },
    submit: (...txs) => service.submitTxs(txs),
    force(...txs) {
      const head = app.lastCommitted();
      const ctx = {
        chainId: genesis.chainId,
        height: head.height,
        maxTxBytes: genesis.params.maxTxBytes,
        nextSequence: app.nextSequence,
        isCommitted: (hash: string) => store.getTxLocation(hash) !== undefined,
        // Not even the schema or precheck: what a faulty proposer could include.
        checkCall: () => {},
      };
      for (const tx of txs) app.mempool.insert(app.mempool.check(tx, ctx), ctx);
    },
    async produceBlock(nextTime) {
      const head = app.lastCommitted();
      const block = app.prepareProposal(
        nextProposal({ height: head.height, lastCommit: head.commit }, genesis, validator),
      );
      next = nextTime ?? block.header.time + 1000;
      await app.commitBlock(block, certify(block, validator, next));
    },
    async run(...txs) {
      chain.force(...txs);
      await chain.produceBlock();
      return txs.map((tx) => {
        const hash = txHash(tx);
        const r = chain.receipt(hash);
        if (!r) throw new Error(`transaction ${hash} was not included`);
        return r;
      });
    },
    receipt(hash) {
      const at = store.getTxLocation(hash);
      return at ? store.getResult(at.height, at.index)?.receipt : undefined;
    },
    state(key) {
      const bytes = store.getState(key);
      return bytes === undefined ? undefined : (parseJson(bytes) as CanonicalValue);
    },
    nextTime: () => next,
    async close() {
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return chain;
}

/** Every state key under a prefix with its value: compare before/after a refused call. */
export function snapshot(chain: IdChain, prefix = ""): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of chain.store.stateEntries(prefix)) {
    if (key.startsWith("auth/sequence/")) continue;
    out[key] = Buffer.from(value).toString("hex");
  }
  return out;
}
