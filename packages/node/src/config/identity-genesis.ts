import type { KeyPair } from "@weft/core";
import { defaultPolicies } from "../modules/identity/defaults.js";
import type { Gs1, IdentityGenesis, NodeEntry } from "../modules/identity/schema.js";

/** GS1 identifiers an organisation owns: locations under them are its own for policies. */
export type Gs1Assignment = Gs1;

type GenesisMember = IdentityGenesis["orgs"][number]["members"][number];

/**
 * Default GS1 Company Prefix of the i-th organisation (0-based): 952 is the GS1 prefix range
 * reserved for demonstrations and examples, so 9520001, 9520002… never name a real company.
 */
export function demoCompanyPrefix(i: number): string {
  return `952${String(i + 1).padStart(4, "0")}`;
}

export const memberOf = (id: string, roles: string[], key: KeyPair): GenesisMember => ({
  id,
  kind: "member",
  roles,
  publicKey: { alg: key.alg, publicKey: key.publicKey },
});

/** appState.identity of a permissioned genesis: the organisations and the default policies. */
export function identityAppState(
  orgs: readonly { name: string; caCert: string; nodes: NodeEntry[]; gs1: Gs1; members: GenesisMember[] }[],
): IdentityGenesis {
  return {
    orgs: orgs.map((o) => ({
      name: o.name,
      caCerts: [o.caCert],
      nodes: o.nodes,
      gs1: o.gs1,
      members: o.members,
    })),
    policies: { ...defaultPolicies },
  };
}
