import { addressOf } from "@weft/core";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SoloDriver } from "../../src/consensus/solo-driver.js";
import { createTestChain, type TestChain } from "../support/chain.js";

describe("solo block production", () => {
  let chain: TestChain;
  beforeEach(async () => {
    chain = await createTestChain();
  });
  afterEach(async () => {
    await chain.close();
  });

  const driver = (intervalMs: number) =>
    new SoloDriver(
      chain.app,
      chain.genesis,
      chain.validator,
      { blockIntervalMs: intervalMs, emptyBlocks: false },
      pino({ level: "silent" }),
    );

  it("commits submitted transactions and stops promptly whatever it is waiting for", async () => {
    const d = driver(50);
    d.start();
    await chain.submit(
      chain.tx(chain.alice, "transfer", { asset: "EUR", to: addressOf(chain.bob), amount: "1" }),
    );
    d.notify();
    const deadline = Date.now() + 5000;
    while ((chain.store.head()?.height ?? 0) < 1 && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 10));
    expect(chain.store.head()?.height).toBe(1);
    // Stop while idle (waiting for transactions).
    await expect(d.stop()).resolves.toBeUndefined();
  });

  it("stops while sleeping out the block interval", async () => {
    const d = driver(10_000);
    d.start();
    await chain.submit(
      chain.tx(chain.alice, "transfer", { asset: "EUR", to: addressOf(chain.bob), amount: "1" }),
    );
    d.notify();
    await new Promise((r) => setTimeout(r, 200)); // first block made; now sleeping out the interval, mempool empty
    expect(chain.store.head()?.height).toBe(1);
    const stopped = await Promise.race([
      d.stop().then(() => "stopped"),
      new Promise((r) => setTimeout(() => r("hung"), 2000)),
    ]);
    expect(stopped).toBe("stopped");
  });
});
