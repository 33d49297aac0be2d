/**
 * Committed escrow settlements/s on four validators, each its own process (mutual TLS on
 * 127.0.0.1, `startBenchNetwork`), driven over the HTTP API by this process.
 *
 * Escrows are opened by signed `escrow.open` transactions of funded org1 writers (the buyers), one
 * per SSCC, each waiting for a `receiving` event at an org1 location. Then, at each offered rate,
 * signed `trace.capture` transactions of one receiving event each are offered with offerLoad's
 * pacing (batches every 20 ms, `?wait=true`, spread over the four APIs): first captures about
 * SSCCs no escrow watches, then the same captures each settling one escrow. Settlements are
 * counted on every node by `weft_end_block_events_total{module="escrow",type="Settled"}` and must
 * equal the settling captures committed; any failed transaction or refusal stops the bench.
 *
 * Alone: node --conditions=weft-source --import tsx packages/node/bench/escrow-bft.ts
 * WEFT_BENCH_ESCROW_BFT_LOADS (offered tx/s, default 250,500) and WEFT_BENCH_ESCROW_BFT_SECONDS
 * (per stream and rate, default 10) size it; it opens one escrow per settling capture.
 */
import { availableParallelism } from "node:os";
import { pathToFileURL } from "node:url";
import { addressOf, type KeyPair, type SignedTx, signTx } from "@weft/core";
import { eventDoc } from "../test/unit/support/escrow-docs.js";
import { startBenchNetwork } from "./bft-throughput.js";
import { verificationsPerSecond } from "./crypto-limit.js";
import { offerLoad, type ThroughputResult } from "./throughput.js";

/** org1 owns company prefix 4012345 on the bench network (startBenchNetwork's gs1 option). */
const LOCATION = "urn:epc:id:sgln:4012345.00001.0";
const sscc = (n: number) => `urn:epc:id:sscc:4012345.${String(n).padStart(10, "0")}`;
/** SSCC serials from here on are watched by no escrow. */
const UNWATCHED = 1_000_000_000;
const SIGNERS = 16;
const OPENS_PER_SEC = 600;
const DAY = 86_400_000;

export interface EscrowBftRow {
  offeredTps: number;
  plain: ThroughputResult;
  settling: ThroughputResult;
  /** Settled events per node (each of the four) during the settling stream. */
  settled: number;
  settledPerSec: number;
}

export interface EscrowBftResult {
  escrows: number;
  opensCommittedTps: number;
  rows: EscrowBftRow[];
  seconds: number;
}

/** Pre-signed transactions from `keys` in turn; fresh accounts, so each signer's sequences start at 0. */
class Signers {
  private readonly next = new Map<string, number>();
  private turn = 0;
  constructor(private readonly keys: readonly KeyPair[]) {}
  tx(module: string, method: string, args: Record<string, unknown>): SignedTx {
    const key = this.keys[this.turn++ % this.keys.length] as KeyPair;
    const address = addressOf(key);
    const sequence = this.next.get(address) ?? 0;
    this.next.set(address, sequence + 1);
    return signTx(
      {
        chainId: "bench",
        signer: { alg: key.alg, publicKey: key.publicKey },
        sequence,
        expiresAt: 1_000_000,
        module,
        method,
        args: args as never,
      },
      key,
    );
  }
}

let eventClock = Date.parse("2026-01-01T00:00:00.000Z");
const receiving = (signers: Signers, serial: number) => {
  eventClock += 1_000;
  return signers.tx("trace", "capture", {
    document: eventDoc({
      epc: sscc(serial),
      bizStep: "receiving",
      location: LOCATION,
      time: new Date(eventClock).toISOString(),
    }),
  });
};

async function metrics(url: string): Promise<string> {
  const r = await fetch(`${url}/metrics`);
  if (!r.ok) throw new Error(`${url}/metrics: HTTP ${r.status}`);
  return r.text();
}

/** Sum of a metric's samples whose labels contain every `labels` entry (and none of `not`). */
function sample(text: string, name: string, labels: Record<string, string>, not = false): number {
  let sum = 0;
  for (const line of text.split("\n")) {
    if (!line.startsWith(`${name}{`)) continue;
    const match = Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`));
    if (match !== not) sum += Number(line.slice(line.lastIndexOf(" ") + 1));
  }
  return sum;
}

const settledOn = async (url: string) =>
  sample(await metrics(url), "weft_end_block_events_total", { module: "escrow", type: "Settled" });

/** Transactions committed with a failed receipt, on each node. */
async function failedTxs(urls: readonly string[]): Promise<number[]> {
  return Promise.all(
    urls.map(async (u) => sample(await metrics(u), "weft_txs_committed_total", { status: "ok" }, true)),
  );
}

function checkAllCommitted(label: string, r: ThroughputResult): void {
  if (r.committed !== r.submitted || Object.keys(r.rejected).length > 0)
    throw new Error(
      `${label}: ${r.committed}/${r.submitted} committed, refused ${JSON.stringify(r.rejected)}`,
    );
}

/** Waits until every node's Settled counter reaches `expected` (blocks commit on each node in turn). */
async function waitSettled(urls: readonly string[], expected: number): Promise<number[]> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const counts = await Promise.all(urls.map(settledOn));
    if (counts.every((c) => c >= expected) || Date.now() > deadline) return counts;
    await new Promise((r) => setTimeout(r, 200));
  }
}

export async function benchEscrowBft(loads: readonly number[], seconds: number): Promise<EscrowBftResult> {
  const started = performance.now();
  const names = (p: string) => Array.from({ length: SIGNERS }, (_, i) => `${p}${i}`);
  const net = await startBenchNetwork([
    ...names("buyer"),
    ...names("plain"),
    ...names("settle"),
    "warm",
    "seller",
  ]);
  try {
    const keys = (p: string) => names(p).map((n) => net.accounts[n] as KeyPair);
    const buyers = new Signers(keys("buyer"));
    const plainSigners = new Signers(keys("plain"));
    const settleSigners = new Signers(keys("settle"));
    const warmSigner = new Signers([net.accounts.warm as KeyPair]);
    const seller = addressOf(net.accounts.seller as KeyPair);

    // One escrow per settling capture; the deadlines weeks away, spread.
    const escrows = loads.reduce((n, load) => n + load * seconds, 0);
    const now = Date.now();
    const opens = Array.from({ length: escrows }, (_, i) =>
      buyers.tx("escrow", "open", {
        id: `E-${i}`,
        seller,
        asset: "WEFT",
        amount: "1000",
        shipment: [sscc(i)],
        incoterm: "DAP",
        milestones: [
          {
            name: "delivered",
            shareBps: 10_000,
            conditions: [{ event: { bizStep: "receiving", bizLocation: LOCATION } }],
          },
        ],
        deadline: now + 30 * DAY + i * 13_000,
      }),
    );
    // Warm up (workers, peers, code hot): captures about no escrow through each node.
    let unwatched = UNWATCHED;
    const warm = Array.from({ length: 200 }, () => receiving(warmSigner, unwatched++));
    checkAllCommitted("warm-up", await offerLoad(net.urls, warm, 200, 1));

    const opened = await offerLoad(net.urls, opens, OPENS_PER_SEC, Math.ceil(escrows / OPENS_PER_SEC));
    checkAllCommitted("escrow.open", opened);

    const rows: EscrowBftRow[] = [];
    let next = 0; // the next escrow to settle
    for (const load of loads) {
      const n = load * seconds;
      const plainTxs = Array.from({ length: n }, () => receiving(plainSigners, unwatched++));
      const settleTxs = Array.from({ length: n }, () => receiving(settleSigners, next++));
      const before = await Promise.all(net.urls.map(settledOn));
      const plain = await offerLoad(net.urls, plainTxs, load, seconds);
      checkAllCommitted(`${load} tx/s about no escrow`, plain);
      const afterPlain = await Promise.all(net.urls.map(settledOn));
      if (afterPlain.some((c, i) => c !== before[i]))
        throw new Error(`captures about no escrow settled escrows: ${before} → ${afterPlain}`);
      const settling = await offerLoad(net.urls, settleTxs, load, seconds);
      checkAllCommitted(`${load} tx/s settling`, settling);
      const after = await waitSettled(
        net.urls,
        (before[0] as number) + settling.committed, // every node settles the same escrows
      );
      const settled = after.map((c, i) => c - (before[i] as number));
      if (settled.some((s) => s !== settling.committed))
        throw new Error(`settled per node ${settled}, expected ${settling.committed} each`);
      rows.push({
        offeredTps: load,
        plain,
        settling,
        settled: settling.committed,
        settledPerSec: settling.committedTps,
      });
    }
    const failed = await failedTxs(net.urls);
    if (failed.some((f) => f > 0)) throw new Error(`transactions failed in execution, per node: ${failed}`);
    // Spot checks through the API: the first and the last settled escrow, and one never captured.
    for (const [id, status] of [
      ["E-0", "settled"],
      [`E-${next - 1}`, "settled"],
    ] as const) {
      const r = await fetch(`${net.urls[1]}/v1/escrows/${id}`);
      const body = (await r.json()) as { escrow?: { status?: string }; status?: string };
      const got = body.escrow?.status ?? body.status;
      if (got !== status) throw new Error(`${id} is ${got}, expected ${status}: ${JSON.stringify(body)}`);
    }
    return {
      escrows,
      opensCommittedTps: opened.committedTps,
      rows,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await net.stop();
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

/** The table run.ts prints, beside the signature bound (cores × Ed25519 verifications/s ÷ 4). */
export function printEscrowBft(r: EscrowBftResult, ed: number, cores: number): void {
  const bound = (ed * cores) / 4;
  console.log(
    `\n## Escrow on four validators (processes, mutual TLS, HTTP API, one receiving event per signed trace.capture; ${fmt(r.seconds)} s)`,
  );
  console.log(
    `${fmt(r.escrows)} escrows opened by signed escrow.open: ${fmt(r.opensCommittedTps)} committed opens/s (offered ${OPENS_PER_SEC})`,
  );
  console.log(
    "offered tx/s | captures                 | committed tx/s | settlements/s | finality p50 | p99 | signature bound (cores × Ed25519/s ÷ validators)",
  );
  for (const row of r.rows)
    for (const [label, t, s] of [
      ["about no escrow", row.plain, ""],
      ["each settling one escrow", row.settling, fmt(row.settledPerSec)],
    ] as const)
      console.log(
        `${fmt(row.offeredTps).padStart(12)} | ${label.padEnd(24)} | ${fmt(t.committedTps).padStart(14)} | ${s.padStart(13)} | ${`${fmt(t.p50Ms)} ms`.padStart(12)} | ${`${fmt(t.p99Ms)} ms`.padStart(8)} | ${fmt(bound)}  (${t.committed}/${t.submitted} committed${s ? `, ${row.settled} settled on each node` : ""})`,
      );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const ed = verificationsPerSecond("ed25519");
  const loads = (process.env.WEFT_BENCH_ESCROW_BFT_LOADS ?? "250,500").split(",").map(Number);
  const seconds = Number(process.env.WEFT_BENCH_ESCROW_BFT_SECONDS ?? 10);
  printEscrowBft(await benchEscrowBft(loads, seconds), ed, availableParallelism());
}
