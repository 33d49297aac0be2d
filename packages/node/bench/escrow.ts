/**
 * What the escrow module costs, on a real single-validator chain (LMDB, admission with signature
 * checks, fsync'd commits) holding up to 10,000 open escrows, each opened by a signed
 * `escrow.open` and waiting for a receiving event of its own SSCC at the buyer's location.
 *
 * 1. End-of-block evaluation (`settleBlock` timed inside `executeBlock`, on the head state,
 *    blocks not committed, medians): a block of captures about no escrow at 100 / 1,000 / 10,000
 *    open escrows (the `wait/` index keeps this flat), blocks whose receiving events each settle
 *    one escrow, and a block at which 2,000 deadlines have passed (refunds).
 * 2. Committed settlements/s: signed `trace.capture` transactions of one receiving event each,
 *    submitted (admission, signature checked on this thread) and committed block by block, each
 *    releasing one escrow; interleaved with the same captures about no escrow, and beside those
 *    captures on the same chain before any escrow was opened.
 *
 * One process, one thread: run.ts prints it beside Ed25519 verifications/s on one core.
 * Alone: node --conditions=weft-source --import tsx packages/node/bench/escrow.ts (about 35 s);
 * WEFT_BENCH_ESCROWS (open escrows) and WEFT_BENCH_ESCROW_TXS (committed captures per stream) size it.
 */
import { pathToFileURL } from "node:url";
import {
  addressOf,
  type ChainEvent,
  type DecodedTx,
  decodeTx,
  defaultChainParams,
  type Genesis,
  generateKeyPair,
  type KeyPair,
  parseJson,
  type SignedTx,
  signTx,
} from "@weft/core";
import { executeBlock } from "../src/app/executor.js";
import type { Module } from "../src/app/module.js";
import { ModuleRegistry } from "../src/app/registry.js";
import { escrowModule } from "../src/modules/escrow/module.js";
import { defaultModules } from "../src/modules/index.js";
import { createTestChain, type TestChain } from "../test/support/chain.js";
import { BUYER_GLN, eventDoc, sscc } from "../test/unit/support/escrow-docs.js";
import { verificationsPerSecond } from "./crypto-limit.js";

export interface EndBlockCase {
  label: string;
  openEscrows: number;
  /** EPCIS events captured in the block (0: a block without transactions). */
  events: number;
  /** Escrows the block settled (released) or refunded. */
  closed: number;
  /** Median µs of `settleBlock` alone. */
  endBlockUs: number;
  /** Median ms of the whole `executeBlock` (transactions, end of block, state tree, log). */
  blockMs: number;
  /** State keys the block writes. */
  keysWritten: number;
}

export interface CommittedCase {
  label: string;
  txs: number;
  txPerSec: number;
  settled: number;
  /** State-tree nodes each block wrote, on average: grows with the size of the state. */
  stateNodesPerBlock: number;
}

export interface EscrowBenchResult {
  openEscrows: number;
  /** Committed `escrow.open`s per second while they were opened (1,000 per block). */
  opensPerSec: number;
  endBlock: EndBlockCase[];
  /** [0]: before any escrow; [1]: about none of the open escrows; [2]: each settling one ([1] and [2] interleaved). */
  committed: CommittedCase[];
  capturesPerBlock: number;
  seconds: number;
}

const T0 = 1_700_000_000_000;
const MINUTE = 60_000;
const DAY = 86_400_000;
const BUYERS = 100;
const CARRIERS = 16;
/** Every 5th escrow's deadline falls in the 10 minutes from SWEEP_FROM; the rest weeks later. */
const SWEEP_EVERY = 5;
const SWEEP_FROM = T0 + 2 * 3_600_000;
const EVENTS_PER_DOC = 50;
const OPENS_PER_BLOCK = 1000;
const CAPTURES_PER_BLOCK = 500;
const AMOUNT = "1000";
/** SSCCs from here on are watched by no escrow. */
const UNWATCHED = 1_000_000;

const deadlineOf = (i: number) =>
  i % SWEEP_EVERY === 0
    ? SWEEP_FROM + ((i / SWEEP_EVERY) % 10) * MINUTE + (i % 997)
    : T0 + 30 * DAY + i * 13_000;

const openArgs = (i: number, seller: string) => ({
  id: `E-${i}`,
  seller,
  asset: "EUR",
  amount: AMOUNT,
  shipment: [sscc(i)],
  incoterm: "DAP",
  milestones: [
    {
      name: "delivered",
      shareBps: 10_000,
      conditions: [{ event: { bizStep: "receiving", bizLocation: BUYER_GLN } }],
    },
  ],
  deadline: deadlineOf(i),
});

let eventClock = Date.parse("2026-01-01T00:00:00.000Z");
const eventTime = () => {
  eventClock += 1_000;
  return new Date(eventClock).toISOString();
};

/** An EPCIS document of receiving events at the buyer's location, one per SSCC. */
function receivingDoc(ssccs: readonly number[]): string {
  if (ssccs.length === 1)
    return eventDoc({
      epc: sscc(ssccs[0] as number),
      bizStep: "receiving",
      location: BUYER_GLN,
      time: eventTime(),
    });
  const events = ssccs.map((n) => ({
    type: "ObjectEvent",
    eventTime: eventTime(),
    eventTimeZoneOffset: "+00:00",
    epcList: [sscc(n)],
    action: "OBSERVE",
    bizStep: "receiving",
    readPoint: { id: BUYER_GLN },
    bizLocation: { id: BUYER_GLN },
  }));
  return JSON.stringify({
    "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],
    type: "EPCISDocument",
    schemaVersion: "2.0",
    creationDate: "2026-01-01T00:00:00Z",
    epcisBody: { eventList: events },
  });
}

class Signers {
  private readonly next = new Map<string, number>();
  private turn = 0;
  constructor(
    private readonly chain: TestChain,
    private readonly keys: readonly KeyPair[],
  ) {}
  tx(module: string, method: string, args: Record<string, unknown>, key?: KeyPair): SignedTx {
    const signer = key ?? (this.keys[this.turn++ % this.keys.length] as KeyPair);
    const address = addressOf(signer);
    const sequence = this.next.get(address) ?? this.chain.app.nextSequence(address);
    this.next.set(address, sequence + 1);
    return signTx(
      {
        chainId: this.chain.genesis.chainId,
        signer: { alg: signer.alg, publicKey: signer.publicKey },
        sequence,
        expiresAt: 1_000_000,
        module,
        method,
        args: args as never,
      },
      signer,
    );
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const countEvents = (events: readonly ChainEvent[], type: string) =>
  events.filter((e) => e.module === "escrow" && e.type === type).length;
const range = (from: number, count: number) => Array.from({ length: count }, (_, k) => from + k);

export async function benchEscrow(openEscrows = 10_000, committedTxs = 5000): Promise<EscrowBenchResult> {
  const started = performance.now();
  const validator = generateKeyPair();
  const buyers = Array.from({ length: BUYERS }, () => generateKeyPair());
  // Two groups of capture signers, so two streams of transactions can be committed interleaved.
  const carriers = Array.from({ length: 2 * CARRIERS }, () => generateKeyPair());
  const sellers = Array.from({ length: 10 }, () => addressOf(generateKeyPair()));
  const genesis: Genesis = {
    chainId: "bench-escrow",
    genesisTime: T0,
    validators: [
      {
        address: addressOf(validator),
        publicKey: { alg: validator.alg, publicKey: validator.publicKey },
        power: 1,
        name: "v0",
      },
    ],
    params: { ...defaultChainParams },
    appState: {
      token: {
        assets: [{ id: "EUR", name: "Euro", decimals: 2, issuer: addressOf(buyers[0] as KeyPair) }],
        balances: buyers.map((b) => ({ asset: "EUR", address: addressOf(b), amount: "1000000000" })),
      },
    },
  };
  const chain = await createTestChain({ genesis, keys: [validator, generateKeyPair(), generateKeyPair()] });
  try {
    let now = T0;
    // Every committed block is checked: a failed transaction stops the bench; settlements are counted.
    let failed: string | undefined;
    let settled = 0;
    let stateNodes = 0;
    chain.app.onCommit((executed) => {
      stateNodes += executed.write.stateNodes.size;
      for (const r of executed.write.results)
        if (r.receipt.status !== "ok") failed ??= JSON.stringify(r.receipt.error);
      settled += countEvents(
        executed.write.blockEvents.map((e) => e.entry),
        "Settled",
      );
    });
    const groupA = new Signers(chain, carriers.slice(0, CARRIERS));
    const groupB = new Signers(chain, carriers.slice(CARRIERS));
    const buyerTxs = new Signers(chain, buyers);
    // Blocks that are only measured are never committed: their signers start from the committed sequences.
    const uncommitted = () => new Signers(chain, carriers.slice(0, CARRIERS));
    let opened = 0;

    /** Submits `txs` (admission: decoding, signature, precheck) and commits them `perBlock` at a time; ms. */
    const commitBlocks = async (
      txs: readonly SignedTx[],
      perBlock = CAPTURES_PER_BLOCK,
      nodes?: { n: number },
    ) => {
      const start = performance.now();
      const nodesBefore = stateNodes;
      for (let i = 0; i < txs.length; i += perBlock) {
        const outcomes = await chain.submit(...txs.slice(i, i + perBlock));
        const refused = outcomes.find((o) => !o.accepted);
        if (refused && !refused.accepted) throw new Error(`not admitted: ${refused.error.message}`);
        now += 1_000;
        await chain.produceBlock(now);
        if (failed) throw new Error(`transaction failed: ${failed}`);
      }
      if (nodes) nodes.n += stateNodes - nodesBefore;
      return performance.now() - start;
    };
    /** Signed captures of receiving events, `perDoc` events (one per SSCC) per transaction. */
    const captures = (ssccs: readonly number[], perDoc: number, signers: Signers) => {
      const txs: SignedTx[] = [];
      for (let i = 0; i < ssccs.length; i += perDoc)
        txs.push(signers.tx("trace", "capture", { document: receivingDoc(ssccs.slice(i, i + perDoc)) }));
      return txs;
    };
    let unwatched = UNWATCHED;
    const unwatchedRange = (count: number) => {
      unwatched += count;
      return range(unwatched - count, count);
    };

    // settleBlock timed inside the real executor: the default modules, escrow's endBlock wrapped.
    let endBlockMs = 0;
    const timedEscrow: Module = {
      ...escrowModule,
      endBlock: (ctx) => {
        const t = performance.now();
        escrowModule.endBlock?.(ctx);
        endBlockMs += performance.now() - t;
      },
    };
    const registry = new ModuleRegistry(
      defaultModules.map((m) => (m.name === escrowModule.name ? timedEscrow : m)),
    );
    /** Executes one block of `txs` at `time` on the head state, uncommitted: medians of `runs`. */
    const measure = (
      label: string,
      txs: readonly SignedTx[],
      time: number,
      expect: { type: string; count: number },
      runs = 7,
    ): EndBlockCase => {
      const decoded: DecodedTx[] = txs.map((t) => decodeTx(t));
      const head = chain.store.head();
      if (!head) throw new Error("no head");
      const input = {
        height: head.height + 1,
        time,
        proposer: addressOf(validator),
        previousBlockHash: head.blockHash,
        lastCommit: head.commit,
        stateRoot: head.stateRoot,
        logSize: head.logSize,
      };
      const ends: number[] = [];
      const blocks: number[] = [];
      let events = 0;
      let keysWritten = 0;
      for (let r = 0; r < runs + 2; r++) {
        endBlockMs = 0;
        const t = performance.now();
        const { write } = executeBlock(genesis, registry, chain.store, input, decoded, "propose");
        const ms = performance.now() - t;
        const bad = write.results.find((x) => x.receipt.status !== "ok");
        if (bad || write.results.length !== txs.length)
          throw new Error(`${label}: ${JSON.stringify(bad?.receipt)}`);
        const got = countEvents(
          write.blockEvents.map((e) => e.entry),
          expect.type,
        );
        if (got !== expect.count)
          throw new Error(`${label}: ${got} ${expect.type}, expected ${expect.count}`);
        events = write.results.reduce(
          (n, x) =>
            n + x.events.filter((e) => e.entry.module === "trace" && e.entry.type === "EventCaptured").length,
          0,
        );
        keysWritten = write.stateChanges.length;
        if (r < 2) continue; // warm-up
        ends.push(endBlockMs * 1000);
        blocks.push(ms);
      }
      return {
        label,
        openEscrows: opened,
        events,
        closed: expect.count,
        endBlockUs: median(ends),
        blockMs: median(blocks),
        keysWritten,
      };
    };
    const none = { type: "ConditionMet", count: 0 };

    const committed: CommittedCase[] = [];
    const endBlock: EndBlockCase[] = [];

    // Warm-up (JIT, LMDB), then the same captures on the chain before any escrow was opened.
    await commitBlocks(captures(unwatchedRange(3 * CAPTURES_PER_BLOCK), 1, groupA));
    const blocks = Math.ceil(committedTxs / CAPTURES_PER_BLOCK);
    const firstNodes = { n: 0 };
    const firstMs = await commitBlocks(
      captures(unwatchedRange(committedTxs), 1, groupA),
      CAPTURES_PER_BLOCK,
      firstNodes,
    );
    committed.push({
      label: "before any escrow was opened",
      txs: committedTxs,
      txPerSec: committedTxs / (firstMs / 1000),
      settled: 0,
      stateNodesPerBlock: firstNodes.n / blocks,
    });

    // Open escrows in three steps; after each, blocks of captures about none of them.
    let openMs = 0;
    for (const target of [100, 1000, openEscrows]) {
      const txs: SignedTx[] = [];
      for (; opened < target; opened++) {
        const buyer = buyers[opened % BUYERS] as KeyPair;
        const seller = sellers[opened % sellers.length] as string;
        txs.push(buyerTxs.tx("escrow", "open", openArgs(opened, seller), buyer));
      }
      openMs += await commitBlocks(txs, OPENS_PER_BLOCK);
      endBlock.push(measure("no transactions", [], now + 1_000, none));
      const n = EVENTS_PER_DOC * 20;
      endBlock.push(
        measure(
          `${n} events about no escrow`,
          captures(unwatchedRange(n), EVENTS_PER_DOC, uncommitted()),
          now + 1_000,
          none,
        ),
      );
    }

    // Receiving events, each settling one escrow (documents of 50 events).
    for (const n of [100, 1000]) {
      endBlock.push(
        measure(
          `${n} events, each settles one escrow`,
          captures(range(1, n), EVENTS_PER_DOC, uncommitted()),
          now + 1_000,
          {
            type: "Settled",
            count: n,
          },
        ),
      );
    }
    // The deadline sweep: every 5th escrow's deadline is in [SWEEP_FROM, SWEEP_FROM + 10 min).
    const due = range(0, opened).filter((i) => i % SWEEP_EVERY === 0).length;
    endBlock.push(
      measure(`deadlines of ${due} escrows passed`, [], SWEEP_FROM + 11 * MINUTE, {
        type: "Refunded",
        count: due,
      }),
    );

    // Committed, one receiving event per transaction: blocks about no escrow and blocks settling one
    // escrow per transaction, interleaved so both see the same chain size and machine load. One pair
    // first, untimed: the measurements above leave garbage and cold caches behind.
    const warm = CAPTURES_PER_BLOCK;
    if (committedTxs + warm >= opened) throw new Error(`${committedTxs} settlements need more open escrows`);
    await commitBlocks(captures(unwatchedRange(warm), 1, groupA));
    await commitBlocks(captures(range(committedTxs + 1, warm), 1, groupB));
    const plain = captures(unwatchedRange(committedTxs), 1, groupA);
    const settling = captures(range(1, committedTxs), 1, groupB);
    let plainMs = 0;
    let settlingMs = 0;
    const plainNodes = { n: 0 };
    const settlingNodes = { n: 0 };
    const before = settled;
    for (let i = 0; i < committedTxs; i += CAPTURES_PER_BLOCK) {
      plainMs += await commitBlocks(plain.slice(i, i + CAPTURES_PER_BLOCK), CAPTURES_PER_BLOCK, plainNodes);
      settlingMs += await commitBlocks(
        settling.slice(i, i + CAPTURES_PER_BLOCK),
        CAPTURES_PER_BLOCK,
        settlingNodes,
      );
    }
    if (settled - before !== committedTxs) throw new Error(`${settled - before} settled of ${committedTxs}`);
    const sample = parseJson(chain.store.getState("escrow/escrow/E-1") as Uint8Array) as { status: string };
    if (sample.status !== "settled") throw new Error(`E-1 is ${sample.status}`);
    committed.push(
      {
        label: `about none of ${fmt(opened)} open escrows`,
        txs: committedTxs,
        txPerSec: committedTxs / (plainMs / 1000),
        settled: 0,
        stateNodesPerBlock: plainNodes.n / blocks,
      },
      {
        label: `each settling one of ${fmt(opened)} open escrows`,
        txs: committedTxs,
        txPerSec: committedTxs / (settlingMs / 1000),
        settled: settled - before,
        stateNodesPerBlock: settlingNodes.n / blocks,
      },
    );
    return {
      openEscrows: opened,
      opensPerSec: opened / (openMs / 1000),
      endBlock,
      committed,
      capturesPerBlock: CAPTURES_PER_BLOCK,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    await chain.close();
  }
}

const fmt = (n: number) => Math.round(n).toLocaleString("en-US");

/** The tables run.ts prints, beside Ed25519 verifications/s (one core) measured in the same run. */
export function printEscrow(r: EscrowBenchResult, ed: number): void {
  const edUs = 1e6 / ed;
  console.log(
    `\n## Escrow: end-of-block evaluation and committed settlements (one node in process, LMDB, one thread; ${fmt(r.seconds)} s)`,
  );
  console.log(
    `${fmt(r.openEscrows)} escrows opened by signed escrow.open: ${fmt(r.opensPerSec)} committed opens/s`,
  );
  console.log("\nsettleBlock timed inside executeBlock, on the head state, not committed (median of 7)");
  console.log(
    "open escrows | block                                  | events | closed | endBlock µs | µs / event or closed | executeBlock ms | keys written | Ed25519, one core",
  );
  for (const c of r.endBlock) {
    const per = c.closed > 0 ? c.endBlockUs / c.closed : c.events > 0 ? c.endBlockUs / c.events : undefined;
    console.log(
      `${fmt(c.openEscrows).padStart(12)} | ${c.label.padEnd(38)} | ${fmt(c.events).padStart(6)} | ${fmt(c.closed).padStart(6)} | ${fmt(c.endBlockUs).padStart(11)} | ${(per === undefined ? "" : per.toFixed(1)).padStart(20)} | ${c.blockMs.toFixed(1).padStart(15)} | ${fmt(c.keysWritten).padStart(12)} | ${edUs.toFixed(0)} µs per verification`,
    );
  }
  const [first, plain, settling] = r.committed;
  console.log(
    `\ncommitted trace.capture txs of one receiving event each, ${r.capturesPerBlock} per block: admission (signature checked on this thread), execution, LMDB commit`,
  );
  console.log(
    "captures                                          | committed tx/s | settlements/s | vs before escrows | state-tree nodes / block | Ed25519 limit, one core",
  );
  for (const c of r.committed) {
    const pct = first ? ((c.txPerSec - first.txPerSec) / first.txPerSec) * 100 : Number.NaN;
    console.log(
      `${c.label.padEnd(49)} | ${fmt(c.txPerSec).padStart(14)} | ${(c.settled > 0 ? fmt(c.txPerSec) : "").padStart(13)} | ${`${pct >= 0 ? "+" : ""}${pct.toFixed(0)} %`.padStart(17)} | ${fmt(c.stateNodesPerBlock).padStart(24)} | ${fmt(ed)} verifications/s`,
    );
  }
  if (plain && settling) {
    const extraUs = 1e6 / settling.txPerSec - 1e6 / plain.txPerSec;
    console.log(
      `settling costs ${fmt(((plain.txPerSec - settling.txPerSec) / plain.txPerSec) * 100)} % of capture throughput at the same chain size: +${fmt(extraUs)} µs per settlement end to end (${(extraUs / edUs).toFixed(1)} Ed25519 verifications)`,
    );
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const ed = verificationsPerSecond("ed25519");
  const escrows = Number(process.env.WEFT_BENCH_ESCROWS ?? 10_000);
  printEscrow(await benchEscrow(escrows, Number(process.env.WEFT_BENCH_ESCROW_TXS ?? 5000)), ed);
}
