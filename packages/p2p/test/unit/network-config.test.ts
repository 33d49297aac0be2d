import { beforeAll, describe, expect, it } from "vitest";
import {
  allCaCerts,
  allNodes,
  createOrgCa,
  findNode,
  issueNodeCertificate,
  orgCaCerts,
  P2PError,
  parseNetworkConfig,
} from "../../src/index.js";

let ca1: string;
let ca2: string;
let ca1next: string;
let leaf: string;

beforeAll(async () => {
  const org1 = await createOrgCa("org1");
  ca1 = org1.certPem;
  ca2 = (await createOrgCa("org2")).certPem;
  ca1next = (await createOrgCa("org1")).certPem;
  leaf = (await issueNodeCertificate(org1, { nodeId: "x", org: "org1", hosts: [] })).certPem;
});

function valid() {
  return {
    type: "weft-network/v1",
    chainId: "weft-test",
    orgs: [
      {
        name: "org1",
        caCert: ca1,
        nodes: [
          { id: "org1-a", host: "10.0.0.1", port: 26656, validator: "v1" },
          { id: "org1-b", host: "10.0.0.2", port: 26656 },
        ],
      },
      {
        name: "org2",
        caCert: ca2,
        nodes: [{ id: "org2-a", host: "org2.example", port: 7000, validator: "v2" }],
      },
    ],
  };
}

/** Applies `edit` to a fresh valid config and returns the refusal's path. */
function refusal(edit: (c: ReturnType<typeof valid> & Record<string, unknown>) => void): string {
  const config = valid();
  edit(config);
  try {
    parseNetworkConfig(config);
  } catch (e) {
    if (e instanceof P2PError && e.code === "P2P_BAD_NETWORK_CONFIG") {
      expect(e.message).toContain(String(e.type.path));
      return String(e.type.path);
    }
    throw e;
  }
  throw new Error("config was accepted");
}

describe("parseNetworkConfig", () => {
  it("accepts a valid config and returns an equal value", () => {
    expect(parseNetworkConfig(valid())).toEqual(valid());
  });

  it("finds nodes by id and lists them all", () => {
    const config = parseNetworkConfig(valid());
    expect(findNode(config, "org2-a")).toMatchObject({ org: { name: "org2" }, node: { port: 7000 } });
    expect(findNode(config, "nobody")).toBeUndefined();
    expect(allNodes(config).map((n) => `${n.org.name}/${n.node.id}`)).toEqual([
      "org1/org1-a",
      "org1/org1-b",
      "org2/org2-a",
    ]);
  });

  it("refuses unknown fields, naming where they are", () => {
    expect(refusal((c) => Object.assign(c, { extra: 1 }))).toBe("extra");
    expect(refusal((c) => Object.assign(c.orgs[0]!, { admin: "x" }))).toBe("orgs[0].admin");
    expect(refusal((c) => Object.assign(c.orgs[1]!.nodes[0]!, { tls: true }))).toBe("orgs[1].nodes[0].tls");
  });

  it("refuses wrong shapes and missing values", () => {
    expect(refusal((c) => Object.assign(c, { type: "weft-network/v2" }))).toBe("type");
    expect(refusal((c) => Object.assign(c, { chainId: "" }))).toBe("chainId");
    expect(refusal((c) => Object.assign(c, { chainId: undefined }))).toBe("chainId");
    expect(refusal((c) => Object.assign(c, { orgs: [] }))).toBe("orgs");
    expect(refusal((c) => Object.assign(c.orgs, { 1: "org2" }))).toBe("orgs[1]");
    expect(refusal((c) => Object.assign(c.orgs[0]!, { nodes: [] }))).toBe("orgs[0].nodes");
    expect(refusal((c) => Object.assign(c.orgs[0]!, { name: " org1" }))).toBe("orgs[0].name");
    expect(refusal((c) => Object.assign(c.orgs[0]!.nodes[1]!, { host: "" }))).toBe("orgs[0].nodes[1].host");
    expect(refusal((c) => Object.assign(c.orgs[0]!.nodes[1]!, { validator: 5 }))).toBe(
      "orgs[0].nodes[1].validator",
    );
    expect(() => parseNetworkConfig(null)).toThrow(P2PError);
    expect(() => parseNetworkConfig([])).toThrow(P2PError);
  });

  it("refuses node ids outside the plain ASCII set and hosts that are not a name or an IP", () => {
    for (const id of ["node 1", "-a", "nöde", "a".repeat(65), "a/b"]) {
      expect(refusal((c) => Object.assign(c.orgs[0]!.nodes[0]!, { id }))).toBe("orgs[0].nodes[0].id");
    }
    for (const host of ["10.0.0.1:26656", "https://org2.example", "a..b", "-x.example"]) {
      expect(refusal((c) => Object.assign(c.orgs[0]!.nodes[0]!, { host }))).toBe("orgs[0].nodes[0].host");
    }
    const config = valid();
    Object.assign(config.orgs[0]!.nodes[0]!, { id: "org1.node_1-A", host: "::1" });
    Object.assign(config.orgs[0]!.nodes[1]!, { host: "weft_node2" });
    expect(parseNetworkConfig(config).orgs[0]!.nodes[0]!.host).toBe("::1");
  });

  it("refuses bad ports", () => {
    for (const port of [0, -1, 65_536, 1.5, "26656", Number.NaN]) {
      expect(refusal((c) => Object.assign(c.orgs[1]!.nodes[0]!, { port }))).toBe("orgs[1].nodes[0].port");
    }
  });

  it("refuses a CA certificate that does not parse or is not a CA", () => {
    expect(refusal((c) => Object.assign(c.orgs[1]!, { caCert: "-----BEGIN CERTIFICATE-----\nAAAA" }))).toBe(
      "orgs[1].caCert",
    );
    expect(refusal((c) => Object.assign(c.orgs[1]!, { caCert: leaf }))).toBe("orgs[1].caCert");
  });

  it("refuses duplicates: organisation names, CA certificates, node ids, host:port, validators", () => {
    expect(refusal((c) => Object.assign(c.orgs[1]!, { name: "org1" }))).toBe("orgs[1].name");
    expect(refusal((c) => Object.assign(c.orgs[1]!, { caCert: ca1 }))).toBe("orgs[1].caCert");
    expect(refusal((c) => Object.assign(c.orgs[1]!.nodes[0]!, { id: "org1-a" }))).toBe("orgs[1].nodes[0].id");
    expect(refusal((c) => Object.assign(c.orgs[0]!.nodes[1]!, { host: "10.0.0.1" }))).toBe(
      "orgs[0].nodes[1].port",
    );
    expect(refusal((c) => Object.assign(c.orgs[0]!.nodes[1]!, { host: "ORG2.Example", port: 7000 }))).toBe(
      "orgs[1].nodes[0].port",
    );
    expect(refusal((c) => Object.assign(c.orgs[1]!.nodes[0]!, { validator: "v1" }))).toBe(
      "orgs[1].nodes[0].validator",
    );
  });

  it("accepts further CA certificates per organisation (CA rotation) and lists them as trust roots", () => {
    const config = valid();
    Object.assign(config.orgs[0]!, { caCerts: [ca1, ca1next] });
    const parsed = parseNetworkConfig(config);
    expect(orgCaCerts(parsed.orgs[0]!)).toEqual([ca1, ca1next]); // caCert repeated there counts once
    expect(allCaCerts(parsed)).toEqual([ca1, ca1next, ca2]);
    expect(orgCaCerts(parsed.orgs[1]!)).toEqual([ca2]);
    expect(refusal((c) => Object.assign(c.orgs[0]!, { caCerts: [leaf] }))).toBe("orgs[0].caCerts[0]");
    expect(refusal((c) => Object.assign(c.orgs[0]!, { caCerts: ca1next }))).toBe("orgs[0].caCerts");
    expect(refusal((c) => Object.assign(c.orgs[1]!, { caCerts: [ca1] }))).toBe("orgs[1].caCerts");
  });

  it("allowEmpty admits no organisations and organisations without nodes (registry-built books)", () => {
    expect(refusal((c) => Object.assign(c.orgs[0]!, { nodes: [] }))).toBe("orgs[0].nodes");
    const empty = { type: "weft-network/v1", chainId: "weft-test", orgs: [] };
    expect(parseNetworkConfig(empty, { allowEmpty: true }).orgs).toEqual([]);
    const config = valid();
    Object.assign(config.orgs[0]!, { nodes: [] });
    expect(allNodes(parseNetworkConfig(config, { allowEmpty: true }))).toHaveLength(1);
  });
});
