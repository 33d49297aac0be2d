/**
 * The `identity` module: organisations, members and devices with roles, and policies as data
 * that decide who may call what (its `authorize` hook judges every call of every module).
 * A chain whose genesis has no `appState.identity` is open: the hook allows everything.
 */
import { defineQuery, type Module } from "../../app/module.js";
import { authorizeCall } from "./authorize.js";
import { checkCaCerts } from "./certificates.js";
import { BUILTIN_ROLES, defaultPolicies } from "./defaults.js";
import { checkPolicy, identityMethods } from "./methods.js";
import {
  ActionParams,
  AddressParams,
  EmptyParams,
  type IdentityGenesis,
  IdentityGenesisSchema,
  MemberIdParams,
  OrgRefArgs,
  type Policy,
  RoleParams,
} from "./schema.js";
import { IDENTITY_MODULE, memberIdKey, memberKey, ORGS_KEY, orgKey, policyKey, roleKey } from "./state.js";
import { badArgs, IdentityStore } from "./store.js";

function initGenesis(store: IdentityStore, appState: IdentityGenesis): void {
  for (const role of BUILTIN_ROLES) store.putRole(role);
  for (const role of appState.roles ?? []) {
    if (store.hasRole(role.name)) throw badArgs(`role ${role.name} is defined twice (or is builtin)`);
    store.putRole({ ...role, builtin: false });
  }
  for (const org of appState.orgs) {
    checkCaCerts(org.caCerts);
    store.createOrg({
      name: org.name,
      caCerts: [...org.caCerts],
      nodes: org.nodes.map((n) => ({ ...n })),
      gs1: { companyPrefixes: [...org.gs1.companyPrefixes], glns: [...org.gs1.glns] },
      status: "active",
      since: 0,
      revokedCerts: [],
    });
    for (const m of org.members) store.addMember({ ...m, org: org.name }, 0);
  }
  const policies: Record<string, Policy> = {
    ...defaultPolicies,
    ...(appState.policies as Record<string, Policy>),
  };
  for (const action of Object.keys(policies).sort()) {
    const policy = policies[action] as Policy;
    checkPolicy(store, policy);
    store.putPolicy(action, policy);
  }
}

export const identityModule: Module = {
  name: IDENTITY_MODULE,
  methods: identityMethods,
  queries: {
    org: defineQuery({
      description:
        "An organisation: CA certificates, nodes, GS1 identifiers, status, revoked node certificates.",
      params: OrgRefArgs,
      key: (p) => orgKey(p.name),
    }),
    orgs: defineQuery({
      description: "Names of every organisation ever registered, sorted ([] on an open chain).",
      params: EmptyParams,
      key: () => ORGS_KEY,
      absent: [],
    }),
    member: defineQuery({
      description: "The member or device registered with a key address: org, id, roles, certificate, status.",
      params: AddressParams,
      key: (p) => memberKey(p.address),
    }),
    memberId: defineQuery({
      description: "The address of a member's current key, by organisation and id.",
      params: MemberIdParams,
      key: (p) => memberIdKey(p.org, p.id),
    }),
    policy: defineQuery({
      description:
        'The policy set for an action ("module.method", "module.*" or "*"); absent: a wider one applies.',
      params: ActionParams,
      key: (p) => policyKey(p.action),
    }),
    role: defineQuery({
      description: "A role's description and whether it is builtin.",
      params: RoleParams,
      key: (p) => roleKey(p.name),
    }),
  },
  genesisSchema: IdentityGenesisSchema,
  initGenesis(ctx, appState) {
    initGenesis(new IdentityStore(ctx.state), appState as IdentityGenesis);
  },
  authorize: authorizeCall,
};
