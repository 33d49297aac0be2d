import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  addressOf,
  type CanonicalValue,
  defaultChainParams,
  type Genesis,
  generateKeyPair,
  type KeyPair,
  signTx,
} from "@weft/core";
import { createOrgCa } from "@weft/p2p";
import { createBearerToken } from "@weft/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createNode, type WeftNode } from "../../src/node.js";
import { epcisDocument, G, objectEvent } from "../support/epcis.js";

/**
 * The same API checks against the real identity module (defaultModules): a genesis with
 * appState.identity, captures authorized on chain, revocation by the org's admin.
 */
type Json = Record<string, unknown>;
const dir = mkdtempSync(join(tmpdir(), "weft-auth-id-"));
const nodeKey = generateKeyPair();
const admin = generateKeyPair();
const alice = generateKeyPair("p256");
const bob = generateKeyPair();
const auditor = generateKeyPair();
let node: WeftNode;
let url: string;
const chainId = "weft-auth-identity";

const pub = (k: KeyPair) => ({ alg: k.alg, publicKey: k.publicKey });

beforeAll(async () => {
  const [acmeCa, globexCa] = await Promise.all([createOrgCa("acme"), createOrgCa("globex")]);
  const genesis: Genesis = {
    chainId,
    genesisTime: Date.now() - 60_000,
    validators: [{ address: addressOf(nodeKey), publicKey: pub(nodeKey), power: 1, name: "v0" }],
    params: { ...defaultChainParams },
    appState: {
      identity: {
        orgs: [
          {
            name: "acme",
            caCerts: [acmeCa.certPem],
            nodes: [],
            gs1: { companyPrefixes: ["4012345"], glns: [] },
            members: [
              { id: "node", kind: "member", roles: ["operator", "writer"], publicKey: pub(nodeKey) },
              { id: "admin", kind: "member", roles: ["admin"], publicKey: pub(admin) },
              { id: "alice", kind: "member", roles: ["writer"], publicKey: pub(alice) },
              { id: "auditor", kind: "member", roles: ["auditor", "reader"], publicKey: pub(auditor) },
            ],
          },
          {
            name: "globex",
            caCerts: [globexCa.certPem],
            nodes: [],
            gs1: { companyPrefixes: ["0614141"], glns: [] },
            members: [{ id: "bob", kind: "member", roles: ["writer"], publicKey: pub(bob) }],
          },
        ],
      } as unknown as CanonicalValue,
    },
  };
  node = await createNode({
    genesis,
    validatorKey: nodeKey,
    options: {
      storage: { dataDir: join(dir, "data") },
      api: { host: "127.0.0.1", port: 0 },
      consensus: { engine: "solo", blockIntervalMs: 10 },
      mempool: { verifyThreads: 0 },
      log: { level: "silent" },
    },
  });
  await node.start();
  url = node.url as string;
});
afterAll(async () => {
  await node?.stop();
  rmSync(dir, { recursive: true, force: true });
});

let serial = 0;
async function capture(token?: string) {
  const doc = epcisDocument([
    objectEvent({
      action: "ADD",
      epcList: [G.jacket(5000 + ++serial)],
      bizStep: "commissioning",
      disposition: "active",
    }),
  ]);
  const res = await fetch(`${url}/epcis/capture`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: doc,
  });
  return { status: res.status, body: (await res.json()) as Json, location: res.headers.get("location") };
}

async function settle(location: string): Promise<Json> {
  for (let i = 0; i < 400; i++) {
    const job = (await (await fetch(location)).json()) as Json;
    if (job.running === false) return job;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("capture job did not finish");
}

describe("API authentication with the identity module", () => {
  it("asks for a token on the permissioned chain (auth auto)", async () => {
    expect((await capture()).body.code).toBe("AUTH_REQUIRED");
    expect((await fetch(`${url}/healthz`)).status).toBe(200);
  });

  it("a member of the node's org captures; the chain authorizes the node's key and records the member", async () => {
    const res = await capture(createBearerToken(alice, { memberId: "alice", chainId }));
    expect(res.status).toBe(202);
    const job = await settle(res.location as string);
    expect(job).toMatchObject({ success: true, submittedBy: { org: "acme", id: "alice" } });
    const hash = (job.txs as Json[])[0]?.hash as string;
    const tx = (await (await fetch(`${url}/v1/txs/${hash}`)).json()) as {
      receipt: { status: string };
      events: { type: string; attributes: Json }[];
    };
    expect(tx.receipt.status).toBe("ok");
    expect(tx.events.find((e) => e.type === "EventCaptured")?.attributes).toMatchObject({
      capturedBy: addressOf(nodeKey),
      submittedByOrg: "acme",
      submittedById: "alice",
    });
  });

  it("another org's member gets 403", async () => {
    const res = await capture(createBearerToken(bob, { memberId: "bob", chainId }));
    expect(res).toMatchObject({ status: 403, body: { code: "AUTH_WRONG_ORG" } });
  });

  it("a member of the node's org who only reads (auditor) gets 403 and nothing is captured", async () => {
    const before = (await (await fetch(`${url}/v1/blocks/latest`)).json()) as {
      block: { header: { height: number } };
    };
    const res = await capture(createBearerToken(auditor, { memberId: "auditor", chainId }));
    expect(res).toMatchObject({ status: 403, body: { code: "AUTH_ROLE" } });
    expect(res.location).toBeNull();
    // Reads stay open to it.
    const read = await fetch(`${url}/epcis/events`, {
      headers: { authorization: `Bearer ${createBearerToken(auditor, { memberId: "auditor", chainId })}` },
    });
    expect(read.status).toBe(200);
    const after = (await (await fetch(`${url}/v1/blocks/latest`)).json()) as {
      block: { header: { height: number } };
    };
    expect(after.block.header.height).toBe(before.block.header.height);
  });

  it("a member revoked by its admin is refused from the next block on", async () => {
    const token = createBearerToken(alice, { memberId: "alice", chainId });
    const sequence = (node.service.getState(`auth/sequence/${addressOf(admin)}`).value as number | null) ?? 0;
    const tx = signTx(
      {
        chainId,
        signer: pub(admin),
        sequence,
        expiresAt: 1_000_000,
        module: "identity",
        method: "revokeMember",
        args: { org: "acme", id: "alice" },
      },
      admin,
    );
    const [outcome] = await node.service.submitTxs([tx]);
    expect(outcome?.accepted).toBe(true);
    const status = await node.service.waitForCommit((outcome as { hash: string }).hash, 5000);
    expect(status.receipt?.status).toBe("ok");
    const res = await capture(token);
    expect(res).toMatchObject({ status: 401, body: { code: "AUTH_REVOKED", reason: "IDENTITY_REVOKED" } });
  });
});
