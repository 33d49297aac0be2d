import type { CanonicalValue } from "@weft/core";
import type { ModuleState } from "../../app/module.js";
import { parseAmount, TokenError } from "./amount.js";

export interface Asset {
  id: string;
  name: string;
  decimals: number;
  issuer: string;
  supply: string;
  /** null: no cap */
  maxSupply: string | null;
}

export const assetKey = (asset: string) => `asset/${asset}`;
export const balanceKey = (asset: string, address: string) => `balance/${asset}/${address}`;

/** Typed accessors over the token namespace; balances are stored as decimal strings. */
export class TokenStore {
  constructor(private readonly state: ModuleState) {}

  findAsset(id: string): Asset | undefined {
    return this.state.get(assetKey(id)) as Asset | undefined;
  }

  asset(id: string): Asset {
    const asset = this.findAsset(id);
    if (!asset)
      throw new TokenError({ code: "TOKEN_UNKNOWN_ASSET", message: `asset ${id} does not exist`, asset: id });
    return asset;
  }

  putAsset(asset: Asset): void {
    this.state.set(assetKey(asset.id), asset as unknown as CanonicalValue);
  }

  balance(asset: string, address: string): bigint {
    const stored = this.state.get(balanceKey(asset, address));
    return stored === undefined ? 0n : parseAmount(stored as string);
  }

  /** Zero balances are deleted so state holds only what exists (and proofs of absence mean zero). */
  setBalance(asset: string, address: string, amount: bigint): void {
    if (amount === 0n) this.state.delete(balanceKey(asset, address));
    else this.state.set(balanceKey(asset, address), amount.toString());
  }
}
