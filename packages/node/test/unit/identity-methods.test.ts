import { addressOf, generateKeyPair, type KeyPair } from "@weft/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GENESIS_TIME, type IdChain, memberCertificate, pk, snapshot } from "../support/identity.js";
import { allAdmins, call, makeWorld, type World, worldChain } from "../support/identity-world.js";

let w: World;
let chain: IdChain;
let otherOrgCert: string;
let certForOtherKey: string;
beforeAll(async () => {
  w = await makeWorld();
  chain = await worldChain(w);
  const k = generateKeyPair();
  otherOrgCert = await memberCertificate(w.cas.retail, k, {
    notBefore: GENESIS_TIME - 1,
    notAfter: GENESIS_TIME + 1e9,
  });
  certForOtherKey = await memberCertificate(w.cas.brand, generateKeyPair(), {
    notBefore: GENESIS_TIME - 1,
    notAfter: GENESIS_TIME + 1e9,
  });
});
afterAll(async () => {
  await chain.close();
});

/**
 * Runs `method` signed by `signer`, or else approved by every org's admin through a nested call;
 * expects `code` and no change. The block includes it even when admission would refuse it (a
 * proposer may include anything), so this is the chain's own verdict.
 */
async function refused(method: string, args: unknown, code: string, signer?: KeyPair): Promise<void> {
  const before = snapshot(chain);
  const tx = signer
    ? chain.tx(signer, "identity", method, args)
    : chain.tx(w.stranger, "testgov", "exec", {
        calls: [call("identity", method, args)],
        approvers: allAdmins(w).map(addressOf),
      });
  const [receipt] = await chain.run(tx);
  expect(receipt?.error?.code, `${method} ${JSON.stringify(args).slice(0, 120)}`).toBe(code);
  expect(snapshot(chain)).toEqual(before);
}

const org = (over: Record<string, unknown> = {}) => ({
  name: "newco",
  caCerts: [w.cas.audit.certPem],
  nodes: [],
  gs1: { companyPrefixes: ["7000001"], glns: [] },
  admins: [{ id: "admin", publicKey: pk(generateKeyPair()) }],
  ...over,
});
const member = (over: Record<string, unknown> = {}) => ({
  org: "brand",
  id: "new",
  kind: "member",
  roles: ["writer"],
  publicKey: pk(generateKeyPair()),
  ...over,
});

describe("identity methods refuse bad arguments with a typed error and change nothing", () => {
  it("addOrg", async () => {
    await refused("addOrg", org({ name: "brand" }), "IDENTITY_EXISTS");
    await refused("addOrg", org({ caCerts: ["not a pem"] }), "IDENTITY_BAD_CERTIFICATE");
    await refused("addOrg", org({ caCerts: [certForOtherKey] }), "IDENTITY_BAD_CERTIFICATE");
    await refused("addOrg", org({ gs1: { companyPrefixes: ["40123456"], glns: [] } }), "IDENTITY_BAD_ARGS");
    await refused(
      "addOrg",
      org({ gs1: { companyPrefixes: [], glns: ["0614141000029"] } }),
      "IDENTITY_BAD_ARGS",
    );
    await refused(
      "addOrg",
      org({ admins: [{ id: "admin", publicKey: pk(w.brandAdmin) }] }),
      "IDENTITY_EXISTS",
    );
    await refused("addOrg", org({ extra: 1 }), "APP_INVALID_ARGS");
    await refused("addOrg", org({ admins: [] }), "APP_INVALID_ARGS");
  });

  it("removeOrg, updateOrg, updateNodes, revokeNodeCert", async () => {
    await refused("removeOrg", { name: "nobody" }, "IDENTITY_UNKNOWN_ORG");
    await refused("updateOrg", { name: "brand" }, "IDENTITY_BAD_ARGS");
    await refused(
      "updateOrg",
      { name: "nobody", gs1: { companyPrefixes: [], glns: [] } },
      "IDENTITY_UNKNOWN_ORG",
    );
    await refused(
      "updateOrg",
      { name: "brand", caCerts: ["-----BEGIN CERTIFICATE-----\nAA==\n-----END CERTIFICATE-----"] },
      "IDENTITY_BAD_CERTIFICATE",
    );
    await refused(
      "updateOrg",
      { name: "brand", gs1: { companyPrefixes: ["0614141"], glns: [] } },
      "IDENTITY_BAD_ARGS",
    );
    const node = { id: "n1", host: "10.0.0.1", port: 7000 };
    await refused("updateNodes", { org: "brand", nodes: [node, node] }, "IDENTITY_BAD_ARGS");
    // No admin of an unknown org exists: its own-admin policy denies before the method looks.
    await refused("updateNodes", { org: "nobody", nodes: [node] }, "POLICY_DENIED");
    await refused("updateNodes", { org: "brand", nodes: [{ ...node, port: 0 }] }, "APP_INVALID_ARGS");
    const fingerprint = "ab".repeat(32);
    const [ok] = await chain.run(
      chain.tx(w.brandAdmin, "identity", "revokeNodeCert", { org: "brand", fingerprint }),
    );
    expect(ok?.status).toBe("ok");
    await refused("revokeNodeCert", { org: "brand", fingerprint }, "IDENTITY_EXISTS", w.brandAdmin);
    await refused(
      "revokeNodeCert",
      { org: "brand", fingerprint: "AB".repeat(32) },
      "APP_INVALID_ARGS",
      w.brandAdmin,
    );
  });

  it("addMember", async () => {
    const a = w.brandAdmin;
    await refused("addMember", member({ org: "nobody" }), "POLICY_DENIED", a);
    await refused("addMember", member({ id: "writer" }), "IDENTITY_EXISTS", a);
    await refused("addMember", member({ publicKey: pk(w.retailWriter) }), "IDENTITY_EXISTS", a);
    await refused("addMember", member({ roles: ["wizard"] }), "IDENTITY_BAD_ARGS", a);
    await refused("addMember", member({ roles: ["writer", "writer"] }), "IDENTITY_BAD_ARGS", a);
    await refused("addMember", member({ kind: "robot" }), "APP_INVALID_ARGS");
    // Not a curve point: refused at admission (precheck) and by the chain.
    const offCurve = { alg: "p256", publicKey: `02${"ff".repeat(32)}` };
    await refused("addMember", member({ publicKey: offCurve }), "IDENTITY_BAD_ARGS", a);
    const [admitted] = await chain.submit(
      chain.tx(generateKeyPair(), "identity", "addMember", member({ certificate: certForOtherKey })),
    );
    // Stateless certificate checks run at admission (precheck), before the policy.
    expect(admitted && !admitted.accepted && admitted.error.code).toBe("IDENTITY_BAD_CERTIFICATE");
    // Issued by another org's CA: only the chain can tell (it needs brand's CA from state).
    const k = generateKeyPair();
    const retailCert = await memberCertificate(w.cas.retail, k, {
      notBefore: GENESIS_TIME - 1,
      notAfter: GENESIS_TIME + 1e9,
    });
    await refused(
      "addMember",
      member({ publicKey: pk(k), certificate: retailCert }),
      "IDENTITY_BAD_CERTIFICATE",
    );
    await refused("addMember", member({ certificate: otherOrgCert }), "IDENTITY_BAD_CERTIFICATE");
    // A good one goes in, with the certificate's validity recorded.
    const good = generateKeyPair("p256");
    const cert = await memberCertificate(w.cas.brand, good, {
      notBefore: GENESIS_TIME - 1,
      notAfter: GENESIS_TIME + 1e9,
    });
    const [ok] = await chain.run(
      chain.tx(a, "identity", "addMember", member({ id: "p", publicKey: pk(good), certificate: cert })),
    );
    expect(ok?.status).toBe("ok");
    expect(chain.state(`identity/member/${addressOf(good)}`)).toMatchObject({
      org: "brand",
      id: "p",
      certificate: { notBefore: GENESIS_TIME - 1000, notAfter: GENESIS_TIME + 1e9 },
    });
  });

  it("revokeMember, setRoles", async () => {
    const a = w.brandAdmin;
    const height = chain.app.lastCommitted().height;
    await refused("revokeMember", { org: "brand", id: "ghost" }, "IDENTITY_UNKNOWN_MEMBER", a);
    await refused(
      "revokeMember",
      { org: "brand", id: "operator", atHeight: height + 1 },
      "IDENTITY_BAD_ARGS",
      a,
    );
    await refused("revokeMember", { org: "brand", id: "operator", atHeight: 0 }, "APP_INVALID_ARGS");
    const [ok] = await chain.run(
      chain.tx(a, "identity", "revokeMember", { org: "brand", id: "operator", atHeight: height + 100 }),
    );
    expect(ok?.status).toBe("ok");
    await refused("revokeMember", { org: "brand", id: "operator" }, "IDENTITY_REVOKED", a);
    await refused("setRoles", { org: "brand", id: "operator", roles: [] }, "IDENTITY_REVOKED", a);
    await refused("setRoles", { org: "brand", id: "writer", roles: ["wizard"] }, "IDENTITY_BAD_ARGS", a);
    await refused("setRoles", { org: "brand", id: "ghost", roles: [] }, "IDENTITY_UNKNOWN_MEMBER", a);
  });

  it("rotateKey", async () => {
    await refused(
      "rotateKey",
      { publicKey: pk(w.retailAdmin), overlapMs: 0 },
      "IDENTITY_EXISTS",
      w.retailWriter,
    );
    await refused(
      "rotateKey",
      { publicKey: pk(generateKeyPair()), overlapMs: -1 },
      "APP_INVALID_ARGS",
      w.retailWriter,
    );
    await refused(
      "rotateKey",
      { publicKey: pk(generateKeyPair()), overlapMs: 0, certificate: certForOtherKey },
      "IDENTITY_BAD_CERTIFICATE",
      w.retailWriter,
    );
    // Governance cannot rotate somebody's key.
    await refused("rotateKey", { publicKey: pk(generateKeyPair()), overlapMs: 0 }, "IDENTITY_BAD_ARGS");
    const [ok] = await chain.run(
      chain.tx(w.retailWriter, "identity", "rotateKey", {
        publicKey: pk(generateKeyPair()),
        overlapMs: 60_000,
      }),
    );
    expect(ok?.status).toBe("ok");
    await refused(
      "rotateKey",
      { publicKey: pk(generateKeyPair()), overlapMs: 0 },
      "IDENTITY_BAD_ARGS",
      w.retailWriter,
    );
  });

  it("defineRole, setPolicy", async () => {
    await refused("defineRole", { name: "admin", description: "again" }, "IDENTITY_EXISTS");
    await refused("defineRole", { name: "Bad Name", description: "" }, "APP_INVALID_ARGS");
    await refused("setPolicy", { action: "token.mint", policy: { role: "wizard" } }, "IDENTITY_BAD_ARGS");
    let deep: unknown = { member: true };
    for (let i = 0; i < 7; i++) deep = { anyOf: [deep] };
    await refused("setPolicy", { action: "token.mint", policy: deep }, "IDENTITY_BAD_ARGS");
    await refused("setPolicy", { action: "token.mint", policy: { member: false } }, "APP_INVALID_ARGS");
    await refused("setPolicy", { action: "token.mint", policy: { anyOf: [] } }, "APP_INVALID_ARGS");
    await refused("setPolicy", { action: "token", policy: { member: true } }, "APP_INVALID_ARGS");
    await refused(
      "setPolicy",
      { action: "token.mint", policy: { approvals: { threshold: 0, from: [{ member: true }] } } },
      "APP_INVALID_ARGS",
    );
    await refused(
      "setPolicy",
      { action: "token.mint", policy: { orgVotes: { num: 2, den: 0 } } },
      "APP_INVALID_ARGS",
    );
  });

  it("queries read the registry", () => {
    const q = (name: string, params: unknown) => chain.registry.query("identity", name, params).key(params);
    expect(chain.state(`identity/${q("orgs", {})}`)).toEqual(["audit", "brand", "retail"]);
    expect(chain.state(`identity/${q("org", { name: "brand" })}`)).toMatchObject({ status: "active" });
    expect(chain.state(`identity/${q("memberId", { org: "brand", id: "admin" })}`)).toBe(
      addressOf(w.brandAdmin),
    );
    expect(chain.state(`identity/${q("member", { address: addressOf(w.auditor) })}`)).toMatchObject({
      roles: ["auditor"],
    });
    expect(chain.state(`identity/${q("policy", { action: "token.mint" })}`)).toEqual({ owner: true });
    expect(chain.state(`identity/${q("role", { name: "device" })}`)).toMatchObject({ builtin: true });
  });
});
