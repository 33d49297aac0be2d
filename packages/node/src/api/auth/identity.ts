import type { CanonicalValue, PublicKeyInfo } from "@weft/core";
import { AuthError } from "./errors.js";

/** Reads a full state key (e.g. "identity/member/<address>") from the node's head state. */
export type StateGetter = (key: string) => CanonicalValue | undefined;

/** The parts of the identity module's records (spec "Module identity") the API relies on. */
export interface MemberRecord {
  address: string;
  id: string;
  org: string;
  kind: "member" | "device";
  roles: string[];
  publicKey: PublicKeyInfo;
  certificate?: { pem: string; fingerprint: string; notBefore: number; notAfter: number };
  status: "active" | "revoked";
  revokedAt?: number;
  validUntil?: number;
}

export interface OrgRecord {
  name: string;
  caCerts: string[];
  nodes: { id: string; host: string; port: number }[];
  status: "active" | "removed";
  revokedCerts: { fingerprint: string; height: number }[];
}

/** A chain is permissioned once the identity module wrote its org list at genesis. */
export const identityEnabled = (get: StateGetter): boolean => get("identity/orgs") !== undefined;

export const readMember = (get: StateGetter, address: string): MemberRecord | undefined =>
  get(`identity/member/${address}`) as unknown as MemberRecord | undefined;

export const readOrg = (get: StateGetter, name: string): OrgRecord | undefined =>
  get(`identity/org/${name}`) as unknown as OrgRecord | undefined;

export const listOrgs = (get: StateGetter): string[] => (get("identity/orgs") as string[] | undefined) ?? [];

/**
 * The member behind `address` if it may act now (`height`: the next block's height, `now`: node
 * clock in ms), else the typed refusal: unknown → AUTH_BAD_TOKEN; revoked, rotated away,
 * certificate out of its validity, organisation removed → AUTH_REVOKED.
 */
export function activeMember(get: StateGetter, address: string, height: number, now: number): MemberRecord {
  const member = readMember(get, address);
  if (!member) {
    throw new AuthError({
      code: "AUTH_BAD_TOKEN",
      message: `no member with address ${address} on this chain`,
    });
  }
  const revoked = (message: string) =>
    new AuthError({ code: "AUTH_REVOKED", message, member: member.id, org: member.org });
  if (member.status === "revoked" && (member.revokedAt === undefined || member.revokedAt <= height)) {
    throw revoked(`member ${member.org}/${member.id} is revoked`);
  }
  if (member.validUntil !== undefined && now > member.validUntil) {
    throw revoked(`the key of member ${member.org}/${member.id} was rotated; its overlap ended`);
  }
  const cert = member.certificate;
  if (cert && (now < cert.notBefore || now > cert.notAfter)) {
    throw revoked(`the certificate of member ${member.org}/${member.id} is not valid now`);
  }
  const org = readOrg(get, member.org);
  if (org?.status !== "active") throw revoked(`organisation ${member.org} is removed`);
  return member;
}

/** The organisation whose node this is: the org of its key's member record, or the org listing its node id. */
export function orgOfNode(
  get: StateGetter,
  nodeAddress: string | undefined,
  nodeId: string | undefined,
): string | undefined {
  if (nodeAddress) {
    const own = readMember(get, nodeAddress);
    if (own) return own.org;
  }
  if (nodeId) {
    for (const name of listOrgs(get)) {
      if (readOrg(get, name)?.nodes.some((n) => n.id === nodeId)) return name;
    }
  }
  return undefined;
}
