import { X509Certificate } from "node:crypto";
import { request as httpsRequest } from "node:https";
import { addressOf } from "@weft/core";
import type { TlsIdentity } from "@weft/p2p";
import { type CaMaterial, certificateInfo, createOrgCa, issueNodeCertificate } from "@weft/p2p";
import { createBearerToken } from "@weft/sdk";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publicKeyInfoOf } from "../../src/api/auth/client-cert.js";
import { epcisDocument, G, objectEvent } from "../support/epcis.js";
import { type AuthEnv, orgRecord, startAuthNode } from "./support/auth-env.js";

type Json = Record<string, unknown>;

let env: AuthEnv;
let acme: CaMaterial;
const clients: Record<string, TlsIdentity> = {};

/** A member record for the key a client certificate certifies. */
function certMember(identity: TlsIdentity, org: string, id: string, status: "active" | "revoked" = "active") {
  const publicKey = publicKeyInfoOf(new X509Certificate(identity.certPem));
  if (!publicKey) throw new Error("no key");
  const address = addressOf(publicKey);
  return {
    [`member/${address}`]: {
      address,
      id,
      org,
      kind: "member",
      roles: ["writer"],
      publicKey,
      status,
      since: 0,
    },
    [`member-id/${org}/${id}`]: address,
  };
}

beforeAll(async () => {
  acme = await createOrgCa("acme");
  const globex = await createOrgCa("globex");
  const stranger = await createOrgCa("stranger");
  const server = await issueNodeCertificate(acme, { nodeId: "api", org: "acme", hosts: ["127.0.0.1"] });
  clients.carol = await issueNodeCertificate(acme, { nodeId: "carol", org: "acme", hosts: [] });
  clients.gina = await issueNodeCertificate(globex, { nodeId: "gina", org: "globex", hosts: [] });
  clients.nobody = await issueNodeCertificate(acme, { nodeId: "nobody", org: "acme", hosts: [] });
  clients.revoked = await issueNodeCertificate(acme, { nodeId: "rev", org: "acme", hosts: [] });
  clients.outsider = await issueNodeCertificate(stranger, { nodeId: "out", org: "stranger", hosts: [] });
  env = await startAuthNode(
    { tls: { cert: server.certPem, key: server.keyPem, clientCa: "registry" } },
    {
      "org/acme": {
        ...orgRecord("acme"),
        caCerts: [acme.certPem],
        revokedCerts: [{ fingerprint: certificateInfo(clients.revoked.certPem).fingerprint, height: 0 }],
      },
      "org/globex": { ...orgRecord("globex"), caCerts: [globex.certPem] },
      ...certMember(clients.carol, "acme", "carol"),
      ...certMember(clients.gina, "globex", "gina"),
      ...certMember(clients.revoked, "acme", "rev"),
    },
  );
});
afterAll(async () => {
  await env?.close();
});

let serial = 0;
function call(
  method: string,
  path: string,
  client?: TlsIdentity,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Json }> {
  const url = new URL(path, env.url);
  const body =
    method === "POST"
      ? epcisDocument([
          objectEvent({
            action: "ADD",
            epcList: [G.jacket(7000 + ++serial)],
            bizStep: "commissioning",
            disposition: "active",
          }),
        ])
      : undefined;
  return new Promise((resolve, reject) => {
    const req = httpsRequest(
      url,
      {
        method,
        ca: acme.certPem,
        ...(client ? { cert: client.certPem, key: client.keyPem } : {}),
        headers: { ...(body ? { "content-type": "application/json" } : {}), ...headers },
      },
      (res) => {
        let text = "";
        res.on("data", (c) => {
          text += c;
        });
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, body: text ? (JSON.parse(text) as Json) : {} }),
        );
      },
    );
    req.on("error", reject);
    req.end(body);
  });
}

describe("API over TLS with client certificates from the on-chain registry", () => {
  it("serves HTTPS; reads stay public without a client certificate", async () => {
    expect(env.url).toMatch(/^https:\/\/127\.0\.0\.1:/);
    expect((await call("GET", "/healthz")).status).toBe(200);
    expect((await call("POST", "/epcis/capture")).body.code).toBe("AUTH_REQUIRED");
  });

  it("authenticates a member by a certificate of its org's CA and records it on the capture", async () => {
    const res = await call("POST", "/epcis/capture", clients.carol);
    expect(res.status).toBe(202);
    expect(res.body.submittedBy).toEqual({ org: "acme", id: "carol" });
  });

  it("refuses certificates that are not a member's of this node's org", async () => {
    expect(await call("POST", "/epcis/capture", clients.gina)).toMatchObject({
      status: 403,
      body: { code: "AUTH_WRONG_ORG" },
    });
    expect((await call("POST", "/epcis/capture", clients.nobody)).body.code).toBe("AUTH_BAD_TOKEN");
    expect((await call("POST", "/epcis/capture", clients.outsider)).body.code).toBe("AUTH_BAD_TOKEN");
    expect((await call("POST", "/epcis/capture", clients.revoked)).body.code).toBe("AUTH_REVOKED");
  });

  it("a bearer token wins over the certificate", async () => {
    const token = createBearerToken(env.members.bob.key, { memberId: "bob", chainId: env.chainId });
    const res = await call("POST", "/epcis/capture", clients.carol, { authorization: `Bearer ${token}` });
    expect(res.body.code).toBe("AUTH_WRONG_ORG");
  });
});
