import { existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { addressOf, type Genesis, generateKeyPair, type KeyAlgorithm } from "@weft/core";
import { homePaths, readGenesis, writeGenesis, writeKeyFile } from "@weft/node";
import { createOrgCa, issueNodeCertificate, type NetworkConfig, parseNetworkConfig } from "@weft/p2p";
import { CliError } from "./errors.js";
import { MEMBERSHIP_REQUEST_TYPE, type MembershipRequest } from "./membership.js";

export interface NewOrgOptions {
  name: string;
  host: string;
  peerPort: number;
  apiPort: number;
  alg: KeyAlgorithm;
  gs1: { companyPrefixes: string[]; glns: string[] };
}

/** The chain a new organisation joins: its genesis and its peer book, as another member shares them. */
export interface NetworkSource {
  genesis: Genesis;
  network: NetworkConfig;
  genesisPath: string;
  networkPath: string;
}

const badInput = (message: string): CliError => new CliError({ code: "CLI_BAD_INPUT", message, exitCode: 2 });

/** `--from`: a folder holding genesis.json and network.json (a network folder or a node home), or a genesis.json beside its network.json. */
export function readNetworkSource(from: string): NetworkSource {
  if (!existsSync(from)) throw badInput(`--from ${from} does not exist`);
  const dir = statSync(from).isDirectory() ? from : dirname(from);
  const genesisPath = statSync(from).isDirectory() ? join(from, "genesis.json") : from;
  const networkPath = join(dir, "network.json");
  for (const path of [genesisPath, networkPath]) {
    if (!existsSync(path))
      throw badInput(
        `--from: ${path} not found (give the network folder, or a genesis.json beside its network.json)`,
      );
  }
  let genesis: Genesis;
  let network: NetworkConfig;
  try {
    genesis = readGenesis(genesisPath);
  } catch (e) {
    throw badInput(`--from: ${genesisPath}: ${(e as Error).message}`);
  }
  try {
    network = parseNetworkConfig(JSON.parse(readFileSync(networkPath, "utf8")));
  } catch (e) {
    throw badInput(`--from: ${networkPath}: ${(e as Error).message}`);
  }
  if (network.chainId !== genesis.chainId)
    throw badInput(
      `--from: ${networkPath} is for chain ${network.chainId}, ${genesisPath} for ${genesis.chainId}`,
    );
  return { genesis, network, genesisPath, networkPath };
}

export interface NewOrgReport {
  home: string;
  request: MembershipRequest;
  files: {
    genesis: string;
    network: string;
    config: string;
    nodeKey: string;
    tlsCert: string;
    caCert: string;
    caKey: string;
    adminKey: string;
    request: string;
  };
}

/**
 * Writes the home of an organisation joining `source`'s network: its own CA, TLS certificate,
 * validator key and admin key (nothing of any other organisation's), the network's genesis,
 * and the peer book with itself added so its node can start once the consortium adds it.
 */
export async function writeNewOrgHome(
  out: string,
  source: NetworkSource,
  o: NewOrgOptions,
): Promise<NewOrgReport> {
  if (existsSync(out) && (!statSync(out).isDirectory() || readdirSync(out).length > 0)) {
    throw new CliError({
      code: "CLI_HOME_EXISTS",
      message: `--out ${out} exists and is not an empty folder (choose another, or move it away)`,
      exitCode: 1,
    });
  }
  const nodeId = `${o.name}-node`;
  const ca = await createOrgCa(o.name);
  const tls = await issueNodeCertificate(ca, { nodeId, org: o.name, hosts: [o.host, "localhost"] });
  const nodeKey = generateKeyPair(o.alg);
  const admin = generateKeyPair(o.alg);
  const node = { id: nodeId, host: o.host, port: o.peerPort };
  // Checked like the node will check it: a clash of host:port or CA with a member is refused now.
  let network: NetworkConfig;
  try {
    network = parseNetworkConfig({
      ...source.network,
      orgs: [
        ...source.network.orgs,
        { name: o.name, caCert: ca.certPem, nodes: [{ ...node, validator: addressOf(nodeKey) }] },
      ],
    });
  } catch (e) {
    throw badInput(`the network's peer book does not take ${o.name}: ${(e as Error).message}`);
  }
  const request: MembershipRequest = {
    type: MEMBERSHIP_REQUEST_TYPE,
    chainId: source.genesis.chainId,
    name: o.name,
    caCerts: [ca.certPem],
    nodes: [node],
    gs1: o.gs1,
    admin: {
      id: "admin",
      publicKey: { alg: admin.alg, publicKey: admin.publicKey },
      address: addressOf(admin),
    },
    validator: {
      name: o.name,
      publicKey: { alg: nodeKey.alg, publicKey: nodeKey.publicKey },
      address: addressOf(nodeKey),
    },
  };
  const paths = homePaths(out);
  const files = {
    genesis: paths.genesis,
    network: paths.network,
    config: paths.config,
    nodeKey: paths.nodeKey,
    tlsCert: paths.tlsCert,
    caCert: paths.caCert,
    caKey: paths.caKey,
    adminKey: join(paths.keys, "admin.json"),
    request: join(out, "membership-request.json"),
  };
  for (const dir of [dirname(paths.tlsCert), dirname(paths.caKey), paths.keys])
    mkdirSync(dir, { recursive: true });
  writeGenesis(paths.genesis, source.genesis);
  writeFileSync(paths.network, `${JSON.stringify(network, null, 2)}\n`);
  writeFileSync(
    paths.config,
    `${JSON.stringify({ api: { port: o.apiPort }, p2p: { port: o.peerPort } }, null, 2)}\n`,
  );
  writeKeyFile(paths.nodeKey, nodeKey);
  writeKeyFile(files.adminKey, admin);
  writeFileSync(paths.caCert, ca.certPem);
  writeFileSync(paths.caKey, ca.keyPem, { mode: 0o600 });
  writeFileSync(paths.tlsCert, tls.certPem);
  writeFileSync(paths.tlsKey, tls.keyPem, { mode: 0o600 });
  writeFileSync(files.request, `${JSON.stringify(request, null, 2)}\n`);
  return { home: out, request, files };
}
