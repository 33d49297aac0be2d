import type { KeyPair, PublicKeyInfo } from "@weft/core";

/** GS1 identifiers an organisation owns: locations under them are its own for policies. */
export interface Gs1Assignment {
  companyPrefixes: string[];
  glns: string[];
}

/**
 * Default GS1 Company Prefix of the i-th organisation (0-based): 952 is the GS1 prefix range
 * reserved for demonstrations and examples, so 9520001, 9520002… never name a real company.
 */
export function demoCompanyPrefix(i: number): string {
  return `952${String(i + 1).padStart(4, "0")}`;
}

export interface GenesisMemberInput {
  id: string;
  kind: "member" | "device";
  roles: string[];
  publicKey: PublicKeyInfo;
}

export interface GenesisOrgInput {
  name: string;
  caCert: string;
  nodes: { id: string; host: string; port: number }[];
  gs1: Gs1Assignment;
  members: GenesisMemberInput[];
}

/** appState.identity of a permissioned genesis (the identity module's genesis schema). */
export interface IdentityAppState {
  orgs: {
    name: string;
    caCerts: string[];
    nodes: { id: string; host: string; port: number }[];
    gs1: Gs1Assignment;
    members: GenesisMemberInput[];
  }[];
  policies: Record<string, unknown>;
}

export const memberOf = (id: string, roles: string[], key: KeyPair): GenesisMemberInput => ({
  id,
  kind: "member",
  roles,
  publicKey: { alg: key.alg, publicKey: key.publicKey },
});

export function identityAppState(
  orgs: readonly GenesisOrgInput[],
  policies: Record<string, unknown>,
): IdentityAppState {
  return {
    orgs: orgs.map((o) => ({
      name: o.name,
      caCerts: [o.caCert],
      nodes: o.nodes,
      gs1: o.gs1,
      members: o.members,
    })),
    policies,
  };
}
