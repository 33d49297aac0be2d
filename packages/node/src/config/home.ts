import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  addressOf,
  canonicalString,
  defaultChainParams,
  type Genesis,
  generateKeyPair,
  type KeyAlgorithm,
  type KeyPair,
  keyPairFromSecret,
  parseGenesis,
  parseJson,
} from "@weft/core";
import { NodeError } from "../errors.js";

/**
 * A node's home folder:
 *   genesis.json    the chain's trust anchor (shared by every node and verifier)
 *   node-key.json   this node's validator key (weft-key/v1)
 *   config.json     overrides of the default options (optional)
 *   keys/*.json     account keys created by `weft init` / `weft keys`
 *   data/           LMDB storage (and data/consensus/: the WAL and the double-sign guard)
 * and, for a node of a multi-organisation network (`weft init --orgs N`):
 *   network.json    the peer book: organisations, their CA certificates, node addresses
 *   tls/node.crt    this node's TLS certificate, issued by its organisation's CA
 *   tls/node.key    its private key
 *   tls/ca.crt      the organisation's CA certificate
 *   ca/ca.key       the organisation CA's private key (move it offline in production)
 */
export const homePaths = (home: string) => ({
  genesis: join(home, "genesis.json"),
  nodeKey: join(home, "node-key.json"),
  config: join(home, "config.json"),
  keys: join(home, "keys"),
  data: join(home, "data"),
  network: join(home, "network.json"),
  tlsCert: join(home, "tls", "node.crt"),
  tlsKey: join(home, "tls", "node.key"),
  caCert: join(home, "tls", "ca.crt"),
  caKey: join(home, "ca", "ca.key"),
});

export interface KeyFile {
  type: "weft-key/v1";
  alg: KeyAlgorithm;
  publicKey: string;
  secretKey: string;
  address: string;
}

export function keyFileOf(key: KeyPair): KeyFile {
  return {
    type: "weft-key/v1",
    alg: key.alg,
    publicKey: key.publicKey,
    secretKey: key.secretKey,
    address: addressOf(key),
  };
}

export function readKeyFile(path: string): KeyPair {
  if (!existsSync(path))
    throw new NodeError({ code: "NODE_BAD_CONFIG", message: `key file ${path} not found` });
  const raw = parseJson(readFileSync(path)) as Partial<KeyFile>;
  if (
    raw?.type !== "weft-key/v1" ||
    (raw.alg !== "ed25519" && raw.alg !== "p256") ||
    typeof raw.secretKey !== "string"
  ) {
    throw new NodeError({ code: "NODE_BAD_CONFIG", message: `${path} is not a weft-key/v1 file` });
  }
  const key = keyPairFromSecret(raw.alg, raw.secretKey);
  if (key.publicKey !== raw.publicKey) {
    throw new NodeError({
      code: "NODE_BAD_CONFIG",
      message: `${path}: public key does not match the secret key`,
    });
  }
  return key;
}

export function writeKeyFile(path: string, key: KeyPair): void {
  writeFileSync(path, `${JSON.stringify(keyFileOf(key), null, 2)}\n`, { mode: 0o600, flag: "wx" });
}

export interface InitOptions {
  chainId: string;
  /** Accounts to create keys for and fund; the first also issues the genesis asset. */
  accounts: string[];
  /** A genesis asset created for the first account, with every account funded. */
  asset?: { id: string; name: string; decimals: number; supplyPerAccount: string };
  genesisTime?: number;
  keyAlg?: KeyAlgorithm;
}

/** Creates a home folder with a one-validator genesis and funded accounts (`weft init`). */
export function initHome(
  home: string,
  options: InitOptions,
): { genesis: Genesis; accounts: Record<string, KeyPair> } {
  const paths = homePaths(home);
  if (existsSync(paths.genesis)) {
    throw new NodeError({
      code: "NODE_BAD_CONFIG",
      message: `${home} is already initialised (genesis.json exists)`,
    });
  }
  mkdirSync(paths.keys, { recursive: true });
  const nodeKey = generateKeyPair(options.keyAlg ?? "ed25519");
  const accounts: Record<string, KeyPair> = {};
  for (const name of options.accounts) accounts[name] = generateKeyPair(options.keyAlg ?? "ed25519");
  const genesis = buildGenesis(options, [{ name: "validator-0", key: nodeKey }], accounts);
  writeKeyFile(paths.nodeKey, nodeKey);
  for (const [name, key] of Object.entries(accounts)) writeKeyFile(join(paths.keys, `${name}.json`), key);
  writeGenesis(paths.genesis, genesis);
  return { genesis, accounts };
}

/**
 * A genesis with the given validators (power 10 each) and funded accounts. Without `modules`
 * (single-node `weft init`) the chain is open: no `identity` appState, so no permissions;
 * `initNetwork` passes `identity` and `gov` to make it permissioned.
 */
export function buildGenesis(
  options: InitOptions,
  validators: { name: string; key: KeyPair }[],
  accounts: Record<string, KeyPair>,
  modules: Genesis["appState"] = {},
): Genesis {
  const addresses = Object.values(accounts).map((k) => addressOf(k));
  const first = addresses[0];
  const appState: Genesis["appState"] = {
    token:
      options.asset && first
        ? {
            assets: [
              {
                id: options.asset.id,
                name: options.asset.name,
                decimals: options.asset.decimals,
                issuer: first,
              },
            ],
            balances: addresses.map((address) => ({
              asset: options.asset?.id ?? "",
              address,
              amount: options.asset?.supplyPerAccount ?? "0",
            })),
          }
        : { assets: [], balances: [] },
    ...modules,
  };
  const genesis: Genesis = {
    chainId: options.chainId,
    genesisTime: options.genesisTime ?? Date.now(),
    validators: validators.map((v) => ({
      address: addressOf(v.key),
      publicKey: { alg: v.key.alg, publicKey: v.key.publicKey },
      power: 10,
      name: v.name,
    })),
    params: { ...defaultChainParams },
    appState,
  };
  return parseGenesis(genesis);
}

export function writeGenesis(path: string, genesis: Genesis): void {
  writeFileSync(path, `${JSON.stringify(JSON.parse(canonicalString(genesis)), null, 2)}\n`);
}

export function readGenesis(path: string): Genesis {
  if (!existsSync(path))
    throw new NodeError({ code: "NODE_BAD_CONFIG", message: `genesis file ${path} not found` });
  return parseGenesis(readFileSync(path));
}
