/**
 * Pure readers over the identity registry, for on-chain code (authorize, methods) and node-side
 * code alike (p2p peer book, API auth, certificate warnings): each takes a getter by FULL key
 * (`(key) => value`), so a BlockState view, a committed store or a test map all serve.
 */
import type { CanonicalValue } from "@weft/core";
import { IdentityError } from "./errors.js";
import type { Member, Org, Policy, Role } from "./schema.js";

export type StateGetter = (key: string) => CanonicalValue | undefined;

export const IDENTITY_MODULE = "identity";
const NS = `${IDENTITY_MODULE}/`;

// Module-relative keys (what the module's own ModuleState uses).
export const orgKey = (name: string) => `org/${name}`;
export const ORGS_KEY = "orgs";
export const memberKey = (address: string) => `member/${address}`;
export const memberIdKey = (org: string, id: string) => `member-id/${org}/${id}`;
export const roleKey = (name: string) => `role/${name}`;
export const policyKey = (action: string) => `policy/${action}`;

/** The full state key of a module-relative identity key. */
export const fullKey = (relative: string) => NS + relative;

/** A chain is permissioned once genesis registered organisations; without, the authorizer allows all. */
export function identityEnabled(get: StateGetter): boolean {
  return get(fullKey(ORGS_KEY)) !== undefined;
}

export function readOrg(get: StateGetter, name: string): Org | undefined {
  return get(fullKey(orgKey(name))) as Org | undefined;
}

/** Every organisation ever registered (removed ones too), by name. */
export function listOrgs(get: StateGetter): Org[] {
  const names = (get(fullKey(ORGS_KEY)) as string[] | undefined) ?? [];
  return names.flatMap((name) => readOrg(get, name) ?? []);
}

export function readMember(get: StateGetter, address: string): Member | undefined {
  return get(fullKey(memberKey(address))) as Member | undefined;
}

/** The current key's record of a member by its org and id. */
export function memberByName(get: StateGetter, org: string, id: string): Member | undefined {
  const address = get(fullKey(memberIdKey(org, id))) as string | undefined;
  return address === undefined ? undefined : readMember(get, address);
}

export function readRole(get: StateGetter, name: string): Role | undefined {
  return get(fullKey(roleKey(name))) as Role | undefined;
}

/**
 * The policy governing `module.method`: its own, else the module's (`module.*`), else `*`.
 * Without any (a genesis that removed `*`) a call needs a member.
 */
export function policyFor(
  get: StateGetter,
  module: string,
  method: string,
): { action: string; policy: Policy } {
  for (const action of [`${module}.${method}`, `${module}.*`, "*"]) {
    const policy = get(fullKey(policyKey(action))) as Policy | undefined;
    if (policy !== undefined) return { action, policy };
  }
  return { action: "*", policy: { member: true } };
}

export interface ActiveIdentity {
  member: Member;
  org: Org;
}

/**
 * The member behind `address` if it may act at (height, time); else throws the IdentityError
 * saying why: unknown, revoked (from revokedAt on), rotated past its overlap, certificate outside
 * notBefore..notAfter, or its organisation removed.
 */
export function activeIdentity(
  get: StateGetter,
  address: string,
  height: number,
  time: number,
): ActiveIdentity {
  const member = readMember(get, address);
  if (!member) {
    throw new IdentityError({
      code: "IDENTITY_NOT_MEMBER",
      message: `${address} is not a member of any organisation`,
      address,
    });
  }
  const who = `${member.org}/${member.id} (${address})`;
  if (member.revokedAt !== undefined && height >= member.revokedAt) {
    throw new IdentityError({
      code: "IDENTITY_REVOKED",
      message: `${who} was revoked at height ${member.revokedAt}`,
      address,
      revokedAt: member.revokedAt,
    });
  }
  if (member.validUntil !== undefined && time >= member.validUntil) {
    throw new IdentityError({
      code: "IDENTITY_KEY_EXPIRED",
      message: `${who} was rotated; its overlap ended at ${member.validUntil}`,
      address,
      validUntil: member.validUntil,
    });
  }
  const cert = member.certificate;
  if (cert && time > cert.notAfter) {
    throw new IdentityError({
      code: "IDENTITY_CERT_EXPIRED",
      message: `the certificate of ${who} expired at ${cert.notAfter}`,
      address,
      notAfter: cert.notAfter,
    });
  }
  if (cert && time < cert.notBefore) {
    throw new IdentityError({
      code: "IDENTITY_CERT_NOT_YET_VALID",
      message: `the certificate of ${who} is valid from ${cert.notBefore}`,
      address,
      notBefore: cert.notBefore,
    });
  }
  const org = readOrg(get, member.org);
  if (org?.status !== "active") {
    throw new IdentityError({
      code: "IDENTITY_ORG_REMOVED",
      message: `organisation ${member.org} of ${who} was removed`,
      address,
      org: member.org,
    });
  }
  return { member, org };
}
