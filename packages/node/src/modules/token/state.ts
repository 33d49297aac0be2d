import type { CanonicalValue } from "@weft/core";
import type { CallVia, ModuleState } from "../../app/module.js";
import { parseAmount, TokenError } from "./amount.js";

export type AssetKind = "fungible" | "nft";
export type BurnPolicy = "holders" | "issuer" | "none";

export interface Asset {
  id: string;
  name: string;
  decimals: number;
  issuer: string;
  /** Fungible: units in existence (held included). NFT: tokens in existence. */
  supply: string;
  /** null: no cap */
  maxSupply: string | null;
  /** Absent on fungible assets (the shape assets had before NFTs), "nft" otherwise. */
  kind?: AssetKind;
  /**
   * Who may burn: "holders" (absent; each holder its own units), "issuer" (only the issuer, its
   * own units: a redeemable claim), or "none" (supply only grows).
   */
  burn?: BurnPolicy;
  /** Set by `token.closeMint`: the supply is final; nobody mints again. */
  mintClosed?: true;
}

/** A locked part of an owner's balance: counted in the balance, not spendable until released. */
export interface Hold {
  id: string;
  owner: string;
  asset: string;
  amount: string;
  /** May release the hold back to the owner (and only there); null: nobody but the owner. */
  beneficiary: string | null;
  /**
   * When set, only the controller may release the hold (to anyone) or cancel it before it
   * expires; the owner gives up both. An escrow module names its own account here.
   */
  controller: string | null;
  /** Block time (ms) after which anyone may cancel the hold; null: never expires. */
  expiresAt: number | null;
  /** Block time (ms) the hold was placed at. */
  createdAt: number;
  /** How the call placing it came: "governance" for a decided proposal or a module's invoke. */
  via: CallVia;
  /** Who approved placing it: the signer, or the proposal's voters / the invoking module's approvers. */
  approvers: string[];
}

export interface Nft {
  asset: string;
  tokenId: string;
  owner: string;
  metadata: { uri?: string; hash?: string };
}

export const assetKey = (asset: string) => `asset/${asset}`;
export const balanceKey = (asset: string, address: string) => `balance/${asset}/${address}`;
export const heldKey = (asset: string, address: string) => `held/${asset}/${address}`;
export const holdKey = (holdId: string) => `hold/${holdId}`;
export const nftKey = (asset: string, tokenId: string) => `nft/${asset}/${tokenId}`;

export const kindOf = (asset: Asset): AssetKind => asset.kind ?? "fungible";

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

  /** The asset, which must be of `kind` (a fungible method on an NFT asset and vice versa fail). */
  assetOfKind(id: string, kind: AssetKind): Asset {
    const asset = this.asset(id);
    if (kindOf(asset) !== kind) {
      throw new TokenError({
        code: "TOKEN_WRONG_KIND",
        message: `asset ${id} is ${kindOf(asset)}, this method needs a ${kind} asset`,
        asset: id,
      });
    }
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

  /** Total of an account's holds in an asset: part of its balance it may not spend. */
  held(asset: string, address: string): bigint {
    const stored = this.state.get(heldKey(asset, address));
    return stored === undefined ? 0n : parseAmount(stored as string);
  }

  setHeld(asset: string, address: string, amount: bigint): void {
    if (amount === 0n) this.state.delete(heldKey(asset, address));
    else this.state.set(heldKey(asset, address), amount.toString());
  }

  /** Balance minus holds: what the account may transfer or burn. */
  available(asset: string, address: string): bigint {
    return this.balance(asset, address) - this.held(asset, address);
  }

  findHold(id: string): Hold | undefined {
    return this.state.get(holdKey(id)) as Hold | undefined;
  }

  hold(id: string): Hold {
    const hold = this.findHold(id);
    if (!hold)
      throw new TokenError({ code: "TOKEN_UNKNOWN_HOLD", message: `hold ${id} does not exist`, holdId: id });
    return hold;
  }

  putHold(hold: Hold): void {
    this.state.set(holdKey(hold.id), hold as unknown as CanonicalValue);
  }

  deleteHold(id: string): void {
    this.state.delete(holdKey(id));
  }

  findNft(asset: string, tokenId: string): Nft | undefined {
    return this.state.get(nftKey(asset, tokenId)) as Nft | undefined;
  }

  nft(asset: string, tokenId: string): Nft {
    const nft = this.findNft(asset, tokenId);
    if (!nft) {
      throw new TokenError({
        code: "TOKEN_UNKNOWN_NFT",
        message: `token ${tokenId} of ${asset} does not exist`,
        asset,
        tokenId,
      });
    }
    return nft;
  }

  putNft(nft: Nft): void {
    this.state.set(nftKey(nft.asset, nft.tokenId), nft as unknown as CanonicalValue);
  }

  deleteNft(asset: string, tokenId: string): void {
    this.state.delete(nftKey(asset, tokenId));
  }
}
