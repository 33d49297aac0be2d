import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Type } from "@sinclair/typebox";
import {
  addressOf,
  type CanonicalValue,
  defaultChainParams,
  type Genesis,
  generateKeyPair,
  type KeyPair,
} from "@weft/core";
import { defineMethod, type Module } from "../../../src/app/module.js";
import { evidenceModule } from "../../../src/modules/evidence/module.js";
import { tokenModule } from "../../../src/modules/token/module.js";
import { traceModule } from "../../../src/modules/trace/module.js";
import { createNode, type WeftNode } from "../../../src/node.js";
import type { NodeOptionsInput } from "../../../src/options.js";

/**
 * Stands in for the identity module in API tests: genesis writes the given records (full
 * `identity/…` keys, shaped as the identity module stores them) and `identity.put` overwrites one,
 * so a test can revoke a member or remove an org between requests. The API reads only these keys.
 */
export const identityStub: Module = {
  name: "identity",
  methods: {
    put: defineMethod({
      description: "test only: write one identity record",
      args: Type.Object({ key: Type.String(), value: Type.Unknown() }, { additionalProperties: false }),
      execute(ctx, args) {
        ctx.state.set(args.key, args.value as CanonicalValue);
      },
    }),
  },
  queries: {},
  initGenesis(ctx, appState) {
    const records = (appState as { records: Record<string, CanonicalValue> }).records;
    for (const key of Object.keys(records).sort()) ctx.state.set(key, records[key] as CanonicalValue);
  },
};

export interface Member {
  key: KeyPair;
  org: string;
  id: string;
}

const CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

export const orgRecord = (name: string, status: "active" | "removed" = "active") => ({
  name,
  caCerts: [CA],
  nodes: [],
  gs1: { companyPrefixes: [], glns: [] },
  status,
  since: 0,
  revokedCerts: [],
});

export const memberRecord = (m: Member, status: "active" | "revoked" = "active") => ({
  address: addressOf(m.key),
  id: m.id,
  org: m.org,
  kind: "member",
  roles: ["writer"],
  publicKey: { alg: m.key.alg, publicKey: m.key.publicKey },
  status,
  since: 0,
  ...(status === "revoked" ? { revokedAt: 1 } : {}),
});

export interface AuthEnv {
  node: WeftNode;
  url: string;
  chainId: string;
  members: Record<"alice" | "pat" | "bob" | "rita" | "ivan" | "nodeKey", Member>;
  close(): Promise<void>;
}

/**
 * A real solo node on 127.0.0.1 over a permissioned genesis: orgs acme (the node's: its key is a
 * member), globex, and initech (removed); members alice (acme, Ed25519), pat (acme, P-256), bob
 * (globex), rita (acme, revoked), ivan (initech).
 */
export async function startAuthNode(
  api: NodeOptionsInput["api"] = {},
  /** Identity records (module-relative keys) written over the defaults, e.g. real CA certificates. */
  extraRecords: Record<string, unknown> = {},
): Promise<AuthEnv> {
  const dir = mkdtempSync(join(tmpdir(), "weft-auth-"));
  const nodeKey = generateKeyPair();
  const members = {
    nodeKey: { key: nodeKey, org: "acme", id: "node-1" },
    alice: { key: generateKeyPair(), org: "acme", id: "alice" },
    pat: { key: generateKeyPair("p256"), org: "acme", id: "pat" },
    bob: { key: generateKeyPair(), org: "globex", id: "bob" },
    rita: { key: generateKeyPair(), org: "acme", id: "rita" },
    ivan: { key: generateKeyPair(), org: "initech", id: "ivan" },
  };
  const records: Record<string, unknown> = {
    orgs: ["acme", "globex", "initech"],
    "org/acme": orgRecord("acme"),
    "org/globex": orgRecord("globex"),
    "org/initech": orgRecord("initech", "removed"),
  };
  for (const [name, m] of Object.entries(members)) {
    records[`member/${addressOf(m.key)}`] = memberRecord(m, name === "rita" ? "revoked" : "active");
    records[`member-id/${m.org}/${m.id}`] = addressOf(m.key);
  }
  Object.assign(records, extraRecords);
  const genesis: Genesis = {
    chainId: "weft-auth-test",
    genesisTime: Date.now() - 60_000,
    validators: [
      {
        address: addressOf(nodeKey),
        publicKey: { alg: nodeKey.alg, publicKey: nodeKey.publicKey },
        power: 1,
        name: "v0",
      },
    ],
    params: { ...defaultChainParams },
    appState: { identity: { records } as unknown as CanonicalValue },
  };
  const node = await createNode({
    genesis,
    validatorKey: nodeKey,
    modules: [identityStub, tokenModule, evidenceModule, traceModule],
    options: {
      storage: { dataDir: join(dir, "data") },
      api: { host: "127.0.0.1", port: 0, ...api },
      consensus: { engine: "solo", blockIntervalMs: 10 },
      mempool: { verifyThreads: 0 },
      log: { level: "silent" },
    },
  });
  await node.start();
  return {
    node,
    url: node.url as string,
    chainId: genesis.chainId,
    members,
    async close() {
      await node.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
