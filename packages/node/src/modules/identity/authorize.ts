/**
 * The identity module's authorizer: every call on a permissioned chain is judged here before it
 * executes. Approvers must be active identities; then the action's policy (as data, from state)
 * must hold for them and the call's resource facts.
 */
import type { AuthorizeContext } from "../../app/module.js";
import { IdentityError } from "./errors.js";
import { enforcePolicy } from "./policy.js";
import {
  type ActiveIdentity,
  activeIdentity,
  identityEnabled,
  policyFor,
  type StateGetter,
} from "./state.js";

export function authorizeCall(ctx: AuthorizeContext): void {
  const get: StateGetter = (key) => ctx.state.get(key);
  // An open chain (no identity in genesis) lets everyone do everything, as before identities.
  if (!identityEnabled(get)) return;
  // A module's end-of-block call (an escrow settling) follows rules already authorized when its
  // transactions ran; the called method still checks its own (a hold's controller).
  if (ctx.via === "block") return;
  const { module, method } = ctx.call;
  const { policy } = policyFor(get, module, method);
  if ("public" in policy) return;
  enforcePolicy(policy, {
    action: `${module}.${method}`,
    approvers: activeApprovers(get, ctx),
    facts: ctx.facts,
    get,
  });
}

/**
 * A transaction's signer must be active, or the call fails with the reason. Under governance a
 * voter revoked (or whose org was removed) since voting simply no longer counts: the proposal
 * then needs other approvals instead of failing for good. If none is active, the first reason.
 */
function activeApprovers(get: StateGetter, ctx: AuthorizeContext): ActiveIdentity[] {
  const out: ActiveIdentity[] = [];
  let firstError: IdentityError | undefined;
  for (const address of new Set(ctx.approvers)) {
    try {
      out.push(activeIdentity(get, address, ctx.height, ctx.time));
    } catch (e) {
      if (!(e instanceof IdentityError) || ctx.via === "tx") throw e;
      firstError ??= e;
    }
  }
  if (out.length === 0) {
    throw (
      firstError ?? new IdentityError({ code: "IDENTITY_NOT_MEMBER", message: "the call has no approvers" })
    );
  }
  return out;
}
