/**
 * The node side of membership and the certificate lifecycle, wired once: the peer book follows
 * the on-chain registry, a rotated TLS certificate is picked up from disk, and every known
 * certificate is watched for expiry.
 */
import type { P2PHost } from "@weft/p2p";
import type { Logger } from "pino";
import type { IdentityOptions } from "../identity-options.js";
import type { Metrics } from "../metrics/metrics.js";
import { fullKey } from "../modules/identity/state.js";
import type { ChainStore } from "../storage/chain-store.js";
import { CertificateMonitor, type KnownCertificate, registryCertificates } from "./cert-expiry.js";
import { type IdentityFiles, IdentityWatcher } from "./identity-watcher.js";
import { committedGetter, PeerRegistry } from "./peer-registry.js";

export interface NodeIdentityParams {
  store: ChainStore;
  chainId: string;
  options: IdentityOptions;
  metrics: Metrics;
  log: Logger;
  /** With a p2p host (BFT engine): its peer book and TLS identity are managed too. */
  p2p?: { host: P2PHost; self: string; files?: IdentityFiles; sighup?: boolean };
}

export interface NodeIdentity {
  readonly certificates: CertificateMonitor;
  /** After each commit, with the keys the block changed. */
  committed(height: number, changedKeys: Iterable<string>): void;
  /** Before the p2p host starts: the peer book from the registry. */
  start(): void;
  stop(): void;
}

export function createNodeIdentity(p: NodeIdentityParams): NodeIdentity {
  const get = committedGetter((key) => p.store.getState(key));
  const log = p.log.child({ module: "identity" });
  const registry = p.p2p
    ? new PeerRegistry({ host: p.p2p.host, get, chainId: p.chainId, self: p.p2p.self, log })
    : undefined;
  const watcher =
    p.p2p?.files &&
    new IdentityWatcher({
      files: p.p2p.files,
      host: p.p2p.host,
      debounceMs: p.options.certReloadDebounceMs,
      log,
      sighup: p.p2p.sighup ?? false,
    });
  const host = p.p2p?.host;
  const sources = (): KnownCertificate[] => {
    const certs = registryCertificates(get, p.store.stateEntries(fullKey("member/")), Date.now());
    if (host) {
      const stats = host.stats();
      certs.push({ kind: "node", ...stats.identity });
      for (const peer of stats.peers) if (peer.certificate) certs.push({ kind: "peer", ...peer.certificate });
    }
    return certs;
  };
  const certificates = new CertificateMonitor({
    sources,
    options: p.options,
    gauge: p.metrics.certificateExpiry,
    log,
  });
  return {
    certificates,
    committed(height, changedKeys) {
      registry?.committed(height, changedKeys);
    },
    start() {
      registry?.refresh(p.store.head()?.height);
      watcher?.start();
      certificates.start();
    },
    stop() {
      watcher?.stop();
      certificates.stop();
    },
  };
}
