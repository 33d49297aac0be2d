/**
 * Typed writes and the method-level checks over the identity namespace (the module's own
 * ModuleState, relative keys). Reads go through the pure readers of state.ts.
 */
import { addressOf, type CanonicalValue, type PublicKeyInfo, validatePublicKey } from "@weft/core";
import type { ModuleState } from "../../app/module.js";
import { checkMemberCertificate } from "./certificates.js";
import { IdentityError } from "./errors.js";
import type { Gs1, Member, Org, Policy, Role } from "./schema.js";
import {
  IDENTITY_MODULE,
  listOrgs,
  memberByName,
  memberIdKey,
  memberKey,
  ORGS_KEY,
  orgKey,
  policyKey,
  readMember,
  readOrg,
  readRole,
  roleKey,
  type StateGetter,
} from "./state.js";

const NS = `${IDENTITY_MODULE}/`;

export interface NewMember {
  org: string;
  id: string;
  kind: "member" | "device";
  roles: string[];
  publicKey: PublicKeyInfo;
  certificate?: string;
}

export const badArgs = (message: string, extra: Record<string, unknown> = {}) =>
  new IdentityError({ code: "IDENTITY_BAD_ARGS", message, ...extra });

/** The key is canonical and usable (the schema checks only its spelling). */
export function checkKey(key: PublicKeyInfo, field = "publicKey"): string {
  try {
    validatePublicKey(key);
  } catch (e) {
    throw badArgs(`${field}: ${(e as Error).message}`, { field });
  }
  return addressOf(key);
}

export class IdentityStore {
  /** Full-key reads over the module's own state (usable where no cross-module view exists, e.g. genesis). */
  readonly get: StateGetter = (key) =>
    key.startsWith(NS) ? this.state.get(key.slice(NS.length)) : undefined;

  constructor(private readonly state: ModuleState) {}

  private put(key: string, value: object): void {
    this.state.set(key, value as CanonicalValue);
  }

  org(name: string): Org {
    const org = readOrg(this.get, name);
    if (!org)
      throw new IdentityError({
        code: "IDENTITY_UNKNOWN_ORG",
        message: `no organisation ${name}`,
        org: name,
      });
    return org;
  }

  activeOrg(name: string): Org {
    const org = this.org(name);
    if (org.status !== "active") {
      throw new IdentityError({
        code: "IDENTITY_ORG_REMOVED",
        message: `organisation ${name} was removed at height ${org.removedAt}`,
        org: name,
      });
    }
    return org;
  }

  putOrg(org: Org): void {
    this.put(orgKey(org.name), org);
  }

  /** A new org: name never used, GS1 identifiers nobody else holds. */
  createOrg(org: Org): void {
    if (readOrg(this.get, org.name))
      throw new IdentityError({
        code: "IDENTITY_EXISTS",
        message: `organisation ${org.name} exists`,
        org: org.name,
      });
    this.checkGs1(org.name, org.gs1);
    const names = (this.state.get(ORGS_KEY) as string[] | undefined) ?? [];
    this.state.set(ORGS_KEY, [...names, org.name].sort());
    this.putOrg(org);
  }

  /**
   * A location must belong to one org only: no company prefix or GLN of `name` may equal or be a
   * prefix of another active org's (GS1 allocates prefixes prefix-free; a clash is a mistake).
   */
  checkGs1(name: string, gs1: Gs1): void {
    const own = [...gs1.companyPrefixes, ...gs1.glns];
    if (new Set(own).size !== own.length) throw badArgs(`gs1 of ${name} lists an identifier twice`);
    for (const other of listOrgs(this.get)) {
      if (other.name === name || other.status !== "active") continue;
      const theirs = [...other.gs1.companyPrefixes, ...other.gs1.glns];
      const clash = own.find((a) => theirs.some((b) => a.startsWith(b) || b.startsWith(a)));
      if (clash !== undefined)
        throw badArgs(`GS1 identifier ${clash} overlaps those of organisation ${other.name}`, {
          org: other.name,
        });
    }
  }

  member(org: string, id: string): Member {
    const member = memberByName(this.get, org, id);
    if (!member) {
      throw new IdentityError({
        code: "IDENTITY_UNKNOWN_MEMBER",
        message: `no member ${id} in ${org}`,
        org,
        id,
      });
    }
    return member;
  }

  memberAt(address: string): Member | undefined {
    return readMember(this.get, address);
  }

  putMember(member: Member): void {
    this.put(memberKey(member.address), member);
  }

  pointId(member: Member): void {
    this.state.set(memberIdKey(member.org, member.id), member.address);
  }

  checkRoles(roles: readonly string[]): void {
    if (new Set(roles).size !== roles.length) throw badArgs("roles lists a role twice");
    const unknown = roles.find((r) => !readRole(this.get, r));
    if (unknown !== undefined) throw badArgs(`unknown role ${unknown}`, { role: unknown });
  }

  /** Registers a member's key: org active, id free (or its holder revoked), key new, roles defined, certificate by the org's CA. */
  addMember(input: NewMember, height: number): Member {
    const org = this.activeOrg(input.org);
    const address = checkKey(input.publicKey);
    const current = memberByName(this.get, input.org, input.id);
    if (current && current.revokedAt === undefined) {
      throw new IdentityError({
        code: "IDENTITY_EXISTS",
        message: `${input.org} already has a member ${input.id}`,
        org: input.org,
        id: input.id,
      });
    }
    this.checkNewAddress(address);
    this.checkRoles(input.roles);
    const member: Member = {
      address,
      id: input.id,
      org: input.org,
      kind: input.kind,
      roles: [...input.roles],
      publicKey: { alg: input.publicKey.alg, publicKey: input.publicKey.publicKey },
      ...(input.certificate === undefined
        ? {}
        : { certificate: checkMemberCertificate(input.certificate, input.publicKey, org.caCerts) }),
      status: "active",
      since: height,
    };
    this.putMember(member);
    this.pointId(member);
    return member;
  }

  /** A key registers one identity, ever: a revoked or rotated key is never reused. */
  checkNewAddress(address: string): void {
    if (readMember(this.get, address)) {
      throw new IdentityError({
        code: "IDENTITY_EXISTS",
        message: `key ${address} is already registered`,
        address,
      });
    }
  }

  putRole(role: Role): void {
    this.put(roleKey(role.name), role);
  }

  hasRole(name: string): boolean {
    return readRole(this.get, name) !== undefined;
  }

  putPolicy(action: string, policy: Policy): void {
    this.put(policyKey(action), policy);
  }
}
