/**
 * Renewing a node's TLS certificate in its home (`weft cert rotate`): a new key and certificate
 * from the organisation CA kept in the home, written so that a reader (the running node's
 * watcher) never sees a torn file, with the previous pair kept as tls/node-prev.*.
 */
import { X509Certificate } from "node:crypto";
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { dirname, join } from "node:path";
import { certificateInfo, issueNodeCertificate } from "@weft/p2p";
import { NodeError } from "../errors.js";
import { homePaths } from "./home.js";

export interface NodeCertificateRotation {
  nodeId: string;
  org: string;
  /** SHA-256 of the new certificate (lower-case hex). */
  fingerprint: string;
  notAfter: Date;
  previousFingerprint: string;
  previousNotAfter: Date;
  certFile: string;
  /** Where the previous certificate is kept (its key beside it, node-prev.key). */
  previousCertFile: string;
}

/** The files of a home's TLS identity, current and previous. */
export function tlsFiles(home: string) {
  const paths = homePaths(home);
  const dir = dirname(paths.tlsCert);
  return {
    dir,
    cert: paths.tlsCert,
    key: paths.tlsKey,
    prevCert: join(dir, "node-prev.crt"),
    prevKey: join(dir, "node-prev.key"),
    caCert: paths.caCert,
    caKey: paths.caKey,
  };
}

/**
 * Issues a new key and certificate for the home's node (same node id, organisation and host
 * names) from the CA in the home, keeps the old pair as tls/node-prev.* and installs the new one.
 * A running node picks it up by itself (it watches the tls folder; SIGHUP also reloads).
 */
export async function rotateNodeCertificate(
  home: string,
  opts: { validityDays?: number; now?: Date } = {},
): Promise<NodeCertificateRotation> {
  const files = tlsFiles(home);
  for (const path of [files.cert, files.key, files.caCert, files.caKey]) {
    if (!existsSync(path)) {
      throw new NodeError({
        code: "NODE_BAD_CONFIG",
        message: `${path} not found (rotating the node certificate needs it; the CA key may be kept offline: run this where it is)`,
      });
    }
  }
  const oldCert = readFileSync(files.cert, "utf8");
  const oldKey = readFileSync(files.key, "utf8");
  const old = certificateInfo(oldCert);
  const fresh = await issueNodeCertificate(
    { certPem: readFileSync(files.caCert, "utf8"), keyPem: readFileSync(files.caKey, "utf8") },
    {
      nodeId: old.subjectCN,
      org: old.org,
      hosts: subjectAltHosts(oldCert),
      ...(opts.validityDays !== undefined ? { validityDays: opts.validityDays } : {}),
      ...(opts.now !== undefined ? { now: opts.now } : {}),
    },
  );
  const next = certificateInfo(fresh.certPem);
  writeAtomically(files.prevKey, oldKey, 0o600);
  writeAtomically(files.prevCert, oldCert, 0o644);
  // Key first: a reader that sees the new certificate also finds its key (until then the old pair matches).
  writeAtomically(files.key, fresh.keyPem, 0o600);
  writeAtomically(files.cert, fresh.certPem, 0o644);
  return {
    nodeId: next.subjectCN,
    org: next.org,
    fingerprint: next.fingerprint,
    notAfter: next.notAfter,
    previousFingerprint: old.fingerprint,
    previousNotAfter: old.notAfter,
    certFile: files.cert,
    previousCertFile: files.prevCert,
  };
}

/** Writes a temporary file beside `path`, syncs it and renames it over `path` (all or nothing). */
export function writeAtomically(path: string, data: string, mode: number): void {
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, "w", mode);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/** The DNS names and IP addresses of a certificate's subjectAltName, as issueNodeCertificate takes them. */
function subjectAltHosts(pem: string): string[] {
  const san = new X509Certificate(pem).subjectAltName;
  if (!san) return [];
  return san.split(", ").flatMap((entry) => {
    if (entry.startsWith("DNS:")) return [entry.slice(4)];
    if (entry.startsWith("IP Address:")) return [entry.slice(11)];
    return [];
  });
}
