import { X509Certificate } from "node:crypto";
import { createSecureContext } from "node:tls";
import { beforeAll, describe, expect, it } from "vitest";
import {
  type CaMaterial,
  certificateInfo,
  createOrgCa,
  isIssuedBy,
  issueNodeCertificate,
  normalizeFingerprint,
  P2PError,
  type TlsIdentity,
} from "../../src/index.js";
import { x509 } from "../../src/x509.js";

const DAY = 86_400_000;
const now = new Date("2030-01-01T00:00:00Z");
let org1: CaMaterial;
let org2: CaMaterial;
let node1: TlsIdentity;

async function code(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    return e instanceof P2PError ? e.code : `not a P2PError: ${String(e)}`;
  }
  return undefined;
}

beforeAll(async () => {
  org1 = await createOrgCa("org1", { now });
  org2 = await createOrgCa("org2");
  node1 = await issueNodeCertificate(org1, {
    nodeId: "org1-node",
    org: "org1",
    hosts: ["127.0.0.1", "node1.example.com", "::1"],
    now,
  });
});

describe("organisation CA", () => {
  it("is a self-signed P-256 CA with critical basicConstraints and certificate-signing key usage", () => {
    const cert = new x509.X509Certificate(org1.certPem);
    expect(cert.subject).toBe("CN=org1 CA, O=org1");
    expect(cert.issuer).toBe(cert.subject);
    const bc = cert.getExtension(x509.BasicConstraintsExtension)!;
    expect([bc.ca, bc.critical]).toEqual([true, true]);
    const ku = cert.getExtension(x509.KeyUsagesExtension)!;
    expect(ku.usages).toBe(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign);
    expect(new X509Certificate(org1.certPem).toLegacyObject().nistCurve).toBe("P-256");
    expect(cert.signatureAlgorithm).toMatchObject({ name: "ECDSA", hash: { name: "SHA-256" } });
    expect(isIssuedBy(org1.certPem, org1.certPem)).toBe(true);
    expect(org1.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it("is valid for ten years by default, from `now` (less a few minutes of clock skew)", () => {
    const info = certificateInfo(org1.certPem);
    expect(info.notAfter.getTime()).toBe(now.getTime() + 3650 * DAY);
    expect(now.getTime() - info.notBefore.getTime()).toBeGreaterThan(0);
    expect(now.getTime() - info.notBefore.getTime()).toBeLessThanOrEqual(10 * 60_000);
  });
});

describe("node certificate", () => {
  it("names the node and its organisation and is issued by the organisation CA", () => {
    const info = certificateInfo(node1.certPem);
    expect(info).toMatchObject({ subjectCN: "org1-node", org: "org1", issuerCN: "org1 CA" });
    expect(info.notAfter.getTime()).toBe(now.getTime() + 825 * DAY);
    expect(info.fingerprint256).toBe(new X509Certificate(node1.certPem).fingerprint256);
  });

  it("carries serverAuth+clientAuth, digitalSignature, no CA flag, and DNS/IP subject alt names", () => {
    const cert = new X509Certificate(node1.certPem);
    expect(cert.keyUsage).toEqual(["1.3.6.1.5.5.7.3.1", "1.3.6.1.5.5.7.3.2"]); // Node reports the EKU here
    expect(cert.subjectAltName).toBe(
      "IP Address:127.0.0.1, DNS:node1.example.com, IP Address:0:0:0:0:0:0:0:1",
    );
    expect(cert.ca).toBe(false);
    const ku = new x509.X509Certificate(node1.certPem).getExtension(x509.KeyUsagesExtension)!;
    expect(ku.usages).toBe(x509.KeyUsageFlags.digitalSignature);
  });

  it("comes with a PKCS#8 key that matches it (usable for TLS)", () => {
    expect(node1.keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(() => createSecureContext({ cert: node1.certPem, key: node1.keyPem })).not.toThrow();
    expect(() => createSecureContext({ cert: node1.certPem, key: org1.keyPem })).toThrow();
  });

  it("honours validityDays", async () => {
    const short = await issueNodeCertificate(org2, {
      nodeId: "n",
      org: "org2",
      hosts: [],
      validityDays: 1,
      now,
    });
    expect(certificateInfo(short.certPem).notAfter.getTime()).toBe(now.getTime() + DAY);
    expect(new X509Certificate(short.certPem).subjectAltName).toBeUndefined();
  });

  it("isIssuedBy holds only for the issuing organisation's CA", () => {
    expect(isIssuedBy(node1.certPem, org1.certPem)).toBe(true);
    expect(isIssuedBy(node1.certPem, org2.certPem)).toBe(false);
    expect(isIssuedBy(org2.certPem, org1.certPem)).toBe(false);
    expect(isIssuedBy(node1.certPem, node1.certPem)).toBe(false); // a node certificate is no CA
    expect(isIssuedBy("garbage", org1.certPem)).toBe(false);
  });

  it("a look-alike CA (same names, other key) does not count as the issuer", async () => {
    const impostor = await createOrgCa("org1");
    expect(isIssuedBy(node1.certPem, impostor.certPem)).toBe(false);
  });

  it("refuses a CA key that is not the CA certificate's, a non-CA issuer and empty names", async () => {
    const req = { nodeId: "x", org: "org1", hosts: [] };
    expect(await code(issueNodeCertificate({ certPem: org1.certPem, keyPem: org2.keyPem }, req))).toBe(
      "P2P_BAD_CERTIFICATE",
    );
    expect(await code(issueNodeCertificate(node1, req))).toBe("P2P_BAD_CERTIFICATE");
    expect(await code(issueNodeCertificate(org1, { ...req, nodeId: "" }))).toBe("P2P_BAD_CERTIFICATE");
    expect(await code(issueNodeCertificate(org1, { ...req, hosts: [" "] }))).toBe("P2P_BAD_CERTIFICATE");
    expect(await code(issueNodeCertificate(org1, { ...req, validityDays: 0 }))).toBe("P2P_BAD_CERTIFICATE");
    expect(await code(createOrgCa(""))).toBe("P2P_BAD_CERTIFICATE");
    expect(() => certificateInfo("not a certificate")).toThrow(P2PError);
  });

  it("takes an explicit validity window (back-dated or future) and reports plain hex fingerprints", async () => {
    const notBefore = new Date(now.getTime() - 30 * DAY);
    const notAfter = new Date(now.getTime() - DAY);
    const old = await issueNodeCertificate(org1, {
      nodeId: "old",
      org: "org1",
      hosts: [],
      notBefore,
      notAfter,
    });
    const info = certificateInfo(old.certPem);
    expect([info.notBefore, info.notAfter]).toEqual([notBefore, notAfter]);
    expect(info.fingerprint).toBe(info.fingerprint256.replaceAll(":", "").toLowerCase());
    expect(info.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(normalizeFingerprint(info.fingerprint256)).toBe(info.fingerprint);
    const req = { nodeId: "x", org: "org1", hosts: [] };
    expect(await code(issueNodeCertificate(org1, { ...req, notBefore }))).toBe("P2P_BAD_CERTIFICATE");
    expect(await code(issueNodeCertificate(org1, { ...req, notBefore: notAfter, notAfter: notBefore }))).toBe(
      "P2P_BAD_CERTIFICATE",
    );
  });
});
