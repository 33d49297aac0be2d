import { addressOf, defaultChainParams, type Genesis, generateKeyPair, type KeyPair } from "@weft/core";
import { describe, expect, it } from "vitest";
import { tokenModule } from "../../src/modules/token/module.js";
import { MemChain } from "./support/mem-chain.js";

const T0 = 1_700_000_000_000;
const [issuer, holder] = [generateKeyPair(), generateKeyPair()] as [KeyPair, KeyPair];
const I = addressOf(issuer);
const H = addressOf(holder);

const genesis: Genesis = {
  chainId: "weft-token-policy",
  genesisTime: T0,
  validators: [
    { address: I, publicKey: { alg: issuer.alg, publicKey: issuer.publicKey }, power: 1, name: "v0" },
  ],
  params: { ...defaultChainParams },
  appState: {
    token: {
      assets: [
        { id: "FIXED", name: "Fixed supply", decimals: 0, issuer: I, mintClosed: true, burn: "none" },
        { id: "HOLD", name: "Default policy", decimals: 2, issuer: I, burn: "holders" },
      ],
      balances: [
        { asset: "FIXED", address: H, amount: "100" },
        { asset: "HOLD", address: H, amount: "100" },
      ],
    },
  },
};

function setup() {
  const chain = new MemChain(genesis, [tokenModule]);
  let time = T0;
  const send = (signer: KeyPair, method: string, args: Record<string, unknown>) => {
    time += 1_000;
    const out = chain.block(time, [chain.tx(signer, "token", method, args)]);
    return {
      code: out.receipts[0]?.error?.code,
      changed: out.changedKeys.filter((k) => !k.startsWith("auth/")),
    };
  };
  const asset = (id: string) => chain.get(`token/asset/${id}`) as Record<string, unknown>;
  return { send, asset };
}

describe("token: each asset's mint and burn policy", () => {
  it("burn policy: holders (default), issuer only, or none; refusals change nothing", () => {
    const s = setup();
    expect(s.asset("HOLD")).not.toHaveProperty("burn");
    expect(s.send(holder, "burn", { asset: "HOLD", amount: "1" }).code).toBeUndefined();
    expect(
      s.send(issuer, "createAsset", { asset: "REDEEM", name: "Redeemable", decimals: 0, burn: "issuer" })
        .code,
    ).toBeUndefined();
    expect(s.asset("REDEEM")).toMatchObject({ burn: "issuer" });
    expect(s.send(issuer, "mint", { asset: "REDEEM", to: H, amount: "5" }).code).toBeUndefined();
    expect(s.send(issuer, "mint", { asset: "REDEEM", to: I, amount: "5" }).code).toBeUndefined();
    const refused = s.send(holder, "burn", { asset: "REDEEM", amount: "1" });
    expect(refused).toEqual({ code: "TOKEN_BURN_NOT_ALLOWED", changed: [] });
    expect(s.send(issuer, "burn", { asset: "REDEEM", amount: "1" }).code).toBeUndefined();
    expect(s.asset("REDEEM")).toMatchObject({ supply: "9" });
    expect(s.send(holder, "burn", { asset: "FIXED", amount: "1" })).toEqual({
      code: "TOKEN_BURN_NOT_ALLOWED",
      changed: [],
    });
    // NFTs follow their asset's policy too.
    expect(
      s.send(issuer, "createAsset", { asset: "TWIN", name: "Twins", decimals: 0, kind: "nft", burn: "none" })
        .code,
    ).toBeUndefined();
    expect(s.send(issuer, "mintNft", { asset: "TWIN", tokenId: "M-1", to: H }).code).toBeUndefined();
    expect(s.send(holder, "burnNft", { asset: "TWIN", tokenId: "M-1" })).toEqual({
      code: "TOKEN_BURN_NOT_ALLOWED",
      changed: [],
    });
  });

  it("closing minting makes the supply final, for fungible and NFT assets alike", () => {
    const s = setup();
    expect(s.send(issuer, "mint", { asset: "FIXED", to: H, amount: "1" })).toEqual({
      code: "TOKEN_MINT_CLOSED",
      changed: [],
    });
    expect(s.send(holder, "closeMint", { asset: "HOLD" })).toEqual({ code: "TOKEN_NOT_ISSUER", changed: [] });
    expect(s.send(issuer, "closeMint", { asset: "HOLD" }).code).toBeUndefined();
    expect(s.asset("HOLD")).toMatchObject({ mintClosed: true, supply: "100" });
    expect(s.send(issuer, "mint", { asset: "HOLD", to: H, amount: "1" }).code).toBe("TOKEN_MINT_CLOSED");
    expect(s.send(issuer, "closeMint", { asset: "HOLD" }).code).toBe("TOKEN_MINT_CLOSED");
    expect(
      s.send(issuer, "createAsset", { asset: "TWIN", name: "Twins", decimals: 0, kind: "nft" }).code,
    ).toBeUndefined();
    expect(s.send(issuer, "mintNft", { asset: "TWIN", tokenId: "1", to: H }).code).toBeUndefined();
    expect(s.send(issuer, "closeMint", { asset: "TWIN" }).code).toBeUndefined();
    expect(s.send(issuer, "mintNft", { asset: "TWIN", tokenId: "2", to: H }).code).toBe("TOKEN_MINT_CLOSED");
    // Holders still transfer and burn under the default policy.
    expect(s.send(holder, "transfer", { asset: "HOLD", to: I, amount: "10" }).code).toBeUndefined();
    expect(s.send(holder, "burnNft", { asset: "TWIN", tokenId: "1" }).code).toBeUndefined();
  });
});
