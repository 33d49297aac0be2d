/**
 * A permissioned registry of benchmark size: `orgs` organisations of `membersPerOrg` members each,
 * every org with its own CA, GS1 company prefix and devices, under the default policies. Built
 * through the real genesis (`buildGenesisState`), so state holds exactly what a chain holds.
 */
import {
  addressOf,
  type CanonicalValue,
  defaultChainParams,
  type Genesis,
  generateKeyPair,
  type KeyPair,
} from "@weft/core";
import { createOrgCa } from "@weft/p2p";
import { buildGenesisState, type GenesisState } from "../src/app/genesis-state.js";
import { ModuleRegistry } from "../src/app/registry.js";
import { defaultModules } from "../src/modules/index.js";

export interface BenchMember {
  id: string;
  kind: "member" | "device";
  roles: string[];
  key: KeyPair;
  address: string;
}

export interface BenchOrg {
  name: string;
  /** 7-digit GS1 Company Prefix: each org's own, so prefixes never overlap. */
  prefix: string;
  caCert: string;
  members: BenchMember[];
}

export const CHAIN_ID = "bench-authz";
const GENESIS_TIME = 1_700_000_000_000;
const OTHER_ROLES = [["writer"], ["reader"], ["operator"], ["auditor"]];
/** Index of the admin, a writer and a device in every org (the rest cycle through OTHER_ROLES). */
export const ADMIN = 0;
export const WRITER = 1;
export const DEVICE = 2;

/** An SGLN of the org: location reference `ref` under its company prefix. */
export const sglnOf = (org: BenchOrg, ref: number) =>
  `urn:epc:id:sgln:${org.prefix}.${String(ref).padStart(5, "0")}.0`;

function member(prefix: string, j: number): BenchMember {
  const key = generateKeyPair();
  const base = { key, address: addressOf(key) };
  if (j === ADMIN) return { ...base, id: `m${j}`, kind: "member", roles: ["admin"] };
  if (j === DEVICE)
    return { ...base, id: `urn:epc:id:giai:${prefix}.D${j}`, kind: "device", roles: ["device"] };
  if (j === WRITER) return { ...base, id: `m${j}`, kind: "member", roles: ["writer"] };
  return { ...base, id: `m${j}`, kind: "member", roles: OTHER_ROLES[j % OTHER_ROLES.length] as string[] };
}

export async function makeOrgs(orgs: number, membersPerOrg: number): Promise<BenchOrg[]> {
  return Promise.all(
    Array.from({ length: orgs }, async (_, i) => {
      const name = `org${i + 1}`;
      const prefix = `40${String(i + 1).padStart(5, "0")}`;
      const { certPem } = await createOrgCa(name, { now: new Date(GENESIS_TIME - 86_400_000) });
      const members = Array.from({ length: membersPerOrg }, (_, j) => member(prefix, j));
      return { name, prefix, caCert: certPem, members };
    }),
  );
}

/** `appState.identity` with each org's members filtered by `keep` (default policies). */
export function identityAppState(orgs: readonly BenchOrg[], keep: (m: BenchMember) => boolean = () => true) {
  return {
    orgs: orgs.map((o) => ({
      name: o.name,
      caCerts: [o.caCert],
      nodes: [{ id: `${o.name}-node`, host: "127.0.0.1", port: 7000 }],
      gs1: { companyPrefixes: [o.prefix], glns: [] },
      members: o.members.filter(keep).map((m) => ({
        id: m.id,
        kind: m.kind,
        roles: m.roles,
        publicKey: { alg: m.key.alg, publicKey: m.key.publicKey },
      })),
    })),
  } satisfies CanonicalValue;
}

export function benchGenesis(appState: Genesis["appState"]): Genesis {
  const validator = generateKeyPair();
  return {
    chainId: CHAIN_ID,
    genesisTime: GENESIS_TIME,
    validators: [
      {
        address: addressOf(validator),
        publicKey: { alg: validator.alg, publicKey: validator.publicKey },
        power: 1,
        name: "v0",
      },
    ],
    params: { ...defaultChainParams },
    appState,
  };
}

export const registry = new ModuleRegistry(defaultModules);

export const genesisState = (genesis: Genesis): GenesisState => buildGenesisState(genesis, registry);
