import { Type } from "@sinclair/typebox";
import { AddressSchema } from "@weft/core";
import {
  defineMethod,
  defineQuery,
  type Module,
  type ResourceFacts,
  type StateView,
} from "../../app/module.js";
import { AmountSchema, checkedAdd, parseAmount, positiveAmount, TokenError } from "./amount.js";
import { type Asset, assetKey, balanceKey, TokenStore } from "./state.js";

const AssetId = Type.String({
  pattern: "^[A-Z0-9][A-Z0-9._-]{0,31}$",
  description: "Asset symbol, e.g. ACME or EUR.T",
});
const strict = { additionalProperties: false } as const;

/** For policies: an asset's issuer owns what minting and burning change (none if the asset is unknown). */
function issuerFacts(state: StateView, asset: string): ResourceFacts {
  const found = state.get(`token/${assetKey(asset)}`) as Asset | undefined;
  return { owners: found ? [found.issuer] : [] };
}

const createAsset = defineMethod({
  description: "Create an asset; the signer becomes its issuer (the only account that may mint).",
  args: Type.Object(
    {
      asset: AssetId,
      name: Type.String({ minLength: 1, maxLength: 128 }),
      decimals: Type.Integer({ minimum: 0, maximum: 36 }),
      maxSupply: Type.Optional(AmountSchema),
    },
    strict,
  ),
  execute(ctx, args) {
    const tokens = new TokenStore(ctx.state);
    if (tokens.findAsset(args.asset)) {
      throw new TokenError({
        code: "TOKEN_ASSET_EXISTS",
        message: `asset ${args.asset} already exists`,
        asset: args.asset,
      });
    }
    const maxSupply =
      args.maxSupply === undefined ? null : parseAmount(args.maxSupply, "maxSupply").toString();
    tokens.putAsset({
      id: args.asset,
      name: args.name,
      decimals: args.decimals,
      issuer: ctx.sender,
      supply: "0",
      maxSupply,
    });
    ctx.emit("AssetCreated", {
      asset: args.asset,
      issuer: ctx.sender,
      name: args.name,
      decimals: args.decimals,
    });
  },
});

const mint = defineMethod({
  description: "Create new units of an asset for an account. Issuer only; respects maxSupply.",
  args: Type.Object({ asset: AssetId, to: AddressSchema, amount: AmountSchema }, strict),
  resource: (state, args) => issuerFacts(state, args.asset),
  execute(ctx, args) {
    const tokens = new TokenStore(ctx.state);
    const asset = tokens.asset(args.asset);
    if (asset.issuer !== ctx.sender) {
      throw new TokenError({
        code: "TOKEN_NOT_ISSUER",
        message: `only the issuer of ${asset.id} may mint`,
        asset: asset.id,
      });
    }
    const amount = positiveAmount(args.amount);
    const supply = checkedAdd(BigInt(asset.supply), amount, "supply");
    if (asset.maxSupply !== null && supply > BigInt(asset.maxSupply)) {
      throw new TokenError({
        code: "TOKEN_SUPPLY_CAP",
        message: `minting would exceed the max supply ${asset.maxSupply}`,
      });
    }
    tokens.setBalance(asset.id, args.to, checkedAdd(tokens.balance(asset.id, args.to), amount, "balance"));
    tokens.putAsset({ ...asset, supply: supply.toString() });
    ctx.emit("Minted", { asset: asset.id, to: args.to, amount: amount.toString() });
  },
});

const burn = defineMethod({
  description: "Destroy units from the signer's own balance.",
  args: Type.Object({ asset: AssetId, amount: AmountSchema }, strict),
  resource: (state, args) => issuerFacts(state, args.asset),
  execute(ctx, args) {
    const tokens = new TokenStore(ctx.state);
    const asset = tokens.asset(args.asset);
    const amount = positiveAmount(args.amount);
    const balance = tokens.balance(asset.id, ctx.sender);
    if (balance < amount) {
      throw new TokenError({
        code: "TOKEN_INSUFFICIENT_FUNDS",
        message: `balance ${balance} is less than ${amount}`,
      });
    }
    tokens.setBalance(asset.id, ctx.sender, balance - amount);
    tokens.putAsset({ ...asset, supply: (BigInt(asset.supply) - amount).toString() });
    ctx.emit("Burned", { asset: asset.id, from: ctx.sender, amount: amount.toString() });
  },
});

const transfer = defineMethod({
  description: "Move units from the signer to another account.",
  args: Type.Object({ asset: AssetId, to: AddressSchema, amount: AmountSchema }, strict),
  execute(ctx, args) {
    const tokens = new TokenStore(ctx.state);
    const asset = tokens.asset(args.asset);
    const amount = positiveAmount(args.amount);
    if (args.to === ctx.sender) {
      throw new TokenError({
        code: "TOKEN_SELF_TRANSFER",
        message: "sender and recipient are the same account",
      });
    }
    const from = tokens.balance(asset.id, ctx.sender);
    if (from < amount) {
      throw new TokenError({
        code: "TOKEN_INSUFFICIENT_FUNDS",
        message: `balance ${from} is less than ${amount}`,
      });
    }
    tokens.setBalance(asset.id, ctx.sender, from - amount);
    tokens.setBalance(asset.id, args.to, checkedAdd(tokens.balance(asset.id, args.to), amount, "balance"));
    ctx.emit("Transferred", { asset: asset.id, from: ctx.sender, to: args.to, amount: amount.toString() });
  },
});

const TokenGenesis = Type.Object(
  {
    assets: Type.Array(
      Type.Object(
        {
          id: AssetId,
          name: Type.String({ minLength: 1, maxLength: 128 }),
          decimals: Type.Integer({ minimum: 0, maximum: 36 }),
          issuer: AddressSchema,
          maxSupply: Type.Optional(AmountSchema),
        },
        strict,
      ),
    ),
    balances: Type.Array(
      Type.Object({ asset: AssetId, address: AddressSchema, amount: AmountSchema }, strict),
    ),
  },
  strict,
);

export const tokenModule: Module = {
  name: "token",
  methods: { createAsset, mint, burn, transfer },
  queries: {
    balance: defineQuery({
      description: 'Balance of an account in an asset ("0" when it holds none).',
      params: Type.Object({ asset: AssetId, address: AddressSchema }, strict),
      key: (p) => balanceKey(p.asset, p.address),
      absent: "0",
    }),
    asset: defineQuery({
      description: "An asset's issuer, decimals, supply and cap.",
      params: Type.Object({ asset: AssetId }, strict),
      key: (p) => assetKey(p.asset),
    }),
  },
  genesisSchema: TokenGenesis,
  initGenesis(ctx, appState) {
    const state = appState as {
      assets: unknown[];
      balances: { asset: string; address: string; amount: string }[];
    };
    const tokens = new TokenStore(ctx.state);
    for (const a of state.assets as (Omit<Asset, "supply" | "maxSupply"> & { maxSupply?: string })[]) {
      if (tokens.findAsset(a.id))
        throw new TokenError({ code: "TOKEN_ASSET_EXISTS", message: `genesis lists ${a.id} twice` });
      tokens.putAsset({ ...a, supply: "0", maxSupply: a.maxSupply ?? null });
    }
    for (const b of state.balances) {
      const asset = tokens.asset(b.asset);
      const amount = parseAmount(b.amount);
      const supply = checkedAdd(BigInt(asset.supply), amount, "supply");
      if (asset.maxSupply !== null && supply > BigInt(asset.maxSupply)) {
        throw new TokenError({
          code: "TOKEN_SUPPLY_CAP",
          message: `genesis balances exceed the max supply of ${asset.id}`,
        });
      }
      tokens.setBalance(
        asset.id,
        b.address,
        checkedAdd(tokens.balance(asset.id, b.address), amount, "balance"),
      );
      tokens.putAsset({ ...asset, supply: supply.toString() });
    }
  },
};
