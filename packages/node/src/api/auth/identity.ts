import { isWeftError } from "@weft/core";
import type { Member } from "../../modules/identity/schema.js";
import {
  activeIdentity,
  identityEnabled,
  listOrgs,
  readMember,
  readOrg,
  type StateGetter,
} from "../../modules/identity/state.js";
import { AuthError } from "./errors.js";

export { identityEnabled, listOrgs, readMember, readOrg, type StateGetter };
export type MemberRecord = Member;

/**
 * The member behind `address` if it may act now (`height`: the next block's, `now`: node clock,
 * ms), judged by the identity module's own rules; its refusals as API codes: unknown →
 * AUTH_BAD_TOKEN; revoked, rotated away, certificate out of validity, organisation removed →
 * AUTH_REVOKED.
 */
export function activeMember(get: StateGetter, address: string, height: number, now: number): Member {
  try {
    return activeIdentity(get, address, height, now).member;
  } catch (e) {
    if (!isWeftError(e)) throw e;
    const code = e.code === "IDENTITY_NOT_MEMBER" ? "AUTH_BAD_TOKEN" : "AUTH_REVOKED";
    throw new AuthError({ code, message: e.message, reason: e.code });
  }
}

/** The organisation whose node this is: the org of its key's member record, or the org listing its node id. */
export function orgOfNode(
  get: StateGetter,
  nodeAddress: string | undefined,
  nodeId: string | undefined,
): string | undefined {
  const own = nodeAddress ? readMember(get, nodeAddress) : undefined;
  if (own) return own.org;
  if (nodeId) return listOrgs(get).find((org) => org.nodes.some((n) => n.id === nodeId))?.name;
  return undefined;
}
