import { decodeTx, TxError } from "@weft/core";
import { describe, expect, it } from "vitest";
import {
  addressOf,
  buildTx,
  generateKeyPair,
  SdkError,
  toAmount,
  tokenCall,
  tokenTx,
  txHash,
  verifyTxSignature,
} from "../../src/index.js";

const TO = "cd".repeat(20);

function envelope(alg: "ed25519" | "p256" = "ed25519") {
  return { chainId: "test-chain", signer: generateKeyPair(alg), sequence: 3, expiresAt: 120 };
}

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as SdkError).code;
  }
  return undefined;
}

describe("buildTx", () => {
  for (const alg of ["ed25519", "p256"] as const) {
    it(`${alg}: signs a transaction core verifies and decodes`, () => {
      const env = envelope(alg);
      const tx = buildTx({
        ...env,
        module: "token",
        method: "burn",
        args: { asset: "GOLD", amount: "1" },
        memo: "hi",
      });
      expect(verifyTxSignature(tx)).toBe(true);
      expect(decodeTx(tx).hash).toBe(txHash(tx));
      expect(tx.body).toEqual({
        chainId: "test-chain",
        signer: { alg, publicKey: env.signer.publicKey },
        sequence: 3,
        expiresAt: 120,
        module: "token",
        method: "burn",
        args: { asset: "GOLD", amount: "1" },
        memo: "hi",
      });
    });
  }

  it("never puts the secret key in the body, and omits an absent memo", () => {
    const env = envelope();
    const tx = buildTx({ ...env, module: "token", method: "burn", args: {} });
    expect(JSON.stringify(tx)).not.toContain(env.signer.secretKey);
    expect("memo" in tx.body).toBe(false);
  });

  it("signs a copy: changing the caller's args afterwards does not break the signature", () => {
    const args = { asset: "GOLD", amount: "1" };
    const tx = buildTx({ ...envelope(), module: "token", method: "burn", args });
    args.amount = "1000";
    expect(tx.body.args.amount).toBe("1");
    expect(verifyTxSignature(tx)).toBe(true);
  });

  it("refuses args that have no canonical encoding", () => {
    expect(
      codeOf(() => buildTx({ ...envelope(), module: "token", method: "burn", args: { amount: 1.5 } })),
    ).toBe("SDK_INVALID_ARGUMENT");
  });

  it("refuses what a node would refuse to decode, with the node's error", () => {
    const bad = () => buildTx({ ...envelope(), module: "Token!", method: "burn", args: {} });
    expect(bad).toThrow(TxError);
    expect(codeOf(bad)).toBe("TX_MALFORMED");
  });
});

describe("token transactions", () => {
  it("createAsset carries asset, name, decimals and an optional canonical maxSupply", () => {
    const env = envelope();
    const tx = tokenTx.createAsset(env, { asset: "GOLD", name: "Gold", decimals: 2, maxSupply: 10n ** 30n });
    expect(tx.body.module).toBe("token");
    expect(tx.body.method).toBe("createAsset");
    expect(tx.body.args).toEqual({
      asset: "GOLD",
      name: "Gold",
      decimals: 2,
      maxSupply: `1${"0".repeat(30)}`,
    });
    expect(verifyTxSignature(tx)).toBe(true);
    expect(tokenCall.createAsset({ asset: "A", name: "A", decimals: 0 }).args).toEqual({
      asset: "A",
      name: "A",
      decimals: 0,
    });
  });

  it("mint, burn and transfer carry the right methods and args", () => {
    const env = envelope();
    const mint = tokenTx.mint(env, { asset: "GOLD", to: TO, amount: 100n });
    const burn = tokenTx.burn(env, { asset: "GOLD", amount: "0042" });
    const transfer = tokenTx.transfer(env, { asset: "GOLD", to: TO, amount: "7" });
    expect([mint.body.method, burn.body.method, transfer.body.method]).toEqual(["mint", "burn", "transfer"]);
    expect(mint.body.args).toEqual({ asset: "GOLD", to: TO, amount: "100" });
    expect(burn.body.args).toEqual({ asset: "GOLD", amount: "42" });
    expect(transfer.body.args).toEqual({ asset: "GOLD", to: TO, amount: "7" });
    for (const tx of [mint, burn, transfer]) {
      expect(tx.body.module).toBe("token");
      expect(verifyTxSignature(tx)).toBe(true);
      expect(addressOf(tx.body.signer)).toBe(addressOf(env.signer));
    }
  });

  it("holds and NFTs: hold, releaseHold, cancelHold, mintNft, transferNft, burnNft", () => {
    const env = envelope();
    const hold = tokenTx.hold(env, {
      asset: "GOLD",
      amount: 5n,
      holdId: "order-1",
      beneficiary: TO,
      expiresAt: 1_700_000_000_000,
    });
    expect(hold.body.method).toBe("hold");
    expect(hold.body.args).toEqual({
      asset: "GOLD",
      amount: "5",
      holdId: "order-1",
      beneficiary: TO,
      expiresAt: 1_700_000_000_000,
    });
    expect(verifyTxSignature(hold)).toBe(true);
    expect(tokenCall.releaseHold({ holdId: "order-1", to: TO }).args).toEqual({ holdId: "order-1", to: TO });
    expect(tokenCall.releaseHold({ holdId: "order-1", to: TO, amount: 2n }).args).toEqual({
      holdId: "order-1",
      to: TO,
      amount: "2",
    });
    expect(tokenTx.cancelHold(env, { holdId: "order-1" }).body.args).toEqual({ holdId: "order-1" });
    expect(tokenCall.createAsset({ asset: "ART", name: "Art", decimals: 0, kind: "nft" }).args).toMatchObject(
      {
        kind: "nft",
      },
    );
    expect(
      tokenTx.mintNft(env, { asset: "ART", tokenId: "1", to: TO, metadata: { uri: "ipfs://x" } }).body.args,
    ).toEqual({
      asset: "ART",
      tokenId: "1",
      to: TO,
      metadata: { uri: "ipfs://x" },
    });
    expect(tokenTx.transferNft(env, { asset: "ART", tokenId: "1", to: TO }).body.method).toBe("transferNft");
    expect(tokenTx.burnNft(env, { asset: "ART", tokenId: "1" }).body.args).toEqual({
      asset: "ART",
      tokenId: "1",
    });
    expect(codeOf(() => tokenCall.hold({ asset: "G", amount: 1n, holdId: "h", expiresAt: -1 }))).toBe(
      "SDK_INVALID_ARGUMENT",
    );
    expect(codeOf(() => tokenCall.releaseHold({ holdId: "h", to: "nope" }))).toBe("SDK_INVALID_ARGUMENT");
  });

  it("rejects negative amounts, as bigint or string", () => {
    const env = envelope();
    expect(codeOf(() => tokenTx.transfer(env, { asset: "GOLD", to: TO, amount: -1n }))).toBe(
      "SDK_INVALID_AMOUNT",
    );
    expect(codeOf(() => tokenTx.mint(env, { asset: "GOLD", to: TO, amount: "-5" }))).toBe(
      "SDK_INVALID_AMOUNT",
    );
    expect(codeOf(() => tokenTx.burn(env, { asset: "GOLD", amount: "-0" }))).toBe("SDK_INVALID_AMOUNT");
    expect(codeOf(() => tokenCall.createAsset({ asset: "G", name: "G", decimals: 0, maxSupply: -3n }))).toBe(
      "SDK_INVALID_AMOUNT",
    );
  });

  it("rejects a bad recipient address and bad decimals", () => {
    expect(codeOf(() => tokenCall.transfer({ asset: "GOLD", to: "AB".repeat(20), amount: 1n }))).toBe(
      "SDK_INVALID_ARGUMENT",
    );
    expect(codeOf(() => tokenCall.createAsset({ asset: "G", name: "G", decimals: 1.5 }))).toBe(
      "SDK_INVALID_ARGUMENT",
    );
  });
});

describe("toAmount", () => {
  it("gives canonical decimal strings", () => {
    expect(toAmount(0n)).toBe("0");
    expect(toAmount("000")).toBe("0");
    expect(toAmount("0012")).toBe("12");
    expect(toAmount(2n ** 200n)).toBe((2n ** 200n).toString());
  });

  it("refuses anything but digits", () => {
    for (const bad of ["", " 1", "1 ", "+1", "1.5", "1e3", "0x10", "١"]) {
      expect(() => toAmount(bad)).toThrow(SdkError);
    }
    expect(codeOf(() => toAmount(5 as unknown as string))).toBe("SDK_INVALID_AMOUNT");
  });
});
