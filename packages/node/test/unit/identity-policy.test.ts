import type { CanonicalValue } from "@weft/core";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { ResourceFacts } from "../../src/app/module.js";
import { glnOf, orgOwnsLocation } from "../../src/modules/identity/locations.js";
import { evaluatePolicy, type PolicyInput } from "../../src/modules/identity/policy.js";
import type { Member, Org, Policy } from "../../src/modules/identity/schema.js";
import type { ActiveIdentity } from "../../src/modules/identity/state.js";

const org = (name: string, companyPrefixes: string[] = [], status: Org["status"] = "active"): Org => ({
  name,
  caCerts: ["-"],
  nodes: [],
  gs1: { companyPrefixes, glns: [] },
  status,
  since: 0,
  revokedCerts: [],
});
const ORGS = { brand: org("brand", ["4012345"]), retail: org("retail", ["0614141"]), audit: org("audit") };

let n = 0;
function who(o: Org, roles: string[], kind: Member["kind"] = "member", id = `m${++n}`): ActiveIdentity {
  const address = (++n).toString(16).padStart(40, "0");
  const member: Member = {
    address,
    id,
    org: o.name,
    kind,
    roles,
    publicKey: { alg: "ed25519", publicKey: "00" },
    status: "active",
    since: 0,
  };
  return { member, org: o };
}

const brandAdmin = who(ORGS.brand, ["admin"]);
const brandWriter = who(ORGS.brand, ["writer"]);
const retailAdmin = who(ORGS.retail, ["admin"]);
const retailWriter = who(ORGS.retail, ["writer"]);
const auditAdmin = who(ORGS.audit, ["admin"]);
const auditor = who(ORGS.audit, ["auditor"]);
const thermo = who(ORGS.brand, ["device"], "device", "urn:epc:id:giai:4012345.THERMO-1");
const EVERYONE = [brandAdmin, brandWriter, retailAdmin, retailWriter, auditAdmin, auditor, thermo];

function getter(orgs: Org[]) {
  const state = new Map<string, CanonicalValue>();
  state.set("identity/orgs", orgs.map((o) => o.name).sort());
  for (const o of orgs) state.set(`identity/org/${o.name}`, o as unknown as CanonicalValue);
  return (key: string) => state.get(key);
}
const GET = getter(Object.values(ORGS));

const input = (approvers: ActiveIdentity[], facts: ResourceFacts = {}, get = GET): PolicyInput => ({
  action: "test.act",
  approvers,
  facts,
  get,
});
const ok = (p: Policy, approvers: ActiveIdentity[], facts: ResourceFacts = {}) =>
  evaluatePolicy(p, input(approvers, facts)).ok;
const kind = (p: Policy, approvers: ActiveIdentity[], facts: ResourceFacts = {}) => {
  const o = evaluatePolicy(p, input(approvers, facts));
  return o.ok ? "ok" : o.kind;
};

describe("policy rules", () => {
  it("public and member", () => {
    expect(ok({ public: true }, [])).toBe(true);
    expect(ok({ member: true }, [brandWriter])).toBe(true);
    expect(kind({ member: true }, [])).toBe("denied");
  });

  it("role, any scope", () => {
    expect(ok({ role: "writer" }, [brandWriter])).toBe(true);
    expect(kind({ role: "writer" }, [brandAdmin])).toBe("denied");
    expect(ok({ role: "writer" }, [brandAdmin, retailWriter])).toBe(true);
  });

  it("role, resource scope: the approver's org is every fact org and owns every location", () => {
    const p: Policy = { role: "writer", scope: "resource" };
    expect(ok(p, [brandWriter], { locations: ["urn:epc:id:sgln:4012345.00001.0"] })).toBe(true);
    expect(ok(p, [brandWriter], { locations: ["https://id.gs1.org/414/4012345000016/254/dock"] })).toBe(true);
    expect(ok(p, [brandWriter], { locations: ["urn:epc:id:sgln:0614141.00002.0"] })).toBe(false);
    expect(
      ok(p, [brandWriter], {
        locations: ["urn:epc:id:sgln:4012345.00001.0", "urn:epc:id:sgln:0614141.00002.0"],
      }),
    ).toBe(false);
    expect(ok(p, [brandWriter], { locations: ["urn:example:somewhere"] })).toBe(false);
    expect(ok(p, [brandWriter], { orgs: ["brand"] })).toBe(true);
    expect(ok(p, [brandWriter], { orgs: ["retail"] })).toBe(false);
    expect(ok(p, [brandWriter, retailWriter], { orgs: ["retail"] })).toBe(true);
  });

  it("role, self scope: a device speaks only for itself, at its org's locations", () => {
    const p: Policy = { role: "device", scope: "self" };
    expect(ok(p, [thermo], { devices: ["urn:epc:id:giai:4012345.THERMO-1"] })).toBe(true);
    // The Digital Link spelling of the same device id.
    expect(ok(p, [thermo], { devices: ["https://id.gs1.org/8004/4012345THERMO-1"] })).toBe(true);
    expect(ok(p, [thermo], { devices: ["urn:epc:id:giai:4012345.HYGRO-9"] })).toBe(false);
    expect(ok(p, [thermo], { locations: ["urn:epc:id:sgln:0614141.00002.0"] })).toBe(false);
    expect(ok({ role: "writer", scope: "self" }, [brandWriter], {})).toBe(false);
  });

  it("owner", () => {
    expect(ok({ owner: true }, [brandAdmin], { owners: [brandAdmin.member.address] })).toBe(true);
    expect(ok({ owner: true }, [brandWriter], { owners: [brandAdmin.member.address] })).toBe(false);
    expect(ok({ owner: true }, [brandWriter], {})).toBe(false);
  });

  it("approvals: k distinct approvers each satisfying one of `from`", () => {
    const p: Policy = {
      approvals: { threshold: 2, from: [{ role: "admin", scope: "resource" }, { role: "auditor" }] },
    };
    const facts = { orgs: ["brand"] };
    expect(ok(p, [brandAdmin, auditor], facts)).toBe(true);
    expect(kind(p, [brandAdmin], facts)).toBe("approvals");
    expect(kind(p, [brandAdmin, brandAdmin], facts)).toBe("approvals");
    expect(kind(p, [retailAdmin, auditor], facts)).toBe("approvals");
    expect(ok(p, [retailAdmin, auditor, brandAdmin], facts)).toBe(true);
  });

  it("orgVotes: admins of more than num/den of the active orgs", () => {
    const twoThirds: Policy = { orgVotes: { num: 2, den: 3 } };
    expect(kind(twoThirds, [brandAdmin])).toBe("approvals");
    expect(kind(twoThirds, [brandAdmin, retailAdmin])).toBe("approvals");
    expect(kind(twoThirds, [brandAdmin, retailAdmin, auditor])).toBe("approvals");
    expect(ok(twoThirds, [brandAdmin, retailAdmin, auditAdmin])).toBe(true);
    expect(ok({ orgVotes: { num: 1, den: 2 } }, [brandAdmin, retailAdmin])).toBe(true);
    // A removed org no longer counts in the denominator.
    const removed = getter([ORGS.brand, ORGS.retail, org("audit", [], "removed")]);
    expect(evaluatePolicy(twoThirds, input([brandAdmin, retailAdmin], {}, removed)).ok).toBe(true);
  });

  it("anyOf / allOf combine outcomes; more approvals is reported when votes could still satisfy it", () => {
    const denied: Policy = { role: "wizard" };
    const votes: Policy = { orgVotes: { num: 2, den: 3 } };
    expect(kind({ anyOf: [denied, votes] }, [brandAdmin])).toBe("approvals");
    expect(kind({ allOf: [denied, votes] }, [brandAdmin])).toBe("denied");
    expect(kind({ allOf: [{ member: true }, votes] }, [brandAdmin])).toBe("approvals");
    expect(kind({ anyOf: [denied, { member: true }] }, [brandAdmin])).toBe("ok");
  });
});

describe("GS1 location ownership", () => {
  it("by company prefix (EPC URN or Digital Link on any host) or by GLN list", () => {
    expect(glnOf("urn:epc:id:sgln:4012345.00001.0")).toBe("4012345000016");
    expect(glnOf("https://example.com/414/4012345000016")).toBe("4012345000016");
    expect(glnOf("urn:epc:id:sgtin:4012345.054321.J1")).toBeNull();
    expect(glnOf("not an identifier")).toBeNull();
    const listed = { ...org("x"), gs1: { companyPrefixes: [], glns: ["0614141000029"] } };
    expect(orgOwnsLocation(listed, "urn:epc:id:sgln:0614141.00002.0")).toBe(true);
    expect(orgOwnsLocation(listed, "urn:epc:id:sgln:0614141.00003.0")).toBe(false);
    expect(orgOwnsLocation(ORGS.retail, "urn:epc:id:sgln:0614141.00003.0")).toBe(true);
  });
});

// --- property-style tests ---
const leaf: fc.Arbitrary<Policy> = fc.oneof(
  fc.constant<Policy>({ public: true }),
  fc.constant<Policy>({ member: true }),
  fc.constant<Policy>({ owner: true }),
  fc.record({
    role: fc.constantFrom("admin", "writer", "auditor", "device", "wizard"),
    scope: fc.constantFrom<"any" | "resource" | "self">("any", "resource", "self"),
  }),
  fc.record({
    orgVotes: fc.record({ num: fc.integer({ min: 0, max: 3 }), den: fc.integer({ min: 1, max: 4 }) }),
  }),
);
const { policy } = fc.letrec<{ policy: Policy }>((tie) => ({
  policy: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    leaf,
    fc.record({ anyOf: fc.array(tie("policy"), { minLength: 1, maxLength: 3 }) }),
    fc.record({ allOf: fc.array(tie("policy"), { minLength: 1, maxLength: 3 }) }),
    fc.record({
      approvals: fc.record({
        threshold: fc.integer({ min: 1, max: 3 }),
        from: fc.array(tie("policy"), { minLength: 1, maxLength: 3 }),
      }),
    }),
  ),
}));
const approvers = fc.subarray(EVERYONE);
const facts: fc.Arbitrary<ResourceFacts> = fc.record(
  {
    orgs: fc.subarray(["brand", "retail"]),
    owners: fc.subarray([brandAdmin.member.address, retailWriter.member.address]),
    locations: fc.subarray(["urn:epc:id:sgln:4012345.00001.0", "urn:epc:id:sgln:0614141.00002.0"]),
    devices: fc.subarray(["urn:epc:id:giai:4012345.THERMO-1"]),
  },
  { requiredKeys: [] },
);

describe("policy evaluation properties", () => {
  it("anyOf holds iff some branch holds; allOf iff every branch holds", () => {
    fc.assert(
      fc.property(fc.array(policy, { minLength: 1, maxLength: 4 }), approvers, facts, (ps, a, f) => {
        const each = ps.map((p) => ok(p, a, f));
        expect(ok({ anyOf: ps }, a, f)).toBe(each.some(Boolean));
        expect(ok({ allOf: ps }, a, f)).toBe(each.every(Boolean));
      }),
      { numRuns: 300 },
    );
  });

  it("a one-branch anyOf/allOf is the branch; branch order does not matter", () => {
    fc.assert(
      fc.property(fc.array(policy, { minLength: 1, maxLength: 4 }), approvers, facts, (ps, a, f) => {
        const [first] = ps as [Policy];
        expect(kind({ anyOf: [first] }, a, f)).toBe(kind(first, a, f));
        expect(kind({ allOf: [first] }, a, f)).toBe(kind(first, a, f));
        const reversed = [...ps].reverse();
        expect(kind({ anyOf: reversed }, a, f)).toBe(kind({ anyOf: ps }, a, f));
        expect(ok({ allOf: reversed }, a, f)).toBe(ok({ allOf: ps }, a, f));
      }),
      { numRuns: 300 },
    );
  });

  it("more approvers never turn an allowed call into a denied one, and evaluation is deterministic", () => {
    fc.assert(
      fc.property(policy, approvers, approvers, facts, (p, a, extra, f) => {
        const first = evaluatePolicy(p, input(a, f));
        expect(evaluatePolicy(p, input(a, f))).toEqual(first);
        if (first.ok) expect(ok(p, [...a, ...extra], f)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it("approvals{k, from} holds iff at least k approvers each satisfy one of `from` alone", () => {
    fc.assert(
      fc.property(
        fc.array(policy, { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 4 }),
        approvers,
        facts,
        (from, k, a, f) => {
          const qualified = a.filter((x) => from.some((p) => ok(p, [x], f))).length;
          expect(ok({ approvals: { threshold: k, from } }, a, f)).toBe(qualified >= k);
        },
      ),
      { numRuns: 300 },
    );
  });
});
