/**
 * Token calls for other modules, to run through `ctx.invoke` (all or nothing, each call judged
 * by the identity policies against the approvers passed), and read-only lookups over `ctx.view`.
 *
 * How an escrow module uses holds (the buyer's funds stay in the buyer's balance, locked):
 *
 * - `escrow.open` (a transaction signed by the buyer) invokes
 *   `placeHold({ asset, amount, holdId: "escrow:<id>", owner: buyer, controller: ESCROW_ACCOUNT,
 *   beneficiary: seller, expiresAt })` with approvers `[buyer]`. Invoked calls run with
 *   `via: "governance"`, so `owner` may name the buyer because the buyer is among the approvers;
 *   the hold records `via` and `approvers`. Naming a `controller` takes release and early cancel
 *   away from the owner: the buyer cannot pull the funds back while the escrow is open.
 * - Settling (delivery confirmed, or an arbiter's decision) invokes
 *   `releaseHold({ holdId, to: seller })` — or `to: buyer` for a refund, or a partial `amount` to each —
 *   with approvers `[ESCROW_ACCOUNT]`: only the controller may release to anyone.
 * - After `expiresAt` anyone may `cancelHold`, returning the funds to the buyer, so funds are
 *   never stuck if the escrow module never settles.
 *
 * Hold ids are free once a hold is released or cancelled: use ids unique for the module's life
 * ("escrow:<id>"). Under `via: "governance"` the owner must be among the approvers even when it
 * defaults to the signer.
 *
 * `ESCROW_ACCOUNT` is an address only the escrow module speaks for: an address no key can sign
 * for (derived from the module name), passed solely as an approver of its own invokes. Policies
 * on `token.releaseHold`/`token.cancelHold` judge those approvers, so a permissioned chain must
 * let that account act (e.g. a policy for the escrow's token calls) — to settle in the escrow issue.
 */
import type { Call, StateView } from "../../app/module.js";
import type { Asset, Hold, Nft } from "./state.js";
import { assetKey, balanceKey, heldKey, holdKey, nftKey } from "./state.js";

export interface PlaceHoldArgs {
  asset: string;
  /** Canonical decimal string. */
  amount: string;
  holdId: string;
  /** Whose balance is held; must be among the invoke's approvers when it is not the signer. */
  owner?: string;
  beneficiary?: string;
  controller?: string;
  /** Block time, ms. */
  expiresAt?: number;
}

const call = (method: string, args: Record<string, unknown>): Call => ({
  module: "token",
  method,
  // Optional fields left undefined are dropped: args must be canonical JSON.
  args: Object.fromEntries(Object.entries(args).filter(([, v]) => v !== undefined)) as Call["args"],
});

export const tokenCalls = {
  placeHold: (a: PlaceHoldArgs): Call => call("hold", { ...a }),
  releaseHold: (a: { holdId: string; to: string; amount?: string }): Call => call("releaseHold", { ...a }),
  cancelHold: (a: { holdId: string }): Call => call("cancelHold", { ...a }),
  transfer: (a: { asset: string; to: string; amount: string }): Call => call("transfer", { ...a }),
  transferNft: (a: { asset: string; tokenId: string; to: string }): Call => call("transferNft", { ...a }),
};

/** Read-only lookups by full key (`ctx.view`, an authorizer's `state`): values must not be mutated. */
export const tokenView = {
  asset: (view: StateView, asset: string) => view.get(`token/${assetKey(asset)}`) as Asset | undefined,
  balance: (view: StateView, asset: string, address: string): bigint =>
    BigInt((view.get(`token/${balanceKey(asset, address)}`) as string | undefined) ?? "0"),
  held: (view: StateView, asset: string, address: string): bigint =>
    BigInt((view.get(`token/${heldKey(asset, address)}`) as string | undefined) ?? "0"),
  hold: (view: StateView, holdId: string) => view.get(`token/${holdKey(holdId)}`) as Hold | undefined,
  nft: (view: StateView, asset: string, tokenId: string) =>
    view.get(`token/${nftKey(asset, tokenId)}`) as Nft | undefined,
};
