/** How a released share splits between seller and buyer: integer basis points, no floating point. */
import { BPS, DAY_MS } from "./schema.js";
import type { Escrow, Milestone } from "./state.js";

export interface Split {
  toSeller: bigint;
  toBuyer: bigint;
  /** Penalty taken, in bps of the share: late days plus a temperature excursion, at most all of it. */
  penaltyBps: number;
  lateDays: number;
}

/** Late by whole started days after `dueBy` (block time), each costing latePerDayBps up to lateCapBps. */
export function lateDays(milestone: Milestone, time: number): number {
  if (milestone.dueBy === null || time <= milestone.dueBy) return 0;
  return Math.ceil((time - milestone.dueBy) / DAY_MS);
}

export function splitRelease(escrow: Escrow, milestone: Milestone, time: number): Split {
  const days = lateDays(milestone, time);
  const { latePerDayBps, lateCapBps, excursionBps } = escrow.penalties;
  const late = Math.min(lateCapBps, latePerDayBps * days);
  const excursion = escrow.excursion !== null ? excursionBps : 0;
  const penaltyBps = Math.min(BPS, late + excursion);
  const amount = BigInt(milestone.amount);
  const toBuyer = (amount * BigInt(penaltyBps)) / BigInt(BPS);
  return { toSeller: amount - toBuyer, toBuyer, penaltyBps, lateDays: days };
}

/** A decision's split of what is still held: sellerBps to the seller, the rest back to the buyer. */
export function splitRemaining(remaining: bigint, sellerBps: number): { toSeller: bigint; toBuyer: bigint } {
  const toSeller = (remaining * BigInt(sellerBps)) / BigInt(BPS);
  return { toSeller, toBuyer: remaining - toSeller };
}

/** What the escrow still holds: the amounts of its pending milestones. */
export function remaining(escrow: Escrow): bigint {
  return escrow.milestones.reduce((sum, m) => (m.status === "pending" ? sum + BigInt(m.amount) : sum), 0n);
}
