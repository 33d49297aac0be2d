import { createHash, X509Certificate } from "node:crypto";
import type { TLSSocket } from "node:tls";
import { addressOf, type PublicKeyInfo } from "@weft/core";
import { isIssuedBy } from "@weft/p2p";
import type { FastifyRequest } from "fastify";
import type { Org } from "../../modules/identity/schema.js";
import { AuthError } from "./errors.js";
import { listOrgs, type StateGetter } from "./identity.js";

/** The DER of the client certificate a TLS request presented, if any. */
export function clientCertificateOf(request: FastifyRequest): Buffer | undefined {
  const socket = request.raw.socket as Partial<TLSSocket>;
  if (typeof socket.getPeerCertificate !== "function") return undefined;
  const cert = socket.getPeerCertificate(false);
  return cert?.raw && cert.raw.length > 0 ? cert.raw : undefined;
}

/**
 * The member address a client certificate stands for. The certificate must be issued by the CA
 * of an active organisation in the on-chain registry (any of its caCerts, so rotation overlaps
 * work), be within its validity, not be on the org's revocation list, and certify a key whose
 * address is a member's (the caller then checks that member like a token's).
 */
export function certificateMember(
  get: StateGetter,
  der: Buffer,
  now: number,
): { address: string; org: string; fingerprint: string } {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(der);
  } catch {
    throw bad("the client certificate cannot be parsed");
  }
  const fingerprint = createHash("sha256").update(der).digest("hex");
  if (now < Date.parse(cert.validFrom) || now > Date.parse(cert.validTo)) {
    throw new AuthError({ code: "AUTH_EXPIRED", message: "the client certificate is not valid now" });
  }
  const issuer = issuingOrg(get, cert);
  if (!issuer) throw bad("the client certificate is not issued by an organisation's CA on this chain");
  if (issuer.status !== "active") {
    throw new AuthError({ code: "AUTH_REVOKED", message: `organisation ${issuer.name} is removed` });
  }
  if (issuer.revokedCerts.some((r) => r.fingerprint === fingerprint)) {
    throw new AuthError({ code: "AUTH_REVOKED", message: "the client certificate is revoked", fingerprint });
  }
  const key = publicKeyInfoOf(cert);
  if (!key) throw bad("the client certificate's key is neither Ed25519 nor P-256");
  return { address: addressOf(key), org: issuer.name, fingerprint };
}

function issuingOrg(get: StateGetter, cert: X509Certificate): Org | undefined {
  const pem = cert.toString();
  return listOrgs(get).find((org) => org.caCerts.some((ca) => isIssuedBy(pem, ca)));
}

/** The certificate's key as a Weft public key (P-256 as its compressed point). */
export function publicKeyInfoOf(cert: X509Certificate): PublicKeyInfo | undefined {
  const jwk = cert.publicKey.export({ format: "jwk" });
  if (jwk.kty === "OKP" && jwk.crv === "Ed25519" && jwk.x) {
    return { alg: "ed25519", publicKey: Buffer.from(jwk.x, "base64url").toString("hex") };
  }
  if (jwk.kty === "EC" && jwk.crv === "P-256" && jwk.x && jwk.y) {
    const y = Buffer.from(jwk.y, "base64url");
    const prefix = ((y.at(-1) ?? 0) & 1) === 1 ? "03" : "02";
    return { alg: "p256", publicKey: prefix + Buffer.from(jwk.x, "base64url").toString("hex") };
  }
  return undefined;
}

const bad = (message: string) => new AuthError({ code: "AUTH_BAD_TOKEN", message });
