/**
 * End-of-block settlement: nobody calls "release". After the block's transactions, the escrows
 * that the block's records concern are evaluated — found through the `wait/` index by the keys
 * the block's EPCIS events name, and through the escrow module's own events (attestations,
 * decisions) — and funds move in the same block, through `token.releaseHold`/`cancelHold` invoked
 * as the escrow module's account. Then deadlines that passed refund the buyer (`due/` buckets,
 * never a scan of open escrows). Deterministic: block order, integer arithmetic, block time.
 *
 * Nothing here may throw: a failed payout is recorded in the escrow's history and the block goes on.
 */
import { WeftError } from "@weft/core";
import type { BlockContext, Call } from "../../app/module.js";
import { identityEnabled } from "../identity/state.js";
import { tokenCalls } from "../token/calls.js";
import { remaining, splitRelease, splitRemaining } from "./payout.js";
import { HOLD_DISPOSITIONS, type TraceRecord, traceRecord } from "./records.js";
import {
  type Attestation,
  attesterFor,
  type Condition,
  DUE_BUCKET_MS,
  DUE_PAGE_SIZE,
  type DueEntry,
  type Escrow,
  EscrowStore,
  FINAL,
  type HistoryEntry,
  type RecordRef,
} from "./state.js";

export const ESCROW_MODULE = "escrow";

export function settleBlock(ctx: BlockContext): void {
  const store = new EscrowStore(ctx.state);
  // No escrow was ever opened: nothing watches anything.
  if (store.cursor() === undefined) return;
  for (const [id, records] of touchedEscrows(ctx, store)) {
    try {
      settleEscrow(ctx, store, id, records);
    } catch (e) {
      // A module bug must not make every node reject the block (the chain would halt): the
      // escrow's record is not written (payouts are all-or-nothing invokes) and the failure is
      // on record as an event.
      ctx.emit("SettlementFailed", { escrowId: id, code: e instanceof WeftError ? e.code : "APP_PANIC" });
    }
  }
  refundDue(ctx, store);
}

/** Escrow ids the block concerns, in the order of the block's records, with the trace records about each. */
function touchedEscrows(ctx: BlockContext, store: EscrowStore): Map<string, TraceRecord[]> {
  const touched = new Map<string, TraceRecord[]>();
  // Escrows opened in this block, by the opening transaction's index: a record of an earlier
  // transaction predates the escrow (as one of an earlier block does) and does not count for it.
  const openedAt = new Map<string, number>();
  for (const te of ctx.txEvents) {
    const id = te.event.attributes.escrowId;
    if (te.event.module === ESCROW_MODULE && te.event.type === "Opened" && typeof id === "string")
      openedAt.set(id, te.txIndex);
  }
  for (const te of ctx.txEvents) {
    if (te.event.module === ESCROW_MODULE) {
      const id = te.event.attributes.escrowId;
      if (typeof id === "string" && !touched.has(id)) touched.set(id, []);
      continue;
    }
    const record = traceRecord(te);
    if (!record) continue;
    const ids = new Set<string>();
    for (const key of record.keys) {
      for (const id of store.waiting(key)) if ((openedAt.get(id) ?? -1) < te.txIndex) ids.add(id);
    }
    for (const id of ids) {
      const list = touched.get(id);
      if (list) list.push(record);
      else touched.set(id, [record]);
    }
  }
  return touched;
}

function settleEscrow(ctx: BlockContext, store: EscrowStore, id: string, records: TraceRecord[]): void {
  const escrow = store.find(id);
  if (!escrow || FINAL.has(escrow.status)) return;
  const log = (entry: Omit<HistoryEntry, "height" | "time">) =>
    escrow.history.push({ height: ctx.height, time: ctx.time, ...entry });

  for (const record of records) {
    observeQuality(ctx, escrow, record, log);
    for (const m of escrow.milestones) {
      if (m.status !== "pending") continue;
      m.conditions.forEach((condition, i) => {
        if (m.satisfied[i] || !matches(condition, record)) return;
        m.satisfied[i] = record.ref;
        log({ kind: "condition", milestone: m.name, condition: i, record: record.ref });
        ctx.emit("ConditionMet", conditionEvent(escrow.id, m.name, i, record.ref));
      });
    }
  }
  countAttestations(ctx, store, escrow, log);

  const pending = escrow.pending;
  if (pending) {
    escrow.pending = null;
    // The decision's transaction is the record of the entry (and of a failed payout).
    const decided: Log = (entry) => log({ ...entry, record: pending.record });
    if (pending.kind === "resolve") decide(ctx, escrow, pending.sellerBps, pending.by, decided);
    else closeAll(ctx, escrow, "cancelled", pending.by, decided);
  } else if (escrow.status === "open") {
    if (ctx.time > escrow.deadline) closeAll(ctx, escrow, "refunded", undefined, log);
    else releaseReady(ctx, escrow, log);
  }
  store.save(escrow);
}

type Log = (entry: Omit<HistoryEntry, "height" | "time">) => void;

function matches(condition: Condition, r: TraceRecord): boolean {
  if ("event" in condition) {
    const c = condition.event;
    return (
      (c.eventType === undefined || c.eventType === r.eventType) &&
      (c.action === undefined || c.action === r.action) &&
      (c.bizStep === undefined || c.bizStep === r.bizStep) &&
      (c.disposition === undefined || c.disposition === r.disposition) &&
      (c.bizLocation === undefined || c.bizLocation === r.bizLocation) &&
      (c.readPoint === undefined || c.readPoint === r.readPoint)
    );
  }
  if ("document" in condition) {
    const c = condition.document;
    return r.bizTransactions.some((bt) => bt.type === c.type && (c.id === undefined || bt.id === c.id));
  }
  return false;
}

/** A non-conformant disposition freezes the escrow; a sensor alarm freezes it or costs the excursion penalty. */
function observeQuality(ctx: BlockContext, escrow: Escrow, record: TraceRecord, log: Log): void {
  const hold = (note: string) => {
    if (escrow.status !== "open") return;
    escrow.status = "held";
    log({ kind: "held", record: record.ref, note });
    ctx.emit("Held", { escrowId: escrow.id, reason: note, eventId: record.ref.eventId ?? "" });
  };
  if (record.disposition !== undefined && HOLD_DISPOSITIONS.has(record.disposition)) {
    hold(`disposition ${record.disposition}`);
  }
  if (!record.alarm) return;
  if (escrow.onAlarm === "hold") {
    hold("sensor report ALARM_CONDITION");
  } else if (escrow.excursion === null) {
    escrow.excursion = record.ref;
    log({
      kind: "excursion",
      record: record.ref,
      note: `sensor alarm: ${escrow.penalties.excursionBps} bps penalty`,
    });
    ctx.emit("Excursion", { escrowId: escrow.id, eventId: record.ref.eventId ?? "" });
  }
}

function countAttestations(ctx: BlockContext, store: EscrowStore, escrow: Escrow, log: Log): void {
  for (const m of escrow.milestones) {
    if (m.status !== "pending") continue;
    m.conditions.forEach((condition, i) => {
      if (m.satisfied[i] || !("attestations" in condition)) return;
      const { claim, k, from } = condition.attestations;
      // Distinct attesters, in order: two members of one listed organisation count once.
      const counted: { who: string; a: Attestation }[] = [];
      for (const a of store.attestations(escrow.id, claim)) {
        const who = attesterFor(a, from);
        if (who !== undefined && !counted.some((c) => c.who === who)) counted.push({ who, a });
      }
      const last = counted[k - 1]?.a;
      if (!last) return;
      const ref: RecordRef = { height: last.height, txHash: last.txHash };
      m.satisfied[i] = { ...ref, attesters: counted.slice(0, k).map((c) => c.who) };
      log({ kind: "condition", milestone: m.name, condition: i, record: ref });
      ctx.emit("ConditionMet", conditionEvent(escrow.id, m.name, i, ref));
    });
  }
}

/** Releases every pending milestone whose conditions all hold, less its penalties, in one invoke. */
function releaseReady(ctx: BlockContext, escrow: Escrow, log: Log): void {
  const calls: Call[] = [];
  const ready = escrow.milestones
    .filter((m) => m.status === "pending" && m.satisfied.every((s) => s !== null))
    .map((m) => ({ m, split: splitRelease(escrow, m, ctx.time) }));
  if (ready.length === 0) return;
  for (const { split } of ready) calls.push(...payoutCalls(escrow, split.toSeller, split.toBuyer));
  if (!pay(ctx, escrow, calls, log)) return;
  for (const { m, split } of ready) {
    m.status = "released";
    m.closedAt = ctx.height;
    m.toSeller = split.toSeller.toString();
    m.toBuyer = split.toBuyer.toString();
    m.penaltyBps = split.penaltyBps;
    const why = [
      split.lateDays > 0 ? `${split.lateDays} day(s) late` : "",
      escrow.excursion !== null && escrow.penalties.excursionBps > 0 ? "temperature excursion" : "",
    ].filter(Boolean);
    log({
      kind: "released",
      milestone: m.name,
      toSeller: m.toSeller,
      toBuyer: m.toBuyer,
      ...(why.length ? { note: `penalty ${split.penaltyBps} bps: ${why.join(", ")}` } : {}),
    });
    ctx.emit("Released", {
      escrowId: escrow.id,
      milestone: m.name,
      toSeller: m.toSeller,
      toBuyer: m.toBuyer,
      penaltyBps: split.penaltyBps,
    });
  }
  if (escrow.milestones.every((m) => m.status === "released")) {
    escrow.status = "settled";
    ctx.emit("Settled", { escrowId: escrow.id });
  }
}

/** An arbiter's or governance's decision: what is still held splits sellerBps / rest. */
function decide(ctx: BlockContext, escrow: Escrow, sellerBps: number, by: string, log: Log): void {
  const { toSeller, toBuyer } = splitRemaining(remaining(escrow), sellerBps);
  if (!pay(ctx, escrow, payoutCalls(escrow, toSeller, toBuyer), log)) return;
  for (const m of escrow.milestones) {
    if (m.status !== "pending") continue;
    m.status = "resolved";
    m.closedAt = ctx.height;
  }
  escrow.status = "resolved";
  log({ kind: "resolved", by, toSeller: toSeller.toString(), toBuyer: toBuyer.toString() });
  ctx.emit("Resolved", { escrowId: escrow.id, toSeller: toSeller.toString(), toBuyer: toBuyer.toString() });
}

/** Everything still held goes back to the buyer: the deadline passed, or the seller cancelled. */
function closeAll(
  ctx: BlockContext,
  escrow: Escrow,
  status: "refunded" | "cancelled",
  by: string | undefined,
  log: Log,
): void {
  const amount = remaining(escrow);
  const calls = amount > 0n ? [tokenCalls.cancelHold({ holdId: escrow.holdId })] : [];
  if (!pay(ctx, escrow, calls, log)) return;
  for (const m of escrow.milestones) {
    if (m.status !== "pending") continue;
    m.status = "refunded";
    m.closedAt = ctx.height;
  }
  escrow.status = status;
  log({ kind: status, toBuyer: amount.toString(), ...(by ? { by } : {}) });
  ctx.emit(status === "refunded" ? "Refunded" : "Cancelled", {
    escrowId: escrow.id,
    toBuyer: amount.toString(),
  });
}

function payoutCalls(escrow: Escrow, toSeller: bigint, toBuyer: bigint): Call[] {
  const calls: Call[] = [];
  const holdId = escrow.holdId;
  if (toSeller > 0n)
    calls.push(tokenCalls.releaseHold({ holdId, to: escrow.seller, amount: toSeller.toString() }));
  if (toBuyer > 0n)
    calls.push(tokenCalls.releaseHold({ holdId, to: escrow.buyer, amount: toBuyer.toString() }));
  return calls;
}

/** Runs the token calls as the escrow's account; a failure is recorded, never thrown. */
function pay(ctx: BlockContext, escrow: Escrow, calls: Call[], log: Log): boolean {
  if (calls.length === 0) return true;
  try {
    ctx.invoke(calls);
    return true;
  } catch (e) {
    const code = e instanceof WeftError ? e.code : "APP_PANIC";
    const message = e instanceof WeftError ? e.message : "payout failed unexpectedly";
    log({ kind: "failed", note: `${code}: ${message}` });
    ctx.emit("SettlementFailed", { escrowId: escrow.id, code });
    return false;
  }
}

/**
 * Refunds escrows whose deadline passed: the minutes from the cursor to now, each one key read
 * when nothing in it is due yet; a minute's pages are read only once one of its deadlines passed.
 */
function refundDue(ctx: BlockContext, store: EscrowStore): void {
  const cursor = store.cursor() as number;
  const now = Math.floor(ctx.time / DUE_BUCKET_MS);
  let done = cursor;
  for (let minute = cursor + 1; minute <= now; minute++) {
    const meta = store.dueMinute(minute);
    // Every deadline of an earlier minute is before the block time: that minute empties now.
    if (minute < now) done = minute;
    if (meta === undefined || meta.next >= ctx.time) continue;
    const left: DueEntry[] = [];
    for (let page = 0; page < meta.pages; page++) {
      const entries = store.duePage(minute, page);
      for (const entry of entries) {
        if (entry[0] < ctx.time) refundIfOpen(ctx, store, entry[1]);
        else left.push(entry);
      }
      store.setDuePage(minute, page, []);
    }
    // What is not due yet (same minute, later deadline) is filed again, compactly.
    for (let page = 0; page * DUE_PAGE_SIZE < left.length; page++) {
      store.setDuePage(minute, page, left.slice(page * DUE_PAGE_SIZE, (page + 1) * DUE_PAGE_SIZE));
    }
    store.setDueMinute(
      minute,
      left.length === 0
        ? undefined
        : {
            pages: Math.ceil(left.length / DUE_PAGE_SIZE),
            next: left.reduce((min, e) => Math.min(min, e[0]), Number.MAX_SAFE_INTEGER),
          },
    );
  }
  if (done !== cursor) store.setCursor(done);
}

function refundIfOpen(ctx: BlockContext, store: EscrowStore, id: string): void {
  const escrow = store.find(id);
  if (!escrow || FINAL.has(escrow.status)) return;
  const log: Log = (entry) => escrow.history.push({ height: ctx.height, time: ctx.time, ...entry });
  // Frozen with nobody who could decide (no arbiter, no governance on an open chain): the
  // deadline refunds it, or a seller's dispute could lock the buyer's funds for good.
  const decidable = escrow.arbiter !== null || identityEnabled((key) => ctx.view.get(key));
  if (escrow.status !== "open" && decidable) {
    log({ kind: "held", note: "deadline passed while frozen: the arbiter or governance decides" });
    store.put(escrow);
    return;
  }
  closeAll(ctx, escrow, "refunded", undefined, log);
  store.save(escrow);
}

function conditionEvent(escrowId: string, milestone: string, condition: number, ref: RecordRef) {
  return {
    escrowId,
    milestone,
    condition,
    txHash: ref.txHash,
    ...(ref.eventId !== undefined ? { eventId: ref.eventId } : {}),
  };
}
