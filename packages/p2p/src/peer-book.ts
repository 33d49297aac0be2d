/**
 * Who may connect: every node of network.json with its organisation's CA parsed once, and the
 * check that turns a TLS peer certificate into one of those node ids.
 */
import { X509Certificate } from "node:crypto";
import type { RejectCode } from "./errors.js";
import { allNodes, type NetworkConfig } from "./network-config.js";
import { certificateInfo, issuedBy } from "./pki.js";

export interface KnownPeer {
  id: string;
  org: string;
  host: string;
  port: number;
  ca: X509Certificate;
}

export type PeerBook = ReadonlyMap<string, KnownPeer>;

export type PeerAuth = { ok: true; peer: KnownPeer } | { ok: false; code: RejectCode; detail: string };

export function buildPeerBook(network: NetworkConfig): PeerBook {
  const cas = new Map(network.orgs.map((org) => [org.name, new X509Certificate(org.caCert)]));
  return new Map(
    allNodes(network).map(({ org, node }) => [
      node.id,
      { id: node.id, org: org.name, host: node.host, port: node.port, ca: cas.get(org.name)! },
    ]),
  );
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
  let cn: string;
  let cert: X509Certificate;
  try {
    cn = certificateInfo(der).subjectCN;
    cert = new X509Certificate(der);
  } catch (e) {
    return { ok: false, code: "P2P_BAD_CERTIFICATE", detail: e instanceof Error ? e.message : String(e) };
  }
  if (expected !== undefined && cn !== expected) {
    return { ok: false, code: "P2P_WRONG_PEER", detail: `dialed ${expected}, certificate is for ${cn}` };
  }
  if (cn === self) return { ok: false, code: "P2P_SELF", detail: `peer presents our own node id ${cn}` };
  const peer = book.get(cn);
  if (!peer)
    return { ok: false, code: "P2P_UNKNOWN_PEER", detail: `node id ${cn} is not in the network config` };
  if (!issuedBy(cert, peer.ca)) {
    return {
      ok: false,
      code: "P2P_WRONG_ISSUER",
      detail: `certificate for ${cn} was not issued by ${peer.org}'s CA`,
    };
  }
  return { ok: true, peer };
}
