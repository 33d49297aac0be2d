import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addressOf, generateKeyPair, type KeyPair, type SignedTx, txHash } from "@weft/core";
import { afterAll, describe, expect, it } from "vitest";
import { ModuleRegistry } from "../../src/app/registry.js";
import { auditChain } from "../../src/audit/audit.js";
import { homePaths, initHome, readGenesis } from "../../src/config/home.js";
import { defaultModules } from "../../src/modules/index.js";
import { ChainStore } from "../../src/storage/chain-store.js";
import { signedTransfers } from "../support/transfers.js";
import { freePort, killHard, startNodeProcess, stopGracefully } from "./support/process.js";

const SENDERS = 8;
const PER_SENDER = 1250; // 10,000 transfers in all
const BATCH = 250;

interface BatchResponse {
  results: { hash: string; accepted: boolean; status?: { status: string } }[];
}

describe("crash recovery with real processes", () => {
  const home = mkdtempSync(join(tmpdir(), "weft-crash-"));
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it("loses no acknowledged transaction across kill -9, commits each exactly once, and audits clean", async () => {
    const names = Array.from({ length: SENDERS }, (_, i) => `s${i}`);
    const { genesis, accounts } = initHome(home, {
      chainId: "crash-test",
      accounts: names,
      asset: { id: "WEFT", name: "Weft", decimals: 0, supplyPerAccount: "1000000000" },
    });
    const recipients = Array.from({ length: 16 }, () => addressOf(generateKeyPair()));
    // Interleaved so each batch carries every sender's next transactions in order.
    const all = signedTransfers({
      chainId: genesis.chainId,
      asset: "WEFT",
      senders: names.map((name) => accounts[name] as KeyPair),
      perSender: PER_SENDER,
      recipients,
      amount: (seq) => String(1 + (seq % 7)),
    });

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    let node = await startNodeProcess(home, port);
    const acknowledged = new Set<string>();
    const send = async (batch: SignedTx[]) => {
      const res = await fetch(`${url}/v1/txs?wait=true&timeoutMs=20000`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ txs: batch }),
      });
      const body = (await res.json()) as BatchResponse;
      for (const r of body.results) if (r.status?.status === "committed") acknowledged.add(r.hash);
    };

    // Stream batches concurrently; kill -9 the node in the middle of the stream.
    const killAfter = Math.floor(all.length / 2);
    let offset = 0;
    const inflight: Promise<void>[] = [];
    while (offset < killAfter) {
      inflight.push(send(all.slice(offset, offset + BATCH)).catch(() => undefined));
      offset += BATCH;
      if (inflight.length >= 4) await inflight.shift();
    }
    await new Promise((r) => setTimeout(r, 50));
    await killHard(node);
    await Promise.all(inflight);
    const ackedBeforeCrash = acknowledged.size;
    expect(ackedBeforeCrash).toBeGreaterThan(0);

    node = await startNodeProcess(home, port);
    for (const hash of acknowledged) {
      const res = await fetch(`${url}/v1/txs/${hash}`);
      expect(res.status).toBe(200);
      expect(((await res.json()) as { status: string }).status).toBe("committed");
    }
    // Resubmit everything from the start: committed ones are refused as replays, the rest commit.
    for (let i = 0; i < all.length; i += BATCH) await send(all.slice(i, i + BATCH));
    for (const tx of all) acknowledged.add(txHash(tx));

    const statuses = await Promise.all(
      all
        .filter((_, i) => i % 97 === 0)
        .map(async (tx) => (await (await fetch(`${url}/v1/txs/${txHash(tx)}`)).json()) as { status: string }),
    );
    expect(statuses.every((s) => s.status === "committed")).toBe(true);
    await stopGracefully(node);

    const store = ChainStore.open({ dataDir: homePaths(home).data });
    try {
      const registry = new ModuleRegistry(defaultModules);
      const report = await auditChain(store, readGenesis(homePaths(home).genesis), registry);
      expect(report.failure).toBeUndefined();
      expect(report.txs).toBe(SENDERS * PER_SENDER); // exactly once: no more, no fewer
      for (const tx of all) expect(store.getTxLocation(txHash(tx))).toBeDefined();
      for (const name of names) {
        const seq = store.getState(`auth/sequence/${addressOf(accounts[name] as KeyPair)}`);
        expect(new TextDecoder().decode(seq)).toBe(String(PER_SENDER));
      }
    } finally {
      await store.close();
    }
  }, 240_000);
});
