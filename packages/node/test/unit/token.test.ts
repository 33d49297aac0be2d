import { addressOf } from "@weft/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createTestChain, type TestChain } from "../support/chain.js";

describe("token module on a single-validator chain", () => {
  let chain: TestChain;
  beforeEach(async () => {
    chain = await createTestChain();
  });
  afterEach(async () => {
    await chain.close();
  });

  const balance = (asset: string, who: string) =>
    chain.service.query("token", "balance", { asset, address: who }).value;

  it("creates, mints, transfers and burns with bigint-exact amounts", async () => {
    const { alice, bob } = chain;
    const big = "115792089237316195423570985008687907853269984665640564039457584007913129639935"; // 2^256-1
    const results = await chain.submit(
      chain.tx(alice, "createAsset", { asset: "BOLT", name: "M8 bolt credits", decimals: 0 }),
      chain.tx(alice, "mint", { asset: "BOLT", to: addressOf(alice), amount: big }),
      chain.tx(alice, "transfer", { asset: "BOLT", to: addressOf(bob), amount: "5" }),
      chain.tx(bob, "burn", { asset: "BOLT", amount: "2" }),
    );
    expect(results.every((r) => r.accepted)).toBe(true);
    await chain.produceBlock();
    expect(balance("BOLT", addressOf(bob))).toBe("3");
    expect(balance("BOLT", addressOf(alice))).toBe((BigInt(big) - 5n).toString());
    const asset = chain.service.query("token", "asset", { asset: "BOLT" }).value as {
      supply: string;
      issuer: string;
    };
    expect(asset.supply).toBe((BigInt(big) - 2n).toString());
    expect(asset.issuer).toBe(addressOf(alice));
    const head = chain.service.latestBlock();
    expect(head?.block.txs).toHaveLength(4);
  });

  it("records a failed transaction with a typed reason and changes no module state", async () => {
    const { alice, bob } = chain;
    const before = chain.store.head()?.stateRoot;
    const tx = chain.tx(bob, "mint", { asset: "EUR", to: addressOf(bob), amount: "10" });
    expect((await chain.submit(tx))[0]?.accepted).toBe(true);
    await chain.produceBlock();
    const status = chain.service.getTx(txHash(tx));
    expect(status?.receipt?.status).toBe("failed");
    expect(status?.receipt?.error?.code).toBe("TOKEN_NOT_ISSUER");
    expect(balance("EUR", addressOf(bob))).toBe("0");
    // only the signer's sequence moved
    expect(chain.service.getState(`auth/sequence/${addressOf(bob)}`).value).toBe(1);
    expect(chain.store.head()?.stateRoot).not.toBe(before);
    const overdraw = chain.tx(alice, "transfer", { asset: "EUR", to: addressOf(bob), amount: "1000001" });
    await chain.submit(overdraw);
    await chain.produceBlock();
    expect(chain.service.getTx(txHashOf(overdraw))?.receipt?.error?.code).toBe("TOKEN_INSUFFICIENT_FUNDS");
    expect(balance("EUR", addressOf(alice))).toBe("1000000");
  });

  it("rejects overflowing mints and supply caps with typed errors", async () => {
    const { alice } = chain;
    const max = ((1n << 256n) - 1n).toString();
    const txs = [
      chain.tx(alice, "createAsset", { asset: "CAP", name: "Capped", decimals: 0, maxSupply: "100" }),
      chain.tx(alice, "mint", { asset: "CAP", to: addressOf(alice), amount: "101" }),
      chain.tx(alice, "mint", { asset: "EUR", to: addressOf(alice), amount: max }),
    ];
    await chain.submit(...txs);
    await chain.produceBlock();
    expect(chain.service.getTx(txHashOf(txs[1]!))?.receipt?.error?.code).toBe("TOKEN_SUPPLY_CAP");
    expect(chain.service.getTx(txHashOf(txs[2]!))?.receipt?.error?.code).toBe("TOKEN_OVERFLOW");
  });

  it("refuses bad arguments at admission: negative, fractional, unknown fields, unknown method", async () => {
    const { alice, bob } = chain;
    const to = addressOf(bob);
    const cases: [Record<string, string | number>, string, string][] = [
      [{ asset: "EUR", to, amount: "-5" }, "transfer", "APP_INVALID_ARGS"],
      [{ asset: "EUR", to, amount: "1.5" }, "transfer", "APP_INVALID_ARGS"],
      [{ asset: "EUR", to, amount: "007" }, "transfer", "APP_INVALID_ARGS"],
      [{ asset: "EUR", to, amount: "1", extra: "x" }, "transfer", "APP_INVALID_ARGS"],
      [{ asset: "EUR", to, amount: "1" }, "steal", "APP_UNKNOWN_METHOD"],
      [{ asset: "EUR", to, amount: `1${"0".repeat(80)}` }, "transfer", "APP_INVALID_ARGS"],
    ];
    for (const [args, method, code] of cases) {
      const [outcome] = await chain.submit(chain.tx(alice, method, args, { sequence: 0 }));
      expect(outcome?.accepted).toBe(false);
      expect(outcome && !outcome.accepted && outcome.error.code).toBe(code);
    }
    expect(chain.app.mempool.size).toBe(0);
  });
});

import type { SignedTx } from "@weft/core";
import { txHash } from "@weft/core";

function txHashOf(tx: SignedTx): string {
  return txHash(tx);
}
