import { addressOf, defaultChainParams, type Genesis, generateKeyPair } from "@weft/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildGenesisState } from "../../src/app/genesis-state.js";
import { ModuleRegistry } from "../../src/app/registry.js";
import { defaultPolicies } from "../../src/modules/identity/defaults.js";
import { defaultModules } from "../../src/modules/index.js";
import {
  createCa,
  createIdChain,
  GENESIS_TIME,
  type IdChain,
  identityAppState,
  memberCertificate,
  type OrgSpec,
  pk,
} from "../support/identity.js";

const registry = new ModuleRegistry(defaultModules);
const genesisWith = (identity: unknown): Genesis => ({
  chainId: "weft-identity",
  genesisTime: GENESIS_TIME,
  validators: [],
  params: { ...defaultChainParams },
  appState: { identity: identity as Genesis["appState"][string] },
});
const build = (identity: unknown) => buildGenesisState(genesisWith(identity), registry);

let acme: OrgSpec;
beforeAll(async () => {
  acme = { name: "acme", ca: await createCa("acme"), companyPrefixes: ["4012345"], members: [] };
});

describe("identity genesis", () => {
  it("writes builtin roles, the default policies (overridable), orgs and members", async () => {
    const admin = generateKeyPair();
    const chain = await createIdChain({
      identity: identityAppState([{ ...acme, members: [{ id: "admin", key: admin, roles: ["admin"] }] }], {
        policies: { "token.mint": { role: "admin" } },
        roles: [{ name: "qa", description: "Quality" }],
      }),
    });
    try {
      expect(chain.state("identity/orgs")).toEqual(["acme"]);
      expect(chain.state("identity/role/auditor")).toMatchObject({ builtin: true });
      expect(chain.state("identity/role/qa")).toMatchObject({ builtin: false });
      expect(chain.state("identity/policy/token.mint")).toEqual({ role: "admin" });
      expect(chain.state("identity/policy/trace.capture")).toEqual(defaultPolicies["trace.capture"]);
      expect(chain.state(`identity/member-id/acme/admin`)).toBe(addressOf(admin));
      expect(chain.state(`identity/member/${addressOf(admin)}`)).toMatchObject({
        since: 0,
        status: "active",
      });
    } finally {
      await chain.close();
    }
  });

  it.each([
    [
      "an unknown role",
      (k: ReturnType<typeof generateKeyPair>) => ({ members: [{ id: "a", key: k, roles: ["wizard"] }] }),
    ],
    [
      "one key twice",
      (k: ReturnType<typeof generateKeyPair>) => ({
        members: [
          { id: "a", key: k, roles: [] },
          { id: "b", key: k, roles: [] },
        ],
      }),
    ],
    [
      "one id twice",
      (k: ReturnType<typeof generateKeyPair>) => ({
        members: [
          { id: "a", key: k, roles: [] },
          { id: "a", key: generateKeyPair(), roles: [] },
        ],
      }),
    ],
  ])("refuses %s", (_name, make) => {
    expect(() => build(identityAppState([{ ...acme, ...make(generateKeyPair()) }]))).toThrow(
      expect.objectContaining({ code: "APP_INVALID_GENESIS" }),
    );
  });

  it("refuses a policy naming an unknown role, a non-CA certificate as CA, a member certificate of another CA, overlapping GS1 prefixes", async () => {
    const invalid = expect.objectContaining({ code: "APP_INVALID_GENESIS" });
    expect(() => build(identityAppState([acme], { policies: { "*": { role: "wizard" } } }))).toThrow(invalid);
    const key = generateKeyPair();
    const validity = { notBefore: GENESIS_TIME - 1, notAfter: GENESIS_TIME + 1e9 };
    const other = await createCa("other");
    const foreign = await memberCertificate(other, key, validity);
    expect(() =>
      build(identityAppState([{ ...acme, members: [{ id: "m", key, roles: [], certificate: foreign }] }])),
    ).toThrow(invalid);
    const bogusCa = { ...acme, ca: { ...acme.ca, certPem: foreign } };
    expect(() => build(identityAppState([bogusCa]))).toThrow(invalid);
    const twin = { ...acme, name: "twin", companyPrefixes: ["401234"] };
    expect(() => build(identityAppState([acme, twin]))).toThrow(invalid);
    // The schema: no orgs at all, an unknown field.
    expect(() => build({ orgs: [] })).toThrow(expect.objectContaining({ code: "APP_INVALID_ARGS" }));
  });
});

describe("CA rotation", () => {
  let chain: IdChain;
  const admin = generateKeyPair();
  afterAll(async () => {
    await chain.close();
  });

  it("accepts member certificates of either CA while an org lists two", async () => {
    chain = await createIdChain({
      identity: identityAppState([{ ...acme, members: [{ id: "admin", key: admin, roles: ["admin"] }] }]),
    });
    const next = await createCa("acme");
    const validity = { notBefore: GENESIS_TIME - 1, notAfter: GENESIS_TIME + 1e9 };
    // updateOrg needs orgVotes: with one org, its admin's own transaction is "more than 2/3".
    const [rotated] = await chain.run(
      chain.tx(admin, "identity", "updateOrg", { name: "acme", caCerts: [acme.ca.certPem, next.certPem] }),
    );
    expect(rotated?.status).toBe("ok");
    for (const [id, ca] of [
      ["old", acme.ca],
      ["new", next],
    ] as const) {
      const key = generateKeyPair();
      const certificate = await memberCertificate(ca, key, validity);
      const args = { org: "acme", id, kind: "member", roles: ["writer"], publicKey: pk(key), certificate };
      const [r] = await chain.run(chain.tx(admin, "identity", "addMember", args));
      expect(r?.status).toBe("ok");
    }
    await chain.run(chain.tx(admin, "identity", "updateOrg", { name: "acme", caCerts: [next.certPem] }));
    const key = generateKeyPair();
    const certificate = await memberCertificate(acme.ca, key, validity);
    const args = { org: "acme", id: "late", kind: "member", roles: [], publicKey: pk(key), certificate };
    const [late] = await chain.run(chain.tx(admin, "identity", "addMember", args));
    expect(late?.error?.code).toBe("IDENTITY_BAD_CERTIFICATE");
  });
});
