import type { CanonicalValue } from "@weft/core";
import { createOrgCa, type NetworkUpdate, type P2PStats } from "@weft/p2p";
import { beforeAll, describe, expect, it } from "vitest";
import type { Org } from "../../src/modules/identity/schema.js";
import { PeerRegistry, registryNetwork, touchesRegistry } from "../../src/net/peer-registry.js";

let ca1: string;
let ca1next: string;
let ca2: string;
let ca3: string;

beforeAll(async () => {
  const pems = await Promise.all(
    ["org1", "org1", "org2", "org3"].map(async (o) => (await createOrgCa(o)).certPem),
  );
  [ca1, ca1next, ca2, ca3] = pems as [string, string, string, string];
});

function org(name: string, caCerts: string[], extra: Partial<Org> = {}): Org {
  return {
    name,
    caCerts,
    nodes: [{ id: `${name}-node`, host: "127.0.0.1", port: 27000 + Number(name.slice(3)) }],
    gs1: { companyPrefixes: [], glns: [] },
    status: "active",
    since: 0,
    revokedCerts: [],
    ...extra,
  };
}

/** A state getter over full keys, as the node reads committed state. */
function stateOf(orgs: Org[]): (key: string) => CanonicalValue | undefined {
  const map = new Map<string, CanonicalValue>();
  map.set("identity/orgs", orgs.map((o) => o.name).sort());
  for (const o of orgs) map.set(`identity/org/${o.name}`, o as unknown as CanonicalValue);
  return (key) => map.get(key);
}

describe("registry → peer book", () => {
  it("is undefined on an open chain (no identity/orgs): network.json stays in force", () => {
    expect(registryNetwork(() => undefined, "c")).toBeUndefined();
  });

  it("lists active organisations with every CA and node, drops removed ones, keeps all revocations", () => {
    const get = stateOf([
      org("org1", [ca1, ca1next], { revokedCerts: [{ fingerprint: "bb".repeat(32), height: 4 }] }),
      org("org2", [ca2]),
      org("org3", [ca3], {
        status: "removed",
        removedAt: 9,
        revokedCerts: [{ fingerprint: "aa".repeat(32), height: 3 }],
      }),
    ]);
    expect(registryNetwork(get, "weft-test")).toEqual({
      type: "weft-network/v1",
      chainId: "weft-test",
      orgs: [
        {
          name: "org1",
          caCert: ca1,
          caCerts: [ca1, ca1next],
          nodes: [{ id: "org1-node", host: "127.0.0.1", port: 27001 }],
        },
        {
          name: "org2",
          caCert: ca2,
          caCerts: [ca2],
          nodes: [{ id: "org2-node", host: "127.0.0.1", port: 27002 }],
        },
      ],
      revoked: ["aa".repeat(32), "bb".repeat(32)],
    });
  });

  it("notices blocks that touch the registry only", () => {
    expect(touchesRegistry(["token/balance/x", "identity/member/abc"])).toBe(false);
    expect(touchesRegistry(["identity/org/org2"])).toBe(true);
    expect(touchesRegistry(["identity/orgs"])).toBe(true);
  });
});

describe("PeerRegistry", () => {
  function fakeHost(fingerprint = "cc".repeat(32)) {
    const applied: NetworkUpdate[] = [];
    const host = {
      updateNetwork: (n: NetworkUpdate) => {
        applied.push(n);
      },
      stats: () => ({ identity: { fingerprint } }) as unknown as P2PStats,
    };
    return { host, applied };
  }
  function logs() {
    const lines: { level: string; obj: Record<string, unknown>; msg: string }[] = [];
    const at = (level: string) => (obj: Record<string, unknown>, msg: string) =>
      lines.push({ level, obj, msg });
    return { log: { info: at("info"), warn: at("warn"), error: at("error") }, lines };
  }

  it("applies the registry at start and after blocks that changed it, only when it differs", () => {
    let orgs = [org("org1", [ca1]), org("org2", [ca2])];
    const get = (key: string) => stateOf(orgs)(key);
    const { host, applied } = fakeHost();
    const { log } = logs();
    const registry = new PeerRegistry({ host, get, chainId: "c", self: "org1-node", log });
    expect(registry.refresh(0)).toBe(true);
    expect(applied).toHaveLength(1);
    registry.committed(1, ["token/x"]);
    registry.committed(2, ["identity/org/org2"]); // touched, same content
    expect(applied).toHaveLength(1);
    orgs = [org("org1", [ca1]), org("org2", [ca2], { status: "removed" })];
    registry.committed(3, ["identity/org/org2"]);
    expect(applied).toHaveLength(2);
    expect(applied[1]!.orgs.map((o) => o.name)).toEqual(["org1"]);
  });

  it("says clearly when this node's organisation was removed, or its certificate revoked", () => {
    const { host } = fakeHost("dd".repeat(32));
    const removed = logs();
    new PeerRegistry({
      host,
      get: stateOf([org("org1", [ca1], { status: "removed" }), org("org2", [ca2])]),
      chainId: "c",
      self: "org1-node",
      log: removed.log,
    }).refresh(7);
    expect(removed.lines).toContainEqual(
      expect.objectContaining({
        level: "error",
        msg: expect.stringContaining("not in the on-chain registry"),
      }),
    );
    const revoked = logs();
    new PeerRegistry({
      host,
      get: stateOf([org("org1", [ca1], { revokedCerts: [{ fingerprint: "DD".repeat(32), height: 2 }] })]),
      chainId: "c",
      self: "org1-node",
      log: revoked.log,
    }).refresh(8);
    expect(revoked.lines).toContainEqual(
      expect.objectContaining({ level: "error", msg: expect.stringContaining("revoked on chain") }),
    );
  });

  it("keeps network.json while a joining node replays blocks from before its admission", () => {
    let orgs = [org("org1", [ca1]), org("org2", [ca2])];
    const { host, applied } = fakeHost();
    const { log, lines } = logs();
    const registry = new PeerRegistry({
      host,
      get: (key) => stateOf(orgs)(key),
      chainId: "c",
      self: "org3-node",
      log,
    });
    expect(registry.refresh(0)).toBe(true);
    registry.committed(5, ["identity/org/org2"]);
    expect(applied).toHaveLength(0);
    expect(lines).toContainEqual(
      expect.objectContaining({
        level: "info",
        msg: expect.stringContaining("not in the on-chain registry yet"),
      }),
    );
    orgs = [...orgs, org("org3", [ca3])];
    registry.committed(9, ["identity/org/org3"]);
    expect(applied.map((n) => n.orgs.map((o) => o.name))).toEqual([["org1", "org2", "org3"]]);
  });

  it("keeps the previous peer book when the host refuses the new one", () => {
    const { log, lines } = logs();
    const host = {
      updateNetwork: () => {
        throw new Error("bad");
      },
      stats: () => ({}) as P2PStats,
    };
    new PeerRegistry({
      host,
      get: stateOf([org("org1", [ca1])]),
      chainId: "c",
      self: "org1-node",
      log,
    }).refresh();
    expect(lines).toContainEqual(
      expect.objectContaining({ level: "error", msg: expect.stringContaining("previous one stays") }),
    );
  });
});
