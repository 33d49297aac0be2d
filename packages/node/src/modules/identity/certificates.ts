/**
 * Member and CA certificates, checked with node:crypto's X509Certificate: synchronous and a
 * function of the PEM text alone, so every node reaches the same verdict. Validity is recorded as
 * notBefore/notAfter in ms and judged later against block time, never against a clock.
 */
import { createPublicKey, type KeyObject, X509Certificate } from "node:crypto";
import { type PublicKeyInfo, validatePublicKey } from "@weft/core";
import { IdentityError } from "./errors.js";
import type { MemberCertificate } from "./schema.js";

// DER prefixes turning raw key bytes into SubjectPublicKeyInfo (P-256 point compressed).
const SPKI_PREFIX: Record<PublicKeyInfo["alg"], Buffer> = {
  ed25519: Buffer.from("302a300506032b6570032100", "hex"),
  p256: Buffer.from("3039301306072a8648ce3d020106082a8648ce3d030107032200", "hex"),
};

const CACHE_LIMIT = 1_000;
const parsed = new Map<string, X509Certificate>();

const bad = (message: string, extra: Record<string, unknown> = {}) =>
  new IdentityError({ code: "IDENTITY_BAD_CERTIFICATE", message, ...extra });

/** Parses a PEM certificate (cached: the same text always parses the same). */
export function parseCertificate(pem: string, what = "certificate"): X509Certificate {
  const hit = parsed.get(pem);
  if (hit) return hit;
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch (e) {
    throw bad(`${what} does not parse: ${(e as Error).message}`);
  }
  if (parsed.size >= CACHE_LIMIT) parsed.delete(parsed.keys().next().value as string);
  parsed.set(pem, cert);
  return cert;
}

/** Each of an org's CA certificates parses and is a CA (basicConstraints cA). */
export function checkCaCerts(caCerts: readonly string[]): void {
  caCerts.forEach((pem, i) => {
    if (!parseCertificate(pem, `caCerts[${i}]`).ca) throw bad(`caCerts[${i}] is not a CA certificate`);
  });
}

/** The member key as a node:crypto key object, for comparison with a certificate's key. */
export function keyObjectOf(key: PublicKeyInfo): KeyObject {
  const raw = validatePublicKey(key);
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX[key.alg], raw]), format: "der", type: "spki" });
}

/**
 * Stateless half: the certificate parses, is not a CA, and certifies `publicKey` (same key
 * material, whatever the point encoding). Run at admission.
 */
export function checkCertificateKey(pem: string, publicKey: PublicKeyInfo): MemberCertificate {
  const cert = parseCertificate(pem);
  if (cert.ca) throw bad("a member certificate may not be a CA certificate");
  let matches: boolean;
  try {
    matches = cert.publicKey.equals(keyObjectOf(publicKey));
  } catch {
    matches = false;
  }
  if (!matches) throw bad("the certificate does not certify the member's public key");
  const notBefore = opensslTime(cert.validFrom);
  const notAfter = opensslTime(cert.validTo);
  return { pem, fingerprint: cert.fingerprint256.replaceAll(":", "").toLowerCase(), notBefore, notAfter };
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];
const OPENSSL_TIME = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4}) GMT$/;

/**
 * OpenSSL's "Nov 14 22:13:19 2023 GMT" (what X509Certificate reports) as ms, parsed by hand:
 * Date.parse of this non-ISO form is engine-defined, and every node must agree.
 */
function opensslTime(text: string): number {
  const m = OPENSSL_TIME.exec(text);
  const month = m ? MONTHS.indexOf(m[1] as string) : -1;
  if (!m || month < 0) throw bad(`the certificate's validity time ${text} does not parse`);
  const [day, hour, minute, second, year] = [m[2], m[3], m[4], m[5], m[6]].map(Number) as number[];
  return Date.UTC(year as number, month, day, hour, minute, second);
}

/** The full check: also issued (names and signature) by one of the org's CA certificates. */
export function checkMemberCertificate(
  pem: string,
  publicKey: PublicKeyInfo,
  caCerts: readonly string[],
): MemberCertificate {
  const facts = checkCertificateKey(pem, publicKey);
  const cert = parseCertificate(pem);
  const issued = caCerts.some((caPem) => {
    const ca = parseCertificate(caPem, "CA certificate");
    return ca.ca && cert.checkIssued(ca) && cert.verify(ca.publicKey);
  });
  if (!issued) throw bad("the certificate was not issued by any of the organisation's CA certificates");
  return facts;
}
