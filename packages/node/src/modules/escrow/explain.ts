/**
 * Why an escrow is where it is, in words, from its stored record alone: each condition and the
 * record that met it, each payment and its penalty, each hold, dispute and decision. The API
 * puts a proof beside every record named here.
 */
import type { Condition, Escrow, HistoryEntry, RecordRef } from "./state.js";

export function describeCondition(c: Condition): string {
  if ("event" in c) {
    const fields = Object.entries(c.event).map(([k, v]) => `${k}=${v}`);
    return `an EPCIS event about the shipment with ${fields.join(", ")}`;
  }
  if ("document" in c) {
    return `a ${c.document.type} document${c.document.id ? ` ${c.document.id}` : ""} on an event about the shipment`;
  }
  const { claim, k, from } = c.attestations;
  return `${k} of ${from.length} attestations of "${claim}" (${from.join(", ")})`;
}

const where = (r: RecordRef | undefined) =>
  r ? `${r.eventId ? `event ${r.eventId} in ` : ""}tx ${r.txHash} at height ${r.height}` : "";

function line(escrow: Escrow, h: HistoryEntry): string {
  const at = `height ${h.height}:`;
  switch (h.kind) {
    case "opened":
      return `${at} opened by ${h.by}: ${escrow.amount} ${escrow.asset} held for seller ${escrow.seller}`;
    case "condition": {
      const m = escrow.milestones.find((x) => x.name === h.milestone);
      const c = m?.conditions[h.condition ?? -1];
      return `${at} milestone ${h.milestone}, condition ${h.condition} (${c ? describeCondition(c) : "?"}) met by ${where(h.record)}`;
    }
    case "released":
      return `${at} milestone ${h.milestone} released: ${h.toSeller} to the seller, ${h.toBuyer} back to the buyer${h.note ? ` (${h.note})` : ""}`;
    case "held":
      return `${at} funds held: ${h.note ?? ""}${h.record ? ` — ${where(h.record)}` : ""}`;
    case "excursion":
      return `${at} ${h.note ?? "temperature excursion"} — ${where(h.record)}`;
    case "disputed":
      return `${at} disputed by ${h.by}: ${h.note ?? ""}`;
    case "resumed":
      return `${at} freeze lifted by ${h.by}${h.note ? `: ${h.note}` : ""}`;
    case "resolved":
      return `${at} decided by ${h.by}: ${h.toSeller} to the seller, ${h.toBuyer} back to the buyer`;
    case "refunded":
      return `${at} deadline ${new Date(escrow.deadline).toISOString()} passed: ${h.toBuyer} refunded to the buyer`;
    case "cancelled":
      return `${at} cancelled by the seller ${h.by}: ${h.toBuyer} back to the buyer`;
    case "failed":
      return `${at} a payout failed: ${h.note ?? ""}`;
  }
}

/** One line per history entry, oldest first, then what is still awaited. */
export function explainEscrow(escrow: Escrow): string[] {
  const lines = escrow.history.map((h) => line(escrow, h));
  if (escrow.status === "open" || escrow.status === "held" || escrow.status === "disputed") {
    for (const m of escrow.milestones) {
      if (m.status !== "pending") continue;
      m.conditions.forEach((c, i) => {
        if (!m.satisfied[i])
          lines.push(`awaiting: milestone ${m.name}, condition ${i}: ${describeCondition(c)}`);
      });
    }
    lines.push(`status ${escrow.status}; deadline ${new Date(escrow.deadline).toISOString()} (block time)`);
  }
  return lines;
}

/** Every ledger record the escrow names (conditions met, holds, excursions), each transaction once. */
export function escrowRecords(escrow: Escrow): RecordRef[] {
  const byTx = new Map<string, RecordRef>();
  const add = (r: RecordRef | null | undefined) => {
    if (r?.txHash && !byTx.has(r.txHash)) byTx.set(r.txHash, r);
  };
  add({ height: escrow.openedAt, txHash: escrow.openTx });
  for (const m of escrow.milestones) for (const s of m.satisfied) add(s);
  add(escrow.excursion);
  for (const h of escrow.history) add(h.record);
  return [...byTx.values()];
}
