/** What a permissioned genesis starts with: the builtin roles and the default policy of each action. */
import type { Policy, Role } from "./schema.js";

export const BUILTIN_ROLES: readonly Role[] = [
  { name: "admin", description: "Manages its organisation's members, nodes and certificates", builtin: true },
  { name: "operator", description: "Runs day-to-day operations (assets, configuration)", builtin: true },
  {
    name: "writer",
    description: "Records supply-chain events at its organisation's locations",
    builtin: true,
  },
  { name: "reader", description: "Reads and queries; no writes", builtin: true },
  { name: "device", description: "A sensor or scanner speaking for itself", builtin: true },
  { name: "auditor", description: "Reviews and co-approves sensitive actions", builtin: true },
];

const orgVotes2of3: Policy = { orgVotes: { num: 2, den: 3 } };
const ownAdmin: Policy = { role: "admin", scope: "resource" };

/** Default policies by action ("module.method", "module.*" or "*"); a genesis may override each. */
export const defaultPolicies: Readonly<Record<string, Policy>> = {
  "*": { member: true },
  "token.createAsset": { anyOf: [{ role: "admin" }, { role: "operator" }] },
  "token.mint": { owner: true },
  "token.mintNft": { owner: true },
  "token.closeMint": { owner: true },
  "token.*": { member: true },
  "trace.capture": {
    anyOf: [
      { role: "writer", scope: "resource" },
      { role: "device", scope: "self" },
    ],
  },
  "trace.anchor": { role: "writer" },
  "evidence.submit": { member: true },
  "escrow.*": { member: true },
  "escrow.dispute": { owner: true },
  "escrow.cancel": { owner: true },
  // The arbiter's own transaction, or a decision of the organisations.
  "escrow.resolve": { anyOf: [{ owner: true }, orgVotes2of3] },
  "identity.addOrg": orgVotes2of3,
  "identity.removeOrg": orgVotes2of3,
  "identity.updateOrg": orgVotes2of3,
  "identity.updateNodes": ownAdmin,
  "identity.revokeNodeCert": ownAdmin,
  "identity.addMember": ownAdmin,
  "identity.revokeMember": ownAdmin,
  "identity.rotateKey": { member: true },
  "identity.setRoles": ownAdmin,
  "identity.defineRole": orgVotes2of3,
  "identity.setPolicy": orgVotes2of3,
  "gov.propose": { member: true },
  "gov.vote": { member: true },
  "gov.setParams": orgVotes2of3,
  "validators.update": orgVotes2of3,
};
