/**
 * Random token and escrow operations — valid and invalid — through the real executor (MemChain,
 * defaultModules, an open chain), driven by a seeded PRNG so every run is the same. After every
 * block the ledger's invariants must hold:
 *
 * - each asset's supply is the sum of its balances; no balance is negative; held ≤ balance;
 * - an account's held total is the sum of its holds, and equals the remaining amounts of its
 *   non-final escrows plus its other holds; a non-final escrow's hold holds exactly what it has
 *   not paid out; a final escrow has no hold left and never changes again;
 * - each milestone is released at most once, and a closed milestone never changes;
 * - the seller received exactly the toSeller of its released milestones and decisions, and every
 *   unit an escrow paid out or gave back is accounted for;
 * - an open escrow's deadline has not passed; the wait index lists exactly the non-final escrows;
 * - a failed transaction changes nothing but its signer's sequence.
 */
import { addressOf, defaultChainParams, type Genesis, type KeyPair, keyPairFromSecret } from "@weft/core";
import { describe, expect, it } from "vitest";
import { moduleAccount } from "../../src/app/module-account.js";
import { BPS, MAX_TERM_MS } from "../../src/modules/escrow/schema.js";
import { type Escrow, FINAL, waitKey } from "../../src/modules/escrow/state.js";
import { defaultModules } from "../../src/modules/index.js";
import type { Asset, Hold } from "../../src/modules/token/state.js";
import { BUYER_GLN, po, SELLER_GLN, sscc } from "./support/escrow-docs.js";
import { type BlockOutcome, MemChain } from "./support/mem-chain.js";

const T0 = 1_700_000_000_000;
const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;
const RUNS = 8;
const TXS_PER_RUN = 1_300;

const KEYS: KeyPair[] = Array.from({ length: 5 }, (_, i) =>
  keyPairFromSecret("ed25519", (0xe5c70 + i).toString(16).padStart(64, "0")),
);
const ADDRS = KEYS.map((k) => addressOf(k));
const ASSETS = ["F1", "F2"];
const ESCROW = moduleAccount("escrow");
const USER_HOLDS = ["h1", "h2", "h3", "h4"];
const OTHER_GLN = "urn:epc:id:sgln:9520003.00001.0";
const BUYER_GLN_DL = "https://id.gs1.org/414/9520002000019";
/** sscc(1) as a Digital Link: the same shipment key as its URN. */
const SSCC1_DL = "https://id.gs1.org/00/095200010000000010";
const SHIPMENTS = [sscc(1), sscc(2), sscc(3), sscc(4), po(1)];
const INV = "urn:epcglobal:cbv:bt:9520001000012:INV-1";
const CLAIMS = ["inspected", "weighed"];

const genesis: Genesis = {
  chainId: "weft-escrow-props",
  genesisTime: T0,
  validators: [
    {
      address: ADDRS[0] as string,
      publicKey: { alg: (KEYS[0] as KeyPair).alg, publicKey: (KEYS[0] as KeyPair).publicKey },
      power: 1,
      name: "v0",
    },
  ],
  params: { ...defaultChainParams },
  appState: {
    token: {
      assets: [
        { id: "F1", name: "Fungible one", decimals: 2, issuer: ADDRS[0] as string },
        { id: "F2", name: "Fungible two", decimals: 0, issuer: ADDRS[1] as string },
      ],
      balances: [
        ...ADDRS.map((address) => ({ asset: "F1", address, amount: "3000" })),
        { asset: "F2", address: ADDRS[2] as string, amount: "2000" },
        { asset: "F2", address: ADDRS[3] as string, amount: "500" },
      ],
    },
  },
};

/** mulberry32: a small seeded PRNG (no Math.random: every run is reproducible). */
class Rng {
  private a: number;
  constructor(seed: number) {
    this.a = seed >>> 0;
  }
  next(): number {
    this.a = (this.a + 0x6d2b79f5) >>> 0;
    let t = this.a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  }
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.next() * list.length)] as T;
  }
  weighted<T>(table: readonly (readonly [T, number])[]): T {
    const total = table.reduce((s, [, w]) => s + w, 0);
    let x = this.next() * total;
    for (const [v, w] of table) {
      x -= w;
      if (x < 0) return v;
    }
    return (table[table.length - 1] as readonly [T, number])[0];
  }
  subset<T>(list: readonly T[], min: number): T[] {
    const out = list.filter(() => this.chance(0.5));
    while (out.length < min) {
      const x = this.pick(list);
      if (!out.includes(x)) out.push(x);
    }
    return out;
  }
}

class InvariantError extends Error {}
function check(ok: boolean, message: () => string): asserts ok {
  if (!ok) throw new InvariantError(message());
}

interface Tx {
  signer: KeyPair;
  module: string;
  method: string;
  args: Record<string, unknown>;
}

const remaining = (e: Escrow) =>
  e.milestones.reduce((s, m) => (m.status === "pending" ? s + BigInt(m.amount) : s), 0n);

/** One seeded run: a fresh chain, TXS_PER_RUN random transactions in blocks, time ticks and jumps. */
class Run {
  readonly chain = new MemChain(genesis, defaultModules);
  readonly r: Rng;
  time = T0;
  eventSeq = 0;
  nextEscrow = 0;
  /** Every escrow opened; the ones not final yet. */
  readonly escrows: string[] = [];
  readonly live = new Set<string>();
  readonly finals = new Set<string>();
  /** Holds placed by transactions (not by an escrow) that still exist. */
  readonly userHolds = new Set<string>();
  /** Per escrow: paid to the seller, and everything that left its hold (released or cancelled). */
  readonly toSeller = new Map<string, bigint>();
  readonly out = new Map<string, bigint>();
  readonly released = new Set<string>();
  /** Last seen copy of each escrow's closed milestones. */
  readonly closed = new Map<string, string>();
  readonly stats: Record<string, number> = {};
  txs = 0;
  blocks = 0;
  op = "";

  constructor(readonly seed: number) {
    this.r = new Rng(seed);
  }

  count(key: string) {
    this.stats[key] = (this.stats[key] ?? 0) + 1;
  }

  get(key: string) {
    return this.chain.get(key);
  }
  escrow(id: string) {
    return this.get(`escrow/escrow/${id}`) as unknown as Escrow | undefined;
  }
  amountOf(key: string): bigint {
    const v = this.get(key) as string | undefined;
    return v === undefined ? 0n : BigInt(v);
  }

  exec() {
    // N1: an NFT asset an escrow must refuse.
    const setup: Tx = {
      signer: KEYS[0] as KeyPair,
      module: "token",
      method: "createAsset",
      args: { asset: "N1", name: "Serials", decimals: 0, kind: "nft" },
    };
    this.invariants(this.block([setup], 1_000), [setup]);
    while (this.txs < TXS_PER_RUN) {
      const what = this.r.weighted([
        ["block", 86],
        ["tick", 10],
        ["jump", 4],
      ] as const);
      if (what === "block") {
        const n = this.r.chance(0.85) ? 1 : this.r.int(2, 4);
        const txs = Array.from({ length: n }, () => this.genTx());
        this.op = txs.map((t) => `${t.module}.${t.method} ${JSON.stringify(t.args)}`).join(" | ");
        const outcome = this.block(txs);
        this.txs += n;
        this.invariants(outcome, txs);
      } else {
        const dt = what === "tick" ? this.r.int(1_000, 10 * MINUTE) : this.r.int(HOUR, 2 * DAY);
        this.op = `${what} +${dt} ms`;
        this.count(what);
        const outcome = this.block([], dt);
        this.invariants(outcome, []);
      }
    }
  }

  /** Transactions run in a block at the time of the last one: only ticks and jumps move time. */
  block(txs: Tx[], dt = 0): BlockOutcome {
    this.time += dt;
    this.blocks += 1;
    const signed = txs.map((t) => this.chain.tx(t.signer, t.module, t.method, t.args));
    return this.chain.block(this.time, signed);
  }

  // ---- operations ---------------------------------------------------------------------------

  addr(): string {
    return this.r.pick(ADDRS);
  }
  key(address?: string): KeyPair {
    const i = address === undefined ? -1 : ADDRS.indexOf(address);
    return i >= 0 ? (KEYS[i] as KeyPair) : this.r.pick(KEYS);
  }
  amount(max: number): string {
    return this.r.weighted([
      [String(this.r.int(1, max)), 95],
      ["0", 3],
      ["1000000000", 2],
    ] as const);
  }
  fAsset(): string {
    return this.r.weighted([
      ["F1", 80],
      ["F2", 17],
      ["N1", 3],
    ] as const);
  }
  /** An escrow id: mostly a live one. */
  escrowId(liveShare = 0.85): string {
    if (this.live.size > 0 && this.r.chance(liveShare)) return this.r.pick([...this.live]);
    if (this.escrows.length > 0 && this.r.chance(0.8)) return this.r.pick(this.escrows);
    return "E-none";
  }

  genTx(): Tx {
    const kind = this.r.weighted([
      ["mint", 4],
      ["transfer", 6],
      ["burn", 1],
      ["hold", 4],
      ["releaseHold", 3],
      ["cancelHold", 2],
      ["open", 14],
      ["capture", 24],
      ["attest", 6],
      ["dispute", 5],
      ["resolve", 6],
      ["cancel", 3],
    ] as const);
    const smart = this.r.chance(0.75);
    const token = (signer: KeyPair, method: string, args: Record<string, unknown>): Tx => ({
      signer,
      module: "token",
      method,
      args,
    });
    const escrow = (signer: KeyPair, method: string, args: Record<string, unknown>): Tx => ({
      signer,
      module: "escrow",
      method,
      args,
    });
    switch (kind) {
      case "mint": {
        const asset = this.fAsset();
        const issuer = (this.get(`token/asset/${asset}`) as Asset | undefined)?.issuer;
        return token(smart ? this.key(issuer) : this.key(), "mint", {
          asset,
          to: this.addr(),
          amount: this.amount(500),
        });
      }
      case "transfer":
        return token(this.key(), "transfer", {
          asset: this.fAsset(),
          to: this.addr(),
          amount: this.amount(800),
        });
      case "burn":
        return token(this.key(), "burn", { asset: this.fAsset(), amount: this.amount(100) });
      case "hold": {
        // Now and then a hold on an escrow's future (or past) hold id.
        const holdId = this.r.chance(0.95)
          ? this.r.pick(USER_HOLDS)
          : `escrow:E${this.nextEscrow + this.r.int(-2, 2)}`;
        const args: Record<string, unknown> = { asset: this.fAsset(), amount: this.amount(400), holdId };
        if (this.r.chance(0.2)) args.controller = this.addr();
        if (this.r.chance(0.2)) args.beneficiary = this.addr();
        return token(this.key(), "hold", args);
      }
      case "releaseHold":
      case "cancelHold": {
        const ofEscrow = this.live.size > 0 && this.r.chance(0.4);
        const holdId = ofEscrow
          ? `escrow:${this.r.pick([...this.live])}`
          : this.r.pick([...USER_HOLDS, ...this.userHolds]);
        const h = this.get(`token/hold/${holdId}`) as Hold | undefined;
        // The escrow's controller has no key: its buyer or seller tries.
        const e = ofEscrow ? this.escrow(holdId.slice("escrow:".length)) : undefined;
        const who = e ? this.r.pick([e.buyer, e.seller]) : h ? (h.controller ?? h.owner) : undefined;
        const signer = smart ? this.key(who) : this.key();
        if (kind === "cancelHold") return token(signer, "cancelHold", { holdId });
        const args: Record<string, unknown> = { holdId, to: this.addr() };
        if (this.r.chance(0.5)) args.amount = this.amount(200);
        return token(signer, "releaseHold", args);
      }
      case "open":
        return this.genOpen();
      case "capture":
        return {
          signer: this.key(),
          module: "trace",
          method: "capture",
          args: { document: this.genEvent() },
        };
      case "attest": {
        const id = this.escrowId();
        const e = this.escrow(id);
        const listed = e
          ? e.milestones.flatMap((m) =>
              m.conditions.flatMap((c) => ("attestations" in c ? [c.attestations] : [])),
            )
          : [];
        if (smart && listed.length > 0) {
          const a = this.r.pick(listed);
          return escrow(this.key(this.r.pick(a.from)), "attest", { id, claim: a.claim });
        }
        return escrow(this.key(), "attest", { id, claim: this.r.pick(CLAIMS) });
      }
      case "dispute": {
        const id = this.escrowId();
        const e = this.escrow(id);
        const signer = smart && e ? this.key(this.r.pick([e.buyer, e.seller])) : this.key();
        return escrow(signer, "dispute", { id, reason: "random dispute" });
      }
      case "resolve": {
        const frozen = [...this.live].filter((id) => this.escrow(id)?.status !== "open");
        const id = frozen.length > 0 && this.r.chance(0.7) ? this.r.pick(frozen) : this.escrowId();
        const e = this.escrow(id);
        const signer = smart && e?.arbiter ? this.key(e.arbiter) : this.key();
        const args: Record<string, unknown> = this.r.weighted([
          [{ id, sellerBps: this.r.int(0, BPS) }, 70],
          [{ id, resume: true }, 25],
          [{ id }, 2],
          [{ id, sellerBps: 5_000, resume: true }, 3],
        ] as const);
        return escrow(signer, "resolve", args);
      }
      case "cancel": {
        const id = this.escrowId();
        const e = this.escrow(id);
        return escrow(smart && e ? this.key(e.seller) : this.key(), "cancel", { id });
      }
    }
  }

  genCondition(): Record<string, unknown> {
    return this.r.weighted<Record<string, unknown>>([
      [{ event: { bizStep: "receiving", bizLocation: BUYER_GLN } }, 30],
      [{ event: { bizStep: "urn:epcglobal:cbv:bizstep:receiving", bizLocation: BUYER_GLN_DL } }, 5],
      [{ event: { bizStep: "shipping" } }, 15],
      [{ event: { bizStep: "inspecting", readPoint: BUYER_GLN } }, 5],
      [{ document: { type: "desadv" } }, 10],
      [{ document: { type: "urn:epcglobal:cbv:btt:inv", id: INV } }, 8],
      [
        {
          attestations: (() => {
            const from = this.r.subset(ADDRS, 1);
            return { claim: this.r.pick(CLAIMS), k: this.r.int(1, Math.min(2, from.length)), from };
          })(),
        },
        15,
      ],
      // Rule breakers, now and then.
      [{ event: {} }, 1],
      [{ attestations: { claim: "inspected", k: 2, from: [ADDRS[0]] } }, 1],
    ]);
  }

  genOpen(): Tx {
    const buyer = this.key();
    const others = ADDRS.filter((a) => a !== addressOf(buyer));
    const seller = this.r.chance(0.98) ? this.r.pick(others) : addressOf(buyer);
    const deadline = this.r.weighted([
      [this.time + this.r.int(MINUTE, 3 * DAY), 96],
      [this.time - this.r.int(0, HOUR), 2],
      [this.time + MAX_TERM_MS + this.r.int(1, DAY), 2],
    ] as const);
    const n = this.r.int(1, 3);
    const shares: number[] = [];
    let left = BPS;
    for (let i = 0; i < n - 1; i++) {
      const s = this.r.int(1, left - (n - 1 - i));
      shares.push(s);
      left -= s;
    }
    shares.push(left);
    if (this.r.chance(0.03)) shares[0] = (shares[0] as number) + (this.r.chance(0.5) ? 1 : -1) || 2;
    const milestones = shares.map((shareBps, i) => {
      const m: Record<string, unknown> = {
        name: this.r.chance(0.02) ? "m" : `m${i}`,
        shareBps,
        conditions: Array.from({ length: this.r.int(1, 2) }, () => this.genCondition()),
      };
      if (this.r.chance(0.4)) {
        m.dueBy = this.r.chance(0.97) ? this.r.int(this.time - HOUR, deadline) : deadline + 1;
      }
      return m;
    });
    const shipment = this.r.subset(SHIPMENTS, 1).slice(0, 3);
    // sscc(1) spelled as a Digital Link now and then (twice over: a duplicate, refused).
    if (shipment[0] === sscc(1) && this.r.chance(0.3)) shipment[0] = SSCC1_DL;
    if (this.r.chance(0.02)) shipment.push(SSCC1_DL, sscc(1));
    const args: Record<string, unknown> = {
      id:
        this.r.chance(0.03) && this.escrows.length > 0 ? this.r.pick(this.escrows) : `E${this.nextEscrow++}`,
      seller,
      asset: this.fAsset(),
      amount: this.amount(500),
      shipment:
        [...new Set(shipment)].length === shipment.length || this.r.chance(0.5) ? shipment : [sscc(2)],
      milestones,
      deadline,
    };
    const penalties: Record<string, number> = {};
    if (this.r.chance(0.4)) penalties.latePerDayBps = this.r.int(0, 2_000);
    if (this.r.chance(0.2)) penalties.lateCapBps = this.r.int(0, BPS);
    const onAlarm = this.r.weighted([
      [undefined, 50],
      ["hold", 20],
      ["penalty", 30],
    ] as const);
    if (onAlarm === "penalty" && this.r.chance(0.95)) penalties.excursionBps = this.r.int(1, 5_000);
    if (Object.keys(penalties).length > 0) args.penalties = penalties;
    if (onAlarm) args.quality = { onAlarm };
    if (this.r.chance(0.6))
      args.arbiter = this.r.chance(0.95) ? this.r.pick(others.filter((a) => a !== seller)) : seller;
    return { signer: buyer, module: "escrow", method: "open", args };
  }

  genEvent(): string {
    this.eventSeq += 1;
    const time = new Date(Date.UTC(2026, 0, 1) + this.eventSeq * 1_000).toISOString();
    const location = this.r.weighted([
      [BUYER_GLN, 45],
      [BUYER_GLN_DL, 10],
      [SELLER_GLN, 25],
      [OTHER_GLN, 20],
    ] as const);
    const shipment = this.r.pick(SHIPMENTS);
    const epc =
      shipment === po(1)
        ? sscc(this.r.int(5, 6))
        : shipment === sscc(1) && this.r.chance(0.3)
          ? SSCC1_DL
          : shipment;
    const event: Record<string, unknown> = {
      type: "ObjectEvent",
      eventTime: time,
      eventTimeZoneOffset: "+00:00",
      epcList: [epc],
      action: "OBSERVE",
      bizStep: this.r.weighted([
        ["receiving", 40],
        ["shipping", 30],
        ["inspecting", 15],
        ["arriving", 15],
      ] as const),
      readPoint: { id: location },
      bizLocation: { id: location },
    };
    if (this.r.chance(0.2)) {
      event.disposition = this.r.weighted([
        ["in_transit", 30],
        ["conformant", 30],
        ["non_conformant", 25],
        ["damaged", 15],
      ] as const);
    }
    const docs: { type: string; bizTransaction: string }[] = [];
    if (shipment === po(1) || this.r.chance(0.1)) docs.push({ type: "po", bizTransaction: po(1) });
    if (this.r.chance(0.2))
      docs.push({ type: "desadv", bizTransaction: "urn:epcglobal:cbv:bt:9520001000012:D-1" });
    if (this.r.chance(0.15)) {
      docs.push({
        type: "inv",
        bizTransaction: this.r.chance(0.7) ? INV : "urn:epcglobal:cbv:bt:9520001000012:INV-2",
      });
    }
    if (docs.length > 0) event.bizTransactionList = docs;
    if (this.r.chance(0.06)) {
      event.sensorElementList = [
        {
          sensorMetadata: { time },
          sensorReport: [{ type: "gs1:Temperature", value: 12.5, uom: "CEL", exception: "ALARM_CONDITION" }],
        },
      ];
    }
    if (this.r.chance(0.04)) event.errorDeclaration = { declarationTime: time, reason: "incorrect_data" };
    return JSON.stringify({
      "@context": ["https://ref.gs1.org/standards/epcis/epcis-context.jsonld"],
      type: "EPCISDocument",
      schemaVersion: "2.0",
      creationDate: time,
      epcisBody: { eventList: [event] },
    });
  }

  // ---- invariants ---------------------------------------------------------------------------

  where(): string {
    return `seed ${this.seed}, block ${this.chain.height} (t=${this.time - T0}), after: ${this.op.slice(0, 600)}`;
  }

  invariants(out: BlockOutcome, txs: Tx[]): void {
    const at = () => this.where();
    // Receipts: a failed transaction emits nothing; alone in its block it changes only its sequence.
    out.receipts.forEach((receipt, i) => {
      const t = txs[i] as Tx;
      const name = `${t.module}.${t.method}`;
      if (receipt.status === "ok") {
        this.count(`ok:${name}`);
      } else {
        this.count(receipt.error?.code ?? "?");
        if (process.env.ESCROW_PROPS_VERBOSE)
          this.count(`why:${receipt.error?.message.replace(/[0-9a-f]{6,}|[0-9]+/g, "#")}`);
        check(out.txEvents[i]?.length === 0, () => `failed ${name} emitted events; ${at()}`);
        if (txs.length === 1) {
          const seq = `auth/sequence/${addressOf(t.signer)}`;
          check(
            out.changedKeys.length === 1 && out.changedKeys[0] === seq && out.blockEvents.length === 0,
            () => `failed ${name} (${receipt.error?.code}) changed ${out.changedKeys.join(", ")}; ${at()}`,
          );
        }
      }
    });
    // What the block's events say moved.
    for (const [i, events] of out.txEvents.entries()) {
      const isOpen = txs[i]?.module === "escrow" && txs[i]?.method === "open";
      for (const e of events) {
        const id = e.attributes.escrowId as string;
        if (e.module === "escrow") this.count(`event:${e.type}`);
        if (e.module === "escrow" && e.type === "Opened") {
          this.escrows.push(id);
          this.live.add(id);
          this.toSeller.set(id, 0n);
          this.out.set(id, 0n);
        }
        if (e.module === "token" && e.type === "HoldPlaced" && !isOpen)
          this.userHolds.add(e.attributes.holdId as string);
        if (e.module === "token" && (e.type === "HoldReleased" || e.type === "HoldCancelled")) {
          const holdId = e.attributes.holdId as string;
          check(
            !(holdId.startsWith("escrow:") && this.live.has(holdId.slice(7))),
            () => `a transaction moved escrow hold ${holdId}; ${at()}`,
          );
        }
      }
    }
    for (const e of out.blockEvents) {
      if (e.module === "token") {
        const holdId = e.attributes.holdId as string;
        check(holdId.startsWith("escrow:"), () => `end of block moved ${holdId}; ${at()}`);
        const id = holdId.slice(7);
        check(this.live.has(id), () => `end of block moved the hold of ${id}, not a live escrow; ${at()}`);
        const amount = BigInt(e.attributes.amount as string);
        this.out.set(id, (this.out.get(id) ?? 0n) + amount);
        if (e.type === "HoldReleased") {
          const esc = this.escrow(id) as Escrow;
          if (e.attributes.to === esc.seller) this.toSeller.set(id, (this.toSeller.get(id) ?? 0n) + amount);
          else check(e.attributes.to === esc.buyer, () => `escrow ${id} paid a third party; ${at()}`);
        }
      } else if (e.module === "escrow" && e.type === "Released") {
        const k = `${e.attributes.escrowId}/${e.attributes.milestone}`;
        check(!this.released.has(k), () => `milestone ${k} released twice; ${at()}`);
        this.released.add(k);
        this.count("released");
      } else if (e.module === "escrow") {
        this.count(`event:${e.type}`);
      }
    }
    // A final escrow never changes again; no balance appears for an unknown account.
    for (const k of out.changedKeys) {
      if (k.startsWith("escrow/escrow/")) {
        const id = k.slice("escrow/escrow/".length);
        check(!this.finals.has(id), () => `final escrow ${id} changed; ${at()}`);
      } else if (k.startsWith("token/balance/") || k.startsWith("token/held/")) {
        const address = k.split("/")[3] as string;
        check(ADDRS.includes(address), () => `${k}: an account nobody has; ${at()}`);
      }
    }
    // User holds that are gone.
    for (const id of this.userHolds)
      if (this.get(`token/hold/${id}`) === undefined) this.userHolds.delete(id);

    // Escrows: every live one (and those that closed in this block).
    const escrowHeld = new Map<string, bigint>();
    for (const id of [...this.live]) {
      const e = this.escrow(id) as Escrow;
      check(e !== undefined, () => `escrow ${id} vanished; ${at()}`);
      this.checkEscrow(e, at);
      if (FINAL.has(e.status)) {
        this.live.delete(id);
        this.finals.add(id);
        this.count(`final:${e.status}`);
      } else {
        const k = `${e.asset}/${e.buyer}`;
        escrowHeld.set(k, (escrowHeld.get(k) ?? 0n) + remaining(e));
      }
    }

    // Tokens.
    for (const asset of ASSETS) {
      const a = this.get(`token/asset/${asset}`) as unknown as Asset;
      let sum = 0n;
      for (const who of ADDRS) {
        const bal = this.get(`token/balance/${asset}/${who}`) as string | undefined;
        const held = this.get(`token/held/${asset}/${who}`) as string | undefined;
        check(
          bal === undefined || /^[1-9][0-9]*$/.test(bal),
          () => `balance ${asset}/${who} = ${bal}; ${at()}`,
        );
        check(
          held === undefined || /^[1-9][0-9]*$/.test(held),
          () => `held ${asset}/${who} = ${held}; ${at()}`,
        );
        const b = BigInt(bal ?? "0");
        const h = BigInt(held ?? "0");
        check(h <= b, () => `held ${h} > balance ${b} of ${asset}/${who}; ${at()}`);
        let others = 0n;
        for (const id of this.userHolds) {
          const hold = this.get(`token/hold/${id}`) as Hold | undefined;
          if (hold && hold.owner === who && hold.asset === asset) others += BigInt(hold.amount);
        }
        const escrows = escrowHeld.get(`${asset}/${who}`) ?? 0n;
        check(
          h === escrows + others,
          () => `held ${asset}/${who} = ${h}, escrows ${escrows} + other holds ${others}; ${at()}`,
        );
        sum += b;
      }
      check(
        sum.toString() === a.supply,
        () => `supply of ${asset} ${a.supply} != Σ balances ${sum}; ${at()}`,
      );
    }
  }

  checkEscrow(e: Escrow, at: () => string): void {
    const id = e.id;
    check(e.pending === null, () => `escrow ${id} has a decision pending after its block; ${at()}`);
    const total = e.milestones.reduce((s, m) => s + BigInt(m.amount), 0n);
    check(total.toString() === e.amount, () => `escrow ${id}: milestones add up to ${total}; ${at()}`);
    const left = remaining(e);
    const hold = this.get(`token/hold/escrow:${id}`) as Hold | undefined;
    const final = FINAL.has(e.status);
    if (final) {
      check(
        hold === undefined,
        () => `final escrow ${id} (${e.status}) still holds ${hold?.amount}; ${at()}`,
      );
      check(left === 0n, () => `final escrow ${id} has pending milestones; ${at()}`);
    } else {
      check(
        hold !== undefined &&
          hold.amount === left.toString() &&
          hold.owner === e.buyer &&
          hold.asset === e.asset &&
          hold.controller === ESCROW,
        () =>
          `escrow ${id} (${e.status}) remaining ${left}, hold ${JSON.stringify(hold)}: ${JSON.stringify(e).slice(0, 3_000)}; ${at()}`,
      );
      check(left > 0n, () => `non-final escrow ${id} has nothing pending; ${at()}`);
      if (e.status === "open")
        check(e.deadline >= this.time, () => `open escrow ${id} is past its deadline; ${at()}`);
    }
    const statuses = new Set(e.milestones.map((m) => m.status));
    if (e.status === "settled")
      check(statuses.size === 1 && statuses.has("released"), () => `settled ${id}; ${at()}`);
    if (e.status === "refunded" || e.status === "cancelled")
      check(!statuses.has("resolved"), () => `${e.status} ${id} has resolved milestones; ${at()}`);
    if (e.status === "resolved")
      check(!statuses.has("refunded"), () => `resolved ${id} has refunds; ${at()}`);
    // Payouts: the seller got exactly the toSeller of its releases and decisions; every unit is accounted for.
    let seller = 0n;
    for (const m of e.milestones) {
      if (m.status !== "released") continue;
      const s = BigInt(m.toSeller as string);
      const b = BigInt(m.toBuyer as string);
      check(
        s >= 0n && b >= 0n && s + b === BigInt(m.amount),
        () => `milestone ${id}/${m.name} split; ${at()}`,
      );
      check(
        (m.penaltyBps as number) >= 0 && (m.penaltyBps as number) <= BPS,
        () => `milestone ${id}/${m.name} penalty ${m.penaltyBps}; ${at()}`,
      );
      check(
        this.released.has(`${id}/${m.name}`),
        () => `milestone ${id}/${m.name} released silently; ${at()}`,
      );
      seller += s;
    }
    for (const h of e.history) if (h.kind === "resolved") seller += BigInt(h.toSeller as string);
    check(
      this.toSeller.get(id) === seller,
      () => `seller of ${id} got ${this.toSeller.get(id)}, owed ${seller}; ${at()}`,
    );
    check(
      (this.out.get(id) ?? 0n) + left === BigInt(e.amount),
      () => `escrow ${id}: paid out ${this.out.get(id)} + held ${left} != ${e.amount}; ${at()}`,
    );
    // Closed milestones never change.
    const closedNow = JSON.stringify(e.milestones.filter((m) => m.status !== "pending"));
    const before = this.closed.get(id);
    if (before !== undefined) {
      const was = JSON.parse(before) as Escrow["milestones"];
      for (const m of was) {
        const nowM = e.milestones.find((x) => x.name === m.name);
        check(
          JSON.stringify(nowM) === JSON.stringify(m),
          () => `closed milestone ${id}/${m.name} changed; ${at()}`,
        );
      }
    }
    this.closed.set(id, closedNow);
    // The wait index lists exactly the non-final escrows.
    for (const key of e.shipment) {
      const waiting = (this.get(`escrow/${waitKey(key)}`) as string[] | undefined) ?? [];
      check(
        waiting.includes(id) === !final,
        () => `wait index of ${key} and escrow ${id} (${e.status}); ${at()}`,
      );
    }
  }
}

describe("token and escrow invariants under random operations", () => {
  it(`keep every invariant over ${RUNS * TXS_PER_RUN} random transactions with time jumps`, () => {
    const stats: Record<string, number> = {};
    let txs = 0;
    const seeds = process.env.ESCROW_PROPS_SEED
      ? [Number(process.env.ESCROW_PROPS_SEED)]
      : Array.from({ length: RUNS }, (_, i) => 0x5eed + i);
    for (const seed of seeds) {
      const run = new Run(seed);
      run.exec();
      txs += run.txs;
      for (const [k, v] of Object.entries(run.stats)) stats[k] = (stats[k] ?? 0) + v;
    }
    if (process.env.ESCROW_PROPS_VERBOSE) console.log(stats);
    if (process.env.ESCROW_PROPS_SEED) return;
    expect(txs).toBeGreaterThanOrEqual(10_000);
    // The mix reaches every outcome: each method succeeds, escrows end every way, the main refusals occur.
    for (const key of [
      ...["mint", "transfer", "burn", "hold", "releaseHold", "cancelHold"].map((m) => `ok:token.${m}`),
      ...["open", "attest", "dispute", "resolve", "cancel"].map((m) => `ok:escrow.${m}`),
      "ok:trace.capture",
      ...["settled", "refunded", "cancelled", "resolved"].map((s) => `final:${s}`),
      ...["Held", "Excursion", "Resumed", "ConditionMet"].map((t) => `event:${t}`),
      "released",
      "ESCROW_BAD_ARGS",
      "ESCROW_EXISTS",
      "ESCROW_CLOSED",
      "ESCROW_NOT_AUTHORIZED",
      "ESCROW_NOT_ATTESTER",
      "ESCROW_NOT_FROZEN",
      "ESCROW_UNKNOWN",
      "TOKEN_INSUFFICIENT_FUNDS",
      "TOKEN_NOT_AUTHORIZED",
      "TOKEN_HOLD_EXISTS",
    ]) {
      expect(stats[key] ?? 0, key).toBeGreaterThan(0);
    }
  }, 180_000);
});
