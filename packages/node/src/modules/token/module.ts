import { Type } from "@sinclair/typebox";
import { AddressSchema } from "@weft/core";
import {
  defineMethod,
  defineQuery,
  type Module,
  type ResourceFacts,
  type StateView,
  type TxContext,
} from "../../app/module.js";
import { moduleAccount } from "../../app/module-account.js";
import { AmountSchema, checkedAdd, parseAmount, positiveAmount, TokenError } from "./amount.js";
import {
  type Asset,
  assetKey,
  balanceKey,
  type Hold,
  heldKey,
  holdKey,
  type Nft,
  nftKey,
  TokenStore,
} from "./state.js";

const AssetId = Type.String({
  pattern: "^[A-Z0-9][A-Z0-9._-]{0,31}$",
  description: "Asset symbol, e.g. ACME or EUR.T",
});
const strict = { additionalProperties: false } as const;
const HoldId = Type.String({
  pattern: "^[A-Za-z0-9._:-]{1,96}$",
  description: 'Hold id chosen by the caller, e.g. "order-42" or "escrow:7"',
});
const TokenId = Type.String({
  pattern: "^[A-Za-z0-9._:-]{1,78}$",
  description: "Token id within an NFT asset (a serial number, a uint256 in decimal, …)",
});
const NftMetadata = Type.Object(
  {
    uri: Type.Optional(Type.String({ minLength: 1, maxLength: 2048 })),
    hash: Type.Optional(Type.String({ pattern: "^[A-Za-z0-9:_+/=.-]{1,256}$" })),
  },
  strict,
);

/**
 * Whether the call speaks for `address`: a direct transaction for its signer; a call executed by
 * governance (a decided proposal, or a module's `ctx.invoke`) for each of its approvers.
 */
export function actsFor(ctx: Pick<TxContext, "approvers">, address: string): boolean {
  return ctx.approvers.includes(address);
}

/** For policies: an asset's issuer owns what minting and burning change (none if the asset is unknown). */
function issuerFacts(state: StateView, asset: string): ResourceFacts {
  const found = state.get(`token/${assetKey(asset)}`) as Asset | undefined;
  return { owners: found ? [found.issuer] : [] };
}

const BurnPolicySchema = Type.Union([Type.Literal("holders"), Type.Literal("issuer"), Type.Literal("none")], {
  description:
    'Who may burn units (or NFTs): "holders" (default: each its own), "issuer" (only the issuer, its own), "none"',
});

/** The issuer alone mints, and only until it closes minting. */
function checkMint(asset: Asset, sender: string): void {
  if (asset.issuer !== sender) {
    throw new TokenError({
      code: "TOKEN_NOT_ISSUER",
      message: `only the issuer of ${asset.id} may mint`,
      asset: asset.id,
    });
  }
  if (asset.mintClosed) {
    throw new TokenError({
      code: "TOKEN_MINT_CLOSED",
      message: `minting of ${asset.id} is closed: its supply is final`,
      asset: asset.id,
    });
  }
}

/** The asset's burn policy lets `sender` destroy what it holds. */
function checkBurn(asset: Asset, sender: string): void {
  const policy = asset.burn ?? "holders";
  if (policy === "holders" || (policy === "issuer" && sender === asset.issuer)) return;
  throw new TokenError({
    code: "TOKEN_BURN_NOT_ALLOWED",
    message:
      policy === "none" ? `${asset.id} cannot be burned` : `only the issuer of ${asset.id} may burn it`,
    asset: asset.id,
  });
}

const createAsset = defineMethod({
  description: "Create an asset; the signer becomes its issuer (the only account that may mint).",
  args: Type.Object(
    {
      asset: AssetId,
      name: Type.String({ minLength: 1, maxLength: 128 }),
      decimals: Type.Integer({ minimum: 0, maximum: 36 }),
      maxSupply: Type.Optional(AmountSchema),
      kind: Type.Optional(Type.Union([Type.Literal("fungible"), Type.Literal("nft")])),
      burn: Type.Optional(BurnPolicySchema),
    },
    strict,
  ),
  execute(ctx, args) {
    const tokens = new TokenStore(ctx.state);
    const kind = args.kind ?? "fungible";
    if (kind === "nft" && args.decimals !== 0) {
      throw new TokenError({
        code: "TOKEN_INVALID_ARGS",
        message: "an NFT asset has 0 decimals",
        field: "decimals",
      });
    }
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
      // Fungible assets keep the shape they had before NFTs (no kind field); likewise burn.
      ...(kind === "nft" ? { kind } : {}),
      ...(args.burn !== undefined && args.burn !== "holders" ? { burn: args.burn } : {}),
    });
    ctx.emit("AssetCreated", {
      asset: args.asset,
      issuer: ctx.sender,
      name: args.name,
      decimals: args.decimals,
      kind,
    });
  },
});

const mint = defineMethod({
  description: "Create new units of an asset for an account. Issuer only; respects maxSupply.",
  args: Type.Object({ asset: AssetId, to: AddressSchema, amount: AmountSchema }, strict),
  resource: (state, args) => issuerFacts(state, args.asset),
  execute(ctx, args) {
    const tokens = new TokenStore(ctx.state);
    const asset = tokens.assetOfKind(args.asset, "fungible");
    checkMint(asset, ctx.sender);
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
    const asset = tokens.assetOfKind(args.asset, "fungible");
    checkBurn(asset, ctx.sender);
    const amount = positiveAmount(args.amount);
    const balance = tokens.balance(asset.id, ctx.sender);
    const available = balance - tokens.held(asset.id, ctx.sender);
    if (available < amount) {
      throw new TokenError({
        code: "TOKEN_INSUFFICIENT_FUNDS",
        message: `available balance ${available} (balance less holds) is less than ${amount}`,
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
    const asset = tokens.assetOfKind(args.asset, "fungible");
    const amount = positiveAmount(args.amount);
    if (args.to === ctx.sender) {
      throw new TokenError({
        code: "TOKEN_SELF_TRANSFER",
        message: "sender and recipient are the same account",
      });
    }
    const from = tokens.balance(asset.id, ctx.sender);
    const available = from - tokens.held(asset.id, ctx.sender);
    if (available < amount) {
      throw new TokenError({
        code: "TOKEN_INSUFFICIENT_FUNDS",
        message: `available balance ${available} (balance less holds) is less than ${amount}`,
      });
    }
    tokens.setBalance(asset.id, ctx.sender, from - amount);
    tokens.setBalance(asset.id, args.to, checkedAdd(tokens.balance(asset.id, args.to), amount, "balance"));
    ctx.emit("Transferred", { asset: asset.id, from: ctx.sender, to: args.to, amount: amount.toString() });
  },
});

function holdFacts(state: StateView, holdId: string): ResourceFacts {
  const found = state.get(`token/${holdKey(holdId)}`) as Hold | undefined;
  return { owners: found ? [found.owner] : [] };
}

function nftFacts(state: StateView, asset: string, tokenId: string): ResourceFacts {
  const found = state.get(`token/${nftKey(asset, tokenId)}`) as Nft | undefined;
  return { owners: found ? [found.owner] : [] };
}

const notAuthorized = (message: string, holdId: string) =>
  new TokenError({ code: "TOKEN_NOT_AUTHORIZED", message, holdId });

/**
 * Hold id prefixes reserved for a module's own holds, so nobody can take an id first and block
 * the module (an escrow's hold is always "escrow:<escrow id>").
 */
const RESERVED_HOLD_PREFIXES: readonly string[] = ["escrow"];

function reservedHoldPrefix(holdId: string): string | undefined {
  const prefix = holdId.slice(0, holdId.indexOf(":"));
  return RESERVED_HOLD_PREFIXES.includes(prefix) ? prefix : undefined;
}

const hold = defineMethod({
  description:
    "Lock part of an account's balance under a hold id: it stays in the balance but cannot be transferred or burned until released or cancelled. " +
    "The owner is the signer, or (for a call executed by governance or a module's invoke) any account among its approvers.",
  args: Type.Object(
    {
      asset: AssetId,
      amount: AmountSchema,
      holdId: HoldId,
      owner: Type.Optional(AddressSchema),
      beneficiary: Type.Optional(AddressSchema),
      controller: Type.Optional(AddressSchema),
      expiresAt: Type.Optional(Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER })),
    },
    strict,
  ),
  resource: (_state, args, sender) => ({ owners: [args.owner ?? sender] }),
  execute(ctx, args) {
    const tokens = new TokenStore(ctx.state);
    const asset = tokens.assetOfKind(args.asset, "fungible");
    const amount = positiveAmount(args.amount);
    const owner = args.owner ?? ctx.sender;
    // A direct transaction holds its signer's balance; a call executed by governance or a
    // module's invoke only the balance of an approver (never the signer's just for signing).
    if (ctx.via === "tx" ? owner !== ctx.sender : !actsFor(ctx, owner)) {
      throw notAuthorized("only the owner's own call may hold its balance", args.holdId);
    }
    const reservedFor = reservedHoldPrefix(args.holdId);
    if (reservedFor !== undefined && ctx.sender !== moduleAccount(reservedFor)) {
      throw notAuthorized(
        `hold ids "${reservedFor}:…" are placed only by the ${reservedFor} module`,
        args.holdId,
      );
    }
    if (tokens.findHold(args.holdId)) {
      throw new TokenError({
        code: "TOKEN_HOLD_EXISTS",
        message: `hold ${args.holdId} already exists`,
        holdId: args.holdId,
      });
    }
    if (args.expiresAt !== undefined && args.expiresAt <= ctx.time) {
      throw new TokenError({
        code: "TOKEN_HOLD_EXPIRY",
        message: `expiresAt ${args.expiresAt} is not after the block time ${ctx.time}`,
      });
    }
    const held = tokens.held(asset.id, owner);
    const available = tokens.balance(asset.id, owner) - held;
    if (available < amount) {
      throw new TokenError({
        code: "TOKEN_INSUFFICIENT_FUNDS",
        message: `available balance ${available} (balance less holds) is less than ${amount}`,
      });
    }
    tokens.setHeld(asset.id, owner, held + amount);
    const record: Hold = {
      id: args.holdId,
      owner,
      asset: asset.id,
      amount: amount.toString(),
      beneficiary: args.beneficiary ?? null,
      controller: args.controller ?? null,
      expiresAt: args.expiresAt ?? null,
      createdAt: ctx.time,
      via: ctx.via,
      approvers: [...ctx.approvers],
    };
    tokens.putHold(record);
    ctx.emit("HoldPlaced", {
      holdId: record.id,
      asset: record.asset,
      owner,
      amount: record.amount,
      beneficiary: record.beneficiary,
      controller: record.controller,
      expiresAt: record.expiresAt,
    });
  },
});

const releaseHold = defineMethod({
  description:
    "Release a hold (all of it, or `amount`) to an account. Without a controller the owner releases to anyone; " +
    "with one, only the controller does. The beneficiary may release only back to the owner.",
  args: Type.Object({ holdId: HoldId, to: AddressSchema, amount: Type.Optional(AmountSchema) }, strict),
  resource: (state, args) => holdFacts(state, args.holdId),
  execute(ctx, args) {
    const tokens = new TokenStore(ctx.state);
    const h = tokens.hold(args.holdId);
    const mayRelease = h.controller !== null ? actsFor(ctx, h.controller) : actsFor(ctx, h.owner);
    const mayReturn = h.beneficiary !== null && actsFor(ctx, h.beneficiary) && args.to === h.owner;
    if (!mayRelease && !mayReturn) {
      throw notAuthorized(
        h.controller !== null
          ? `only the controller of hold ${h.id} may release it (the beneficiary only to the owner)`
          : `only the owner of hold ${h.id} may release it (the beneficiary only to the owner)`,
        h.id,
      );
    }
    const total = parseAmount(h.amount);
    const amount = args.amount === undefined ? total : positiveAmount(args.amount);
    if (amount > total) {
      throw new TokenError({
        code: "TOKEN_HOLD_AMOUNT",
        message: `hold ${h.id} holds ${total}, less than ${amount}`,
        holdId: h.id,
      });
    }
    tokens.setHeld(h.asset, h.owner, tokens.held(h.asset, h.owner) - amount);
    if (args.to !== h.owner) {
      tokens.setBalance(h.asset, h.owner, tokens.balance(h.asset, h.owner) - amount);
      tokens.setBalance(h.asset, args.to, checkedAdd(tokens.balance(h.asset, args.to), amount, "balance"));
    }
    const remaining = total - amount;
    if (remaining === 0n) tokens.deleteHold(h.id);
    else tokens.putHold({ ...h, amount: remaining.toString() });
    ctx.emit("HoldReleased", {
      holdId: h.id,
      asset: h.asset,
      owner: h.owner,
      to: args.to,
      amount: amount.toString(),
      remaining: remaining.toString(),
    });
  },
});

const cancelHold = defineMethod({
  description:
    "Cancel a hold: its amount becomes spendable by the owner again. By the owner (the controller when the hold has one); by anyone once expiresAt has passed.",
  args: Type.Object({ holdId: HoldId }, strict),
  resource: (state, args) => holdFacts(state, args.holdId),
  execute(ctx, args) {
    const tokens = new TokenStore(ctx.state);
    const h = tokens.hold(args.holdId);
    const expired = h.expiresAt !== null && ctx.time >= h.expiresAt;
    const authority = h.controller ?? h.owner;
    if (!expired && !actsFor(ctx, authority)) {
      throw notAuthorized(
        `only the ${h.controller !== null ? "controller" : "owner"} of hold ${h.id} may cancel it before it expires`,
        h.id,
      );
    }
    const amount = parseAmount(h.amount);
    tokens.setHeld(h.asset, h.owner, tokens.held(h.asset, h.owner) - amount);
    tokens.deleteHold(h.id);
    ctx.emit("HoldCancelled", { holdId: h.id, asset: h.asset, owner: h.owner, amount: h.amount, expired });
  },
});

const mintNft = defineMethod({
  description:
    "Create one token of an NFT asset for an account. Issuer only; respects maxSupply (a token count).",
  args: Type.Object(
    { asset: AssetId, tokenId: TokenId, to: AddressSchema, metadata: Type.Optional(NftMetadata) },
    strict,
  ),
  resource: (state, args) => issuerFacts(state, args.asset),
  execute(ctx, args) {
    const tokens = new TokenStore(ctx.state);
    const asset = tokens.assetOfKind(args.asset, "nft");
    checkMint(asset, ctx.sender);
    if (tokens.findNft(asset.id, args.tokenId)) {
      throw new TokenError({
        code: "TOKEN_NFT_EXISTS",
        message: `token ${args.tokenId} of ${asset.id} already exists`,
        asset: asset.id,
        tokenId: args.tokenId,
      });
    }
    const supply = checkedAdd(BigInt(asset.supply), 1n, "supply");
    if (asset.maxSupply !== null && supply > BigInt(asset.maxSupply)) {
      throw new TokenError({
        code: "TOKEN_SUPPLY_CAP",
        message: `minting would exceed the max supply ${asset.maxSupply}`,
      });
    }
    const metadata: Nft["metadata"] = {};
    if (args.metadata?.uri !== undefined) metadata.uri = args.metadata.uri;
    if (args.metadata?.hash !== undefined) metadata.hash = args.metadata.hash;
    tokens.putNft({ asset: asset.id, tokenId: args.tokenId, owner: args.to, metadata });
    tokens.putAsset({ ...asset, supply: supply.toString() });
    ctx.emit("NftMinted", { asset: asset.id, tokenId: args.tokenId, to: args.to, metadata });
  },
});

function ownedNft(ctx: TxContext, asset: string, tokenId: string): Nft {
  const tokens = new TokenStore(ctx.state);
  tokens.assetOfKind(asset, "nft");
  const nft = tokens.nft(asset, tokenId);
  if (nft.owner !== ctx.sender) {
    throw new TokenError({
      code: "TOKEN_NOT_OWNER",
      message: `token ${tokenId} of ${asset} belongs to another account`,
      asset,
      tokenId,
    });
  }
  return nft;
}

const transferNft = defineMethod({
  description: "Give one NFT to another account. Its owner only.",
  args: Type.Object({ asset: AssetId, tokenId: TokenId, to: AddressSchema }, strict),
  resource: (state, args) => nftFacts(state, args.asset, args.tokenId),
  execute(ctx, args) {
    const nft = ownedNft(ctx, args.asset, args.tokenId);
    if (args.to === nft.owner) {
      throw new TokenError({
        code: "TOKEN_SELF_TRANSFER",
        message: "sender and recipient are the same account",
      });
    }
    new TokenStore(ctx.state).putNft({ ...nft, owner: args.to });
    ctx.emit("NftTransferred", { asset: nft.asset, tokenId: nft.tokenId, from: nft.owner, to: args.to });
  },
});

const burnNft = defineMethod({
  description: "Destroy one NFT. Its owner only.",
  args: Type.Object({ asset: AssetId, tokenId: TokenId }, strict),
  resource: (state, args) => nftFacts(state, args.asset, args.tokenId),
  execute(ctx, args) {
    const nft = ownedNft(ctx, args.asset, args.tokenId);
    const tokens = new TokenStore(ctx.state);
    const asset = tokens.asset(args.asset);
    checkBurn(asset, ctx.sender);
    tokens.deleteNft(nft.asset, nft.tokenId);
    tokens.putAsset({ ...asset, supply: (BigInt(asset.supply) - 1n).toString() });
    ctx.emit("NftBurned", { asset: nft.asset, tokenId: nft.tokenId, from: nft.owner });
  },
});

const closeMint = defineMethod({
  description: "Close minting for good: the asset's supply is final. Issuer only.",
  args: Type.Object({ asset: AssetId }, strict),
  resource: (state, args) => issuerFacts(state, args.asset),
  execute(ctx, args) {
    const tokens = new TokenStore(ctx.state);
    const asset = tokens.asset(args.asset);
    checkMint(asset, ctx.sender);
    tokens.putAsset({ ...asset, mintClosed: true });
    ctx.emit("MintClosed", { asset: asset.id, supply: asset.supply });
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
          burn: Type.Optional(BurnPolicySchema),
          mintClosed: Type.Optional(Type.Literal(true)),
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
  methods: {
    createAsset,
    mint,
    closeMint,
    burn,
    transfer,
    hold,
    releaseHold,
    cancelHold,
    mintNft,
    transferNft,
    burnNft,
  },
  queries: {
    balance: defineQuery({
      description: 'Balance of an account in an asset ("0" when it holds none).',
      params: Type.Object({ asset: AssetId, address: AddressSchema }, strict),
      key: (p) => balanceKey(p.asset, p.address),
      absent: "0",
    }),
    asset: defineQuery({
      description:
        "An asset's issuer, decimals, supply, cap, kind (absent: fungible), burn policy (absent: holders) and mintClosed.",
      params: Type.Object({ asset: AssetId }, strict),
      key: (p) => assetKey(p.asset),
    }),
    held: defineQuery({
      description: 'Total an account has on hold in an asset ("0" when none); available = balance - held.',
      params: Type.Object({ asset: AssetId, address: AddressSchema }, strict),
      key: (p) => heldKey(p.asset, p.address),
      absent: "0",
    }),
    hold: defineQuery({
      description: "A hold: owner, asset, amount still held, beneficiary, controller, expiry, who placed it.",
      params: Type.Object({ holdId: HoldId }, strict),
      key: (p) => holdKey(p.holdId),
    }),
    nft: defineQuery({
      description: "One token of an NFT asset: its owner and metadata.",
      params: Type.Object({ asset: AssetId, tokenId: TokenId }, strict),
      key: (p) => nftKey(p.asset, p.tokenId),
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
      const { burn, ...rest } = a;
      tokens.putAsset({
        ...rest,
        ...(burn !== undefined && burn !== "holders" ? { burn } : {}),
        supply: "0",
        maxSupply: a.maxSupply ?? null,
      });
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
