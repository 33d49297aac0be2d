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

/**
 * Four validators, each in its own process, talking mutual TLS on 127.0.0.1 with the default
 * consensus options; the load is spread over all four APIs. Latency is finality: submit →
 * committed (decided by +2/3 and durable) on the node the batch was sent to.
 */
export async function benchBftThroughput(offeredTps: number, seconds: number): Promise<ThroughputResult> {
  const root = mkdtempSync(join(tmpdir(), "weft-bench-bft-"));
  const names = Array.from({ length: SENDERS }, (_, i) => `s${i}`);
  const warmers = ORGS.map((_, i) => `warm${i}`);
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
    accounts: [...names, ...warmers],
    asset: { id: "WEFT", name: "Weft", decimals: 0, supplyPerAccount: "1000000000000" },
  });
  const total = offeredTps * seconds;
  const recipients = Array.from({ length: 1000 }, () => addressOf(generateKeyPair()));
  const txs = signedTransfers({
    chainId: "bench",
    asset: "WEFT",
    senders: names.map((name) => report.accounts[name] as KeyPair),
    perSender: Math.ceil(total / SENDERS),
    recipients,
    amount: () => "1",
  });
  txs.length = total;
  const procs: ChildProcess[] = [];
  try {
    for (const [i, org] of ORGS.entries()) {
      procs.push(await startNodeProcess(join(root, org), apiPorts[i] as number));
    }
    const urls = apiPorts.map((p) => `http://127.0.0.1:${p}`);
    // Warm up (signature workers started, peers connected, code hot): a few transfers through each node.
    const warm = warmers.flatMap((name) =>
      signedTransfers({
        chainId: "bench",
        asset: "WEFT",
        senders: [report.accounts[name] as KeyPair],
        perSender: 50,
        recipients,
        amount: () => "1",
      }),
    );
    await offerLoad(urls, warm, 200, 1);
    return await offerLoad(urls, txs, offeredTps, seconds);
  } finally {
    await Promise.all(procs.map((p) => stopGracefully(p)));
    rmSync(root, { recursive: true, force: true });
  }
}
