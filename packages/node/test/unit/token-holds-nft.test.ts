import { Type } from "@sinclair/typebox";
import { addressOf, defaultChainParams, type Genesis, generateKeyPair, type KeyPair } from "@weft/core";
import { describe, expect, it } from "vitest";
import { defineMethod, type Module } from "../../src/app/module.js";
import { tokenCalls, tokenView } from "../../src/modules/token/calls.js";
import { tokenModule } from "../../src/modules/token/module.js";
import { MemChain } from "./support/mem-chain.js";

const T0 = 1_700_000_000_000;
const [alice, bob, carol] = [generateKeyPair(), generateKeyPair(), generateKeyPair()] as [
  KeyPair,
  KeyPair,
  KeyPair,
];
const A = addressOf(alice);
const B = addressOf(bob);
const C = addressOf(carol);
/** The account a test escrow module speaks for: no key signs for it. */
const ESCROW = "e5c0000000000000000000000000000000000001";

/** A minimal escrow, as the later escrow module will use holds through `ctx.invoke`. */
const escrowModule: Module = {
  name: "escrow",
  methods: {
    open: defineMethod({
      description: "buyer locks funds for a seller",
      args: Type.Object({
        id: Type.String(),
        seller: Type.String(),
        amount: Type.String(),
        expiresAt: Type.Integer(),
      }),
      execute(ctx, args) {
        ctx.invoke(
          [
            tokenCalls.placeHold({
              asset: "EUR",
              amount: args.amount,
              holdId: `escrow:${args.id}`,
              owner: ctx.sender,
              beneficiary: args.seller,
              controller: ESCROW,
              expiresAt: args.expiresAt,
            }),
          ],
          [ctx.sender],
        );
      },
    }),
    grab: defineMethod({
      description: "tries to hold the signer's balance on the escrow account's approval only",
      args: Type.Object({}),
      execute(ctx) {
        ctx.invoke([tokenCalls.placeHold({ asset: "EUR", amount: "1", holdId: "grab" })], [ESCROW]);
      },
    }),
    settle: defineMethod({
      description: "pays the seller (anyone may call it in this test)",
      args: Type.Object({ id: Type.String(), amount: Type.Optional(Type.String()) }),
      execute(ctx, args) {
        const hold = tokenView.hold(ctx.view, `escrow:${args.id}`);
        if (!hold?.beneficiary) throw new Error("no such escrow");
        ctx.invoke(
          [tokenCalls.releaseHold({ holdId: hold.id, to: hold.beneficiary, amount: args.amount })],
          [ESCROW],
        );
      },
    }),
  },
  queries: {},
};

const genesis: Genesis = {
  chainId: "weft-holds",
  genesisTime: T0,
  validators: [
    { address: A, publicKey: { alg: alice.alg, publicKey: alice.publicKey }, power: 1, name: "v0" },
  ],
  params: { ...defaultChainParams },
  appState: {
    token: {
      assets: [{ id: "EUR", name: "Euro", decimals: 2, issuer: A }],
      balances: [{ asset: "EUR", address: A, amount: "1000" }],
    },
  },
};

function setup() {
  const chain = new MemChain(genesis, [tokenModule, escrowModule]);
  let time = T0;
  const send = (signer: KeyPair, method: string, args: Record<string, unknown>, module = "token") => {
    time += 1_000;
    const out = chain.block(time, [chain.tx(signer, module, method, args)]);
    const receipt = out.receipts[0];
    return { receipt, code: receipt?.error?.code, events: out.txEvents[0] ?? [], time };
  };
  const get = (key: string) => chain.get(`token/${key}`);
  const now = () => time;
  return { chain, send, get, now };
}

describe("token holds", () => {
  it("locks part of a balance: held units cannot be transferred or burned", () => {
    const { send, get } = setup();
    const placed = send(alice, "hold", { asset: "EUR", amount: "600", holdId: "h1", beneficiary: B });
    expect(placed.receipt?.status).toBe("ok");
    expect(placed.events.map((e) => e.type)).toEqual(["HoldPlaced"]);
    expect(get(`held/EUR/${A}`)).toBe("600");
    expect(get(`balance/EUR/${A}`)).toBe("1000");
    expect(get("hold/h1")).toMatchObject({
      owner: A,
      asset: "EUR",
      amount: "600",
      beneficiary: B,
      controller: null,
      expiresAt: null,
      via: "tx",
      approvers: [A],
    });
    expect(send(alice, "transfer", { asset: "EUR", to: B, amount: "401" }).code).toBe(
      "TOKEN_INSUFFICIENT_FUNDS",
    );
    expect(send(alice, "burn", { asset: "EUR", amount: "401" }).code).toBe("TOKEN_INSUFFICIENT_FUNDS");
    expect(send(alice, "hold", { asset: "EUR", amount: "401", holdId: "h2" }).code).toBe(
      "TOKEN_INSUFFICIENT_FUNDS",
    );
    expect(send(alice, "hold", { asset: "EUR", amount: "1", holdId: "h1" }).code).toBe("TOKEN_HOLD_EXISTS");
    expect(send(alice, "transfer", { asset: "EUR", to: B, amount: "400" }).receipt?.status).toBe("ok");
  });

  it("owner releases to anyone (partially too); the beneficiary only back to the owner; others not at all", () => {
    const { send, get } = setup();
    send(alice, "hold", { asset: "EUR", amount: "600", holdId: "h1", beneficiary: B });
    expect(send(carol, "releaseHold", { holdId: "h1", to: C }).code).toBe("TOKEN_NOT_AUTHORIZED");
    expect(send(bob, "releaseHold", { holdId: "h1", to: B }).code).toBe("TOKEN_NOT_AUTHORIZED");
    expect(send(alice, "releaseHold", { holdId: "h1", to: C, amount: "601" }).code).toBe("TOKEN_HOLD_AMOUNT");
    const partial = send(alice, "releaseHold", { holdId: "h1", to: C, amount: "100" });
    expect(partial.receipt?.status).toBe("ok");
    expect(partial.events[0]).toMatchObject({
      type: "HoldReleased",
      attributes: { holdId: "h1", to: C, amount: "100", remaining: "500" },
    });
    expect(get(`balance/EUR/${C}`)).toBe("100");
    expect(get(`balance/EUR/${A}`)).toBe("900");
    expect(get(`held/EUR/${A}`)).toBe("500");
    expect(send(bob, "releaseHold", { holdId: "h1", to: A }).receipt?.status).toBe("ok");
    expect(get("hold/h1")).toBeUndefined();
    expect(get(`held/EUR/${A}`)).toBeUndefined();
    expect(get(`balance/EUR/${A}`)).toBe("900");
  });

  it("cancel: owner any time, anyone once expired; expiry must lie ahead", () => {
    const { send, get, now } = setup();
    expect(
      send(alice, "hold", { asset: "EUR", amount: "1", holdId: "x", expiresAt: now() + 1_000 }).code,
    ).toBe("TOKEN_HOLD_EXPIRY");
    send(alice, "hold", { asset: "EUR", amount: "10", holdId: "h1", expiresAt: now() + 5_000 });
    send(alice, "hold", { asset: "EUR", amount: "20", holdId: "h2" });
    expect(send(bob, "cancelHold", { holdId: "h1" }).code).toBe("TOKEN_NOT_AUTHORIZED");
    expect(send(alice, "cancelHold", { holdId: "h2" }).events[0]).toMatchObject({
      type: "HoldCancelled",
      attributes: { holdId: "h2", amount: "20", expired: false },
    });
    send(alice, "transfer", { asset: "EUR", to: C, amount: "1" }); // time passes
    const late = send(bob, "cancelHold", { holdId: "h1" });
    expect(late.receipt?.status).toBe("ok");
    expect(late.events[0]?.attributes.expired).toBe(true);
    expect(get(`held/EUR/${A}`)).toBeUndefined();
    expect(send(alice, "cancelHold", { holdId: "h1" }).code).toBe("TOKEN_UNKNOWN_HOLD");
  });

  it("only the owner's own call may hold an account's balance", () => {
    const { send } = setup();
    expect(send(bob, "hold", { asset: "EUR", amount: "1", holdId: "h", owner: A }).code).toBe(
      "TOKEN_NOT_AUTHORIZED",
    );
  });

  it("an escrow module places a controlled hold for the buyer via invoke and settles it to the seller", () => {
    const { send, get, now } = setup();
    const opened = send(
      alice,
      "open",
      { id: "1", seller: B, amount: "300", expiresAt: now() + 60_000 },
      "escrow",
    );
    expect(opened.receipt?.status).toBe("ok");
    expect(get("hold/escrow:1")).toMatchObject({
      owner: A,
      controller: ESCROW,
      beneficiary: B,
      via: "governance",
      approvers: [A],
    });
    // The buyer gave up release and early cancel to the controller.
    expect(send(alice, "releaseHold", { holdId: "escrow:1", to: A }).code).toBe("TOKEN_NOT_AUTHORIZED");
    expect(send(alice, "cancelHold", { holdId: "escrow:1" }).code).toBe("TOKEN_NOT_AUTHORIZED");
    expect(send(bob, "settle", { id: "1", amount: "100" }, "escrow").receipt?.status).toBe("ok");
    expect(get(`balance/EUR/${B}`)).toBe("100");
    expect(send(carol, "settle", { id: "1" }, "escrow").receipt?.status).toBe("ok");
    expect(get(`balance/EUR/${B}`)).toBe("300");
    expect(get(`balance/EUR/${A}`)).toBe("700");
    expect(get("hold/escrow:1")).toBeUndefined();
    expect(get(`held/EUR/${A}`)).toBeUndefined();
  });

  it("an invoked hold never takes the signer's balance unless the signer is an approver", () => {
    const { send, get } = setup();
    expect(send(alice, "grab", {}, "escrow").code).toBe("TOKEN_NOT_AUTHORIZED");
    expect(get("hold/grab")).toBeUndefined();
  });
});

describe("non-fungible assets", () => {
  it("mints by the issuer, transfers and burns by the owner; supply counts tokens", () => {
    const { send, get } = setup();
    expect(send(alice, "createAsset", { asset: "ART", name: "Art", decimals: 2, kind: "nft" }).code).toBe(
      "TOKEN_INVALID_ARGS",
    );
    expect(
      send(alice, "createAsset", { asset: "ART", name: "Art", decimals: 0, kind: "nft", maxSupply: "2" })
        .receipt?.status,
    ).toBe("ok");
    expect(get("asset/ART")).toMatchObject({ kind: "nft", supply: "0" });
    // Old-style createAsset stays fungible and keeps the old record shape.
    send(alice, "createAsset", { asset: "OLD", name: "Old", decimals: 0 });
    expect(get("asset/OLD")).not.toHaveProperty("kind");

    expect(send(bob, "mintNft", { asset: "ART", tokenId: "1", to: B }).code).toBe("TOKEN_NOT_ISSUER");
    const minted = send(alice, "mintNft", {
      asset: "ART",
      tokenId: "1",
      to: B,
      metadata: { uri: "ipfs://x" },
    });
    expect(minted.events[0]).toMatchObject({ type: "NftMinted", attributes: { tokenId: "1", to: B } });
    expect(get("nft/ART/1")).toEqual({ asset: "ART", tokenId: "1", owner: B, metadata: { uri: "ipfs://x" } });
    expect(send(alice, "mintNft", { asset: "ART", tokenId: "1", to: A }).code).toBe("TOKEN_NFT_EXISTS");
    send(alice, "mintNft", { asset: "ART", tokenId: "2", to: A });
    expect(send(alice, "mintNft", { asset: "ART", tokenId: "3", to: A }).code).toBe("TOKEN_SUPPLY_CAP");
    expect(get("asset/ART")).toMatchObject({ supply: "2" });

    expect(send(alice, "transferNft", { asset: "ART", tokenId: "1", to: C }).code).toBe("TOKEN_NOT_OWNER");
    expect(send(bob, "transferNft", { asset: "ART", tokenId: "1", to: C }).events[0]).toMatchObject({
      type: "NftTransferred",
      attributes: { from: B, to: C },
    });
    expect(send(bob, "burnNft", { asset: "ART", tokenId: "1" }).code).toBe("TOKEN_NOT_OWNER");
    expect(send(carol, "burnNft", { asset: "ART", tokenId: "1" }).events[0]?.type).toBe("NftBurned");
    expect(get("nft/ART/1")).toBeUndefined();
    expect(get("asset/ART")).toMatchObject({ supply: "1" });
    expect(send(carol, "burnNft", { asset: "ART", tokenId: "1" }).code).toBe("TOKEN_UNKNOWN_NFT");

    // Fungible methods refuse an NFT asset and vice versa.
    expect(send(alice, "mint", { asset: "ART", to: A, amount: "1" }).code).toBe("TOKEN_WRONG_KIND");
    expect(send(alice, "hold", { asset: "ART", amount: "1", holdId: "n" }).code).toBe("TOKEN_WRONG_KIND");
    expect(send(alice, "mintNft", { asset: "EUR", tokenId: "1", to: A }).code).toBe("TOKEN_WRONG_KIND");
  });

  it("answers the new queries through the registry", () => {
    const { chain, send } = setup();
    send(alice, "hold", { asset: "EUR", amount: "5", holdId: "q" });
    const held = chain.registry.query("token", "held", { asset: "EUR", address: A });
    expect(held.key({ asset: "EUR", address: A })).toBe(`held/EUR/${A}`);
    expect(held.absent).toBe("0");
    const hold = chain.registry.query("token", "hold", { holdId: "q" });
    expect(chain.get(`token/${hold.key({ holdId: "q" })}`)).toMatchObject({ amount: "5" });
    const nft = chain.registry.query("token", "nft", { asset: "ART", tokenId: "7" });
    expect(nft.key({ asset: "ART", tokenId: "7" })).toBe("nft/ART/7");
    expect(() => chain.registry.query("token", "hold", { holdId: "a/b" })).toThrow();
  });
});
