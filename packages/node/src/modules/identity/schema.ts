/**
 * Shapes of the identity registry: what state holds (Org, Member, Role, Policy) and the TypeBox
 * schemas of method arguments, queries and genesis. Every value is canonical JSON (no floats).
 */
import { type Static, type TSchema, Type } from "@sinclair/typebox";
import { AddressSchema, type PublicKeyInfo, PublicKeyInfoSchema } from "@weft/core";

const strict = { additionalProperties: false } as const;

/** Registry names end up inside state keys ("identity/org/<name>"): no "/" and no spaces. */
export const OrgName = Type.String({
  pattern: "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$",
  description: "Organisation name, e.g. acme",
});
/** A member id within its org: a person's handle or a device id (an EPC URN or Digital Link). */
export const MemberIdSchema = Type.String({
  pattern: "^[\\x21-\\x7e]{1,256}$",
  description: "Member or device id within its organisation (printable ASCII, no spaces)",
});
export const RoleName = Type.String({ pattern: "^[a-z][a-z0-9_-]{0,31}$", description: "Role name" });
/** "module.method", "module.*" or "*". */
export const ActionSchema = Type.String({
  pattern: "^(\\*|[a-z][A-Za-z0-9_]{0,63}\\.(\\*|[a-z][A-Za-z0-9_]{0,63}))$",
  description: 'Action a policy governs: "module.method", "module.*" or "*"',
});
const Pem = Type.String({ minLength: 1, maxLength: 16_384, description: "X.509 certificate, PEM" });
const Fingerprint = Type.String({
  pattern: "^[0-9a-f]{64}$",
  description: "SHA-256 of the certificate's DER, lowercase hex",
});
const Port = Type.Integer({ minimum: 1, maximum: 65_535 });
export const NodeEntrySchema = Type.Object(
  {
    id: Type.String({ pattern: "^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$" }),
    host: Type.String({ minLength: 1, maxLength: 253, pattern: "^[^\\s/]+$" }),
    port: Port,
  },
  strict,
);
export const NodesSchema = Type.Array(NodeEntrySchema, { maxItems: 64 });
export const Gs1Schema = Type.Object(
  {
    companyPrefixes: Type.Array(Type.String({ pattern: "^[0-9]{6,12}$" }), { maxItems: 256 }),
    glns: Type.Array(Type.String({ pattern: "^[0-9]{13}$" }), { maxItems: 1024 }),
  },
  strict,
);
export const CaCertsSchema = Type.Array(Pem, { minItems: 1, maxItems: 4 });
export const KindSchema = Type.Union([Type.Literal("member"), Type.Literal("device")]);
export const RolesSchema = Type.Array(RoleName, { maxItems: 16 });

/** Deepest nesting of anyOf/allOf/approvals a policy may have: bounds evaluation. */
export const MAX_POLICY_DEPTH = 6;

export const PolicySchema = Type.Recursive(
  (Self) =>
    Type.Union([
      Type.Object({ public: Type.Literal(true) }, strict),
      Type.Object({ member: Type.Literal(true) }, strict),
      Type.Object(
        {
          role: RoleName,
          scope: Type.Optional(
            Type.Union([Type.Literal("any"), Type.Literal("resource"), Type.Literal("self")]),
          ),
        },
        strict,
      ),
      Type.Object({ owner: Type.Literal(true) }, strict),
      Type.Object({ anyOf: Type.Array(Self, { minItems: 1, maxItems: 16 }) }, strict),
      Type.Object({ allOf: Type.Array(Self, { minItems: 1, maxItems: 16 }) }, strict),
      Type.Object(
        {
          approvals: Type.Object(
            {
              threshold: Type.Integer({ minimum: 1, maximum: 64 }),
              from: Type.Array(Self, { minItems: 1, maxItems: 16 }),
            },
            strict,
          ),
        },
        strict,
      ),
      Type.Object(
        {
          orgVotes: Type.Object(
            {
              num: Type.Integer({ minimum: 0, maximum: 1000 }),
              den: Type.Integer({ minimum: 1, maximum: 1000 }),
            },
            strict,
          ),
        },
        strict,
      ),
    ]),
  { $id: "WeftPolicy" },
);

export type Scope = "any" | "resource" | "self";
export type Policy =
  | { public: true }
  | { member: true }
  | { role: string; scope?: Scope }
  | { owner: true }
  | { anyOf: Policy[] }
  | { allOf: Policy[] }
  | { approvals: { threshold: number; from: Policy[] } }
  | { orgVotes: { num: number; den: number } };

export interface NodeEntry {
  id: string;
  host: string;
  port: number;
}
export interface Gs1 {
  companyPrefixes: string[];
  glns: string[];
}
export interface Org {
  name: string;
  caCerts: string[];
  nodes: NodeEntry[];
  gs1: Gs1;
  status: "active" | "removed";
  since: number;
  removedAt?: number;
  revokedCerts: { fingerprint: string; height: number }[];
}
export interface MemberCertificate {
  pem: string;
  fingerprint: string;
  notBefore: number;
  notAfter: number;
}
export interface Member {
  address: string;
  id: string;
  org: string;
  kind: "member" | "device";
  roles: string[];
  publicKey: PublicKeyInfo;
  certificate?: MemberCertificate;
  status: "active" | "revoked";
  since: number;
  revokedAt?: number;
  validUntil?: number;
  successor?: string;
  predecessor?: string;
}
export interface Role {
  name: string;
  description: string;
  builtin: boolean;
}

// --- method arguments ---
const AdminSchema = Type.Object({ id: MemberIdSchema, publicKey: PublicKeyInfoSchema }, strict);
export const AddOrgArgs = Type.Object(
  {
    name: OrgName,
    caCerts: CaCertsSchema,
    nodes: NodesSchema,
    gs1: Gs1Schema,
    admins: Type.Array(AdminSchema, { minItems: 1, maxItems: 16 }),
    /** Further first members, e.g. the node key as operator and writer (no certificate here). */
    members: Type.Optional(
      Type.Array(
        Type.Object(
          { id: MemberIdSchema, kind: KindSchema, roles: RolesSchema, publicKey: PublicKeyInfoSchema },
          strict,
        ),
        { maxItems: 16 },
      ),
    ),
  },
  strict,
);
export const OrgRefArgs = Type.Object({ name: OrgName }, strict);
export const UpdateOrgArgs = Type.Object(
  { name: OrgName, caCerts: Type.Optional(CaCertsSchema), gs1: Type.Optional(Gs1Schema) },
  strict,
);
export const UpdateNodesArgs = Type.Object({ org: OrgName, nodes: NodesSchema }, strict);
export const RevokeNodeCertArgs = Type.Object({ org: OrgName, fingerprint: Fingerprint }, strict);
export const AddMemberArgs = Type.Object(
  {
    org: OrgName,
    id: MemberIdSchema,
    kind: KindSchema,
    roles: RolesSchema,
    publicKey: PublicKeyInfoSchema,
    certificate: Type.Optional(Pem),
  },
  strict,
);
const Height = Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER });
export const RevokeMemberArgs = Type.Object(
  { org: OrgName, id: MemberIdSchema, atHeight: Type.Optional(Height) },
  strict,
);
/** Longest rotation overlap: 30 days. */
export const MAX_OVERLAP_MS = 30 * 86_400_000;
export const RotateKeyArgs = Type.Object(
  {
    publicKey: PublicKeyInfoSchema,
    overlapMs: Type.Integer({ minimum: 0, maximum: MAX_OVERLAP_MS }),
    certificate: Type.Optional(Pem),
  },
  strict,
);
export const SetRolesArgs = Type.Object({ org: OrgName, id: MemberIdSchema, roles: RolesSchema }, strict);
export const DefineRoleArgs = Type.Object(
  { name: RoleName, description: Type.String({ maxLength: 256 }) },
  strict,
);
export const SetPolicyArgs = Type.Object({ action: ActionSchema, policy: PolicySchema }, strict);

// --- queries ---
export const EmptyParams = Type.Object({}, strict);
export const AddressParams = Type.Object({ address: AddressSchema }, strict);
export const MemberIdParams = Type.Object({ org: OrgName, id: MemberIdSchema }, strict);
export const ActionParams = Type.Object({ action: ActionSchema }, strict);
export const RoleParams = Type.Object({ name: RoleName }, strict);

// --- genesis ---
const GenesisMember = Type.Object(
  {
    id: MemberIdSchema,
    kind: KindSchema,
    roles: RolesSchema,
    publicKey: PublicKeyInfoSchema,
    certificate: Type.Optional(Pem),
  },
  strict,
);
export const IdentityGenesisSchema = Type.Object(
  {
    orgs: Type.Array(
      Type.Object(
        {
          name: OrgName,
          caCerts: CaCertsSchema,
          nodes: NodesSchema,
          gs1: Gs1Schema,
          members: Type.Array(GenesisMember, { maxItems: 4096 }),
        },
        strict,
      ),
      { minItems: 1, maxItems: 256 },
    ),
    policies: Type.Optional(Type.Record(ActionSchema, PolicySchema)),
    roles: Type.Optional(
      Type.Array(Type.Object({ name: RoleName, description: Type.String({ maxLength: 256 }) }, strict)),
    ),
  },
  strict,
);

export type Args<S extends TSchema> = Static<S>;
export type IdentityGenesis = Static<typeof IdentityGenesisSchema>;
