import {
  addressOf,
  type CanonicalValue,
  generateKeyPair,
  hexToBytes,
  type KeyPair,
  type SignedTx,
  signBytes,
  signTx,
  utf8,
} from "@weft/core";
import { createOrgCa, parseNetworkConfig } from "@weft/p2p";
import { createBearerToken } from "@weft/sdk";
import { base64url } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ReadGroup } from "../../src/api/auth/options.js";
import { createApiServer } from "../../src/api/server.js";
import { createMetrics } from "../../src/metrics/metrics.js";
import { epcisDocument, G, objectEvent } from "../support/epcis.js";
import { type AuthEnv, memberRecord, startAuthNode } from "./support/auth-env.js";

let env: AuthEnv;
beforeAll(async () => {
  env = await startAuthNode();
});
afterAll(async () => {
  await env?.close();
});

type Json = Record<string, unknown>;

let serial = 0;
const commissionDocument = () =>
  epcisDocument([
    objectEvent({
      action: "ADD",
      epcList: [G.jacket(9000 + ++serial)],
      bizStep: "commissioning",
      disposition: "active",
    }),
  ]);

const tokenOf = (
  key: KeyPair,
  memberId: string,
  extra: { chainId?: string; now?: number; ttlSeconds?: number } = {},
) =>
  createBearerToken(key, {
    memberId,
    chainId: extra.chainId ?? env.chainId,
    ttlSeconds: extra.ttlSeconds ?? 300,
    ...(extra.now ? { now: extra.now } : {}),
  });

async function capture(authorization?: string, doc = commissionDocument()) {
  const res = await fetch(`${env.url}/epcis/capture`, {
    method: "POST",
    headers: { "content-type": "application/json", ...(authorization ? { authorization } : {}) },
    body: doc,
  });
  return {
    status: res.status,
    type: res.headers.get("content-type") ?? "",
    www: res.headers.get("www-authenticate"),
    body: (await res.json()) as Json,
    location: res.headers.get("location"),
  };
}

async function settle(location: string): Promise<Json> {
  for (let i = 0; i < 400; i++) {
    const job = (await (await fetch(location)).json()) as Json;
    if (job.running === false) return job;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("capture job did not finish");
}

describe("API authentication on a permissioned chain (real node, 127.0.0.1)", () => {
  it("refuses a capture without a token: 401 AUTH_REQUIRED problem with WWW-Authenticate", async () => {
    const res = await capture();
    expect(res.status).toBe(401);
    expect(res.type).toMatch(/^application\/problem\+json/);
    expect(res.www).toBe('Bearer realm="weft"');
    expect(res.body).toMatchObject({
      status: 401,
      code: "AUTH_REQUIRED",
      type: "urn:weft:problem:AUTH_REQUIRED",
    });
  });

  it("gives each bad token its typed 401", async () => {
    const { alice, rita, ivan } = env.members;
    const now = Date.now();
    const forged = (() => {
      // alice's claims, signed by another key
      const [h, p] = tokenOf(alice.key, "alice").split(".");
      const sig = signBytes(generateKeyPair(), utf8(`${h}.${p}`));
      return `${h}.${p}.${base64url.encode(hexToBytes(sig))}`;
    })();
    const cases: [string, string][] = [
      [forged, "AUTH_BAD_TOKEN"],
      [tokenOf(alice.key, "alice", { chainId: "other-chain" }), "AUTH_BAD_TOKEN"],
      [tokenOf(alice.key, "alice", { now: now - 2 * 3600_000 }), "AUTH_EXPIRED"],
      [tokenOf(alice.key, "alice", { now: now + 10 * 60_000 }), "AUTH_BAD_TOKEN"],
      [tokenOf(alice.key, "not-alice"), "AUTH_BAD_TOKEN"],
      [tokenOf(generateKeyPair(), "stranger"), "AUTH_BAD_TOKEN"],
      [tokenOf(rita.key, "rita"), "AUTH_REVOKED"],
      [tokenOf(ivan.key, "ivan"), "AUTH_REVOKED"],
    ];
    for (const [token, code] of cases) {
      const res = await capture(`Bearer ${token}`);
      expect({ code: res.body.code, status: res.status }).toEqual({ code, status: 401 });
      expect(res.www).toBe('Bearer realm="weft", error="invalid_token"');
    }
  });

  it("refuses malformed Authorization headers with AUTH_BAD_TOKEN", async () => {
    for (const header of [
      "Basic dXNlcjpwYXNz",
      "Bearer",
      "Bearer not-a-jws",
      "Bearer a.b.c",
      `Bearer ${"x".repeat(5000)}`,
    ]) {
      const res = await capture(header);
      expect({ header: header.slice(0, 20), code: res.body.code }).toEqual({
        header: header.slice(0, 20),
        code: "AUTH_BAD_TOKEN",
      });
    }
  });

  it("answers 403 AUTH_WRONG_ORG to a member of another organisation", async () => {
    const res = await capture(`Bearer ${tokenOf(env.members.bob.key, "bob")}`);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ code: "AUTH_WRONG_ORG", org: "globex", nodeOrg: "acme" });
  });

  it("captures for a member of the node's org and records who asked on chain (EdDSA and ES256)", async () => {
    for (const member of [env.members.alice, env.members.pat]) {
      const res = await capture(`Bearer ${tokenOf(member.key, member.id)}`);
      expect(res.status).toBe(202);
      expect(res.body.submittedBy).toEqual({ org: "acme", id: member.id });
      const job = await settle(res.location as string);
      expect(job).toMatchObject({ success: true, submittedBy: { org: "acme", id: member.id } });
      const hash = (job.txs as Json[])[0]?.hash as string;
      const tx = (await (await fetch(`${env.url}/v1/txs/${hash}`)).json()) as {
        tx: { body: { args: Json; signer: { publicKey: string } } };
        events: { type: string; attributes: Json }[];
      };
      // Signed by the node's key, on behalf of the member.
      expect(tx.tx.body.signer.publicKey).toBe(env.members.nodeKey.key.publicKey);
      expect(tx.tx.body.args.submittedBy).toEqual({ org: "acme", id: member.id });
      const captured = tx.events.find((e) => e.type === "EventCaptured");
      expect(captured?.attributes).toMatchObject({ submittedByOrg: "acme", submittedById: member.id });
    }
  });

  it("refuses a member revoked after its token was issued", async () => {
    const { alice } = env.members;
    const token = tokenOf(alice.key, "alice");
    const revoke = await env.node.service.submitTxs([
      signed(alice.key, {
        key: `member/${addressOf(alice.key)}`,
        value: { ...memberRecord(alice, "revoked"), revokedAt: 1 },
      }),
    ]);
    expect(revoke[0]?.accepted).toBe(true);
    const hash = (revoke[0] as { hash: string }).hash;
    await env.node.service.waitForCommit(hash, 5000);
    const res = await capture(`Bearer ${token}`);
    expect(res.body.code).toBe("AUTH_REVOKED");
  });

  it("keeps reads public by default and counts refusals in weft_api_auth_failures_total", async () => {
    for (const path of ["/healthz", "/v1/blocks/latest", "/epcis/events", "/epcis/capture"]) {
      expect((await fetch(env.url + path)).status, path).toBe(200);
    }
    const metrics = await (await fetch(`${env.url}/metrics`)).text();
    expect(metrics).toMatch(/weft_api_auth_failures_total\{code="AUTH_REQUIRED"\} [1-9]/);
    expect(metrics).toMatch(/weft_api_auth_failures_total\{code="AUTH_WRONG_ORG"\} [1-9]/);
  });
});

describe("access policy options", () => {
  const api = async (auth: Json) => {
    const app = await createApiServer(
      env.node.service,
      { auth },
      {
        metrics: createMetrics({ defaultMetrics: false }),
        auth: { nodeAddress: addressOf(env.members.nodeKey.key) },
      },
    );
    await app.ready();
    return app;
  };

  it("needs a token for a read outside publicReads; any active member's token will do", async () => {
    const app = await api({ mode: "required", publicReads: ["health"] });
    try {
      expect((await app.inject("/healthz")).statusCode).toBe(200);
      const anonymous = await app.inject("/v1/blocks/latest");
      expect(anonymous.statusCode).toBe(401);
      expect(anonymous.json()).toMatchObject({ code: "AUTH_REQUIRED" });
      const bob = tokenOf(env.members.bob.key, "bob");
      const res = await app.inject({ url: "/v1/blocks/latest", headers: { authorization: `Bearer ${bob}` } });
      expect(res.statusCode).toBe(200);
      // Signed transactions carry their own signature: no token.
      const tx = await app.inject({ method: "POST", url: "/v1/txs", payload: { body: {}, signature: "00" } });
      expect(tx.statusCode).toBe(400);
    } finally {
      await app.close();
    }
  });

  it("mode off asks nobody", async () => {
    const app = await api({ mode: "off" });
    try {
      const res = await app.inject({
        method: "POST",
        url: "/epcis/capture",
        payload: "{}",
        headers: { "content-type": "application/json" },
      });
      expect(res.statusCode).toBe(503); // no EPCIS runtime here: past authentication
    } finally {
      await app.close();
    }
  });

  it("takes network.json access.publicReads unless the node options say otherwise", async () => {
    const build = async (auth: Json, networkPublicReads: string[]) => {
      const app = await createApiServer(
        env.node.service,
        { auth },
        {
          metrics: createMetrics({ defaultMetrics: false }),
          auth: { networkPublicReads: networkPublicReads as ReadGroup[] },
        },
      );
      await app.ready();
      return app;
    };
    const fromNetwork = await build({}, ["health"]);
    const overridden = await build({ publicReads: ["blocks"] }, ["health"]);
    try {
      expect((await fromNetwork.inject("/v1/blocks/latest")).statusCode).toBe(401);
      expect((await fromNetwork.inject("/healthz")).statusCode).toBe(200);
      expect((await overridden.inject("/v1/blocks/latest")).statusCode).toBe(200);
    } finally {
      await fromNetwork.close();
      await overridden.close();
    }
    await expect(build({}, ["everything"])).rejects.toMatchObject({ code: "NODE_BAD_CONFIG" });
    const ca = await createOrgCa("acme");
    const network = {
      type: "weft-network/v1",
      chainId: "c",
      orgs: [{ name: "acme", caCert: ca.certPem, nodes: [{ id: "n1", host: "127.0.0.1", port: 1 }] }],
    };
    expect(parseNetworkConfig({ ...network, access: { publicReads: ["health", "verify"] } }).access).toEqual({
      publicReads: ["health", "verify"],
    });
    expect(parseNetworkConfig(network).access).toBeUndefined();
    expect(() => parseNetworkConfig({ ...network, access: { publicReads: "all" } })).toThrow(
      /access.publicReads/,
    );
  });

  it("refuses unknown route groups and modes in the options", async () => {
    await expect(api({ mode: "sometimes" })).rejects.toMatchObject({ code: "NODE_BAD_CONFIG" });
    await expect(api({ publicReads: ["everything"] })).rejects.toMatchObject({ code: "NODE_BAD_CONFIG" });
  });
});

function signed(key: KeyPair, args: Json): SignedTx {
  const sequence = (env.node.service.getState(`auth/sequence/${addressOf(key)}`).value as number | null) ?? 0;
  return signTx(
    {
      chainId: env.chainId,
      signer: { alg: key.alg, publicKey: key.publicKey },
      sequence,
      expiresAt: 1_000_000,
      module: "identity",
      method: "put",
      args: args as Record<string, CanonicalValue>,
    },
    key,
  );
}
