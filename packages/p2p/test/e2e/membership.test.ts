import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  certificateInfo,
  createOrgCa,
  createP2PHost,
  issueNodeCertificate,
  type NetworkConfig,
  type NetworkOrg,
  type P2PHost,
  type P2POptions,
  type TlsIdentity,
} from "../../src/index.js";
import {
  buildFixture,
  CHAIN_ID,
  captureLog,
  closed,
  type Fixture,
  freePort,
  GENESIS,
  helloFrame,
  type LogEntry,
  rawPeer,
  sleep,
  waitFor,
} from "./support.js";

/**
 * Membership changes at run time. a0 (org0) sorts first, so it dials everyone: once removed,
 * its redials must be refused. n1..n3 are long-lived hosts; z9 (org9) joins later and sorts
 * last, so the others dial it once they learn about it.
 */
const LAYOUT = { org0: ["a0"], org1: ["n1"], org2: ["n2"], org3: ["n3"], org9: ["z9"] };
const OPTIONS: Partial<P2POptions> = {
  host: "127.0.0.1",
  reconnectInitialMs: 20,
  reconnectMaxMs: 150,
  handshakeTimeoutMs: 500,
  banMs: 60_000,
};

interface Running {
  host: P2PHost;
  logs: LogEntry[];
  received: { from: string; message: unknown }[];
}

let fx: Fixture;
/** org3's CA once the CA rotation test retired the original one. */
let org3Ca: string | undefined;
const running: Record<string, Running> = {};

/** The fixture's network restricted to some organisations, with org edits applied. */
function networkOf(orgs: string[], edit: (org: NetworkOrg) => NetworkOrg = (o) => o): NetworkConfig {
  const current = (o: NetworkOrg): NetworkOrg => (o.name === "org3" && org3Ca ? { ...o, caCert: org3Ca } : o);
  return {
    ...fx.network,
    orgs: fx.network.orgs
      .filter((o) => orgs.includes(o.name))
      .map(current)
      .map(edit),
  };
}

async function start(id: string, network: NetworkConfig, identity: TlsIdentity = fx.ids[id]!) {
  const { log, entries } = captureLog();
  const host = createP2PHost({
    self: id,
    network,
    identity,
    chainId: CHAIN_ID,
    genesisHash: GENESIS,
    options: OPTIONS,
    log,
  });
  const r: Running = { host, logs: entries, received: [] };
  host.on("consensus", (from, message) => r.received.push({ from, message }));
  await host.start();
  running[id] = r;
  return r;
}

const h = (id: string): P2PHost => running[id]!.host;
const peersOf = (id: string): string => h(id).connectedPeers().join();
const rejected = (id: string, code: string): number => h(id).stats().rejected[code] ?? 0;

beforeAll(async () => {
  fx = await buildFixture(LAYOUT);
  const initial = networkOf(["org0", "org1", "org2", "org3"]);
  for (const id of ["a0", "n1", "n2", "n3"]) await start(id, initial);
  await waitFor("full mesh", () =>
    ["a0", "n1", "n2", "n3"].every((id) => h(id).connectedPeers().length === 3),
  );
});

afterAll(async () => {
  await Promise.all(Object.values(running).map((r) => r.host.stop()));
});

describe("membership changes (updateNetwork)", () => {
  it("adds a peer: the lower ids dial it and it connects", async () => {
    const withZ9 = networkOf(["org0", "org1", "org2", "org3", "org9"]);
    await start("z9", withZ9);
    await sleep(100);
    expect(h("z9").connectedPeers()).toEqual([]); // nobody knows z9 yet (and z9 only accepts)
    for (const id of ["a0", "n1", "n2", "n3"]) h(id).updateNetwork(withZ9);
    await waitFor("z9 connected to all", () => peersOf("z9") === "a0,n1,n2,n3");
    expect(
      h("n1")
        .stats()
        .peers.map((p) => p.id),
    ).toContain("z9");
    expect(running.n1!.logs).toContainEqual(
      expect.objectContaining({ msg: "peer book updated", added: ["z9"] }),
    );
  });

  it("removes a peer: it is disconnected and its redials are refused", async () => {
    const without = networkOf(["org1", "org2", "org3", "org9"]);
    for (const id of ["n1", "n2", "n3", "z9"]) h(id).updateNetwork(without);
    await waitFor("a0 dropped", () => h("a0").connectedPeers().length === 0);
    // org0's CA is no longer a trust root: a0's redials fail TLS.
    const tlsFailures = rejected("n1", "P2P_TLS_FAILED");
    await waitFor("a0's redials refused", () => rejected("n1", "P2P_TLS_FAILED") > tlsFailures);
    expect(running.n1!.logs).toContainEqual(expect.objectContaining({ code: "P2P_TLS_FAILED", peer: "a0" }));
    await sleep(200); // several backoff periods of a0
    expect(h("a0").connectedPeers()).toEqual([]);
    expect(peersOf("n1")).toBe("n2,n3,z9");
    expect(rejected("n1", "P2P_REMOVED")).toBe(1);
    expect(
      h("n1")
        .stats()
        .peers.map((p) => p.id),
    ).not.toContain("a0");
    // Traffic between the members flows on.
    expect(h("n2").send("n1", "consensus", "after removal")).toBe(true);
    await waitFor("delivery", () => running.n1!.received.some((r) => r.message === "after removal"));
  });

  it("a node left out of its own peer book closes everything and says so", async () => {
    h("a0").updateNetwork(networkOf(["org1", "org2", "org3", "org9"]));
    expect(h("a0").stats().listed).toBe(false);
    expect(running.a0!.logs).toContainEqual(
      expect.objectContaining({ level: 50, msg: expect.stringContaining("no longer in the network") }),
    );
    await h("a0").stop();
    delete running.a0;
  });

  it("refuses a revoked node certificate, open connection and redials alike", async () => {
    const fingerprint = certificateInfo(fx.ids.z9!.certPem).fingerprint256; // colon form is accepted too
    const revoking = { ...networkOf(["org1", "org2", "org3", "org9"]), revoked: [fingerprint] };
    h("n1").updateNetwork(revoking);
    await waitFor("n1 dropped z9", () => !h("n1").connectedPeers().includes("z9"));
    expect(rejected("n1", "P2P_REVOKED")).toBeGreaterThanOrEqual(1);
    expect(running.n1!.logs).toContainEqual(
      expect.objectContaining({ code: "P2P_REVOKED", detail: expect.stringContaining("revoked") }),
    );
    await sleep(200); // n1 keeps redialing z9 and refusing what it presents
    expect(h("n1").connectedPeers()).not.toContain("z9");
    expect(rejected("n1", "P2P_REVOKED")).toBeGreaterThan(1);
    // z9 gets a new certificate (same CA): accepted again once it uses it.
    const renewed = await issueNodeCertificate(fx.cas.org9!, {
      nodeId: "z9",
      org: "org9",
      hosts: ["127.0.0.1"],
    });
    h("z9").reloadIdentity(renewed);
    await waitFor("z9 back on n1", () => h("n1").connectedPeers().includes("z9"));
    fx.ids.z9 = renewed;
  });

  it("rotates a node certificate while traffic flows; the old one stays valid meanwhile", async () => {
    const old = fx.ids.n2!;
    const rotated = await issueNodeCertificate(fx.cas.org2!, {
      nodeId: "n2",
      org: "org2",
      hosts: ["127.0.0.1"],
    });
    const newFingerprint = certificateInfo(rotated.certPem).fingerprint;
    let sent = 0;
    const pump = setInterval(() => {
      if (h("n2").send("n3", "consensus", { seq: sent })) sent++;
    }, 5);
    try {
      h("n2").reloadIdentity(rotated); // without reconnect: open connections keep the old certificate
      expect(h("n2").stats().identity.fingerprint).toBe(newFingerprint);
      expect(
        h("n1")
          .stats()
          .peers.find((p) => p.id === "n2")?.certificate?.fingerprint,
      ).toBe(certificateInfo(old.certPem).fingerprint);
      h("n2").reloadIdentity(rotated, { reconnect: true });
      await waitFor("peers see the new certificate", () =>
        ["n1", "n3", "z9"].every(
          (id) =>
            h(id)
              .stats()
              .peers.find((p) => p.id === "n2")?.certificate?.fingerprint === newFingerprint,
        ),
      );
      const before = sent;
      await waitFor("traffic after the rotation", () =>
        running.n3!.received.some((r) => r.from === "n2" && (r.message as { seq: number }).seq > before + 5),
      );
    } finally {
      clearInterval(pump);
    }
    const seqs = running
      .n3!.received.filter((r) => r.from === "n2")
      .map((r) => (r.message as { seq: number }).seq);
    expect(seqs.length).toBeGreaterThan(5);
    // In order and none twice (frames queued on the closed connection may be lost, as on any reconnect).
    expect(seqs).toEqual([...new Set(seqs)].sort((a, b) => a - b));
    // Overlap: nothing revoked the old certificate, so a peer presenting it is still accepted.
    const socket = await rawPeer(fx.ports.n3!, old, allCas());
    socket.write(helloFrame("n2"));
    await waitFor("old certificate accepted", () =>
      running.n3!.logs.some(
        (e) => e.msg === "peer connected" && e.peer === "n2" && e.direction === "inbound",
      ),
    );
    socket.destroy();
    await waitFor(
      "n2 reconnects over its new certificate",
      () => h("n3").connectedPeers().includes("n2"),
      5_000,
    );
  });

  it("accepts node certificates of either CA during a CA rotation overlap, then only the new one", async () => {
    const newCa = await createOrgCa("org3");
    const fromNewCa = await issueNodeCertificate(newCa, { nodeId: "n3", org: "org3", hosts: ["127.0.0.1"] });
    const overlap = networkOf(["org1", "org2", "org3", "org9"], (o) =>
      o.name === "org3" ? { ...o, caCerts: [o.caCert, newCa.certPem] } : o,
    );
    for (const id of ["n1", "n2", "n3", "z9"]) h(id).updateNetwork(overlap);
    await sleep(50);
    expect(peersOf("n3")).toBe("n1,n2,z9"); // old-CA certificate still fine
    h("n3").reloadIdentity(fromNewCa, { reconnect: true });
    await waitFor("n3 reconnected with the new CA's certificate", () =>
      ["n1", "n2", "z9"].every(
        (id) =>
          h(id)
            .stats()
            .peers.find((p) => p.id === "n3")?.certificate?.fingerprint ===
          certificateInfo(fromNewCa.certPem).fingerprint,
      ),
    );
    org3Ca = newCa.certPem;
    const onlyNew = networkOf(["org1", "org2", "org3", "org9"]);
    for (const id of ["n1", "n2", "n3", "z9"]) h(id).updateNetwork(onlyNew);
    await sleep(50);
    expect(peersOf("n3")).toBe("n1,n2,z9");
    // A certificate of the retired CA is no longer trusted...
    const retired = await issueNodeCertificate(fx.cas.org3!, { nodeId: "n3", org: "org3", hosts: [] });
    const before = rejected("n1", "P2P_TLS_FAILED");
    const socket = await rawPeer(fx.ports.n1!, retired, allCas());
    await closed(socket);
    expect(rejected("n1", "P2P_TLS_FAILED")).toBe(before + 1);
    // ...and no longer usable as this node's own.
    expect(() => h("n3").reloadIdentity(retired)).toThrow(/not issued by org3's CA/);
  });

  it("refuses expired and not-yet-valid peer certificates with their own codes", async () => {
    const day = 86_400_000;
    const now = Date.now();
    const expired = await issueNodeCertificate(fx.cas.org2!, {
      nodeId: "n2",
      org: "org2",
      hosts: [],
      notBefore: new Date(now - 30 * day),
      notAfter: new Date(now - day),
    });
    const early = await issueNodeCertificate(fx.cas.org2!, {
      nodeId: "n2",
      org: "org2",
      hosts: [],
      notBefore: new Date(now + day),
      notAfter: new Date(now + 30 * day),
    });
    // Inbound (n2 dials n3): a hand-driven n2 presents each.
    for (const [identity, code] of [
      [expired, "P2P_CERT_EXPIRED"],
      [early, "P2P_CERT_NOT_YET_VALID"],
    ] as const) {
      const socket = await rawPeer(fx.ports.n3!, identity, allCas());
      socket.write(helloFrame("n2"));
      await closed(socket);
      expect(rejected("n3", code)).toBe(1);
    }
    // Outbound: n1 dials z8, which presents an expired certificate.
    const port = await freePort();
    const org8 = await createOrgCa("org8");
    const stale = await issueNodeCertificate(org8, {
      nodeId: "z8",
      org: "org8",
      hosts: [],
      notBefore: new Date(now - 30 * day),
      notAfter: new Date(now - day),
    });
    const base = networkOf(["org1", "org2", "org3", "org9"]);
    const withZ8 = {
      ...base,
      orgs: [
        ...base.orgs,
        { name: "org8", caCert: org8.certPem, nodes: [{ id: "z8", host: "127.0.0.1", port }] },
      ],
    };
    await start("z8", withZ8, stale);
    h("n1").updateNetwork(withZ8);
    await waitFor("n1 refuses z8", () => rejected("n1", "P2P_CERT_EXPIRED") > 0);
    expect(running.n1!.logs).toContainEqual(
      expect.objectContaining({ code: "P2P_CERT_EXPIRED", peer: "z8", direction: "outbound" }),
    );
    expect(h("z8").connectedPeers()).toEqual([]);
    await h("z8").stop();
    delete running.z8;
  });
});

function allCas(): string[] {
  return networkOf(Object.keys(LAYOUT)).orgs.map((o) => o.caCert);
}
