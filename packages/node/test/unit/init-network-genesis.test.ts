import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addressOf, type KeyPair, parseGenesis } from "@weft/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildGenesisState } from "../../src/app/genesis-state.js";
import { ModuleRegistry } from "../../src/app/registry.js";
import { initHome, readGenesis, readKeyFile } from "../../src/config/home.js";
import { type InitNetworkReport, initNetwork } from "../../src/config/network-home.js";
import { defaultPolicies } from "../../src/modules/identity/defaults.js";
import { defaultModules } from "../../src/modules/index.js";

interface OrgGenesis {
  name: string;
  caCerts: string[];
  nodes: { id: string; host: string; port: number }[];
  gs1: { companyPrefixes: string[]; glns: string[] };
  members: { id: string; kind: string; roles: string[]; publicKey: { alg: string; publicKey: string } }[];
}

describe("initNetwork: a permissioned genesis", () => {
  let root: string;
  let report: InitNetworkReport;
  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "weft-init-net-"));
    report = await initNetwork(root, {
      chainId: "weft-perm",
      orgs: ["acme", "bolt", "cog"],
      host: "127.0.0.1",
      basePeerPort: 7001,
      baseApiPort: 8001,
      accounts: ["alice", "bob"],
      asset: { id: "WEFT", name: "WEFT", decimals: 2, supplyPerAccount: "1000" },
      gs1: { bolt: { companyPrefixes: ["4012345"], glns: ["0614141000012"] } },
    });
  });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const pub = (k: KeyPair) => ({ alg: k.alg, publicKey: k.publicKey });

  it("writes a genesis that parses and builds state with identity and gov", () => {
    const genesis = parseGenesis(readGenesis(join(root, "genesis.json")));
    expect(genesis).toEqual(report.genesis);
    expect(Object.keys(genesis.appState).sort()).toEqual(["gov", "identity", "token"]);
    expect(genesis.appState.gov).toEqual({});
    const state = buildGenesisState(genesis, new ModuleRegistry(defaultModules));
    const keys = state.stateChanges.map(([k]) => k);
    expect(keys).toContain("identity/orgs");
    for (const o of report.orgs) {
      expect(keys).toContain(`identity/org/${o.name}`);
      expect(keys).toContain(`identity/member/${addressOf(o.admin)}`);
      expect(keys).toContain(`identity/member/${o.validator}`);
    }
  });

  it("registers each organisation with its CA, node, GS1 prefix, admin and node members", () => {
    const identity = report.genesis.appState.identity as unknown as {
      orgs: OrgGenesis[];
      policies: Record<string, unknown>;
    };
    expect(identity.policies).toEqual(defaultPolicies);
    expect(identity.orgs.map((o) => o.name)).toEqual(["acme", "bolt", "cog"]);
    expect(identity.orgs.map((o) => o.gs1)).toEqual([
      { companyPrefixes: ["9520001"], glns: [] },
      { companyPrefixes: ["4012345"], glns: ["0614141000012"] },
      { companyPrefixes: ["9520003"], glns: [] },
    ]);
    identity.orgs.forEach((org, i) => {
      const o = report.orgs[i]!;
      expect(org.caCerts).toEqual([report.network.orgs[i]?.caCert]);
      expect(org.nodes).toEqual([{ id: o.nodeId, host: "127.0.0.1", port: 7001 + i }]);
      const nodeKey = readKeyFile(join(o.home, "node-key.json"));
      const admin = readKeyFile(o.adminKeyFile);
      expect(o.adminKeyFile).toBe(join(root, o.name, "keys", "admin.json"));
      expect(addressOf(admin)).toBe(addressOf(o.admin));
      const expected = [
        { id: "admin", kind: "member", roles: ["admin"], publicKey: pub(admin) },
        { id: "node", kind: "member", roles: ["operator", "writer"], publicKey: pub(nodeKey) },
      ];
      if (i === 0) {
        for (const name of ["alice", "bob"]) {
          const key = readKeyFile(join(root, "keys", `${name}.json`));
          expected.push({ id: name, kind: "member", roles: ["operator", "writer"], publicKey: pub(key) });
        }
      }
      expect(org.members).toEqual(expected);
    });
  });
});

describe("initHome (single node)", () => {
  it("stays an open chain: no identity in genesis", () => {
    const home = mkdtempSync(join(tmpdir(), "weft-init-home-"));
    try {
      const { genesis } = initHome(join(home, "h"), { chainId: "weft-open", accounts: ["alice"] });
      expect(genesis.appState.identity).toBeUndefined();
      expect(Object.keys(genesis.appState)).toEqual(["token"]);
      expect(existsSync(join(home, "h", "keys", "admin.json"))).toBe(false);
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
