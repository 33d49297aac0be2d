import { type CanonicalValue, canonicalBytes } from "@weft/core";
import { certificateInfo, createOrgCa } from "@weft/p2p";
import { describe, expect, it } from "vitest";
import { createApiServer } from "../../src/api/server.js";
import { createMetrics } from "../../src/metrics/metrics.js";
import type { Member, Org } from "../../src/modules/identity/schema.js";
import {
  CertificateMonitor,
  type KnownCertificate,
  registryCertificates,
} from "../../src/net/cert-expiry.js";
import { FakeNodeService } from "./support/fake-service.js";

const DAY = 86_400_000;
const NOW = Date.UTC(2030, 0, 1);

function cert(kind: KnownCertificate["kind"], subject: string, days: number): KnownCertificate {
  return {
    kind,
    subject,
    org: "org1",
    fingerprint: `${subject}-${kind}`.padEnd(64, "0"),
    notBefore: NOW - 100 * DAY,
    notAfter: NOW + days * DAY,
  };
}

function monitor(certs: KnownCertificate[], now = () => NOW) {
  const metrics = createMetrics({ defaultMetrics: false });
  const lines: { level: "warn" | "error"; obj: Record<string, unknown>; msg: string }[] = [];
  const log = {
    warn: (obj: object, msg: string) =>
      lines.push({ level: "warn", obj: obj as Record<string, unknown>, msg }),
    error: (obj: object, msg: string) =>
      lines.push({ level: "error", obj: obj as Record<string, unknown>, msg }),
  };
  const m = new CertificateMonitor({
    sources: () => certs,
    options: { certWarningDays: 30, certCheckIntervalMs: 3_600_000 },
    gauge: metrics.certificateExpiry,
    log,
    now,
  });
  return { m, metrics, lines };
}

describe("certificate expiry checker", () => {
  const certs = [
    cert("node", "org1-node", 400),
    cert("peer", "org2-node", 10),
    cert("member", "alice", -2),
    cert("ca", "org1 CA", 3000),
  ];

  it("classifies ok / expiring (within certWarningDays) / expired, soonest first", () => {
    const { m } = monitor(certs);
    expect(m.list().map((e) => [e.subject, e.status, e.expiresInDays])).toEqual([
      ["alice", "expired", -2],
      ["org2-node", "expiring", 10],
      ["org1-node", "ok", 400],
      ["org1 CA", "ok", 3000],
    ]);
    expect(m.list(30).map((e) => e.subject)).toEqual(["alice", "org2-node"]);
    expect(m.list(0).map((e) => e.subject)).toEqual(["alice"]);
  });

  it("warns once per certificate per check window, errors for expired ones", () => {
    let now = NOW;
    const { m, lines } = monitor(certs, () => now);
    m.check();
    expect(lines.map((l) => [l.level, l.obj.subject])).toEqual([
      ["error", "alice"],
      ["warn", "org2-node"],
    ]);
    expect(lines[1]).toMatchObject({
      msg: "certificate expires within 30 days",
      obj: { kind: "peer", org: "org1", expiresInDays: 10, notAfter: new Date(NOW + 10 * DAY).toISOString() },
    });
    now += 60_000;
    m.check(); // same window: quiet
    expect(lines).toHaveLength(2);
    now += 3_600_000;
    m.check(); // next window: said again
    expect(lines).toHaveLength(4);
  });

  it("exports seconds until notAfter per certificate, and drops those no longer known", async () => {
    const known = [...certs];
    const { m, metrics } = monitor(known);
    m.check();
    const gauge = await metrics.certificateExpiry.get();
    const value = (subject: string) => gauge.values.find((v) => v.labels.subject === subject)?.value;
    expect(value("org2-node")).toBe(10 * 86_400);
    expect(value("alice")).toBe(-2 * 86_400);
    expect(gauge.values.find((v) => v.labels.subject === "org1-node")?.labels).toEqual({
      kind: "node",
      subject: "org1-node",
      org: "org1",
    });
    known.splice(1, 1); // the peer left
    m.check();
    expect((await metrics.certificateExpiry.get()).values.map((v) => v.labels.subject)).not.toContain(
      "org2-node",
    );
    expect(await metrics.registry.metrics()).toContain(
      'weft_certificate_expiry_seconds{kind="ca",subject="org1 CA",org="org1"}',
    );
  });

  it("reads active organisations' CA certificates and active members' certificates from the registry", async () => {
    const ca = await createOrgCa("org1", { now: new Date(NOW - DAY), validityDays: 20 });
    const info = certificateInfo(ca.certPem);
    const orgs: Record<string, Org> = {
      org1: {
        name: "org1",
        caCerts: [ca.certPem],
        nodes: [],
        gs1: { companyPrefixes: [], glns: [] },
        status: "active",
        since: 0,
        revokedCerts: [],
      },
      org2: {
        name: "org2",
        caCerts: [ca.certPem],
        nodes: [],
        gs1: { companyPrefixes: [], glns: [] },
        status: "removed",
        since: 0,
        revokedCerts: [],
      },
    };
    const get = (key: string): CanonicalValue | undefined =>
      key === "identity/orgs"
        ? ["org1", "org2"]
        : (orgs[key.replace("identity/org/", "")] as unknown as CanonicalValue | undefined);
    const member = (id: string, extra: Partial<Member>): [string, Uint8Array] => [
      `identity/member/${id}`,
      canonicalBytes({
        address: id,
        id,
        org: "org1",
        kind: "member",
        roles: [],
        publicKey: { alg: "ed25519", publicKey: "00" },
        certificate: { pem: "-", fingerprint: `f-${id}`, notBefore: NOW - DAY, notAfter: NOW + 5 * DAY },
        status: "active",
        since: 1,
        ...extra,
      } as unknown as CanonicalValue),
    ];
    const entries = [
      member("alice", {}),
      member("scanner", { kind: "device" }),
      member("revoked", { status: "revoked" }),
      member("rotated", { validUntil: NOW - 1 }),
      member("elsewhere", { org: "org2" }),
      member("nocert", { certificate: undefined } as Partial<Member>),
    ];
    const found = registryCertificates(get, entries, NOW);
    expect(found.map((c) => [c.kind, c.subject, c.org])).toEqual([
      ["ca", "org1 CA", "org1"],
      ["member", "alice", "org1"],
      ["device", "scanner", "org1"],
    ]);
    expect(found[0]).toMatchObject({ fingerprint: info.fingerprint, notAfter: info.notAfter.getTime() });
  });
});

describe("GET /v1/identity/certificates", () => {
  async function api(withCertificates: boolean) {
    const { m } = monitor([
      cert("node", "org1-node", 400),
      cert("peer", "org2-node", 10),
      cert("member", "bob", -1),
    ]);
    const app = await createApiServer(
      new FakeNodeService(),
      {},
      { metrics: createMetrics({ defaultMetrics: false }), ...(withCertificates ? { certificates: m } : {}) },
    );
    return app;
  }

  it("lists every certificate, or those expiring within N days, with status and days left", async () => {
    const app = await api(true);
    try {
      const all = await app.inject("/v1/identity/certificates");
      expect(all.statusCode).toBe(200);
      expect(all.json().warningDays).toBe(30);
      expect(all.json().certificates.map((c: { subject: string }) => c.subject)).toEqual([
        "bob",
        "org2-node",
        "org1-node",
      ]);
      expect(all.json().certificates[1]).toEqual({
        kind: "peer",
        subject: "org2-node",
        org: "org1",
        fingerprint: "org2-node-peer".padEnd(64, "0"),
        notBefore: NOW - 100 * DAY,
        notAfter: NOW + 10 * DAY,
        expiresInDays: 10,
        status: "expiring",
      });
      const soon = await app.inject("/v1/identity/certificates?withinDays=30");
      expect(soon.json().certificates.map((c: { status: string }) => c.status)).toEqual([
        "expired",
        "expiring",
      ]);
      expect((await app.inject("/v1/identity/certificates?withinDays=-1")).statusCode).toBe(400);
      expect((await app.inject("/v1/identity/certificates?other=1")).statusCode).toBe(400);
    } finally {
      await app.close();
    }
  });

  it("answers 404 on a node that does not track certificates", async () => {
    const app = await api(false);
    try {
      const res = await app.inject("/v1/identity/certificates");
      expect(res.statusCode).toBe(404);
      expect(res.json().code).toBe("API_NOT_FOUND");
    } finally {
      await app.close();
    }
  });
});
