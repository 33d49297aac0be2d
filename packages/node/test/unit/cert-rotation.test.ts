import { X509Certificate } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createSecureContext } from "node:tls";
import { certificateInfo, isIssuedBy } from "@weft/p2p";
import { pino } from "pino";
import { afterAll, describe, expect, it } from "vitest";
import { rotateNodeCertificate, tlsFiles } from "../../src/config/cert-rotation.js";
import { initNetwork } from "../../src/config/network-home.js";
import { createTestNetwork, type TestNetwork, until } from "../support/network.js";

const roots: string[] = [];
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

describe("rotateNodeCertificate", () => {
  it("installs a new key and certificate from the org CA atomically and keeps the previous pair", async () => {
    const root = mkdtempSync(join(tmpdir(), "weft-rotate-"));
    roots.push(root);
    await initNetwork(root, {
      chainId: "weft-test",
      orgs: ["org1", "org2"],
      host: "127.0.0.1",
      basePeerPort: 40_001,
      baseApiPort: 0,
      accounts: [],
    });
    const home = join(root, "org1");
    const files = tlsFiles(home);
    const oldCert = readFileSync(files.cert, "utf8");
    const oldKey = readFileSync(files.key, "utf8");
    const result = await rotateNodeCertificate(home, { validityDays: 90 });

    const newCert = readFileSync(files.cert, "utf8");
    const newKey = readFileSync(files.key, "utf8");
    expect(newCert).not.toBe(oldCert);
    expect(newKey).not.toBe(oldKey);
    expect(readFileSync(files.prevCert, "utf8")).toBe(oldCert);
    expect(readFileSync(files.prevKey, "utf8")).toBe(oldKey);
    expect(statSync(files.key).mode & 0o777).toBe(0o600);
    expect(statSync(files.prevKey).mode & 0o777).toBe(0o600);
    expect(readdirSync(files.dir).filter((f) => f.includes(".tmp"))).toEqual([]);

    const before = certificateInfo(oldCert);
    const after = certificateInfo(newCert);
    expect([after.subjectCN, after.org]).toEqual([before.subjectCN, before.org]);
    expect(new X509Certificate(newCert).subjectAltName).toBe(new X509Certificate(oldCert).subjectAltName);
    expect(isIssuedBy(newCert, readFileSync(files.caCert, "utf8"))).toBe(true);
    expect(() => createSecureContext({ cert: newCert, key: newKey })).not.toThrow();
    expect(result).toEqual({
      nodeId: "org1-node",
      org: "org1",
      fingerprint: after.fingerprint,
      notAfter: after.notAfter,
      previousFingerprint: before.fingerprint,
      previousNotAfter: before.notAfter,
      certFile: files.cert,
      previousCertFile: files.prevCert,
    });
    expect(Math.round((after.notAfter.getTime() - Date.now()) / 86_400_000)).toBe(90);
  });

  it("refuses a home without the CA key (kept offline)", async () => {
    const root = mkdtempSync(join(tmpdir(), "weft-rotate-"));
    roots.push(root);
    await initNetwork(root, {
      chainId: "weft-test",
      orgs: ["org1"],
      host: "127.0.0.1",
      basePeerPort: 40_101,
      baseApiPort: 0,
      accounts: [],
    });
    const home = join(root, "org1");
    rmSync(tlsFiles(home).caKey);
    await expect(rotateNodeCertificate(home)).rejects.toMatchObject({ code: "NODE_BAD_CONFIG" });
    expect(existsSync(tlsFiles(home).prevCert)).toBe(false);
  });
});

describe("a running network across a node certificate rotation", () => {
  let net: TestNetwork | undefined;
  afterAll(async () => {
    await net?.close();
  });

  it("keeps committing; the rotated node reconnects and its peers see the new certificate", async () => {
    const logs: Record<string, unknown>[] = [];
    net = await createTestNetwork(3, {
      logger: (i) =>
        pino(
          { level: i === 1 ? "info" : "silent", base: undefined },
          { write: (line: string) => logs.push(JSON.parse(line)) },
        ),
    });
    for (let i = 0; i < 3; i++) await net.start(i);
    const nodes = () => net!.nodes.map((n) => n!);
    const height = () => Math.min(...nodes().map((n) => n.store.head()?.height ?? 0));
    await until("first blocks", () => height() >= 2, 30_000);
    const peersSee = (fingerprint: string) =>
      [0, 2].every(
        (i) =>
          nodes()
            [i]!.p2p!.stats()
            .peers.find((p) => p.id === "org2-node")?.certificate?.fingerprint === fingerprint,
      );
    // The permissioned genesis registers every organisation: the peer book comes from the chain.
    expect(logs).toContainEqual(
      expect.objectContaining({
        msg: "peer book from the on-chain registry",
        orgs: ["org1", "org2", "org3"],
      }),
    );
    const before = nodes()[1]!.p2p!.stats().identity.fingerprint;
    expect(peersSee(before)).toBe(true);

    const rotation = await rotateNodeCertificate(join(net.root, "org2"));
    expect(rotation.previousFingerprint).toBe(before);
    await until("org2's peers see its new certificate", () => peersSee(rotation.fingerprint), 20_000);
    expect(nodes()[1]!.p2p!.stats().identity.fingerprint).toBe(rotation.fingerprint);
    expect(logs).toContainEqual(
      expect.objectContaining({
        msg: "node TLS certificate rotated: peers reconnect with the new one",
        from: before,
        to: rotation.fingerprint,
      }),
    );
    const reached = height();
    await until("commits after the rotation", () => height() >= reached + 2, 30_000);
    expect(nodes()[1]!.p2p!.connectedPeers()).toEqual(["org1-node", "org3-node"]);
    // The checker lists the node's own (new) certificate and its peers'.
    const listed = nodes()[0]!.url;
    const res = await fetch(`${listed}/v1/identity/certificates`);
    const body = (await res.json()) as {
      certificates: { kind: string; subject: string; fingerprint: string }[];
    };
    expect(body.certificates).toContainEqual(
      expect.objectContaining({ kind: "peer", subject: "org2-node", fingerprint: rotation.fingerprint }),
    );
    expect(body.certificates.filter((c) => c.kind === "ca").map((c) => c.subject)).toEqual(
      expect.arrayContaining(["org1 CA", "org2 CA", "org3 CA"]),
    );
    expect(body.certificates.filter((c) => c.kind === "node").map((c) => c.subject)).toEqual(["org1-node"]);
  }, 90_000);
});
