import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addressOf, blockHash, type KeyPair, type SignedTx, txHash } from "@weft/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ModuleRegistry } from "../../src/app/registry.js";
import { auditChain } from "../../src/audit/audit.js";
import { homePaths, readGenesis } from "../../src/config/home.js";
import { initNetwork } from "../../src/config/network-home.js";
import { defaultModules } from "../../src/modules/index.js";
import { ChainStore } from "../../src/storage/chain-store.js";
import { FAST_CONSENSUS } from "../support/network.js";
import { signedTransfers } from "../support/transfers.js";
import { freePort, killHard, startNodeProcess, stopGracefully } from "./support/process.js";

/**
 * Four validator processes on 127.0.0.1 under a stream of transfers. One node at a time is
 * killed with SIGKILL every few seconds and restarted; at the end every node must hold the same
 * chain, and every transfer a node acknowledged as committed must be in it exactly once.
 */
const CHAOS_MS = Number(process.env.WEFT_CHAOS_SECONDS ?? 60) * 1000;
const SENDERS = 12;
const PER_SENDER = 2_000; // more than can be sent in the chaos window
const ORGS = ["org1", "org2", "org3", "org4"];

interface TxView {
  status: string;
}

describe("four validator processes under kill -9", () => {
  let root: string;
  const procs: (ChildProcess | undefined)[] = [];
  const apiPorts: number[] = [];
  const env = {
    WEFT_NODE_OPTIONS: JSON.stringify({ consensus: FAST_CONSENSUS, mempool: { verifyThreads: 1 } }),
  };
  let senders: KeyPair[];
  let txsBySender: SignedTx[][];
  const acknowledged = new Set<string>();
  /** Per sender, how many of its transfers (in sequence order) are acknowledged as committed. */
  const cursor: number[] = Array.from({ length: SENDERS }, () => 0);

  const url = (i: number) => `http://127.0.0.1:${apiPorts[i]}`;
  const start = async (i: number) => {
    procs[i] = await startNodeProcess(join(root, ORGS[i] as string), apiPorts[i] as number, env);
  };
  const live = () => ORGS.map((_, i) => i).filter((i) => procs[i] !== undefined);
  const height = async (i: number): Promise<number> => {
    const res = await fetch(`${url(i)}/v1/blocks/latest`);
    if (res.status === 404) return 0;
    return ((await res.json()) as { block: { header: { height: number } } }).block.header.height;
  };

  /** All four converge on one height (an idle network still makes an empty block now and then). */
  const sameHeightEverywhere = async (): Promise<number> => {
    const deadline = Date.now() + 30_000;
    let heights: number[] = [];
    for (;;) {
      heights = await Promise.all(ORGS.map((_, i) => height(i)));
      if (new Set(heights).size === 1 || Date.now() > deadline) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(new Set(heights).size).toBe(1);
    return heights[0] as number;
  };

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "weft-chaos-"));
    const names = Array.from({ length: SENDERS }, (_, i) => `sender${i}`);
    const peerPort = await freePort();
    for (let i = 0; i < 4; i++) apiPorts.push(await freePort());
    const report = await initNetwork(root, {
      chainId: "weft-chaos",
      orgs: ORGS,
      host: "127.0.0.1",
      basePeerPort: peerPort,
      baseApiPort: 0,
      accounts: names,
      asset: { id: "WEFT", name: "Weft", decimals: 0, supplyPerAccount: "1000000000" },
    });
    senders = names.map((n) => report.accounts[n] as KeyPair);
    const recipients = Array.from({ length: 8 }, (_, i) =>
      addressOf(report.accounts[names[i % SENDERS] as string]!),
    );
    txsBySender = senders.map((key) =>
      signedTransfers({
        chainId: "weft-chaos",
        asset: "WEFT",
        senders: [key],
        perSender: PER_SENDER,
        recipients,
        amount: (seq) => String(1 + (seq % 5)),
      }),
    );
    await Promise.all(ORGS.map((_, i) => start(i)));
  }, 120_000);

  afterAll(async () => {
    await Promise.all(procs.map((p) => (p ? killHard(p) : undefined)));
    if (root) rmSync(root, { recursive: true, force: true });
  });

  /** Sends the `s`th sender's next transfer, retrying on live nodes until some node reports it committed. */
  const sendNext = async (s: number): Promise<void> => {
    const tx = txsBySender[s]?.[cursor[s] as number] as SignedTx;
    const hash = txHash(tx);
    for (;;) {
      const nodes = live();
      const i = nodes[Math.floor(Math.random() * nodes.length)] as number;
      try {
        const res = await fetch(`${url(i)}/v1/txs?wait=true&timeoutMs=3000`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(tx),
        });
        let committed = res.status === 200 && ((await res.json()) as TxView).status === "committed";
        if (!committed) {
          const check = await fetch(`${url(i)}/v1/txs/${hash}`);
          committed = check.status === 200 && ((await check.json()) as TxView).status === "committed";
        }
        if (committed) {
          acknowledged.add(hash);
          cursor[s] = (cursor[s] as number) + 1;
          return;
        }
      } catch {
        // the node was killed mid-request: try another
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  };
  const runSender = async (s: number, stop: () => boolean) => {
    while (!stop()) await sendNext(s);
  };

  it(
    "keeps one chain and commits every acknowledged transfer exactly once",
    async () => {
      let stopping = false;
      const load = senders.map((_, s) => runSender(s, () => stopping));
      const started = Date.now();
      let kills = 0;
      // At least CHAOS_MS of chaos and at least one kill per 6 s of it, however slowly nodes restart.
      const minKills = Math.floor(CHAOS_MS / 6_000);
      while (Date.now() - started < CHAOS_MS || kills < minKills) {
        await new Promise((r) => setTimeout(r, 2_000 + Math.random() * 2_000));
        const victim = Math.floor(Math.random() * 4);
        const proc = procs[victim];
        procs[victim] = undefined;
        if (proc) await killHard(proc);
        kills++;
        await new Promise((r) => setTimeout(r, 500 + Math.random() * 1_500));
        await start(victim);
      }
      stopping = true;
      await Promise.all(load);
      expect(kills).toBeGreaterThanOrEqual(minKills);
      expect(acknowledged.size).toBeGreaterThan(100);

      const top = await sameHeightEverywhere();
      console.log(
        `chaos: ${kills} kills in ${Math.round((Date.now() - started) / 1000)} s, ${acknowledged.size} transfers acknowledged, height ${top}`,
      );
    },
    CHAOS_MS + 120_000,
  );

  it("keeps committing with one of four nodes stopped", async () => {
    await stopGracefully(procs[3] as ChildProcess);
    procs[3] = undefined;
    const before = await height(0);
    for (let k = 0; k < 5; k++) await sendNext(0);
    expect(await height(0)).toBeGreaterThan(before);
  }, 60_000);

  it("commits nothing and forks nothing with two of four stopped, and resumes after a restart", async () => {
    await stopGracefully(procs[2] as ChildProcess);
    procs[2] = undefined;
    const before = [await height(0), await height(1)];
    const tx = txsBySender[1]?.[cursor[1] as number] as SignedTx;
    const res = await fetch(`${url(0)}/v1/txs`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(tx),
    });
    expect(res.status).toBe(202); // admitted to the mempool, but no quorum to commit it
    await new Promise((r) => setTimeout(r, 4_000));
    expect([await height(0), await height(1)]).toEqual(before);
    expect(((await (await fetch(`${url(0)}/v1/txs/${txHash(tx)}`)).json()) as TxView).status).toBe("pending");

    await start(2);
    const restartedAt = Date.now();
    await sendNext(1); // the same transfer: commits once the third validator is back
    console.log(
      `quorum regained: the pending transfer committed ${Date.now() - restartedAt} ms after the restart`,
    );
    await start(3);
    await sameHeightEverywhere();
  }, 90_000);

  it("leaves identical, auditable chains holding each acknowledged transfer exactly once", async () => {
    await Promise.all(procs.map((p) => (p ? stopGracefully(p) : undefined)));
    procs.fill(undefined);
    const genesis = readGenesis(join(root, "genesis.json"));
    const stores = ORGS.map((org) => ChainStore.open({ dataDir: homePaths(join(root, org)).data }));
    try {
      const heads = stores.map((st) => st.head()!);
      const top = Math.min(...heads.map((h) => h.height));
      for (let h = 1; h <= top; h++) {
        const hashes = new Set(stores.map((st) => blockHash(st.getBlock(h)!.header)));
        expect(hashes.size, `height ${h}`).toBe(1);
      }
      for (const st of stores) {
        const report = await auditChain(st, genesis, new ModuleRegistry(defaultModules));
        expect(report.failure).toBeUndefined();
      }
      const st = stores[0] as ChainStore;
      for (const hash of acknowledged) expect(st.getTxLocation(hash), hash).toBeDefined();
      // Exactly once: each sender's on-chain sequence is the count of its acknowledged transfers.
      senders.forEach((key, s) => {
        const seq = st.getState(`auth/sequence/${addressOf(key)}`);
        expect(seq === undefined ? 0 : Number(new TextDecoder().decode(seq))).toBe(cursor[s]);
      });
    } finally {
      await Promise.all(stores.map((st) => st.close()));
    }
  }, 120_000);
});
