/**
 * Token calls for other modules, to run through `ctx.invoke` (all or nothing, each call judged
 * by the identity policies against the approvers passed), and read-only lookups over `ctx.view`.
 *
 * How the escrow module uses holds (the buyer's funds stay in the buyer's balance, locked):
 *
 * - `escrow.open` (a transaction signed by the buyer) invokes
 *   `placeHold({ asset, amount, holdId: "escrow:<id>", owner: buyer, controller: ESCROW_ACCOUNT })`
 *   with approvers `[buyer]`. Invoked calls run with `via: "governance"`, so `owner` may name the
 *   buyer because the buyer is among the approvers. Naming a `controller` takes release and early
 *   cancel away from the owner: the buyer cannot pull the funds back while the escrow is open.
 *   No beneficiary (the seller could otherwise release to the buyer behind the escrow's back) and
 *   no expiry: the escrow module itself refunds at its deadline.
 * - Settling, at the end of a block (`BlockContext.invoke`, `via: "block"`, as the escrow's
 *   account), invokes `releaseHold({ holdId, to: seller, amount })` and, for a penalty or a
 *   decision's split, `releaseHold({ holdId, to: buyer, amount })`; a refund is `cancelHold`.
 *
 * Hold ids `escrow:…` are reserved: only the escrow module's account may place them.
 * `ESCROW_ACCOUNT` (`moduleAccount("escrow")`) is an address no key can sign for.
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
