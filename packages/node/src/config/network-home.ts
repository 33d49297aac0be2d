import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import {
  addressOf,
  type CanonicalValue,
  type Genesis,
  generateKeyPair,
  type KeyPair,
  parseJson,
} from "@weft/core";
import {
  certificateInfo,
  createOrgCa,
  findNode,
  issueNodeCertificate,
  type NetworkConfig,
  parseNetworkConfig,
} from "@weft/p2p";
import { NodeError } from "../errors.js";
import type { NodeNetwork } from "../node.js";
import { buildGenesis, homePaths, type InitOptions, writeGenesis, writeKeyFile } from "./home.js";
import { demoCompanyPrefix, type Gs1Assignment, identityAppState, memberOf } from "./identity-genesis.js";

export interface InitNetworkOptions extends InitOptions {
  /** Organisation names; each gets a CA, a validator node and a home folder of its own. */
  orgs: string[];
  /** Host every node is reached at (one machine: 127.0.0.1; see docs/DEPLOY.md for several). */
  host: string;
  /** Peer port of the first organisation's node; the others count up from it. */
  basePeerPort: number;
  /** API port of the first organisation's node; the others count up from it. */
  baseApiPort: number;
  /**
   * GS1 identifiers per organisation name (locations under them count as the org's own for
   * `trace.capture`); an org not listed gets the demo company prefix `demoCompanyPrefix(i)` (9520001, 9520002…).
   */
  gs1?: Record<string, Gs1Assignment>;
}

export interface InitNetworkReport {
  root: string;
  genesis: Genesis;
  network: NetworkConfig;
  accounts: Record<string, KeyPair>;
  orgs: {
    name: string;
    home: string;
    nodeId: string;
    validator: string;
    peerPort: number;
    apiPort: number;
    /** The organisation's first admin (roles [admin]): it votes for the org in governance. */
    admin: KeyPair;
    adminKeyFile: string;
  }[];
}

/**
 * Creates a multi-organisation network in `root` (`weft init --orgs N`):
 *   genesis.json, network.json   shared by every organisation (copied into each home)
 *   keys/<account>.json          funded account keys
 *   <org>/                       one node home per organisation: its CA, node key, TLS
 *                                certificate issued by its CA, config.json with its ports,
 *                                keys/admin.json (the org's admin member key)
 * Each <org> folder is what that organisation copies to its own machine.
 *
 * The genesis is permissioned: `appState.identity` registers every organisation (its CA, node,
 * GS1 identifiers) with an `admin` member, its node key as member `node` (operator, writer), the
 * funded accounts as writers of the first organisation, and the default policies.
 */
export async function initNetwork(root: string, options: InitNetworkOptions): Promise<InitNetworkReport> {
  if (existsSync(join(root, "genesis.json")) || existsSync(join(root, "network.json"))) {
    throw new NodeError({ code: "NODE_BAD_CONFIG", message: `${root} is already initialised` });
  }
  if (options.orgs.length === 0 || new Set(options.orgs).size !== options.orgs.length) {
    throw new NodeError({
      code: "NODE_BAD_CONFIG",
      message: "organisation names must be distinct and at least one",
    });
  }
  const alg = options.keyAlg ?? "ed25519";
  const orgs = await Promise.all(
    options.orgs.map(async (name, i) => {
      const ca = await createOrgCa(name);
      const nodeId = `${name}-node`;
      const tls = await issueNodeCertificate(ca, { nodeId, org: name, hosts: [options.host, "localhost"] });
      return {
        name,
        ca,
        tls,
        nodeId,
        key: generateKeyPair(alg),
        admin: generateKeyPair(alg),
        gs1: options.gs1?.[name] ?? { companyPrefixes: [demoCompanyPrefix(i)], glns: [] },
        peerPort: options.basePeerPort + i,
        apiPort: options.baseApiPort + i,
      };
    }),
  );
  const accounts: Record<string, KeyPair> = {};
  for (const name of options.accounts) accounts[name] = generateKeyPair(alg);
  const identity = identityAppState(
    orgs.map((o, i) => ({
      name: o.name,
      caCert: o.ca.certPem,
      nodes: [{ id: o.nodeId, host: options.host, port: o.peerPort }],
      gs1: o.gs1,
      members: [
        memberOf("admin", ["admin"], o.admin),
        memberOf("node", ["operator", "writer"], o.key),
        // The funded accounts are operators and writers of the first organisation (demo users:
        // they create assets and capture for its locations).
        ...(i === 0
          ? Object.entries(accounts).map(([name, key]) => memberOf(name, ["operator", "writer"], key))
          : []),
      ],
    })),
  );
  const genesis = buildGenesis(
    options,
    orgs.map((o) => ({ name: o.name, key: o.key })),
    accounts,
    { identity: identity as unknown as CanonicalValue, gov: {} },
  );
  const network = parseNetworkConfig({
    type: "weft-network/v1",
    chainId: options.chainId,
    orgs: orgs.map((o) => ({
      name: o.name,
      caCert: o.ca.certPem,
      nodes: [{ id: o.nodeId, host: options.host, port: o.peerPort, validator: addressOf(o.key) }],
    })),
  });
  const networkText = `${JSON.stringify(network, null, 2)}\n`;

  mkdirSync(join(root, "keys"), { recursive: true });
  writeGenesis(join(root, "genesis.json"), genesis);
  writeFileSync(join(root, "network.json"), networkText);
  for (const [name, key] of Object.entries(accounts)) writeKeyFile(join(root, "keys", `${name}.json`), key);
  for (const o of orgs) {
    const home = join(root, o.name);
    const paths = homePaths(home);
    mkdirSync(join(home, "tls"), { recursive: true });
    mkdirSync(join(home, "ca"), { recursive: true });
    mkdirSync(paths.keys, { recursive: true });
    writeGenesis(paths.genesis, genesis);
    writeFileSync(paths.network, networkText);
    writeKeyFile(paths.nodeKey, o.key);
    writeKeyFile(join(paths.keys, "admin.json"), o.admin);
    writeFileSync(paths.caCert, o.ca.certPem);
    writeFileSync(paths.caKey, o.ca.keyPem, { mode: 0o600 });
    writeFileSync(paths.tlsCert, o.tls.certPem);
    writeFileSync(paths.tlsKey, o.tls.keyPem, { mode: 0o600 });
    const config = { api: { port: o.apiPort }, p2p: { port: o.peerPort } };
    writeFileSync(paths.config, `${JSON.stringify(config, null, 2)}\n`);
  }
  return {
    root,
    genesis,
    network,
    accounts,
    orgs: orgs.map((o) => ({
      name: o.name,
      home: join(root, o.name),
      nodeId: o.nodeId,
      validator: addressOf(o.key),
      peerPort: o.peerPort,
      apiPort: o.apiPort,
      admin: o.admin,
      adminKeyFile: join(root, o.name, "keys", "admin.json"),
    })),
  };
}

/**
 * The network a node home belongs to, or undefined for a single-node home (no network.json).
 * The node id is the CN of the home's TLS certificate and must be listed in the peer book.
 */
export function readNodeNetwork(home: string): NodeNetwork | undefined {
  const paths = homePaths(home);
  if (!existsSync(paths.network)) return undefined;
  const bad = (message: string) => new NodeError({ code: "NODE_BAD_CONFIG", message });
  let config: NetworkConfig;
  try {
    config = parseNetworkConfig(parseJson(readFileSync(paths.network)));
  } catch (e) {
    throw bad(`${paths.network}: ${(e as Error).message}`);
  }
  for (const path of [paths.tlsCert, paths.tlsKey]) {
    if (!existsSync(path))
      throw bad(`${path} not found (network.json needs this node's TLS certificate and key)`);
  }
  const certPem = readFileSync(paths.tlsCert, "utf8");
  const keyPem = readFileSync(paths.tlsKey, "utf8");
  const nodeId = certificateInfo(certPem).subjectCN;
  if (!findNode(config, nodeId))
    throw bad(`this node's certificate names ${nodeId}, which network.json does not list`);
  const identityFiles = { dir: dirname(paths.tlsCert), cert: paths.tlsCert, key: paths.tlsKey };
  return { config, nodeId, identity: { certPem, keyPem }, identityFiles };
}
