/**
 * Who may connect: every node of the network config with its organisation's CAs parsed once,
 * the revoked node certificates, and the check that turns a TLS peer certificate into one of
 * those node ids.
 */
import { X509Certificate } from "node:crypto";
import type { RejectCode } from "./errors.js";
import { allNodes, type NetworkConfig, orgCaCerts } from "./network-config.js";
import { type CertificateInfo, certificateInfo, issuedBy, normalizeFingerprint } from "./pki.js";

export interface KnownPeer {
  id: string;
  org: string;
  host: string;
  port: number;
  /** Every CA accepted for this node (more than one during a CA rotation). */
  cas: X509Certificate[];
}

export interface PeerBook {
  peers: ReadonlyMap<string, KnownPeer>;
  /** SHA-256 fingerprints (lower-case hex) of node certificates refused whatever else holds. */
  revoked: ReadonlySet<string>;
}

export type PeerAuth =
  | { ok: true; peer: KnownPeer; certificate: CertificateInfo }
  | { ok: false; code: RejectCode; detail: string };

export function buildPeerBook(network: NetworkConfig, revoked: readonly string[] = []): PeerBook {
  const cas = new Map(
    network.orgs.map((org) => [org.name, orgCaCerts(org).map((pem) => new X509Certificate(pem))]),
  );
  const peers = new Map(
    allNodes(network).map(({ org, node }) => [
      node.id,
      { id: node.id, org: org.name, host: node.host, port: node.port, cas: cas.get(org.name)! },
    ]),
  );
  return { peers, revoked: new Set(revoked.map(normalizeFingerprint)) };
}

/**
 * TLS has already verified the chain against the union of all organisation CAs; this pins the
 * certificate to one configured node of the organisation whose CA issued it, so one
 * organisation's CA cannot vouch for another organisation's node ids.
 */
export function authenticatePeer(
  der: Buffer | undefined,
  book: PeerBook,
  self: string,
  expected?: string,
): PeerAuth {
  if (!der || der.length === 0)
    return { ok: false, code: "P2P_NO_CERTIFICATE", detail: "no peer certificate" };
  let info: CertificateInfo;
  let cert: X509Certificate;
  try {
    info = certificateInfo(der);
    cert = new X509Certificate(der);
  } catch (e) {
    return { ok: false, code: "P2P_BAD_CERTIFICATE", detail: e instanceof Error ? e.message : String(e) };
  }
  const cn = info.subjectCN;
  if (expected !== undefined && cn !== expected) {
    return { ok: false, code: "P2P_WRONG_PEER", detail: `dialed ${expected}, certificate is for ${cn}` };
  }
  if (cn === self) return { ok: false, code: "P2P_SELF", detail: `peer presents our own node id ${cn}` };
  const peer = book.peers.get(cn);
  if (!peer)
    return { ok: false, code: "P2P_UNKNOWN_PEER", detail: `node id ${cn} is not in the network config` };
  if (book.revoked.has(info.fingerprint)) {
    return { ok: false, code: "P2P_REVOKED", detail: `certificate ${info.fingerprint} of ${cn} is revoked` };
  }
  // TLS checked the validity window already; checked again for connections re-examined later.
  const now = Date.now();
  if (info.notAfter.getTime() < now) {
    return {
      ok: false,
      code: "P2P_CERT_EXPIRED",
      detail: `certificate of ${cn} expired at ${info.notAfter.toISOString()}`,
    };
  }
  if (info.notBefore.getTime() > now) {
    return {
      ok: false,
      code: "P2P_CERT_NOT_YET_VALID",
      detail: `certificate of ${cn} is valid from ${info.notBefore.toISOString()}`,
    };
  }
  if (!peer.cas.some((ca) => issuedBy(cert, ca))) {
    return {
      ok: false,
      code: "P2P_WRONG_ISSUER",
      detail: `certificate for ${cn} was not issued by ${peer.org}'s CA`,
    };
  }
  return { ok: true, peer, certificate: info };
}
