/**
 * Organisation PKI: each organisation runs its own CA (ECDSA P-256 / SHA-256) and issues its
 * nodes' TLS certificates from it. network.json lists each organisation's CA certificate, and a
 * node id is accepted only when its certificate was issued by its own organisation's CA.
 */
import { X509Certificate as NodeCertificate, randomBytes, webcrypto } from "node:crypto";
import { isIP } from "node:net";
import { P2PError } from "./errors.js";
import type { TlsIdentity } from "./types.js";
import { x509 } from "./x509.js";

const EC_KEY = { name: "ECDSA", namedCurve: "P-256" } as const;
const SIGNING = { name: "ECDSA", hash: "SHA-256" } as const;
const DAY_MS = 86_400_000;
/** Backdating notBefore keeps a fresh certificate valid on peers whose clocks lag a little. */
const CLOCK_SKEW_MS = 5 * 60_000;

export interface CaMaterial {
  certPem: string;
  keyPem: string;
}

export interface NodeCertificateRequest {
  nodeId: string;
  org: string;
  /** DNS names or IP addresses the node is reached at (subjectAltName). */
  hosts: string[];
  validityDays?: number;
  now?: Date;
  /** Explicit validity window (both or neither), overriding `now`/`validityDays`: for tests and back-dated issuance. */
  notBefore?: Date;
  notAfter?: Date;
}

export interface CertificateInfo {
  subjectCN: string;
  /** The subject's O, or "" when it has none. */
  org: string;
  issuerCN: string;
  notBefore: Date;
  notAfter: Date;
  /** SHA-256 of the DER, colon-separated upper-case hex (as Node's TLS reports it). */
  fingerprint256: string;
  /** SHA-256 of the DER, plain lower-case hex (as the on-chain registry and revocations name it). */
  fingerprint: string;
}

export async function createOrgCa(
  org: string,
  opts: { validityDays?: number; now?: Date } = {},
): Promise<CaMaterial> {
  requireName("org", org);
  const keys = await generateKeys();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serialNumber(),
    name: [{ CN: [`${org} CA`] }, { O: [org] }],
    ...validity(opts.now, opts.validityDays ?? 3650),
    keys,
    signingAlgorithm: SIGNING,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { certPem: cert.toString("pem"), keyPem: await exportPkcs8(keys.privateKey) };
}

export async function issueNodeCertificate(
  ca: CaMaterial,
  req: NodeCertificateRequest,
): Promise<TlsIdentity> {
  requireName("nodeId", req.nodeId);
  requireName("org", req.org);
  for (const host of req.hosts) requireName("hosts[]", host);
  const caCert = parse(ca.certPem);
  if (!caCert.getExtension(x509.BasicConstraintsExtension)?.ca) {
    throw new P2PError({
      code: "P2P_BAD_CERTIFICATE",
      message: "the issuing certificate is not a CA certificate",
    });
  }
  const caKey = await importCaKey(ca.keyPem);
  const keys = await generateKeys();
  const extensions: x509.Extension[] = [
    new x509.BasicConstraintsExtension(false, undefined, true),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth]),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    await x509.AuthorityKeyIdentifierExtension.create(caCert.publicKey),
  ];
  if (req.hosts.length > 0) {
    const names = req.hosts.map((value) => ({
      type: isIP(value) ? ("ip" as const) : ("dns" as const),
      value,
    }));
    extensions.push(new x509.SubjectAlternativeNameExtension(names));
  }
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: serialNumber(),
    subject: [{ CN: [req.nodeId] }, { O: [req.org] }],
    issuer: caCert.subject,
    ...nodeValidity(req),
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: SIGNING,
    extensions,
  });
  const certPem = cert.toString("pem");
  // A CA key that does not belong to the CA certificate would yield certificates nobody accepts.
  if (!isIssuedBy(certPem, ca.certPem)) {
    throw new P2PError({ code: "P2P_BAD_CERTIFICATE", message: "CA key does not match the CA certificate" });
  }
  return { certPem, keyPem: await exportPkcs8(keys.privateKey) };
}

export function certificateInfo(pem: string | Uint8Array): CertificateInfo {
  const cert = parse(pem);
  const cns = cert.subjectName.getField("CN");
  if (cns.length !== 1) {
    throw new P2PError({
      code: "P2P_BAD_CERTIFICATE",
      message: `expected one subject CN, found ${cns.length}`,
    });
  }
  const fingerprint256 = new NodeCertificate(Buffer.from(cert.rawData)).fingerprint256;
  return {
    subjectCN: cns[0]!,
    org: cert.subjectName.getField("O")[0] ?? "",
    issuerCN: cert.issuerName.getField("CN")[0] ?? "",
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    fingerprint256: fingerprint256,
    fingerprint: normalizeFingerprint(fingerprint256),
  };
}

/** A SHA-256 fingerprint as plain lower-case hex, whether written with colons or upper case. */
export function normalizeFingerprint(fingerprint: string): string {
  return fingerprint.replaceAll(":", "").toLowerCase();
}

/** True when `caPem` is a CA certificate whose key signed `certPem` (names and signature). */
export function isIssuedBy(certPem: string | Uint8Array, caPem: string | Uint8Array): boolean {
  try {
    return issuedBy(new NodeCertificate(certPem), new NodeCertificate(caPem));
  } catch {
    return false;
  }
}

/** `isIssuedBy` on certificates already parsed (the host parses each CA once). */
export function issuedBy(cert: NodeCertificate, ca: NodeCertificate): boolean {
  return ca.ca && cert.checkIssued(ca) && cert.verify(ca.publicKey);
}

function parse(pem: string | Uint8Array): x509.X509Certificate {
  try {
    return new x509.X509Certificate(typeof pem === "string" ? pem : Buffer.from(pem));
  } catch (e) {
    throw new P2PError({ code: "P2P_BAD_CERTIFICATE", message: `certificate does not parse: ${String(e)}` });
  }
}

async function importCaKey(pem: string): Promise<CryptoKey> {
  try {
    const der = x509.PemConverter.decodeFirst(pem);
    return await webcrypto.subtle.importKey("pkcs8", der, EC_KEY, false, ["sign"]);
  } catch (e) {
    throw new P2PError({
      code: "P2P_BAD_CERTIFICATE",
      message: `CA key is not a P-256 PKCS#8 key: ${String(e)}`,
    });
  }
}

async function generateKeys(): Promise<CryptoKeyPair> {
  return (await webcrypto.subtle.generateKey(EC_KEY, true, ["sign", "verify"])) as CryptoKeyPair;
}

async function exportPkcs8(key: CryptoKey): Promise<string> {
  return x509.PemConverter.encode(await webcrypto.subtle.exportKey("pkcs8", key), "PRIVATE KEY");
}

function nodeValidity(req: NodeCertificateRequest): { notBefore: Date; notAfter: Date } {
  if (req.notBefore === undefined && req.notAfter === undefined)
    return validity(req.now, req.validityDays ?? 825);
  const { notBefore, notAfter } = req;
  if (!notBefore || !notAfter || !(notBefore.getTime() < notAfter.getTime())) {
    throw new P2PError({
      code: "P2P_BAD_CERTIFICATE",
      message: "notBefore and notAfter must be given together, notBefore first",
    });
  }
  return { notBefore, notAfter };
}

function validity(now: Date | undefined, days: number): { notBefore: Date; notAfter: Date } {
  if (!Number.isInteger(days) || days < 1) {
    throw new P2PError({ code: "P2P_BAD_CERTIFICATE", message: "validityDays must be a positive integer" });
  }
  const t = (now ?? new Date()).getTime();
  return { notBefore: new Date(t - CLOCK_SKEW_MS), notAfter: new Date(t + days * DAY_MS) };
}

/** 128 random bits; first byte non-zero with its high bit clear: a minimal, positive DER INTEGER (RFC 5280 §4.1.2.2). */
function serialNumber(): string {
  const bytes = randomBytes(16);
  bytes[0] = (bytes[0]! & 0x7f) | 0x01;
  return bytes.toString("hex");
}

function requireName(field: string, value: string): void {
  if (typeof value !== "string" || value.trim() === "" || value !== value.trim()) {
    throw new P2PError({
      code: "P2P_BAD_CERTIFICATE",
      message: `${field} must be a non-empty trimmed string`,
      field,
    });
  }
}
