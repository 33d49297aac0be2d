// The escrow module's stored record (`escrow/escrow/<id>`), as GET /v1/escrows/{id} returns it:
// produced by the node, read by the SDK (which must not depend on the node).

export type EscrowStatus = "open" | "held" | "disputed" | "settled" | "refunded" | "resolved" | "cancelled";
/** "resolved": closed by an arbiter's or governance's split of what was still held. */
export type EscrowMilestoneStatus = "pending" | "released" | "refunded" | "resolved";

/** A condition as stored: every value in its canonical spelling, so matching is string equality. */
export type EscrowCondition =
  | {
      event: {
        eventType?: string;
        action?: string;
        bizStep?: string;
        disposition?: string;
        bizLocation?: string;
        readPoint?: string;
      };
    }
  | { document: { type: string; id?: string } }
  | { attestations: { claim: string; k: number; from: string[] } };

/** Where a ledger record sits: the transaction (its proof: GET /v1/proofs/tx/{txHash}) and log entry. */
export interface EscrowRecordRef {
  height: number;
  txHash: string;
  /** The log entry of the record's chain event (absent for an attestation). */
  logIndex?: number;
  /** The EPCIS event's CBV 2.0 hash, for a trace record. */
  eventId?: string;
}

export interface EscrowSatisfaction extends EscrowRecordRef {
  /** For an attestation condition: the accounts whose attestations counted. */
  attesters?: string[];
}

export interface EscrowMilestone {
  name: string;
  shareBps: number;
  /** Its part of the escrowed amount (the last milestone takes the rounding remainder). */
  amount: string;
  dueBy: number | null;
  conditions: EscrowCondition[];
  satisfied: (EscrowSatisfaction | null)[];
  status: EscrowMilestoneStatus;
  /** Height it was released or refunded at. */
  closedAt?: number;
  toSeller?: string;
  toBuyer?: string;
  penaltyBps?: number;
}

export type EscrowHistoryKind =
  | "opened"
  | "condition"
  | "released"
  | "held"
  | "excursion"
  | "disputed"
  | "resolved"
  | "resumed"
  | "refunded"
  | "cancelled"
  | "failed";

export interface EscrowHistoryEntry {
  height: number;
  time: number;
  kind: EscrowHistoryKind;
  milestone?: string;
  /** Index of the condition within its milestone. */
  condition?: number;
  record?: EscrowRecordRef;
  by?: string;
  toSeller?: string;
  toBuyer?: string;
  note?: string;
}

/** A decision recorded by a transaction and carried out (funds moved) at the end of its block. */
export type EscrowPendingAction =
  | { kind: "resolve"; sellerBps: number; by: string; record: EscrowRecordRef }
  | { kind: "cancel"; by: string; record: EscrowRecordRef };

export interface EscrowRecord {
  id: string;
  buyer: string;
  seller: string;
  asset: string;
  amount: string;
  holdId: string;
  /** Canonical shipment keys the escrow watches. */
  shipment: string[];
  milestones: EscrowMilestone[];
  deadline: number;
  penalties: { latePerDayBps: number; lateCapBps: number; excursionBps: number };
  onAlarm: "hold" | "penalty";
  arbiter: string | null;
  incoterm: string | null;
  status: EscrowStatus;
  openedAt: number;
  openTx: string;
  /** The first sensor alarm on the shipment when alarms cost a penalty. */
  excursion: EscrowRecordRef | null;
  disputes: number;
  pending: EscrowPendingAction | null;
  history: EscrowHistoryEntry[];
}
