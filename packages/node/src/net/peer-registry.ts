/**
 * The peer book from the on-chain identity registry. Once a chain has organisations in state
 * (`identity/orgs`), who may connect is decided by the chain, not by each node's network.json
 * (which only bootstraps the first connections): after every block that touched the registry,
 * the active organisations with their CA certificates and nodes, and every revoked node
 * certificate, become the p2p host's peer book.
 */
import { type CanonicalValue, canonicalString, parseJson } from "@weft/core";
import { type NetworkUpdate, normalizeFingerprint, type P2PHost } from "@weft/p2p";
import { fullKey, identityEnabled, listOrgs, ORGS_KEY, type StateGetter } from "../modules/identity/state.js";

const ORG_PREFIX = fullKey("org/");
const ORGS = fullKey(ORGS_KEY);

/**
 * The peer book the registry describes, or undefined when the chain has no registry (open
 * chain: network.json stays in force). Removed organisations are left out, so their nodes are
 * disconnected and refused; their revoked certificates stay revoked.
 */
export function registryNetwork(get: StateGetter, chainId: string): NetworkUpdate | undefined {
  if (!identityEnabled(get)) return undefined;
  const orgs = listOrgs(get);
  const active = orgs.filter((org) => org.status === "active" && org.caCerts.length > 0);
  return {
    type: "weft-network/v1",
    chainId,
    orgs: active.map((org) => ({
      name: org.name,
      caCert: org.caCerts[0] as string,
      caCerts: [...org.caCerts],
      nodes: org.nodes.map((n) => ({ id: n.id, host: n.host, port: n.port })),
    })),
    revoked: [...new Set(orgs.flatMap((org) => org.revokedCerts.map((r) => r.fingerprint)))].sort(),
  };
}

/** Whether a block's state changes touched what the peer book is built from. */
export function touchesRegistry(changedKeys: Iterable<string>): boolean {
  for (const key of changedKeys) if (key === ORGS || key.startsWith(ORG_PREFIX)) return true;
  return false;
}

/** A getter over committed state bytes (the node's ChainStore). */
export function committedGetter(read: (key: string) => Uint8Array | undefined): StateGetter {
  return (key) => {
    const bytes = read(key);
    return bytes === undefined ? undefined : (parseJson(bytes) as CanonicalValue);
  };
}

export interface PeerRegistryParams {
  host: Pick<P2PHost, "updateNetwork" | "stats">;
  get: StateGetter;
  chainId: string;
  self: string;
  log: { info(obj: object, msg: string): void; error(obj: object, msg: string): void };
}

/** Keeps the p2p host's peer book equal to the registry's, applying only actual changes. */
export class PeerRegistry {
  readonly #p: PeerRegistryParams;
  #applied: string | undefined;
  #waiting = false;

  constructor(params: PeerRegistryParams) {
    this.#p = params;
  }

  /** After a commit: re-reads the registry when the block changed it. */
  committed(height: number, changedKeys: Iterable<string>): void {
    if (touchesRegistry(changedKeys)) this.refresh(height);
  }

  /** Applies the registry's peer book if it differs from the last one applied; false without a registry. */
  refresh(height?: number): boolean {
    const { host, get, chainId, self, log } = this.#p;
    const network = registryNetwork(get, chainId);
    if (!network) return false;
    // A joining node replays the chain from before its admission: until its own entry is in
    // the registry it keeps network.json, or it would refuse the peers it must sync from.
    if (!listOrgs(get).some((org) => org.nodes.some((n) => n.id === self))) {
      if (!this.#waiting)
        log.info(
          { height, node: self },
          "this node is not in the on-chain registry yet: network.json stays the peer book until the chain admits it",
        );
      this.#waiting = true;
      return true;
    }
    this.#waiting = false;
    const text = canonicalString(network as unknown as CanonicalValue);
    if (text === this.#applied) return true;
    try {
      host.updateNetwork(network);
    } catch (err) {
      log.error({ err, height }, "the on-chain peer book could not be applied; the previous one stays");
      return true;
    }
    this.#applied = text;
    const own = network.orgs.find((org) => org.nodes.some((n) => n.id === self));
    if (!own) {
      log.error(
        { height, node: self },
        "this node is not in the on-chain registry (its organisation was removed, or its node entry): it has no peers now and the others refuse it",
      );
      return true;
    }
    const fingerprint = host.stats().identity.fingerprint;
    if (network.revoked?.some((f) => normalizeFingerprint(f) === fingerprint)) {
      log.error(
        { height, node: self, fingerprint },
        "this node's TLS certificate is revoked on chain: peers refuse it; rotate it (weft cert rotate)",
      );
    }
    log.info(
      {
        height,
        orgs: network.orgs.map((o) => o.name),
        nodes: network.orgs.reduce((n, o) => n + o.nodes.length, 0),
        revoked: network.revoked?.length ?? 0,
      },
      "peer book from the on-chain registry",
    );
    return true;
  }
}
