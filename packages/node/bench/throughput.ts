import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addressOf, generateKeyPair, type KeyPair, type SignedTx } from "@weft/core";
import { initHome } from "../src/config/home.js";
import { freePort, startNodeProcess, stopGracefully } from "../test/e2e/support/process.js";
import { signedTransfers } from "../test/support/transfers.js";

export interface ThroughputResult {
  offeredTps: number;
  seconds: number;
  submitted: number;
  committed: number;
  /** Refusals by error code; a healthy run has none. */
  rejected: Record<string, number>;
  committedTps: number;
  p50Ms: number;
  p99Ms: number;
}

const SENDERS = 64;
const TICK_MS = 20;

/**
 * Single node in its own process, driven over HTTP by this process at a fixed offered load:
 * every TICK_MS a batch of pre-signed transfers is posted with `wait=true`, so the response
 * time of a batch is the commit latency of its transactions (submit → durable commit).
 */
export async function benchThroughput(offeredTps: number, seconds: number): Promise<ThroughputResult> {
  const home = mkdtempSync(join(tmpdir(), "weft-bench-"));
  const names = Array.from({ length: SENDERS }, (_, i) => `s${i}`);
  const { genesis, accounts } = initHome(home, {
    chainId: "bench",
    accounts: names,
    asset: { id: "WEFT", name: "Weft", decimals: 0, supplyPerAccount: "1000000000000" },
  });
  const total = offeredTps * seconds;
  const perSender = Math.ceil(total / SENDERS);
  const recipients = Array.from({ length: 1000 }, () => addressOf(generateKeyPair()));
  const txs = signedTransfers({
    chainId: genesis.chainId,
    asset: "WEFT",
    senders: names.map((name) => accounts[name] as KeyPair),
    perSender,
    recipients,
    amount: () => "1",
  });
  txs.length = total;
  const port = await freePort();
  const node = await startNodeProcess(home, port);
  try {
    return await offerLoad([`http://127.0.0.1:${port}`], txs, offeredTps, seconds);
  } finally {
    await stopGracefully(node);
    rmSync(home, { recursive: true, force: true });
  }
}

/**
 * Posts `txs` in batches every TICK_MS to the nodes in turn, each with `wait=true`, so a batch's
 * response time is the finality latency of its transactions (submit → committed on that node).
 */
export async function offerLoad(
  nodes: readonly string[],
  txs: readonly SignedTx[],
  offeredTps: number,
  seconds: number,
): Promise<ThroughputResult> {
  const latencies: number[] = [];
  let committed = 0;
  const rejected = new Map<string, number>();
  const failures: string[] = [];
  const pending: Promise<void>[] = [];
  const start = performance.now();
  // Tick k ends with floor((k + 1) × rate × TICK) sent, so fractional per-tick rates are exact.
  for (let i = 0, tick = 0; i < txs.length; tick++) {
    const end = Math.min(txs.length, Math.floor(((tick + 1) * offeredTps * TICK_MS) / 1000));
    const due = start + tick * TICK_MS;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    if (end <= i) continue;
    const batch = txs.slice(i, end);
    i = end;
    const sent = performance.now();
    const url = `${nodes[tick % nodes.length]}/v1/txs?wait=true&timeoutMs=30000`;
    pending.push(
      fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ txs: batch }),
      })
        .then(
          (r) =>
            r.json() as Promise<{
              results: { status?: { status: string }; error?: { code: string; message: string } }[];
            }>,
        )
        .then((body) => {
          const latency = performance.now() - sent;
          for (const r of body.results) {
            if (r.error) rejected.set(r.error.code, (rejected.get(r.error.code) ?? 0) + 1);
            if (r.status?.status === "committed") {
              committed++;
              latencies.push(latency);
            }
          }
        })
        .catch((e: unknown) => {
          failures.push(String((e as Error).cause ?? e));
        }),
    );
  }
  await Promise.all(pending);
  if (failures.length > 0) throw new Error(`${failures.length} requests failed, first: ${failures[0]}`);
  const elapsed = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  const pct = (p: number) =>
    Math.round(latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? Number.NaN);
  return {
    offeredTps,
    seconds,
    submitted: txs.length,
    committed,
    rejected: Object.fromEntries(rejected),
    committedTps: Math.round(committed / elapsed),
    p50Ms: pct(0.5),
    p99Ms: pct(0.99),
  };
}
