/**
 * The identity module's methods. Who may call each is a policy (defaults.ts); what each checks
 * here is the registry's own consistency (the org exists, the key is new, heights move forward),
 * as typed IdentityErrors.
 */
import { defineMethod, type ResourceFacts, type StateView, type TxContext } from "../../app/module.js";
import { checkCaCerts, checkCertificateKey, checkMemberCertificate } from "./certificates.js";
import { IdentityError } from "./errors.js";
import { policyDepth, rolesOf } from "./policy.js";
import {
  AddMemberArgs,
  AddOrgArgs,
  DefineRoleArgs,
  MAX_POLICY_DEPTH,
  type Member,
  type NodeEntry,
  OrgRefArgs,
  type Policy,
  RevokeMemberArgs,
  RevokeNodeCertArgs,
  RotateKeyArgs,
  SetPolicyArgs,
  SetRolesArgs,
  UpdateNodesArgs,
  UpdateOrgArgs,
} from "./schema.js";
import { identityEnabled, listOrgs, readMember } from "./state.js";
import { badArgs, checkKey, IdentityStore } from "./store.js";

/**
 * On an open chain nobody may register the first org: that would turn the chain permissioned by
 * a single transaction. Identities come from genesis.
 */
function registry(ctx: TxContext): IdentityStore {
  const store = new IdentityStore(ctx.state);
  if (!identityEnabled(store.get))
    throw badArgs("this chain has no identity registry (its genesis has no appState.identity)");
  return store;
}

const orgFacts = (org: string): ResourceFacts => ({ orgs: [org] });

function checkNodes(nodes: readonly NodeEntry[]): void {
  const ids = nodes.map((n) => n.id);
  if (new Set(ids).size !== ids.length) throw badArgs("nodes lists a node id twice");
}

/** A policy's roles are defined and it nests no deeper than evaluation allows. */
export function checkPolicy(store: IdentityStore, policy: Policy): void {
  if (policyDepth(policy) > MAX_POLICY_DEPTH)
    throw badArgs(`policy nests deeper than ${MAX_POLICY_DEPTH} levels`);
  const unknown = rolesOf(policy).find((r) => !store.hasRole(r));
  if (unknown !== undefined) throw badArgs(`policy names unknown role ${unknown}`, { role: unknown });
}

const addOrg = defineMethod({
  description:
    "Register an organisation with its CA certificates, nodes, GS1 identifiers, first admins and other first members (e.g. its node key).",
  args: AddOrgArgs,
  precheck(args) {
    checkCaCerts(args.caCerts);
    args.admins.forEach((a, i) => {
      checkKey(a.publicKey, `admins[${i}].publicKey`);
    });
    (args.members ?? []).forEach((m, i) => {
      checkKey(m.publicKey, `members[${i}].publicKey`);
    });
    const ids = [...args.admins, ...(args.members ?? [])].map((m) => m.id);
    if (new Set(ids).size !== ids.length) throw badArgs("admins and members list an id twice");
    checkNodes(args.nodes);
  },
  resource: (_state, args) => orgFacts(args.name),
  execute(ctx, args) {
    const store = registry(ctx);
    checkCaCerts(args.caCerts);
    checkNodes(args.nodes);
    store.createOrg({
      name: args.name,
      caCerts: [...args.caCerts],
      nodes: args.nodes.map((n) => ({ ...n })),
      gs1: { companyPrefixes: [...args.gs1.companyPrefixes], glns: [...args.gs1.glns] },
      status: "active",
      since: ctx.height,
      revokedCerts: [],
    });
    for (const admin of args.admins) {
      store.addMember(
        { org: args.name, id: admin.id, kind: "member", roles: ["admin"], publicKey: admin.publicKey },
        ctx.height,
      );
    }
    for (const member of args.members ?? []) {
      store.addMember(
        {
          org: args.name,
          id: member.id,
          kind: member.kind,
          roles: [...member.roles],
          publicKey: member.publicKey,
        },
        ctx.height,
      );
    }
    ctx.emit("OrgAdded", {
      org: args.name,
      admins: args.admins.map((a) => a.id),
      members: (args.members ?? []).map((m) => m.id),
    });
  },
});

const removeOrg = defineMethod({
  description: "Remove an organisation: its members can no longer act and its nodes leave the peer book.",
  args: OrgRefArgs,
  resource: (_state, args) => orgFacts(args.name),
  execute(ctx, args) {
    const store = registry(ctx);
    const org = store.activeOrg(args.name);
    const others = listOrgs(store.get).filter((o) => o.name !== org.name && o.status === "active");
    if (others.length === 0) throw badArgs(`${org.name} is the last active organisation`);
    store.putOrg({ ...org, status: "removed", removedAt: ctx.height });
    ctx.emit("OrgRemoved", { org: org.name });
  },
});

const updateOrg = defineMethod({
  description: "Replace an organisation's CA certificates (two during a CA rotation) and/or GS1 identifiers.",
  args: UpdateOrgArgs,
  precheck(args) {
    if (args.caCerts) checkCaCerts(args.caCerts);
  },
  resource: (_state, args) => orgFacts(args.name),
  execute(ctx, args) {
    const store = registry(ctx);
    if (args.caCerts === undefined && args.gs1 === undefined) throw badArgs("give caCerts, gs1 or both");
    const org = store.activeOrg(args.name);
    if (args.caCerts) checkCaCerts(args.caCerts);
    if (args.gs1) store.checkGs1(org.name, args.gs1);
    store.putOrg({
      ...org,
      ...(args.caCerts ? { caCerts: [...args.caCerts] } : {}),
      ...(args.gs1
        ? { gs1: { companyPrefixes: [...args.gs1.companyPrefixes], glns: [...args.gs1.glns] } }
        : {}),
    });
    ctx.emit("OrgUpdated", {
      org: org.name,
      caCerts: args.caCerts !== undefined,
      gs1: args.gs1 !== undefined,
    });
  },
});

const updateNodes = defineMethod({
  description: "Replace the list of an organisation's nodes (id, host, port) in the peer book.",
  args: UpdateNodesArgs,
  precheck: (args) => checkNodes(args.nodes),
  resource: (_state, args) => orgFacts(args.org),
  execute(ctx, args) {
    const store = registry(ctx);
    checkNodes(args.nodes);
    const org = store.activeOrg(args.org);
    store.putOrg({ ...org, nodes: args.nodes.map((n) => ({ ...n })) });
    ctx.emit("NodesUpdated", { org: org.name, nodes: args.nodes.map((n) => n.id) });
  },
});

const revokeNodeCert = defineMethod({
  description: "Revoke one of the organisation's node TLS certificates by its SHA-256 fingerprint.",
  args: RevokeNodeCertArgs,
  resource: (_state, args) => orgFacts(args.org),
  execute(ctx, args) {
    const store = registry(ctx);
    const org = store.activeOrg(args.org);
    if (org.revokedCerts.some((r) => r.fingerprint === args.fingerprint)) {
      throw new IdentityError({
        code: "IDENTITY_EXISTS",
        message: `certificate ${args.fingerprint} is already revoked`,
        fingerprint: args.fingerprint,
      });
    }
    store.putOrg({
      ...org,
      revokedCerts: [...org.revokedCerts, { fingerprint: args.fingerprint, height: ctx.height }],
    });
    ctx.emit("NodeCertRevoked", { org: org.name, fingerprint: args.fingerprint });
  },
});

const addMember = defineMethod({
  description:
    "Register a member or device key with roles; an optional X.509 certificate must be issued by one of the org's CAs and certify the key.",
  args: AddMemberArgs,
  precheck(args) {
    checkKey(args.publicKey);
    if (args.certificate !== undefined) checkCertificateKey(args.certificate, args.publicKey);
  },
  resource: (_state, args) => orgFacts(args.org),
  execute(ctx, args) {
    const member = registry(ctx).addMember(args, ctx.height);
    ctx.emit("MemberAdded", {
      org: member.org,
      id: member.id,
      address: member.address,
      kind: member.kind,
      roles: member.roles,
    });
  },
});

/** The records one identity acts through: its current key and a predecessor still in its overlap. */
function liveRecords(store: IdentityStore, member: Member, time: number): Member[] {
  const previous = member.predecessor === undefined ? undefined : store.memberAt(member.predecessor);
  const overlapping =
    previous &&
    previous.revokedAt === undefined &&
    previous.validUntil !== undefined &&
    time < previous.validUntil;
  return overlapping ? [member, previous] : [member];
}

const revokeMember = defineMethod({
  description:
    "Revoke a member's key (and its predecessor still in a rotation overlap) from atHeight on (default: the next height).",
  args: RevokeMemberArgs,
  resource: (_state, args) => orgFacts(args.org),
  execute(ctx, args) {
    const store = registry(ctx);
    store.org(args.org);
    const member = store.member(args.org, args.id);
    if (member.revokedAt !== undefined) {
      throw new IdentityError({
        code: "IDENTITY_REVOKED",
        message: `${args.org}/${args.id} is already revoked (from height ${member.revokedAt})`,
        revokedAt: member.revokedAt,
      });
    }
    const at = args.atHeight ?? ctx.height + 1;
    if (at <= ctx.height) throw badArgs(`atHeight ${at} must be after the current height ${ctx.height}`);
    for (const record of liveRecords(store, member, ctx.time))
      store.putMember({ ...record, status: "revoked", revokedAt: at });
    ctx.emit("MemberRevoked", { org: args.org, id: args.id, address: member.address, atHeight: at });
  },
});

const rotateKey = defineMethod({
  description:
    "The sender replaces its own key: the new key takes over its id and roles; the old one stays valid for overlapMs of block time.",
  args: RotateKeyArgs,
  precheck(args) {
    checkKey(args.publicKey);
    if (args.certificate !== undefined) checkCertificateKey(args.certificate, args.publicKey);
  },
  resource: (state: StateView, _args, sender) => {
    const member = readMember((key) => state.get(key), sender);
    return member ? orgFacts(member.org) : {};
  },
  execute(ctx, args) {
    const store = registry(ctx);
    if (ctx.via !== "tx") throw badArgs("a key is rotated by its holder's own transaction");
    const old = store.memberAt(ctx.sender);
    if (!old)
      throw new IdentityError({
        code: "IDENTITY_NOT_MEMBER",
        message: `${ctx.sender} is not a member`,
        address: ctx.sender,
      });
    if (old.revokedAt !== undefined)
      throw new IdentityError({ code: "IDENTITY_REVOKED", message: `${old.org}/${old.id} is revoked` });
    if (old.successor !== undefined) throw badArgs(`this key was already rotated to ${old.successor}`);
    const org = store.activeOrg(old.org);
    const address = checkKey(args.publicKey);
    store.checkNewAddress(address);
    const { validUntil: _v, successor: _s, revokedAt: _r, certificate: _c, predecessor: _p, ...kept } = old;
    const next: Member = {
      ...kept,
      address,
      publicKey: { alg: args.publicKey.alg, publicKey: args.publicKey.publicKey },
      ...(args.certificate === undefined
        ? {}
        : { certificate: checkMemberCertificate(args.certificate, args.publicKey, org.caCerts) }),
      status: "active",
      since: ctx.height,
      predecessor: old.address,
    };
    store.putMember(next);
    store.pointId(next);
    store.putMember({ ...old, validUntil: ctx.time + args.overlapMs, successor: address });
    ctx.emit("KeyRotated", {
      org: old.org,
      id: old.id,
      from: old.address,
      to: address,
      validUntil: ctx.time + args.overlapMs,
    });
  },
});

const setRoles = defineMethod({
  description: "Replace a member's roles (its current key and a predecessor still in its overlap).",
  args: SetRolesArgs,
  resource: (_state, args) => orgFacts(args.org),
  execute(ctx, args) {
    const store = registry(ctx);
    store.activeOrg(args.org);
    const member = store.member(args.org, args.id);
    if (member.revokedAt !== undefined)
      throw new IdentityError({ code: "IDENTITY_REVOKED", message: `${args.org}/${args.id} is revoked` });
    store.checkRoles(args.roles);
    for (const record of liveRecords(store, member, ctx.time))
      store.putMember({ ...record, roles: [...args.roles] });
    ctx.emit("RolesSet", { org: args.org, id: args.id, roles: args.roles });
  },
});

const defineRole = defineMethod({
  description: "Define a new role that policies and members may name.",
  args: DefineRoleArgs,
  execute(ctx, args) {
    const store = registry(ctx);
    if (store.hasRole(args.name))
      throw new IdentityError({
        code: "IDENTITY_EXISTS",
        message: `role ${args.name} exists`,
        role: args.name,
      });
    store.putRole({ name: args.name, description: args.description, builtin: false });
    ctx.emit("RoleDefined", { role: args.name });
  },
});

const setPolicy = defineMethod({
  description: 'Set the policy of an action ("module.method", "module.*" or "*").',
  args: SetPolicyArgs,
  execute(ctx, args) {
    const store = registry(ctx);
    const policy = args.policy as Policy;
    checkPolicy(store, policy);
    store.putPolicy(args.action, policy);
    ctx.emit("PolicySet", { action: args.action });
  },
});

export const identityMethods = {
  addOrg,
  removeOrg,
  updateOrg,
  updateNodes,
  revokeNodeCert,
  addMember,
  revokeMember,
  rotateKey,
  setRoles,
  defineRole,
  setPolicy,
};
