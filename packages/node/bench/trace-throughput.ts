import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type KeyPair, type SignedTx, signTx } from "@weft/core";
import { initHome } from "../src/config/home.js";
import { freePort, startNodeProcess, stopGracefully } from "../test/e2e/support/process.js";
import { startBenchNetwork } from "./bft-throughput.js";
import { offerLoad, type ThroughputResult } from "./throughput.js";

const SENDERS = 16;
/** Events per `trace.capture` transaction: a document stays under the 64 KiB transaction limit. */
export const EVENTS_PER_TX = 50;
const CONTEXT = "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld";

export interface TraceThroughputResult extends ThroughputResult {
  offeredEventsPerSec: number;
  committedEventsPerSec: number;
}

/** Pre-signed capture transactions, each an EPCIS document of EVENTS_PER_TX distinct ObjectEvents. */
function captureTxs(chainId: string, senders: readonly KeyPair[], count: number): SignedTx[] {
  const txs: SignedTx[] = [];
  const start = Date.parse("2025-01-01T00:00:00.000Z");
  for (let n = 0; n < count; n++) {
    const key = senders[n % senders.length] as KeyPair;
    const events = Array.from({ length: EVENTS_PER_TX }, (_, i) => ({
      type: "ObjectEvent",
      action: "OBSERVE",
      eventTime: new Date(start + (n * EVENTS_PER_TX + i) * 1_000).toISOString(),
      eventTimeZoneOffset: "+00:00",
      bizStep: "shipping",
      disposition: "in_transit",
      epcList: [`urn:epc:id:sgtin:4012345.011111.T${n}-${i}`],
      readPoint: { id: "urn:epc:id:sgln:4012345.00001.0" },
    }));
    const document = JSON.stringify({
      "@context": [CONTEXT],
      type: "EPCISDocument",
      schemaVersion: "2.0",
      creationDate: "2025-01-01T00:00:00.000Z",
      epcisBody: { eventList: events },
    });
    txs.push(
      signTx(
        {
          chainId,
          signer: { alg: key.alg, publicKey: key.publicKey },
          sequence: Math.floor(n / senders.length),
          expiresAt: 1_000_000,
          module: "trace",
          method: "capture",
          args: { document },
        },
        key,
      ),
    );
  }
  return txs;
}

const withEvents = (r: ThroughputResult, offeredEventsPerSec: number): TraceThroughputResult => ({
  ...r,
  offeredEventsPerSec,
  committedEventsPerSec: r.committedTps * EVENTS_PER_TX,
});

/** Committed EPCIS events/s on one node (its own process), captured through signed transactions. */
export async function benchTraceCapture(
  eventsPerSec: number,
  seconds: number,
): Promise<TraceThroughputResult> {
  const home = mkdtempSync(join(tmpdir(), "weft-bench-trace-"));
  const names = Array.from({ length: SENDERS }, (_, i) => `s${i}`);
  const { genesis, accounts } = initHome(home, { chainId: "bench", accounts: names });
  const txsPerSec = Math.ceil(eventsPerSec / EVENTS_PER_TX);
  const txs = captureTxs(
    genesis.chainId,
    names.map((n) => accounts[n] as KeyPair),
    txsPerSec * seconds,
  );
  const port = await freePort();
  const node = await startNodeProcess(home, port);
  try {
    return withEvents(await offerLoad([`http://127.0.0.1:${port}`], txs, txsPerSec, seconds), eventsPerSec);
  } finally {
    await stopGracefully(node);
    rmSync(home, { recursive: true, force: true });
  }
}

/** The same on four validator processes (mutual TLS on 127.0.0.1), load spread over their APIs. */
export async function benchBftTraceCapture(
  eventsPerSec: number,
  seconds: number,
): Promise<TraceThroughputResult> {
  const names = Array.from({ length: SENDERS }, (_, i) => `s${i}`);
  const net = await startBenchNetwork(names, false);
  try {
    const txsPerSec = Math.ceil(eventsPerSec / EVENTS_PER_TX);
    const senders = names.map((n) => net.accounts[n] as KeyPair);
    const txs = captureTxs("bench", senders, txsPerSec * seconds);
    return withEvents(await offerLoad(net.urls, txs, txsPerSec, seconds), eventsPerSec);
  } finally {
    await net.stop();
  }
}
