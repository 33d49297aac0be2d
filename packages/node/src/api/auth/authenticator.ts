import { NodeError } from "../../errors.js";
import type { NodeService } from "../../service.js";
import { checkClaims, type TokenClaims } from "./claims.js";
import { certificateMember } from "./client-cert.js";
import { AuthError } from "./errors.js";
import {
  activeMember,
  identityEnabled,
  type MemberRecord,
  orgOfNode,
  readMember,
  type StateGetter,
} from "./identity.js";
import { unverifiedClaims, verifyMemberJwt } from "./jwt.js";
import {
  type ApiAuthOptions,
  AUTH_DEFAULTS,
  checkReadGroups,
  READ_GROUPS,
  type ReadGroup,
} from "./options.js";

const badConfig = (message: string) => new NodeError({ code: "NODE_BAD_CONFIG", message });

/** Who a request comes from, once its token checked out. */
export interface Principal {
  address: string;
  org: string;
  id: string;
  kind: MemberRecord["kind"];
  roles: readonly string[];
  /** How it proved it: a bearer token (with its claims) or a TLS client certificate. */
  via: "token" | "certificate";
  claims?: TokenClaims;
}

export interface AuthenticatorDeps {
  service: NodeService;
  options: ApiAuthOptions;
  /** The node key's address: its member record names the node's org. */
  nodeAddress?: string;
  /** The node's id in the peer book: the org listing it is the node's org. */
  nodeId?: string;
  /** `access.publicReads` of the network configuration (node options win). */
  networkPublicReads?: readonly ReadGroup[];
  /** Node clock in ms (tests pass their own). */
  now?: () => number;
}

/**
 * Decides who a request comes from: bearer tokens and TLS client certificates, both checked
 * against the chain's identity registry at the node's head state (so a revocation counts from
 * the block that makes it).
 */
export class ApiAuthenticator {
  private readonly get: StateGetter;
  private readonly now: () => number;
  private readonly publicReads: ReadonlySet<ReadGroup>;
  private permissioned = false;

  constructor(private readonly deps: AuthenticatorDeps) {
    this.get = (key) => deps.service.getState(key).value ?? undefined;
    this.now = deps.now ?? Date.now;
    if (deps.networkPublicReads !== undefined) {
      checkReadGroups(deps.networkPublicReads, "network.json access.publicReads", badConfig);
    }
    this.publicReads = new Set(deps.options.publicReads ?? deps.networkPublicReads ?? READ_GROUPS);
  }

  /** Whether requests are checked at all (mode auto follows the chain: on once identity exists). */
  enabled(): boolean {
    const mode = this.deps.options.mode ?? "auto";
    if (mode !== "auto") return mode === "required";
    // Identity is written at genesis and never removed: once seen, no need to read it again.
    if (!this.permissioned) this.permissioned = identityEnabled(this.get);
    return this.permissioned;
  }

  isPublic(group: ReadGroup): boolean {
    return this.publicReads.has(group);
  }

  /** The member an `Authorization` header stands for, or the typed refusal. */
  async authenticate(authorization: string | string[] | undefined): Promise<Principal> {
    const token = bearerToken(authorization);
    const { iss } = unverifiedClaims(token);
    if (typeof iss !== "string" || !/^[0-9a-f]{40}$/.test(iss)) {
      throw new AuthError({ code: "AUTH_BAD_TOKEN", message: "iss must be the member's address (40 hex)" });
    }
    // The key comes from the chain, never from the token: a non-member's token cannot verify.
    const record = readMember(this.get, iss);
    if (!record) {
      throw new AuthError({ code: "AUTH_BAD_TOKEN", message: `no member with address ${iss} on this chain` });
    }
    const now = this.now();
    const limits = {
      chainId: this.deps.service.chainId,
      now,
      skewSeconds: this.deps.options.clockSkewSeconds ?? AUTH_DEFAULTS.clockSkewSeconds,
      maxTtlSeconds: this.deps.options.maxTokenTtlSeconds ?? AUTH_DEFAULTS.maxTokenTtlSeconds,
    };
    const payload = await verifyMemberJwt(token, record.publicKey, limits);
    // Weft's own rules on top of RFC 7519's: lifetime bound, sub names the member.
    const claims = checkClaims(payload as Record<string, unknown>, limits);
    if (record.id !== claims.sub) {
      throw new AuthError({
        code: "AUTH_BAD_TOKEN",
        message: `sub ${claims.sub} is not the id of member ${iss}`,
      });
    }
    const head = this.deps.service.getState("identity/orgs");
    const member = activeMember(this.get, iss, head.height + 1, now);
    return { ...principalOf(member), via: "token", claims };
  }

  /**
   * The member a TLS client certificate stands for (api.tls.clientCa "registry"): issued by an
   * active org's CA on chain, for a key of an active member of that same org.
   */
  authenticateCertificate(der: Buffer): Principal {
    const now = this.now();
    const { address, org } = certificateMember(this.get, der, now);
    const head = this.deps.service.getState("identity/orgs");
    const member = activeMember(this.get, address, head.height + 1, now);
    if (member.org !== org) {
      throw new AuthError({
        code: "AUTH_BAD_TOKEN",
        message: `the client certificate is issued by ${org}'s CA for a member of ${member.org}`,
      });
    }
    return { ...principalOf(member), via: "certificate" };
  }

  /** Refuses a member of another organisation acting through this node (403). */
  assertOwnOrg(principal: Principal): void {
    const own = this.nodeOrg();
    if (own !== undefined && principal.org !== own) {
      throw new AuthError({
        code: "AUTH_WRONG_ORG",
        message: `member ${principal.org}/${principal.id} cannot act through a node of ${own}`,
        org: principal.org,
        nodeOrg: own,
      });
    }
  }

  /** Refuses a member none of whose roles may act for the organisation, e.g. an auditor (403). */
  assertMayWrite(principal: Principal): void {
    const allowed = this.deps.options.writeRoles ?? AUTH_DEFAULTS.writeRoles;
    if (principal.roles.some((r) => allowed.includes(r))) return;
    throw new AuthError({
      code: "AUTH_ROLE",
      message: `member ${principal.org}/${principal.id} (roles: ${principal.roles.join(", ") || "none"}) may only read; acting for the organisation needs one of ${allowed.join(", ")}`,
      roles: [...principal.roles],
    });
  }

  nodeOrg(): string | undefined {
    return this.deps.options.org ?? orgOfNode(this.get, this.deps.nodeAddress, this.deps.nodeId);
  }
}

const principalOf = (member: MemberRecord) => ({
  address: member.address,
  org: member.org,
  id: member.id,
  kind: member.kind,
  roles: member.roles,
});

/** The token of `Authorization: Bearer <token>` (RFC 6750 §2.1); anything else is refused. */
export function bearerToken(header: string | string[] | undefined): string {
  if (header === undefined || header === "") {
    throw new AuthError({
      code: "AUTH_REQUIRED",
      message: "this request needs Authorization: Bearer <token> of a member",
    });
  }
  if (Array.isArray(header))
    throw new AuthError({ code: "AUTH_BAD_TOKEN", message: "more than one Authorization header" });
  const m = /^Bearer +([A-Za-z0-9_.~+/-]+=*) *$/i.exec(header);
  if (!m)
    throw new AuthError({
      code: "AUTH_BAD_TOKEN",
      message: "the Authorization header is not Bearer <token>",
    });
  return m[1] as string;
}
