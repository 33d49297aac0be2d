import {
  addressOf,
  type CanonicalValue,
  defaultChainParams,
  type Genesis,
  generateKeyPair,
  type KeyPair,
} from "@weft/core";
import { createOrgCa } from "@weft/p2p";
import { defaultPolicies } from "../../../src/modules/identity/defaults.js";

export const GENESIS_TIME = 1_700_000_000_000;

export interface GovFixture {
  /** Genesis with identity: orgs org1..orgN, each with one admin; `writer` writes for org1. */
  genesis: Genesis;
  /** The same validators and token state without identity: an open chain. */
  openGenesis: Genesis;
  admins: KeyPair[];
  writer: KeyPair;
  validator: KeyPair;
}

/** CA certificates are slow to make; one set serves every test of a file. */
export async function govFixture(orgCount: number): Promise<GovFixture> {
  const validator = generateKeyPair();
  const writer = generateKeyPair();
  const admins = Array.from({ length: orgCount }, () => generateKeyPair());
  const cas = await Promise.all(admins.map((_, i) => createOrgCa(`org${i + 1}`)));
  const member = (id: string, roles: string[], key: KeyPair) => ({
    id,
    kind: "member",
    roles,
    publicKey: { alg: key.alg, publicKey: key.publicKey },
  });
  const base: Genesis = {
    chainId: "weft-gov",
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
    appState: { gov: {} },
  };
  const identity = {
    orgs: admins.map((admin, i) => ({
      name: `org${i + 1}`,
      caCerts: [cas[i]?.certPem ?? ""],
      nodes: [],
      gs1: { companyPrefixes: [`952000${i + 1}`], glns: [] },
      members: [member("admin", ["admin"], admin), ...(i === 0 ? [member("w", ["writer"], writer)] : [])],
    })),
    policies: defaultPolicies,
  } as unknown as CanonicalValue;
  return {
    genesis: { ...base, appState: { ...base.appState, identity } },
    openGenesis: base,
    admins,
    writer,
    validator,
  };
}
