import { once } from "node:events";
import * as tls from "node:tls";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ChannelName,
  createOrgCa,
  createP2PHost,
  issueNodeCertificate,
  P2PError,
  type P2PHost,
  type P2POptions,
  type PeerEvent,
} from "../../src/index.js";
import {
  buildFixture,
  CHAIN_ID,
  captureLog,
  closed,
  type Fixture,
  GENESIS,
  helloFrame,
  type LogEntry,
  rawPeer,
  sleep,
  waitFor,
} from "./support.js";

/**
 * n1..n3 are the running hosts, one per organisation. m1..m3 and z1 are configured nodes that
 * the tests impersonate by hand (m* sort before n*, so they dial the n*; z1 sorts after, so the
 * n* dial it). Certificates from an unconfigured organisation CA play the outsiders.
 */
const LAYOUT = { org1: ["n1", "m1"], org2: ["n2", "m2", "z1"], org3: ["n3", "m3"] };
const OPTIONS: Partial<P2POptions> = {
  host: "127.0.0.1",
  reconnectInitialMs: 20,
  reconnectMaxMs: 150,
  handshakeTimeoutMs: 500,
  banMs: 60_000,
  maxQueuedBytes: 64 * 1024,
};

interface Running {
  host: P2PHost;
  logs: LogEntry[];
  events: PeerEvent[];
  received: { channel: ChannelName; from: string; message: unknown }[];
}

let fx: Fixture;
let allCas: string[];
const hosts: Record<string, Running> = {};
const extraHosts: P2PHost[] = [];

async function startHost(
  id: string,
  overrides: { genesisHash?: string; options?: Partial<P2POptions> } = {},
) {
  const { log, entries } = captureLog();
  const host = createP2PHost({
    self: id,
    network: fx.network,
    identity: fx.ids[id]!,
    chainId: CHAIN_ID,
    genesisHash: overrides.genesisHash ?? GENESIS,
    options: { ...OPTIONS, ...overrides.options },
    log,
  });
  const running: Running = { host, logs: entries, events: [], received: [] };
  host.onPeerEvent((e) => running.events.push(e));
  for (const channel of ["consensus", "mempool", "sync"] as const) {
    host.on(channel, (from, message) => running.received.push({ channel, from, message }));
  }
  await host.start();
  return running;
}

const n = (id: string): Running => hosts[id]!;
const rejected = (id: string, code: string): number => n(id).host.stats().rejected[code] ?? 0;
const connected = (id: string, peer: string): boolean => n(id).host.connectedPeers().includes(peer);

beforeAll(async () => {
  fx = await buildFixture(LAYOUT);
  allCas = fx.network.orgs.map((o) => o.caCert);
  for (const id of ["n1", "n2", "n3"]) hosts[id] = await startHost(id);
});

afterAll(async () => {
  await Promise.all([...Object.values(hosts).map((r) => r.host.stop()), ...extraHosts.map((h) => h.stop())]);
});

describe("P2P host over mutual TLS", () => {
  it("connects three organisations' hosts to each other", async () => {
    await waitFor("full mesh", () =>
      ["n1", "n2", "n3"].every((id) => n(id).host.connectedPeers().length === 2),
    );
    expect(n("n1").host.connectedPeers()).toEqual(["n2", "n3"]);
    expect(n("n3").host.connectedPeers()).toEqual(["n1", "n2"]);
    expect(n("n2").events).toContainEqual({ type: "connected", peerId: "n1" });
    const stats = n("n1").host.stats();
    expect(stats.peers.map((p) => p.id)).toEqual(["m1", "n2", "m2", "z1", "n3", "m3"]);
    expect(stats.peers.find((p) => p.id === "n2")).toMatchObject({ connected: true });
    expect(stats.peers.find((p) => p.id === "m1")).toMatchObject({ connected: false, bytesIn: 0 });
  });

  it("delivers send and broadcast on the right channel, in both directions", async () => {
    expect(n("n1").host.send("n3", "consensus", { vote: 1 })).toBe(true);
    expect(n("n3").host.send("n1", "sync", { block: 2 })).toBe(true); // over the connection n1 dialed
    n("n2").host.broadcast("mempool", { tx: "t" });
    expect(n("n1").host.send("m1", "consensus", {})).toBe(false); // configured, not connected
    await waitFor("deliveries", () => n("n1").received.length === 2 && n("n3").received.length === 2);
    expect(n("n3").received).toEqual([
      { channel: "consensus", from: "n1", message: { vote: 1 } },
      { channel: "mempool", from: "n2", message: { tx: "t" } },
    ]);
    expect(n("n1").received).toEqual([
      { channel: "sync", from: "n3", message: { block: 2 } },
      { channel: "mempool", from: "n2", message: { tx: "t" } },
    ]);
    const toN3 = n("n1")
      .host.stats()
      .peers.find((p) => p.id === "n3")!;
    expect(toN3.framesOut).toBe(1);
    expect(toN3.framesIn).toBe(1);
    expect(toN3.bytesOut).toBeGreaterThan(0);
    expect(() => n("n1").host.send("n2", "consensus", 1n)).toThrow(P2PError);
  });

  it("drops mempool frames to a peer with a full queue, never consensus frames", async () => {
    const blob = "x".repeat(16 * 1024);
    let dropped = 0;
    for (let i = 0; i < 20; i++) if (!n("n1").host.send("n2", "mempool", { blob })) dropped++;
    for (let i = 0; i < 20; i++) expect(n("n1").host.send("n2", "consensus", { i })).toBe(true);
    expect(dropped).toBeGreaterThan(0);
    expect(
      n("n1")
        .host.stats()
        .peers.find((p) => p.id === "n2")!.framesDropped,
    ).toBe(dropped);
    const consensus = () => n("n2").received.filter((r) => r.channel === "consensus" && r.from === "n1");
    await waitFor("consensus frames", () => consensus().length === 20);
    expect(consensus().map((r) => r.message)).toEqual([...Array(20).keys()].map((i) => ({ i })));
  });

  it("refuses a host whose certificate comes from an unknown CA (and port 0 works)", async () => {
    const before = ["n1", "n2", "n3"].map((id) => rejected(id, "P2P_TLS_FAILED"));
    const rogueCa = await createOrgCa("org4");
    const identity = await issueNodeCertificate(rogueCa, { nodeId: "a0", org: "org4", hosts: ["127.0.0.1"] });
    const rogueNetwork = {
      ...fx.network,
      orgs: [
        ...fx.network.orgs,
        { name: "org4", caCert: rogueCa.certPem, nodes: [{ id: "a0", host: "127.0.0.1", port: 1 }] },
      ],
    };
    const rogue = createP2PHost({
      self: "a0",
      network: rogueNetwork,
      identity,
      chainId: CHAIN_ID,
      genesisHash: GENESIS,
      options: { ...OPTIONS, port: 0 },
      log: captureLog().log,
    });
    extraHosts.push(rogue);
    await rogue.start();
    expect(rogue.listenPort).toBeGreaterThan(0);
    await waitFor("TLS refusals", () =>
      ["n1", "n2", "n3"].every((id, i) => rejected(id, "P2P_TLS_FAILED") > before[i]!),
    );
    expect(rogue.connectedPeers()).toEqual([]);
    expect(n("n1").host.connectedPeers()).toEqual(["n2", "n3"]);
    await rogue.stop();
  });

  it("refuses a certificate for one organisation's node issued by another organisation's CA", async () => {
    // Inbound: org1's CA signs a certificate for m2, a node of org2.
    const forged = await issueNodeCertificate(fx.cas.org1!, { nodeId: "m2", org: "org2", hosts: [] });
    const socket = await rawPeer(fx.ports.n3!, forged, allCas);
    socket.write(helloFrame("m2"));
    await closed(socket);
    expect(rejected("n3", "P2P_WRONG_ISSUER")).toBe(1);
    expect(n("n3").logs).toContainEqual(
      expect.objectContaining({ msg: "peer connection refused", code: "P2P_WRONG_ISSUER" }),
    );

    // Outbound: whoever answers at z1's address with an org1-issued "z1" certificate is refused.
    const forgedZ1 = await issueNodeCertificate(fx.cas.org1!, { nodeId: "z1", org: "org2", hosts: [] });
    const server = tls.createServer({ cert: forgedZ1.certPem, key: forgedZ1.keyPem, minVersion: "TLSv1.3" });
    server.on("tlsClientError", () => undefined);
    server.listen(fx.ports.z1, "127.0.0.1");
    await once(server, "listening");
    await waitFor("outbound wrong issuer", () => rejected("n1", "P2P_WRONG_ISSUER") > 0);
    server.close();
    await once(server, "close");
    expect(connected("n1", "z1")).toBe(false);
  });

  it("refuses a dialed node whose certificate is for another node id", async () => {
    const n2 = fx.ids.n2!; // a genuine certificate, but n1 dialed z1
    const server = tls.createServer({ cert: n2.certPem, key: n2.keyPem, minVersion: "TLSv1.3" });
    server.on("tlsClientError", () => undefined);
    server.listen(fx.ports.z1, "127.0.0.1");
    await once(server, "listening");
    await waitFor("outbound wrong peer", () => rejected("n1", "P2P_WRONG_PEER") > 0);
    server.close();
    await once(server, "close");
    expect(connected("n1", "z1")).toBe(false);
  });

  it("refuses a certificate whose CN is not in the network config", async () => {
    const ghost = await issueNodeCertificate(fx.cas.org1!, { nodeId: "a-ghost", org: "org1", hosts: [] });
    const socket = await rawPeer(fx.ports.n2!, ghost, allCas);
    await closed(socket);
    expect(rejected("n2", "P2P_UNKNOWN_PEER")).toBe(1);
  });

  it("refuses a peer on another genesis at the hello, without banning it", async () => {
    const wrong = await startHost("m3", { genesisHash: "cd".repeat(32) });
    extraHosts.push(wrong.host);
    await waitFor("hello refusals", () =>
      ["n1", "n2", "n3"].every((id) => rejected(id, "P2P_HANDSHAKE_MISMATCH") > 0),
    );
    expect(wrong.host.connectedPeers()).toEqual([]);
    expect(n("n1").logs).toContainEqual(
      expect.objectContaining({
        code: "P2P_HANDSHAKE_MISMATCH",
        detail: expect.stringContaining("genesisHash mismatch"),
      }),
    );
    expect(n("n1").events.filter((e) => "peerId" in e && e.peerId === "m3")).toEqual([]);
    await wrong.host.stop();

    const right = await startHost("m3");
    extraHosts.push(right.host);
    await waitFor("m3 accepted", () => ["n1", "n2", "n3"].every((id) => connected(id, "m3")));
    await right.host.stop();
    await waitFor("m3 gone", () => !connected("n1", "m3"));
  });

  it("refuses a hello whose node id is not the certificate's, and a peer that never says hello", async () => {
    const liar = await rawPeer(fx.ports.n1!, fx.ids.m2!, allCas);
    liar.write(helloFrame("m1"));
    await closed(liar);
    expect(n("n1").logs).toContainEqual(
      expect.objectContaining({
        code: "P2P_HANDSHAKE_MISMATCH",
        detail: expect.stringContaining("nodeId mismatch"),
      }),
    );
    const silent = await rawPeer(fx.ports.n1!, fx.ids.m2!, allCas);
    const started = Date.now();
    await closed(silent);
    expect(Date.now() - started).toBeGreaterThanOrEqual(400);
    expect(rejected("n1", "P2P_HANDSHAKE_TIMEOUT")).toBe(1);
    expect(connected("n1", "m2")).toBe(false);
  });

  it("refuses an inbound connection from a peer it is supposed to dial", async () => {
    const socket = await rawPeer(fx.ports.n1!, fx.ids.z1!, allCas);
    await closed(socket);
    expect(rejected("n1", "P2P_WRONG_DIRECTION")).toBe(1);
  });

  it("bans a peer that sends garbage and keeps serving the others", async () => {
    const socket = await rawPeer(fx.ports.n3!, fx.ids.m1!, allCas);
    const payload = Buffer.from("{not json");
    const header = Buffer.alloc(5);
    header.writeUInt32BE(payload.length + 1, 0);
    header.writeUInt8(1, 4);
    socket.write(Buffer.concat([header, payload]));
    await closed(socket);
    expect(rejected("n3", "P2P_MALFORMED_FRAME")).toBe(1);
    expect(n("n3").logs).toContainEqual(
      expect.objectContaining({ level: 40, msg: "peer penalized", peer: "m1", code: "P2P_MALFORMED_FRAME" }),
    );

    const again = await rawPeer(fx.ports.n3!, fx.ids.m1!, allCas);
    again.write(helloFrame("m1"));
    await closed(again);
    expect(rejected("n3", "P2P_BANNED")).toBe(1);

    n("n3").received.length = 0;
    expect(n("n1").host.send("n3", "consensus", "still here")).toBe(true);
    await waitFor("n3 still serves n1", () => n("n3").received.length === 1);
  });

  it("disconnects and bans a peer that announces an oversize frame", async () => {
    const socket = await rawPeer(fx.ports.n2!, fx.ids.m2!, allCas);
    socket.write(helloFrame("m2"));
    await waitFor("m2 connected", () => connected("n2", "m2"));
    const header = Buffer.alloc(5);
    header.writeUInt32BE(512 * 1024 * 1024, 0); // 512 MiB on mempool (limit 8 MiB); no payload follows
    header.writeUInt8(2, 4);
    socket.write(header);
    await closed(socket);
    expect(connected("n2", "m2")).toBe(false);
    expect(n("n2").events).toContainEqual({
      type: "disconnected",
      peerId: "m2",
      reason: expect.stringContaining("P2P_FRAME_TOO_LARGE"),
    });
    expect(rejected("n2", "P2P_FRAME_TOO_LARGE")).toBe(1);
    expect(n("n2").host.connectedPeers()).toEqual(["n1", "n3"]);
  });

  it("replaces a peer's connection when it connects again (it restarted)", async () => {
    const first = await rawPeer(fx.ports.n1!, fx.ids.m3!, allCas);
    first.write(helloFrame("m3"));
    await waitFor("m3 connected", () => connected("n1", "m3"));
    const second = await rawPeer(fx.ports.n1!, fx.ids.m3!, allCas);
    second.write(helloFrame("m3"));
    await closed(first);
    expect(connected("n1", "m3")).toBe(true);
    expect(n("n1").events.slice(-3)).toEqual([
      { type: "connected", peerId: "m3" },
      { type: "disconnected", peerId: "m3", reason: "replaced by a new connection from the same peer" },
      { type: "connected", peerId: "m3" },
    ]);
    second.destroy();
    await waitFor("m3 gone", () => !connected("n1", "m3"));
  });

  it("refuses a TLS 1.2-only client", async () => {
    const before = rejected("n2", "P2P_TLS_FAILED");
    const socket = tls.connect({
      host: "127.0.0.1",
      port: fx.ports.n2,
      cert: fx.ids.m1!.certPem,
      key: fx.ids.m1!.keyPem,
      ca: allCas,
      maxVersion: "TLSv1.2",
      checkServerIdentity: () => undefined,
    });
    const [err] = await once(socket, "error");
    expect(String(err)).toMatch(/protocol version|alert/i);
    socket.destroy();
    await waitFor("server-side refusal", () => rejected("n2", "P2P_TLS_FAILED") > before);
  });

  it("reconnects automatically to peers that restart on the same port", async () => {
    await n("n3").host.stop();
    await waitFor("n3 down", () => !connected("n1", "n3") && !connected("n2", "n3"));
    hosts.n3 = await startHost("n3"); // the higher id only accepts: n1 and n2 must redial it
    await waitFor("n3 back", () => n("n3").host.connectedPeers().join() === "n1,n2");

    await n("n1").host.stop(); // the lowest id dials everyone after its restart
    await waitFor("n1 down", () => !connected("n2", "n1") && !connected("n3", "n1"));
    hosts.n1 = await startHost("n1");
    await waitFor("n1 back", () => n("n1").host.connectedPeers().join() === "n2,n3");
    expect(n("n2").host.connectedPeers()).toEqual(["n1", "n3"]);
  });

  it("penalize disconnects, refuses inbound from and stops dialing the peer", async () => {
    n("n3").host.penalize("n1", "equivocated");
    expect(n("n3").logs).toContainEqual(
      expect.objectContaining({ msg: "peer penalized", peer: "n1", reason: "equivocated", level: 40 }),
    );
    n("n1").host.penalize("n2", "spam");
    await waitFor("n3 refuses n1's redial", () => rejected("n3", "P2P_BANNED") > 0);
    await sleep(300); // several backoff periods
    expect(n("n1").host.connectedPeers()).toEqual([]);
    expect(n("n2").host.connectedPeers()).toEqual(["n3"]);
    expect(n("n1").host.stats().rejected.P2P_PENALIZED).toBe(1);
  });

  it("stops idempotently and refuses misuse", async () => {
    const { host } = n("n2");
    await expect(host.start()).rejects.toThrow(P2PError);
    await Promise.all([host.stop(), host.stop()]);
    await host.stop();
    expect(() => host.listenPort).toThrow(P2PError);
    expect(host.send("n3", "consensus", 1)).toBe(false);
    expect(host.connectedPeers()).toEqual([]);
  });

  it("refuses an identity peers would refuse anyway", () => {
    const base = { network: fx.network, chainId: CHAIN_ID, genesisHash: GENESIS, log: captureLog().log };
    const code = (fn: () => unknown) => {
      try {
        fn();
      } catch (e) {
        return e instanceof P2PError ? e.code : String(e);
      }
      return undefined;
    };
    expect(code(() => createP2PHost({ ...base, self: "n1", identity: fx.ids.n2! }))).toBe("P2P_BAD_IDENTITY");
    expect(code(() => createP2PHost({ ...base, self: "nobody", identity: fx.ids.n1! }))).toBe(
      "P2P_BAD_IDENTITY",
    );
    expect(code(() => createP2PHost({ ...base, self: "n1", identity: fx.ids.n1!, chainId: "x" }))).toBe(
      "P2P_BAD_IDENTITY",
    );
    const mismatchedKey = { certPem: fx.ids.n1!.certPem, keyPem: fx.ids.m1!.keyPem };
    expect(code(() => createP2PHost({ ...base, self: "n1", identity: mismatchedKey }))).toBe(
      "P2P_BAD_IDENTITY",
    );
    expect(
      code(() => createP2PHost({ ...base, self: "n1", identity: fx.ids.n1!, options: { banMs: -1 } })),
    ).toBe("P2P_BAD_OPTIONS");
  });
});
