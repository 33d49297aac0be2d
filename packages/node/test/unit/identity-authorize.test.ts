import { addressOf, type KeyPair } from "@weft/core";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { auditChain } from "../../src/audit/audit.js";
import { epcisDocument, G, objectEvent } from "../support/epcis.js";
import { GENESIS_TIME, type IdChain, memberCertificate, pk, snapshot } from "../support/identity.js";
import { allAdmins, call, HYGROMETER, makeWorld, type World, worldChain } from "../support/identity-world.js";

let w: World;
const open: IdChain[] = [];
beforeAll(async () => {
  w = await makeWorld();
});
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

async function chainFor(opts: Parameters<typeof worldChain>[1] = {}): Promise<IdChain> {
  const chain = await worldChain(w, opts);
  open.push(chain);
  return chain;
}

const asset = (id: string) => ({ asset: id, name: id, decimals: 0 });
const capture = (fields: Record<string, unknown>) => ({
  document: epcisDocument([objectEvent({ epcList: [G.jacket(Math.floor(Math.random() * 1e9))], ...fields })]),
});
const sensed = (deviceID: string) => ({
  readPoint: { id: G.factory },
  sensorElementList: [
    {
      sensorMetadata: { deviceID, time: "2024-03-01T09:30:00.000Z" },
      sensorReport: [{ type: "Temperature", value: 4.5, uom: "CEL" }],
    },
  ],
});

/**
 * The chain refuses the call with `code` and changes nothing but the signer's sequence, and
 * admission (against the same head state) refuses it with the same code.
 */
async function expectDenied(
  chain: IdChain,
  signer: KeyPair,
  module: string,
  method: string,
  args: unknown,
  code: string,
): Promise<void> {
  // One transaction: refused at admission (nothing pooled), then forced into a block.
  const tx = chain.tx(signer, module, method, args);
  const [admitted] = await chain.submit(tx);
  expect(admitted?.accepted).toBe(false);
  expect(admitted && !admitted.accepted ? admitted.error.code : undefined).toBe(code);
  const before = snapshot(chain);
  const [receipt] = await chain.run(tx);
  expect(receipt?.status).toBe("failed");
  expect(receipt?.error?.code).toBe(code);
  expect(snapshot(chain)).toEqual(before);
}

async function expectOk(chain: IdChain, signer: KeyPair, module: string, method: string, args: unknown) {
  const [receipt] = await chain.run(chain.tx(signer, module, method, args));
  expect(receipt?.error).toBeUndefined();
  expect(receipt?.status).toBe("ok");
}

describe("identity authorizer: who may act", () => {
  it("denies a non-member's transaction", async () => {
    const chain = await chainFor();
    await expectDenied(chain, w.stranger, "token", "createAsset", asset("X"), "IDENTITY_NOT_MEMBER");
  });

  it("denies a member without the action's role, allows one with it", async () => {
    const chain = await chainFor();
    await expectDenied(chain, w.brandWriter, "token", "createAsset", asset("X"), "POLICY_DENIED");
    await expectOk(chain, w.brandOperator, "token", "createAsset", asset("X"));
  });

  it("lets only an asset's issuer mint (owner policy)", async () => {
    const chain = await chainFor();
    await expectOk(chain, w.brandOperator, "token", "createAsset", asset("X"));
    const mint = { asset: "X", to: addressOf(w.retailWriter), amount: "5" };
    await expectDenied(chain, w.brandAdmin, "token", "mint", mint, "POLICY_DENIED");
    await expectOk(chain, w.brandOperator, "token", "mint", mint);
  });

  it("lets only an NFT asset's issuer mint tokens (owner policy); holds and NFT moves need a member", async () => {
    const chain = await chainFor();
    await expectOk(chain, w.brandOperator, "token", "createAsset", { ...asset("ART"), kind: "nft" });
    const mintNft = { asset: "ART", tokenId: "1", to: addressOf(w.brandOperator) };
    await expectDenied(chain, w.brandAdmin, "token", "mintNft", mintNft, "POLICY_DENIED");
    await expectOk(chain, w.brandOperator, "token", "mintNft", mintNft);
    const move = { asset: "ART", tokenId: "1", to: addressOf(w.retailWriter) };
    await expectDenied(chain, w.stranger, "token", "transferNft", move, "IDENTITY_NOT_MEMBER");
    await expectOk(chain, w.brandOperator, "token", "transferNft", move);
    await expectOk(chain, w.brandOperator, "token", "createAsset", asset("X"));
    await expectOk(chain, w.brandOperator, "token", "mint", {
      asset: "X",
      to: addressOf(w.brandOperator),
      amount: "5",
    });
    const hold = { asset: "X", amount: "2", holdId: "h1" };
    await expectDenied(chain, w.stranger, "token", "hold", hold, "IDENTITY_NOT_MEMBER");
    await expectOk(chain, w.brandOperator, "token", "hold", hold);
    await expectOk(chain, w.brandOperator, "token", "releaseHold", {
      holdId: "h1",
      to: addressOf(w.retailWriter),
    });
  });

  it("denies a writer of org A capturing at a location of org B", async () => {
    const chain = await chainFor();
    await expectDenied(
      chain,
      w.brandWriter,
      "trace",
      "capture",
      capture({ readPoint: { id: G.dc } }),
      "POLICY_DENIED",
    );
    await expectDenied(
      chain,
      w.brandWriter,
      "trace",
      "capture",
      capture({ bizLocation: { id: G.dc } }),
      "POLICY_DENIED",
    );
    const toDc = capture({
      readPoint: { id: G.factory },
      destinationList: [{ type: "location", destination: G.dc }],
    });
    await expectDenied(chain, w.brandWriter, "trace", "capture", toDc, "POLICY_DENIED");
    // An unowned (non-GLN) location denies too.
    const urn = capture({ readPoint: { id: "urn:example:loc:1" } });
    await expectDenied(chain, w.brandWriter, "trace", "capture", urn, "POLICY_DENIED");
    await expectOk(chain, w.brandWriter, "trace", "capture", capture({ readPoint: { id: G.factoryDock } }));
    // The Digital Link spelling of the retailer's DC is the retailer's, not the brand's.
    await expectOk(
      chain,
      w.retailWriter,
      "trace",
      "capture",
      capture({ readPoint: { id: "https://example.com/414/0614141000029" } }),
    );
  });

  it("denies a device capturing with another device's deviceID", async () => {
    const chain = await chainFor();
    await expectDenied(chain, w.thermo, "trace", "capture", capture(sensed(HYGROMETER)), "POLICY_DENIED");
    await expectOk(chain, w.thermo, "trace", "capture", capture(sensed(G.sensor)));
    await expectOk(chain, w.hygro, "trace", "capture", capture(sensed(HYGROMETER)));
  });

  it("denies a revoked key from its revocation height on; earlier transactions stand and the chain audits", async () => {
    const chain = await chainFor();
    const h = chain.app.lastCommitted().height; // next block is h + 1
    await expectOk(chain, w.brandAdmin, "identity", "revokeMember", {
      org: "brand",
      id: "writer",
      atHeight: h + 3,
    });
    await expectOk(chain, w.brandWriter, "trace", "capture", capture({ readPoint: { id: G.factory } })); // h + 2
    await expectDenied(
      chain,
      w.brandWriter,
      "trace",
      "capture",
      capture({ readPoint: { id: G.factory } }),
      "IDENTITY_REVOKED",
    );
    expect(await auditChain(chain.store, chain.genesis, chain.registry)).toMatchObject({ ok: true });
  });

  it("denies a member whose certificate expired (block time past notAfter) or is not yet valid", async () => {
    const expiring = w.stranger;
    const early = (await makeWorld()).stranger;
    const chain = await chainFor({
      brandMembers: [
        {
          id: "expiring",
          key: expiring,
          roles: ["operator"],
          certificate: await memberCertificate(w.cas.brand, expiring, {
            notBefore: GENESIS_TIME - 60_000,
            notAfter: GENESIS_TIME + 1_500,
          }),
        },
        {
          id: "early",
          key: early,
          roles: ["operator"],
          certificate: await memberCertificate(w.cas.brand, early, {
            notBefore: GENESIS_TIME + 3_600_000,
            notAfter: GENESIS_TIME + 7_200_000,
          }),
        },
      ],
    });
    await expectOk(chain, expiring, "token", "createAsset", asset("E1")); // block time GENESIS_TIME
    await expectDenied(chain, early, "token", "createAsset", asset("E2"), "IDENTITY_CERT_NOT_YET_VALID");
    await chain.produceBlock(GENESIS_TIME + 3_600_000);
    await expectDenied(chain, expiring, "token", "createAsset", asset("E3"), "IDENTITY_CERT_EXPIRED");
    await expectOk(chain, early, "token", "createAsset", asset("E4"));
  });

  it("accepts both keys during a rotation overlap and denies the old one after it", async () => {
    const chain = await chainFor();
    const next = (await makeWorld()).brandWriter;
    await expectOk(chain, w.brandWriter, "identity", "rotateKey", { publicKey: pk(next), overlapMs: 10_000 });
    const at = capture({ readPoint: { id: G.factory } });
    await expectOk(chain, w.brandWriter, "trace", "capture", at);
    await expectOk(chain, next, "trace", "capture", capture({ readPoint: { id: G.factory } }));
    expect(chain.state(`identity/member-id/brand/writer`)).toBe(addressOf(next));
    // Two blocks: the head (what admission judges by) is then past the overlap too.
    await chain.produceBlock(chain.nextTime() + 10_000);
    await chain.produceBlock();
    await expectDenied(
      chain,
      w.brandWriter,
      "trace",
      "capture",
      capture({ readPoint: { id: G.factory } }),
      "IDENTITY_KEY_EXPIRED",
    );
    await expectOk(chain, next, "trace", "capture", capture({ readPoint: { id: G.factory } }));
  });

  it("denies every member of a removed organisation", async () => {
    const chain = await chainFor();
    const remove = call("identity", "removeOrg", { name: "retail" });
    await expectOk(chain, w.stranger, "testgov", "exec", {
      calls: [remove],
      approvers: allAdmins(w).map(addressOf),
    });
    expect(chain.state("identity/org/retail")).toMatchObject({ status: "removed" });
    await expectDenied(
      chain,
      w.retailWriter,
      "trace",
      "capture",
      capture({ readPoint: { id: G.dc } }),
      "IDENTITY_ORG_REMOVED",
    );
    await expectDenied(
      chain,
      w.retailAdmin,
      "identity",
      "setRoles",
      { org: "retail", id: "writer", roles: [] },
      "IDENTITY_ORG_REMOVED",
    );
  });

  it("refuses a policy change or an orgVotes action sent directly: POLICY_APPROVALS_REQUIRED", async () => {
    const chain = await chainFor();
    await expectDenied(
      chain,
      w.brandAdmin,
      "identity",
      "setPolicy",
      { action: "token.*", policy: { public: true } },
      "POLICY_APPROVALS_REQUIRED",
    );
    await expectDenied(
      chain,
      w.brandAdmin,
      "identity",
      "defineRole",
      { name: "qa", description: "" },
      "POLICY_APPROVALS_REQUIRED",
    );
    // Two of three orgs' admins are not "more than 2/3"; all three are.
    const setPolicy = call("identity", "setPolicy", { action: "token.*", policy: { public: true } });
    const [two] = await chain.run(
      chain.tx(w.stranger, "testgov", "exec", {
        calls: [setPolicy],
        approvers: [w.brandAdmin, w.retailAdmin].map(addressOf),
      }),
    );
    expect(two?.error?.code).toBe("POLICY_APPROVALS_REQUIRED");
    await expectOk(chain, w.stranger, "testgov", "exec", {
      calls: [setPolicy],
      approvers: allAdmins(w).map(addressOf),
    });
    expect(chain.state("identity/policy/token.*")).toEqual({ public: true });
  });

  it("approvals: 2 of {brand admin, auditor} via nested calls", async () => {
    const chain = await chainFor({
      policies: {
        "identity.setRoles": {
          approvals: { threshold: 2, from: [{ role: "admin", scope: "resource" }, { role: "auditor" }] },
        },
      },
    });
    const promote = call("identity", "setRoles", {
      org: "brand",
      id: "writer",
      roles: ["writer", "operator"],
    });
    const exec = (approvers: KeyPair[]) =>
      chain.tx(w.stranger, "testgov", "exec", { calls: [promote], approvers: approvers.map(addressOf) });
    await expectDenied(
      chain,
      w.brandAdmin,
      "identity",
      "setRoles",
      promote.args,
      "POLICY_APPROVALS_REQUIRED",
    );
    for (const approvers of [
      [w.brandAdmin],
      [w.brandAdmin, w.brandAdmin],
      [w.retailAdmin, w.auditor],
      [w.auditor, w.auditAdmin],
    ]) {
      const [r] = await chain.run(exec(approvers));
      expect(r?.error?.code).toBe("POLICY_APPROVALS_REQUIRED");
    }
    const [ok] = await chain.run(exec([w.brandAdmin, w.auditor]));
    expect(ok?.status).toBe("ok");
    expect(chain.state(`identity/member/${addressOf(w.brandWriter)}`)).toMatchObject({
      roles: ["writer", "operator"],
    });
  });

  it("open chains (no appState.identity) allow everything", async () => {
    const { createIdChain } = await import("../support/identity.js");
    const chain = await createIdChain({});
    open.push(chain);
    await expectOk(chain, w.stranger, "token", "createAsset", asset("OPEN"));
    const [r] = await chain.run(
      chain.tx(w.stranger, "identity", "defineRole", { name: "qa", description: "" }),
    );
    expect(r?.error?.code).toBe("IDENTITY_BAD_ARGS");
  });
});
