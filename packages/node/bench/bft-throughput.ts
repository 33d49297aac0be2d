import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addressOf, generateKeyPair, type KeyPair } from "@weft/core";
import { initNetwork } from "../src/config/network-home.js";
import { freePort, startNodeProcess, stopGracefully } from "../test/e2e/support/process.js";
import { signedTransfers } from "../test/support/transfers.js";
import { offerLoad, type ThroughputResult } from "./throughput.js";

const SENDERS = 64;
const ORGS = ["org1", "org2", "org3", "org4"];

/** Four validator processes on 127.0.0.1 (mutual TLS), one org each, with funded `accounts` (writers of org1). */
export interface BenchNetwork {
  accounts: Record<string, KeyPair>;
  /** The four nodes' API base URLs. */
  urls: string[];
  stop(): Promise<void>;
}

export async function startBenchNetwork(accounts: string[], funded = true): Promise<BenchNetwork> {
  const root = mkdtempSync(join(tmpdir(), "weft-bench-bft-"));
  const peerPort = await freePort();
  const apiPorts: number[] = [];
  while (apiPorts.length < ORGS.length) {
    const p = await freePort();
    if (!apiPorts.includes(p) && (p < peerPort || p >= peerPort + ORGS.length)) apiPorts.push(p);
  }
  const report = await initNetwork(root, {
    chainId: "bench",
    orgs: ORGS,
    host: "127.0.0.1",
    basePeerPort: peerPort,
    baseApiPort: 0,
    accounts,
    // The accounts write for org1; the EPCIS bench captures at 4012345 locations, so org1 owns them.
    gs1: { org1: { companyPrefixes: ["4012345"], glns: [] } },
    ...(funded
      ? { asset: { id: "WEFT", name: "Weft", decimals: 0, supplyPerAccount: "1000000000000" } }
      : {}),
  });
  const procs: ChildProcess[] = [];
  const stop = async () => {
    await Promise.all(procs.map((p) => stopGracefully(p)));
    rmSync(root, { recursive: true, force: true });
  };
  try {
    for (const [i, org] of ORGS.entries())
      procs.push(await startNodeProcess(join(root, org), apiPorts[i] as number));
  } catch (e) {
    await stop();
    throw e;
  }
  return { accounts: report.accounts, urls: apiPorts.map((p) => `http://127.0.0.1:${p}`), stop };
}

/**
 * Four validators, each in its own process, talking mutual TLS on 127.0.0.1 with the default
 * consensus options; the load is spread over all four APIs. Latency is finality: submit →
 * committed (decided by +2/3 and durable) on the node the batch was sent to.
 */
export async function benchBftThroughput(offeredTps: number, seconds: number): Promise<ThroughputResult> {
  const names = Array.from({ length: SENDERS }, (_, i) => `s${i}`);
  const warmers = ORGS.map((_, i) => `warm${i}`);
  const net = await startBenchNetwork([...names, ...warmers]);
  try {
    const total = offeredTps * seconds;
    const recipients = Array.from({ length: 1000 }, () => addressOf(generateKeyPair()));
    const txs = signedTransfers({
      chainId: "bench",
      asset: "WEFT",
      senders: names.map((name) => net.accounts[name] as KeyPair),
      perSender: Math.ceil(total / SENDERS),
      recipients,
      amount: () => "1",
    });
    txs.length = total;
    // Warm up (signature workers started, peers connected, code hot): a few transfers through each node.
    const warm = warmers.flatMap((name) =>
      signedTransfers({
        chainId: "bench",
        asset: "WEFT",
        senders: [net.accounts[name] as KeyPair],
        perSender: 50,
        recipients,
        amount: () => "1",
      }),
    );
    await offerLoad(net.urls, warm, 200, 1);
    return await offerLoad(net.urls, txs, offeredTps, seconds);
  } finally {
    await net.stop();
  }
}
