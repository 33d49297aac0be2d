/**
 * The network's peer book (`network.json`), shared by every organisation like genesis.json:
 * which organisations exist, the CA certificate each one issues node certificates from, and
 * where each node listens for peers. Only nodes listed here may connect.
 */
import { X509Certificate } from "node:crypto";
import { isIP } from "node:net";
import { P2PError } from "./errors.js";

const NODE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** DNS labels; "_" allowed because container runtimes resolve service names that use it. */
const HOSTNAME =
  /^(?=.{1,253}$)[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?(?:\.[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?)*$/;

export interface NetworkNode {
  /** Unique node id; equals the CN of the node's TLS certificate, e.g. "org1-node". */
  id: string;
  /** Host or IP other nodes dial. */
  host: string;
  /** Peer-to-peer (TLS) port. */
  port: number;
  /** The node's validator address in genesis, when it is a validator. */
  validator?: string;
}

export interface NetworkOrg {
  /** Organisation name, e.g. "org1"; the O of its CA and node certificates. */
  name: string;
  /** PEM of the organisation's CA certificate: an issuer accepted for its nodes. */
  caCert: string;
  /**
   * Further CA certificates accepted for its nodes besides `caCert`, during a CA rotation: nodes
   * with certificates from the old and the new CA both connect until the old one is dropped.
   */
  caCerts?: string[];
  nodes: NetworkNode[];
}

export interface NetworkConfig {
  type: "weft-network/v1";
  chainId: string;
  orgs: NetworkOrg[];
  /**
   * The consortium's API access policy: the node API's read route groups that stay public on
   * every node (the node checks the names; its own api.auth.publicReads overrides).
   */
  access?: { publicReads: string[] };
}

/**
 * Parses network.json strictly: anything unexpected is refused with the path that holds it.
 * `allowEmpty` accepts no organisations and organisations without nodes: a peer book built from
 * the on-chain registry may have them (network.json may not).
 */
export function parseNetworkConfig(value: unknown, opts: { allowEmpty?: boolean } = {}): NetworkConfig {
  const list = opts.allowEmpty ? array : nonEmptyArray;
  const root = record(value, "$", ["type", "chainId", "orgs", "access"]);
  if (root.type !== "weft-network/v1") fail("type", 'must be "weft-network/v1"');
  const chainId = nonEmptyString(root.chainId, "chainId");
  const orgs = list(root.orgs, "orgs").map((org, i) => parseOrg(org, `orgs[${i}]`, list));
  const seen = { org: new Set<string>(), ca: new Set<string>(), id: new Set<string>() };
  const seenAddress = new Set<string>();
  const seenValidator = new Set<string>();
  orgs.forEach((org, i) => {
    unique(seen.org, org.name, `orgs[${i}].name`, "organisation name");
    // One organisation's CA may never vouch for another's nodes, so no CA appears twice.
    const own = new Set<string>();
    orgCaCerts(org).forEach((pem, k) => {
      const fingerprint = new X509Certificate(pem).fingerprint256;
      if (own.has(fingerprint)) return;
      own.add(fingerprint);
      unique(seen.ca, fingerprint, k === 0 ? `orgs[${i}].caCert` : `orgs[${i}].caCerts`, "CA certificate");
    });
    org.nodes.forEach((node, j) => {
      const path = `orgs[${i}].nodes[${j}]`;
      unique(seen.id, node.id, `${path}.id`, "node id");
      unique(seenAddress, `${node.host.toLowerCase()}:${node.port}`, `${path}.port`, "host:port");
      if (node.validator !== undefined)
        unique(seenValidator, node.validator, `${path}.validator`, "validator");
    });
  });
  if (root.access === undefined) return { type: "weft-network/v1", chainId, orgs };
  const access = record(root.access, "access", ["publicReads"]);
  const publicReads = array(access.publicReads, "access.publicReads").map((g, i) =>
    nonEmptyString(g, `access.publicReads[${i}]`),
  );
  return { type: "weft-network/v1", chainId, orgs, access: { publicReads } };
}

export function findNode(
  config: NetworkConfig,
  id: string,
): { org: NetworkOrg; node: NetworkNode } | undefined {
  for (const org of config.orgs) {
    const node = org.nodes.find((n) => n.id === id);
    if (node) return { org, node };
  }
  return undefined;
}

/** Every CA certificate accepted for the organisation's nodes (`caCert` first, no duplicates). */
export function orgCaCerts(org: NetworkOrg): string[] {
  return [...new Set([org.caCert, ...(org.caCerts ?? [])])];
}

/** The CA certificates of every organisation: the TLS trust roots. */
export function allCaCerts(config: NetworkConfig): string[] {
  return config.orgs.flatMap(orgCaCerts);
}

export function allNodes(config: NetworkConfig): { org: NetworkOrg; node: NetworkNode }[] {
  return config.orgs.flatMap((org) => org.nodes.map((node) => ({ org, node })));
}

function parseOrg(value: unknown, path: string, list: typeof array): NetworkOrg {
  const o = record(value, path, ["name", "caCert", "caCerts", "nodes"]);
  const name = nonEmptyString(o.name, `${path}.name`);
  const caCert = caCertificate(o.caCert, `${path}.caCert`);
  const nodes = list(o.nodes, `${path}.nodes`).map((n, j) => parseNode(n, `${path}.nodes[${j}]`));
  if (o.caCerts === undefined) return { name, caCert, nodes };
  const caCerts = array(o.caCerts, `${path}.caCerts`).map((c, k) =>
    caCertificate(c, `${path}.caCerts[${k}]`),
  );
  return { name, caCert, caCerts, nodes };
}

function caCertificate(value: unknown, path: string): string {
  const pem = nonEmptyString(value, path);
  let ca: X509Certificate;
  try {
    ca = new X509Certificate(pem);
  } catch {
    fail(path, "is not a PEM X.509 certificate");
  }
  if (!ca.ca) fail(path, "is not a CA certificate (basicConstraints CA:true)");
  return pem;
}

function parseNode(value: unknown, path: string): NetworkNode {
  const o = record(value, path, ["id", "host", "port", "validator"]);
  const node: NetworkNode = {
    id: nodeId(o.id, `${path}.id`),
    host: host(o.host, `${path}.host`),
    port: port(o.port, `${path}.port`),
  };
  if (o.validator !== undefined) node.validator = nonEmptyString(o.validator, `${path}.validator`);
  return node;
}

function record(value: unknown, path: string, allowed: string[]): Record<string, unknown> {
  if (typeof value !== "object" || value === null || Array.isArray(value)) fail(path, "must be an object");
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) fail(path === "$" ? key : `${path}.${key}`, "is not a known field");
  }
  return value as Record<string, unknown>;
}

function nonEmptyString(value: unknown, path: string): string {
  if (typeof value !== "string" || value.trim() === "") fail(path, "must be a non-empty string");
  if (value !== value.trim()) fail(path, "must not start or end with whitespace");
  return value;
}

/** Node ids are certificate CNs, log fields and metric labels: kept to a plain ASCII set. */
function nodeId(value: unknown, path: string): string {
  const id = nonEmptyString(value, path);
  if (!NODE_ID.test(id)) fail(path, "must be 1-64 of A-Z a-z 0-9 . _ - starting with a letter or digit");
  return id;
}

/** A DNS name or an IP address; catches "host:port" and URLs written where a host belongs. */
function host(value: unknown, path: string): string {
  const h = nonEmptyString(value, path);
  if (isIP(h) === 0 && !HOSTNAME.test(h)) fail(path, "must be a DNS name or an IP address");
  return h;
}

function array(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value)) fail(path, "must be an array");
  return value;
}

function nonEmptyArray(value: unknown, path: string): unknown[] {
  if (!Array.isArray(value) || value.length === 0) fail(path, "must be a non-empty array");
  return value;
}

function port(value: unknown, path: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 65_535) {
    fail(path, "must be an integer port in 1..65535");
  }
  return value;
}

function unique(seen: Set<string>, key: string, path: string, what: string): void {
  if (seen.has(key)) fail(path, `duplicate ${what} "${key}"`);
  seen.add(key);
}

function fail(path: string, problem: string): never {
  throw new P2PError({ code: "P2P_BAD_NETWORK_CONFIG", message: `network config: ${path} ${problem}`, path });
}
