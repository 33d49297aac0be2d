/**
 * The escrow module's state (keys relative to `escrow/`):
 *
 * escrow/<id>          the escrow: terms, each condition's satisfaction, status and history
 * wait/<sha256(key)>   ids of the open escrows watching a shipment key (an EPC or business
 *                      transaction id, canonical): end-of-block evaluation looks up only the keys
 *                      the block's EPCIS events name, never every open escrow
 * due/<minute>         {pages, next}: how many pages of deadlines fall in that minute, and the
 *                      earliest deadline among them (a block before it reads nothing more)
 * due/<minute>/<page>  [deadline, id] pairs, appended in opening order, at most DUE_PAGE_SIZE:
 *                      opening an escrow writes one small page, however many share the minute
 * due-cursor           the last minute whose deadlines are all processed
 * att/<id>/<claim>     who attested a claim, in order
 */
import { type CanonicalValue, type EscrowRecord as Escrow, type EscrowStatus, sha256Hex } from "@weft/core";
import type { ModuleState } from "../../app/module.js";
import { EscrowError } from "./errors.js";

export type {
  EscrowCondition as Condition,
  EscrowHistoryEntry as HistoryEntry,
  EscrowHistoryKind as HistoryKind,
  EscrowMilestone as Milestone,
  EscrowMilestoneStatus as MilestoneStatus,
  EscrowPendingAction as PendingAction,
  EscrowRecord as Escrow,
  EscrowRecordRef as RecordRef,
  EscrowSatisfaction as Satisfaction,
  EscrowStatus,
} from "@weft/core";

export interface Attestation {
  by: string;
  /** The attester's organisation, on a permissioned chain: it may count for `org:<name>`. */
  org?: string;
  height: number;
  txHash: string;
}

/** Who an attestation counts as for a condition's `from`: the account, else its organisation. */
export function attesterFor(a: Attestation, from: readonly string[]): string | undefined {
  if (from.includes(a.by)) return a.by;
  const org = a.org === undefined ? undefined : `org:${a.org}`;
  return org !== undefined && from.includes(org) ? org : undefined;
}

export const FINAL: ReadonlySet<EscrowStatus> = new Set(["settled", "refunded", "resolved", "cancelled"]);
/** How many escrows may watch one shipment key: bounds the work one EPCIS event causes. */
export const MAX_WAITING = 64;
export const DUE_BUCKET_MS = 60_000;

export const escrowKey = (id: string) => `escrow/${id}`;
export const waitKey = (shipmentKey: string) => `wait/${sha256Hex(shipmentKey)}`;
export const dueKey = (minute: number) => `due/${minute}`;
export const duePageKey = (minute: number, page: number) => `due/${minute}/${page}`;
export const DUE_PAGE_SIZE = 64;

/** A minute's deadlines: page count and the earliest deadline still filed. */
export interface DueMinute {
  pages: number;
  next: number;
}
export type DueEntry = [deadline: number, id: string];
export const attestKey = (id: string, claim: string) => `att/${id}/${claim}`;
export const DUE_CURSOR = "due-cursor";

export class EscrowStore {
  constructor(private readonly state: ModuleState) {}

  find(id: string): Escrow | undefined {
    return this.state.get(escrowKey(id)) as Escrow | undefined;
  }

  get(id: string): Escrow {
    const found = this.find(id);
    if (!found) throw new EscrowError({ code: "ESCROW_UNKNOWN", message: `no escrow ${id}`, escrowId: id });
    return found;
  }

  put(escrow: Escrow): void {
    this.state.set(escrowKey(escrow.id), escrow as unknown as CanonicalValue);
  }

  waiting(shipmentKey: string): string[] {
    return (this.state.get(waitKey(shipmentKey)) as string[] | undefined) ?? [];
  }

  watch(escrow: Escrow): void {
    for (const key of escrow.shipment) {
      const slot = waitKey(key);
      const ids = (this.state.get(slot) as string[] | undefined) ?? [];
      if (ids.length >= MAX_WAITING) {
        throw new EscrowError({
          code: "ESCROW_TOO_MANY_WAITING",
          message: `${MAX_WAITING} open escrows already watch ${key}`,
          escrowId: escrow.id,
        });
      }
      this.state.set(slot, [...ids, escrow.id]);
    }
  }

  unwatch(escrow: Escrow): void {
    for (const key of escrow.shipment) {
      const slot = waitKey(key);
      const ids = ((this.state.get(slot) as string[] | undefined) ?? []).filter((id) => id !== escrow.id);
      if (ids.length === 0) this.state.delete(slot);
      else this.state.set(slot, ids);
    }
  }

  /** Writes the escrow; one that just became final leaves the index (nothing it waits for matters now). */
  save(escrow: Escrow): void {
    if (FINAL.has(escrow.status)) this.unwatch(escrow);
    this.put(escrow);
  }

  /** Files the escrow under its deadline's minute (one page written); starts the cursor with the first escrow. */
  schedule(escrow: Escrow, now: number): void {
    const minute = Math.floor(escrow.deadline / DUE_BUCKET_MS);
    const meta = this.dueMinute(minute) ?? { pages: 0, next: escrow.deadline };
    const last = meta.pages > 0 ? this.duePage(minute, meta.pages - 1) : [];
    const page = last.length < DUE_PAGE_SIZE && meta.pages > 0 ? meta.pages - 1 : meta.pages;
    const entries = page === meta.pages ? [] : last;
    this.state.set(duePageKey(minute, page), [...entries, [escrow.deadline, escrow.id]]);
    this.setDueMinute(minute, { pages: page + 1, next: Math.min(meta.next, escrow.deadline) });
    if (this.cursor() === undefined) this.state.set(DUE_CURSOR, Math.floor(now / DUE_BUCKET_MS) - 1);
  }

  dueMinute(minute: number): DueMinute | undefined {
    return this.state.get(dueKey(minute)) as DueMinute | undefined;
  }

  setDueMinute(minute: number, meta: DueMinute | undefined): void {
    if (meta === undefined) this.state.delete(dueKey(minute));
    else this.state.set(dueKey(minute), meta as unknown as CanonicalValue);
  }

  duePage(minute: number, page: number): DueEntry[] {
    return (this.state.get(duePageKey(minute, page)) as DueEntry[] | undefined) ?? [];
  }

  setDuePage(minute: number, page: number, entries: DueEntry[]): void {
    if (entries.length === 0) this.state.delete(duePageKey(minute, page));
    else this.state.set(duePageKey(minute, page), entries);
  }

  cursor(): number | undefined {
    return this.state.get(DUE_CURSOR) as number | undefined;
  }

  setCursor(bucket: number): void {
    this.state.set(DUE_CURSOR, bucket);
  }

  attestations(id: string, claim: string): Attestation[] {
    return (this.state.get(attestKey(id, claim)) as Attestation[] | undefined) ?? [];
  }

  addAttestation(id: string, claim: string, attestation: Attestation): void {
    this.state.set(attestKey(id, claim), [
      ...this.attestations(id, claim),
      attestation,
    ] as unknown as CanonicalValue);
  }
}
