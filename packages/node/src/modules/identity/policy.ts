/**
 * Evaluation of policies as data (see schema.ts for the grammar). Pure and deterministic: the
 * outcome depends only on the policy, the approvers' registry records, the call's resource facts
 * and registry state read through the getter.
 */
import type { ResourceFacts } from "../../app/module.js";
import { PolicyError } from "./errors.js";
import { orgOwnsLocation, sameIdentifier } from "./locations.js";
import type { Policy, Scope } from "./schema.js";
import { type ActiveIdentity, listOrgs, type StateGetter } from "./state.js";

export interface PolicyInput {
  /** "module.method" the call is for (named in denials). */
  action: string;
  /** Distinct approvers that are active identities at this height and time. */
  approvers: readonly ActiveIdentity[];
  facts: ResourceFacts;
  get: StateGetter;
}

/**
 * `approvals`: more approvers could satisfy the policy (governance keeps the proposal open);
 * `denied`: the approvers at hand fail a rule.
 */
export type Outcome = { ok: true } | { ok: false; kind: "denied" | "approvals"; reason: string };

const OK: Outcome = { ok: true };
const denied = (reason: string): Outcome => ({ ok: false, kind: "denied", reason });
const needMore = (reason: string): Outcome => ({ ok: false, kind: "approvals", reason });

/** Throws the PolicyError for a failed outcome. */
export function enforcePolicy(policy: Policy, input: PolicyInput): void {
  const outcome = evaluatePolicy(policy, input);
  if (outcome.ok) return;
  if (outcome.kind === "approvals") {
    throw new PolicyError({
      code: "POLICY_APPROVALS_REQUIRED",
      message: `${input.action} needs more approvals (${outcome.reason}); propose it: gov.propose`,
      action: input.action,
    });
  }
  throw new PolicyError({
    code: "POLICY_DENIED",
    message: `${input.action} denied by its policy: ${outcome.reason}`,
    action: input.action,
  });
}

export function evaluatePolicy(policy: Policy, input: PolicyInput): Outcome {
  const { approvers, facts } = input;
  if ("public" in policy) return OK;
  if ("member" in policy) return approvers.length > 0 ? OK : denied("needs a member");
  if ("role" in policy) {
    const scope = policy.scope ?? "any";
    const problems = approvers.map((a) => roleProblem(a, policy.role, scope, facts));
    if (problems.some((p) => p === null)) return OK;
    return denied(problems.filter((p): p is string => p !== null).join("; ") || `needs role ${policy.role}`);
  }
  if ("owner" in policy) {
    const owners = facts.owners ?? [];
    if (approvers.some((a) => owners.includes(a.member.address))) return OK;
    return denied(`needs the owner (${owners.join(", ") || "none known"})`);
  }
  if ("anyOf" in policy) {
    const outcomes = policy.anyOf.map((p) => evaluatePolicy(p, input));
    if (outcomes.some((o) => o.ok)) return OK;
    const failed = outcomes.filter((o): o is Exclude<Outcome, { ok: true }> => !o.ok);
    const reason = `none of: ${failed.map((o) => o.reason).join(" | ")}`;
    return failed.some((o) => o.kind === "approvals") ? needMore(reason) : denied(reason);
  }
  if ("allOf" in policy) {
    const failed = policy.allOf
      .map((p) => evaluatePolicy(p, input))
      .filter((o): o is Exclude<Outcome, { ok: true }> => !o.ok);
    return failed.find((o) => o.kind === "denied") ?? failed[0] ?? OK;
  }
  if ("approvals" in policy) {
    const { threshold, from } = policy.approvals;
    // Each approver counts once, when it alone satisfies one of `from`.
    const qualified = new Set(
      approvers
        .filter((a) => from.some((p) => evaluatePolicy(p, { ...input, approvers: [a] }).ok))
        .map((a) => a.member.address),
    );
    const count = qualified.size;
    if (count >= threshold) return OK;
    return needMore(`${count} of ${threshold} required approvals`);
  }
  const { num, den } = policy.orgVotes;
  const active = listOrgs(input.get).filter((o) => o.status === "active");
  const voted = new Set(
    approvers
      .filter((a) => a.member.roles.includes("admin") && a.org.status === "active")
      .map((a) => a.org.name),
  );
  // More than num/den of the active orgs, in integers.
  if (voted.size * den > num * active.length) return OK;
  return needMore(
    `admins of ${voted.size} of ${active.length} organisations approved; more than ${num}/${den} needed`,
  );
}

/** Why one approver fails `{role, scope}`, or null when it satisfies it. */
function roleProblem(a: ActiveIdentity, role: string, scope: Scope, facts: ResourceFacts): string | null {
  const { member, org } = a;
  const who = `${member.org}/${member.id}`;
  if (!member.roles.includes(role)) return `${who} lacks role ${role}`;
  if (scope === "any") return null;
  if (scope === "self") {
    if (member.kind !== "device") return `${who} is not a device (role ${role}, scope self)`;
    const other = (facts.devices ?? []).find((d) => !sameIdentifier(d, member.id));
    if (other !== undefined) return `device ${who} may not speak for device ${other}`;
  }
  const foreignOrg = (facts.orgs ?? []).find((o) => o !== member.org);
  if (foreignOrg !== undefined)
    return `${who} (role ${role}) acts for its own organisation, not ${foreignOrg}`;
  const foreign = (facts.locations ?? []).find((l) => !orgOwnsLocation(org, l));
  if (foreign !== undefined)
    return `location ${foreign} does not belong to ${member.org} (${who}, role ${role})`;
  return null;
}

/** Roles a policy names, to check they are defined when it is set. */
export function rolesOf(policy: Policy): string[] {
  if ("role" in policy) return [policy.role];
  if ("anyOf" in policy) return policy.anyOf.flatMap(rolesOf);
  if ("allOf" in policy) return policy.allOf.flatMap(rolesOf);
  if ("approvals" in policy) return policy.approvals.from.flatMap(rolesOf);
  return [];
}

/** Nesting depth of a policy (a leaf is 1). */
export function policyDepth(policy: Policy): number {
  const children =
    "anyOf" in policy
      ? policy.anyOf
      : "allOf" in policy
        ? policy.allOf
        : "approvals" in policy
          ? policy.approvals.from
          : [];
  return 1 + Math.max(0, ...children.map(policyDepth));
}
