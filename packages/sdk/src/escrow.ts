import {
  ADDRESS_PATTERN,
  type CanonicalValue,
  type EscrowCondition as CoreEscrowCondition,
  canonicalString,
  type EscrowRecord,
  type EscrowRecordRef,
  type Genesis,
  ProofError,
  type SignedTx,
  type StateProofBundle,
  type TxProofBundle,
  type VerifiedProof,
  verifyProof,
} from "@weft/core";
import { toAmount } from "./amount.js";
import { SdkError } from "./errors.js";
import { buildTx, type TxCall, type TxEnvelope } from "./tx-builder.js";

/*
 * The `escrow` module from a client: builders for its transactions (`escrowCall`, `escrowTx`),
 * the shapes of its stored record and of `GET /v1/escrows/{id}`, and an offline check of that
 * answer's proofs. The limits mirror the module's schema (packages/node/src/modules/escrow/schema.ts)
 * so a bad escrow fails here, naming the field, instead of at the node.
 */

/** Limits of `escrow.open` (the module refuses anything beyond them). */
export const ESCROW_LIMITS = {
  /** Identifiers in `shipment`. */
  shipmentIds: 16,
  milestones: 8,
  /** Conditions of one milestone. */
  conditions: 8,
  /** Accounts of one attestation condition (and its k). */
  attesters: 16,
  /** 100 % in basis points. */
  bps: 10_000,
  /** The deadline is at most this far after the opening block's time. */
  termMs: 550 * 86_400_000,
  /** Characters of a URI field (shipment ids, CBV values, locations, document types and ids). */
  uriLength: 512,
  reasonLength: 500,
  noteLength: 500,
} as const;

// ---------------------------------------------------------------------------------------------
// Terms: what `escrow.open` takes.

/**
 * An EPCIS event about the shipment with every field given. CBV values in any spelling
 * (`receiving`, `urn:epcglobal:cbv:bizstep:receiving`, `cbv:BizStep-receiving`); locations as
 * SGLN URN or GS1 Digital Link (`https://id.gs1.org/414/<GLN>`): the chain compares canonical forms.
 */
export interface EscrowEventCondition {
  /** `ObjectEvent`, `AggregationEvent`, `TransactionEvent`, `TransformationEvent`, `AssociationEvent`. */
  eventType?: string;
  action?: "ADD" | "OBSERVE" | "DELETE";
  bizStep?: string;
  disposition?: string;
  bizLocation?: string;
  readPoint?: string;
}

/** A business document (bizTransactionList entry) of this type, and id when given, on an event about the shipment. */
export interface EscrowDocumentCondition {
  /** CBV business transaction type, e.g. `desadv`, `inv`, `po`. */
  type: string;
  /** The document's id as the events carry it, e.g. `urn:epcglobal:cbv:bt:9520001000010:DESADV-5`. */
  id?: string;
}

/** `k` distinct attesters of `from` sent `escrow.attest` with this claim. */
export interface EscrowAttestationCondition {
  /** 1-64 letters, digits, `.`, `_`, `:`, `-`, e.g. `inspected`. */
  claim: string;
  k: number;
  /**
   * Accounts (a member's or a device's address), or `org:<name>`: any active member of that
   * organisation attests for it, and it counts once (permissioned chains).
   */
  from: string[];
}

export type EscrowCondition =
  | { event: EscrowEventCondition }
  | { document: EscrowDocumentCondition }
  | { attestations: EscrowAttestationCondition };

/** A block time: ms since the epoch, or a Date. */
export type BlockTime = number | Date;

export interface EscrowMilestoneTerms {
  /** 1-32 letters, digits, `.`, `_`, `:`, `-`; distinct within the escrow. */
  name: string;
  /** Its share of the amount, basis points; the shares add up to 10,000. */
  shareBps: number;
  /** All of them must be met (in any order, in any blocks) for the milestone to be released. */
  conditions: EscrowCondition[];
  /** Released after this block time, the milestone pays the late penalty. */
  dueBy?: BlockTime;
}

export interface EscrowPenalties {
  /** Per started day after a milestone's dueBy, of that milestone's share, back to the buyer. */
  latePerDayBps?: number;
  /** The most the late penalty takes (default: all of it). */
  lateCapBps?: number;
  /** Of every share released after a sensor alarm on the shipment (with quality.onAlarm "penalty"). */
  excursionBps?: number;
}

export interface OpenEscrowParams {
  /** Chosen by the buyer (the signer): 1-64 letters, digits, `.`, `_`, `:`, `-`, e.g. `PO-4711`. */
  id: string;
  seller: string;
  /** A fungible asset; the amount is held from the buyer's available balance. */
  asset: string;
  /** In the asset's smallest unit; more than 0. */
  amount: bigint | string;
  /** The goods and papers watched: EPCs (SSCC, SGTIN… as URN or Digital Link) or business transaction ids. */
  shipment: string[];
  milestones: EscrowMilestoneTerms[];
  /** Whatever is unreleased at the first block after this time goes back to the buyer. */
  deadline: BlockTime;
  penalties?: EscrowPenalties;
  /** `hold` (default): a sensor alarm freezes the escrow; `penalty`: it costs `penalties.excursionBps`. */
  quality?: { onAlarm?: "hold" | "penalty" };
  /** May resolve a dispute or a quality hold (governance always may); not the buyer or the seller. */
  arbiter?: string;
  /** The agreed Incoterms 2020 rule, e.g. `DAP` (recorded; the conditions say where delivery happens). */
  incoterm?: string;
}

export interface DeliveryMilestoneParams {
  /** Where the goods are received: an SGLN URN, a GS1 Digital Link, or a 13-digit GLN. */
  deliverTo: string;
  dueBy?: BlockTime;
  /** Default `delivered`. */
  name?: string;
  /** Default 10,000 (all of it). */
  shareBps?: number;
}

/**
 * The milestone of a delivery at a named place (Incoterms DAP, DPU, DDP): released by a
 * `receiving` event about the shipment at `deliverTo`.
 */
export function deliveryMilestone(p: DeliveryMilestoneParams): EscrowMilestoneTerms {
  const m: EscrowMilestoneTerms = {
    name: p.name ?? "delivered",
    shareBps: p.shareBps ?? ESCROW_LIMITS.bps,
    conditions: [{ event: { bizStep: "receiving", bizLocation: glnLocation(p.deliverTo, "deliverTo") } }],
  };
  if (p.dueBy !== undefined) m.dueBy = p.dueBy;
  return m;
}

/**
 * A location as a condition names it: a 13-digit GLN (check digit verified) becomes its Digital
 * Link `https://id.gs1.org/414/<GLN>`; an SGLN URN or a Digital Link is kept (the chain
 * canonicalises it). A GLN with a wrong check digit would never match an event: refused.
 */
export function glnLocation(value: string, field = "location"): string {
  const text = value.trim();
  if (/^[0-9]+$/.test(text)) {
    if (text.length !== 13) throw invalid(field, `${field}: a GLN has 13 digits (got ${text.length})`);
    const expected = gs1CheckDigit(text.slice(0, 12));
    if (text[12] !== expected) {
      throw invalid(field, `${field}: GLN ${text} has check digit ${text[12]}, expected ${expected}`);
    }
    return `https://id.gs1.org/414/${text}`;
  }
  const dl = /^https?:\/\/[^/]+\/414\/([0-9]{13})(?:[/?#]|$)/.exec(text);
  if (dl) {
    const gln = dl[1] as string;
    const expected = gs1CheckDigit(gln.slice(0, 12));
    if (gln[12] !== expected) {
      throw invalid(field, `${field}: GLN ${gln} has check digit ${gln[12]}, expected ${expected}`);
    }
    return text;
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(text)) return uri(text, field);
  throw invalid(field, `${field} must be a 13-digit GLN, an SGLN URN or a GS1 Digital Link (got "${value}")`);
}

/** GS1 mod-10 check digit of the digits before it. */
export function gs1CheckDigit(digits: string): string {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    // Weights 3, 1, 3… from the rightmost digit.
    const weight = (digits.length - i) % 2 === 1 ? 3 : 1;
    sum += Number(digits[i]) * weight;
  }
  return String((10 - (sum % 10)) % 10);
}

// ---------------------------------------------------------------------------------------------
// The other methods.

export interface AttestEscrowParams {
  id: string;
  claim: string;
}

export interface DisputeEscrowParams {
  id: string;
  /** 1-500 characters, recorded in the escrow's history. */
  reason: string;
}

/** Exactly one of `sellerBps` and `resume`. */
export interface ResolveEscrowParams {
  id: string;
  /** Share of what is still held that goes to the seller; the rest goes back to the buyer. */
  sellerBps?: number;
  /** Lift the freeze instead: the escrow is open again and its conditions release it. */
  resume?: true;
  note?: string;
}

const ID = /^[A-Za-z0-9._:-]{1,64}$/;
const CLAIM = /^[A-Za-z0-9._:-]{1,64}$/;
const MILESTONE = /^[A-Za-z0-9._:-]{1,32}$/;
const INCOTERM = /^[A-Z]{3}$/;
const ADDRESS = new RegExp(ADDRESS_PATTERN);
const EVENT_FIELDS = ["eventType", "action", "bizStep", "disposition", "bizLocation", "readPoint"] as const;

type Args = TxCall["args"];

/** Calls of the escrow module, for `client.send` or `buildTx`. */
/** An organisation as an attester: `org:<registry name>`. */
const ORG_ATTESTER = /^org:[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export const escrowCall = {
  /**
   * Open an escrow as the buyer (the signer): `amount` of `asset` is held from the buyer's
   * balance and released to the seller milestone by milestone, at the end of the block in which
   * a milestone's conditions are all met, less penalties; unreleased funds go back after `deadline`.
   */
  open(p: OpenEscrowParams): TxCall {
    const args: Args = {
      id: escrowId(p.id),
      seller: address(p.seller, "seller"),
      asset: bounded(p.asset, "asset", 1, 32),
      amount: positive(p.amount),
      shipment: shipment(p.shipment),
      milestones: [],
      deadline: blockTime(p.deadline, "deadline"),
    };
    args.milestones = milestones(p.milestones, args.deadline as number) as CanonicalValue[];
    // As the module: a milestone worth 0 units (the last takes the remainder) would hold nothing.
    const total = BigInt(args.amount as string);
    (args.milestones as Args[]).forEach((m, i, all) => {
      if (i < all.length - 1 && (total * BigInt(m.shareBps as number)) / BigInt(ESCROW_LIMITS.bps) === 0n) {
        throw invalid(
          `milestones[${i}].shareBps`,
          `milestones[${i}]: ${m.shareBps} bps of ${total} is 0 units`,
        );
      }
    });
    const penalties = penaltiesOf(p);
    if (penalties) args.penalties = penalties;
    if (p.quality !== undefined) {
      const quality: Args = {};
      if (p.quality.onAlarm !== undefined) {
        if (p.quality.onAlarm !== "hold" && p.quality.onAlarm !== "penalty") {
          throw invalid("quality.onAlarm", 'quality.onAlarm must be "hold" or "penalty"');
        }
        quality.onAlarm = p.quality.onAlarm;
      }
      args.quality = quality;
    }
    if (p.arbiter !== undefined) {
      args.arbiter = address(p.arbiter, "arbiter");
      if (args.arbiter === args.seller) throw invalid("arbiter", "the arbiter must not be the seller");
    }
    if (p.incoterm !== undefined) {
      args.incoterm = text(p.incoterm, "incoterm", INCOTERM, 'three capital letters, e.g. "DAP"');
    }
    return { module: "escrow", method: "open", args };
  },
  /** Attest a claim for an attestation condition (counts only from the accounts it lists). */
  attest(p: AttestEscrowParams): TxCall {
    return {
      module: "escrow",
      method: "attest",
      args: {
        id: escrowId(p.id),
        claim: text(p.claim, "claim", CLAIM, "1-64 letters, digits, '.', '_', ':', '-'"),
      },
    };
  },
  /** Buyer or seller: freeze an open or held escrow until the arbiter or governance decides. */
  dispute(p: DisputeEscrowParams): TxCall {
    return {
      module: "escrow",
      method: "dispute",
      args: { id: escrowId(p.id), reason: bounded(p.reason, "reason", 1, ESCROW_LIMITS.reasonLength) },
    };
  },
  /** Arbiter (or governance, in a proposal): split what is still held, or resume the escrow. */
  resolve(p: ResolveEscrowParams): TxCall {
    if ((p.sellerBps === undefined) === (p.resume === undefined)) {
      throw invalid("sellerBps", "give exactly one of sellerBps and resume");
    }
    const args: Args = { id: escrowId(p.id) };
    if (p.sellerBps !== undefined) args.sellerBps = bps(p.sellerBps, "sellerBps");
    if (p.resume !== undefined) {
      if (p.resume !== true) throw invalid("resume", "resume must be true when given");
      args.resume = true;
    }
    if (p.note !== undefined) args.note = bounded(p.note, "note", 0, ESCROW_LIMITS.noteLength);
    return { module: "escrow", method: "resolve", args };
  },
  /** Seller: give the escrow up; everything still held goes back to the buyer at the end of the block. */
  cancel(p: { id: string }): TxCall {
    return { module: "escrow", method: "cancel", args: { id: escrowId(p.id) } };
  },
};

/** Signed escrow transactions: `escrowTx.open(envelope, terms)`. */
export const escrowTx = {
  open: (env: TxEnvelope, p: OpenEscrowParams): SignedTx => buildTx({ ...env, ...escrowCall.open(p) }),
  attest: (env: TxEnvelope, p: AttestEscrowParams): SignedTx => buildTx({ ...env, ...escrowCall.attest(p) }),
  dispute: (env: TxEnvelope, p: DisputeEscrowParams): SignedTx =>
    buildTx({ ...env, ...escrowCall.dispute(p) }),
  resolve: (env: TxEnvelope, p: ResolveEscrowParams): SignedTx =>
    buildTx({ ...env, ...escrowCall.resolve(p) }),
  cancel: (env: TxEnvelope, p: { id: string }): SignedTx => buildTx({ ...env, ...escrowCall.cancel(p) }),
};

function milestones(list: readonly EscrowMilestoneTerms[], deadline: number): Args[] {
  if (!Array.isArray(list) || list.length < 1 || list.length > ESCROW_LIMITS.milestones) {
    throw invalid("milestones", `milestones: 1 to ${ESCROW_LIMITS.milestones}`);
  }
  const out = list.map((m, i) => {
    const at = `milestones[${i}]`;
    const shareBps = m.shareBps;
    if (!Number.isSafeInteger(shareBps) || shareBps < 1 || shareBps > ESCROW_LIMITS.bps) {
      throw invalid(`${at}.shareBps`, `${at}.shareBps must be an integer from 1 to ${ESCROW_LIMITS.bps}`);
    }
    const conditions = m.conditions;
    if (!Array.isArray(conditions) || conditions.length < 1 || conditions.length > ESCROW_LIMITS.conditions) {
      throw invalid(`${at}.conditions`, `${at}.conditions: 1 to ${ESCROW_LIMITS.conditions}`);
    }
    const milestone: Args = {
      name: text(m.name, `${at}.name`, MILESTONE, "1-32 letters, digits, '.', '_', ':', '-'"),
      shareBps,
      conditions: conditions.map((c, j) => condition(c, `${at}.conditions[${j}]`)),
    };
    if (m.dueBy !== undefined) {
      const dueBy = blockTime(m.dueBy, `${at}.dueBy`);
      if (dueBy > deadline) throw invalid(`${at}.dueBy`, `${at}.dueBy is after the deadline`);
      milestone.dueBy = dueBy;
    }
    return milestone;
  });
  const shares = out.reduce((sum, m) => sum + (m.shareBps as number), 0);
  if (shares !== ESCROW_LIMITS.bps) {
    throw invalid("milestones", `milestone shares add up to ${shares} bps, not ${ESCROW_LIMITS.bps}`);
  }
  const names = new Set(out.map((m) => m.name));
  if (names.size !== out.length) throw invalid("milestones", "milestone names must differ");
  return out;
}

function condition(c: EscrowCondition, at: string): Args {
  const keys = c && typeof c === "object" ? Object.keys(c) : [];
  if (keys.length !== 1) {
    throw invalid(at, `${at} must be exactly one of {event}, {document}, {attestations}`);
  }
  if ("event" in c) {
    const event: Args = {};
    for (const [key, value] of Object.entries(c.event ?? {})) {
      if (!(EVENT_FIELDS as readonly string[]).includes(key)) {
        throw invalid(`${at}.event.${key}`, `${at}.event has no field ${key} (${EVENT_FIELDS.join(", ")})`);
      }
      if (value === undefined) continue;
      if (key === "action" && value !== "ADD" && value !== "OBSERVE" && value !== "DELETE") {
        throw invalid(`${at}.event.action`, `${at}.event.action must be ADD, OBSERVE or DELETE`);
      }
      event[key] =
        key === "eventType"
          ? bounded(value as string, `${at}.event.eventType`, 1, 64)
          : uri(value as string, `${at}.event.${key}`);
    }
    if (Object.keys(event).length === 0) {
      throw invalid(`${at}.event`, `${at}.event names no field: it would match any event`);
    }
    return { event };
  }
  if ("document" in c) {
    const document: Args = { type: uri(c.document?.type, `${at}.document.type`) };
    if (c.document.id !== undefined) document.id = uri(c.document.id, `${at}.document.id`);
    return { document };
  }
  if ("attestations" in c) {
    const a = c.attestations ?? ({} as EscrowAttestationCondition);
    const from = a.from;
    if (!Array.isArray(from) || from.length < 1 || from.length > ESCROW_LIMITS.attesters) {
      throw invalid(
        `${at}.attestations.from`,
        `${at}.attestations.from: 1 to ${ESCROW_LIMITS.attesters} accounts`,
      );
    }
    from.forEach((f, i) => {
      if (typeof f === "string" && ORG_ATTESTER.test(f)) return;
      address(f, `${at}.attestations.from[${i}]`);
    });
    if (new Set(from).size !== from.length) {
      throw invalid(`${at}.attestations.from`, `${at}.attestations.from lists an account twice`);
    }
    if (!Number.isSafeInteger(a.k) || a.k < 1 || a.k > from.length) {
      throw invalid(
        `${at}.attestations.k`,
        `${at}.attestations.k must be an integer from 1 to ${from.length}`,
      );
    }
    return {
      attestations: {
        claim: text(a.claim, `${at}.attestations.claim`, CLAIM, "1-64 letters, digits, '.', '_', ':', '-'"),
        k: a.k,
        from: [...from],
      },
    };
  }
  throw invalid(at, `${at} must be exactly one of {event}, {document}, {attestations}`);
}

function penaltiesOf(p: OpenEscrowParams): Args | undefined {
  const given = p.penalties;
  const onAlarm = p.quality?.onAlarm ?? "hold";
  if (onAlarm === "penalty" && !given?.excursionBps) {
    throw invalid("penalties.excursionBps", 'quality.onAlarm "penalty" needs penalties.excursionBps');
  }
  if (given === undefined) return undefined;
  const out: Args = {};
  for (const key of ["latePerDayBps", "lateCapBps", "excursionBps"] as const) {
    const value = given[key];
    if (value !== undefined) out[key] = bps(value, `penalties.${key}`);
  }
  if (given.lateCapBps !== undefined && !given.latePerDayBps) {
    throw invalid("penalties.lateCapBps", "penalties.lateCapBps needs penalties.latePerDayBps");
  }
  return out;
}

function shipment(ids: readonly string[]): string[] {
  if (!Array.isArray(ids) || ids.length < 1 || ids.length > ESCROW_LIMITS.shipmentIds) {
    throw invalid("shipment", `shipment: 1 to ${ESCROW_LIMITS.shipmentIds} identifiers`);
  }
  const out = ids.map((id, i) => uri(id, `shipment[${i}]`));
  if (new Set(out).size !== out.length) throw invalid("shipment", "shipment lists an identifier twice");
  return out;
}

function escrowId(value: string): string {
  return text(value, "id", ID, "1-64 letters, digits, '.', '_', ':', '-'");
}

function text(value: unknown, field: string, pattern: RegExp, what: string): string {
  if (typeof value !== "string" || !pattern.test(value)) {
    throw invalid(field, `${field} must be ${what} (got ${JSON.stringify(value)})`);
  }
  return value;
}

function bounded(value: unknown, field: string, min: number, max: number): string {
  if (typeof value !== "string" || value.length < min || value.length > max) {
    throw invalid(field, `${field} must be a string of ${min} to ${max} characters`);
  }
  return value;
}

const uri = (value: unknown, field: string): string => bounded(value, field, 1, ESCROW_LIMITS.uriLength);

function address(value: unknown, field: string): string {
  if (typeof value !== "string" || !ADDRESS.test(value)) {
    throw invalid(field, `${field} must be a 40-character hex address`);
  }
  return value;
}

function bps(value: unknown, field: string): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0 || value > ESCROW_LIMITS.bps) {
    throw invalid(field, `${field} must be an integer from 0 to ${ESCROW_LIMITS.bps} (basis points)`);
  }
  return value;
}

function positive(amount: bigint | string): string {
  const value = toAmount(amount);
  if (value === "0")
    throw new SdkError({ code: "SDK_INVALID_AMOUNT", message: "amount must be positive", field: "amount" });
  return value;
}

function blockTime(value: BlockTime, field: string): number {
  const ms = value instanceof Date ? value.getTime() : value;
  if (typeof ms !== "number" || !Number.isSafeInteger(ms) || ms < 0) {
    throw invalid(field, `${field} must be a block time: a Date or whole ms since the epoch`);
  }
  return ms;
}

function invalid(field: string, message: string): SdkError {
  return new SdkError({ code: "SDK_INVALID_ARGUMENT", message, field });
}

// ---------------------------------------------------------------------------------------------
// The stored escrow (`escrow/escrow/<id>`) and GET /v1/escrows/{id}.

export type {
  EscrowHistoryEntry,
  EscrowHistoryKind,
  EscrowMilestone,
  EscrowMilestoneStatus,
  EscrowPendingAction,
  EscrowRecord,
  EscrowRecordRef,
  EscrowSatisfaction,
  EscrowStatus,
} from "@weft/core";
/** A condition as stored: identifiers and CBV values in their canonical spelling. */
export type StoredEscrowCondition = CoreEscrowCondition;

/** A record the escrow names, with the proof bundle of its transaction. */
export interface EscrowProvenRecord extends EscrowRecordRef {
  proof: TxProofBundle;
}

/** GET /v1/escrows/{id}. */
export interface EscrowView {
  /** Committed height the answer is read at. */
  height: number;
  escrow: EscrowRecord;
  /** Proof of the escrow's state key `escrow/escrow/<id>` at `height`. */
  proof: StateProofBundle;
  /** What happened, in words, oldest first; then what is still awaited. */
  why: string[];
  /** The opening transaction and every record that met a condition, held the funds or cost a penalty. */
  records: EscrowProvenRecord[];
}

/** The state key of an escrow. */
export const escrowStateKey = (id: string): string => `escrow/escrow/${id}`;

export interface VerifiedEscrowView {
  /** The escrow's state proof. */
  state: VerifiedProof;
  /** One per record, in the view's order. */
  records: VerifiedProof[];
}

/**
 * Checks a `GET /v1/escrows/{id}` answer offline against the genesis the caller trusts: the
 * state proof verifies and proves exactly this escrow record at this height; every record's
 * transaction proof verifies and is of that transaction at that height, with the EPCIS event
 * (`trace.EventCaptured` with that eventId, at that log index) when the record names one; and
 * every record the proven escrow names (opening transaction, conditions met, holds, excursion)
 * has its proof in the answer. Throws ProofError (the part that failed), else returns what held.
 * The `why` lines are words, not proven: they are derived from the proven record.
 */
export function verifyEscrowView(view: EscrowView, genesis: Genesis): VerifiedEscrowView {
  const mismatch = (message: string) =>
    new ProofError({ code: "PROOF_RECORD_MISMATCH", part: "record", message });
  const state = verifyProof(view.proof, genesis);
  const key = escrowStateKey(view.escrow.id);
  if (view.proof.key !== key) throw mismatch(`the state proof is for ${view.proof.key}, not ${key}`);
  if (canonicalString(view.proof.value) !== canonicalString(view.escrow as unknown as CanonicalValue)) {
    throw mismatch(`the state proof shows another value of ${key} than the answer's escrow`);
  }
  if (view.proof.header.height !== view.height) {
    throw mismatch(`the state proof is at height ${view.proof.header.height}, the answer at ${view.height}`);
  }
  const records = view.records.map((r) => {
    const verified = verifyProof(r.proof, genesis);
    const { entry } = r.proof.receipt;
    if (entry.txHash !== r.txHash) {
      throw mismatch(`the proof of record ${r.txHash} is of transaction ${entry.txHash}`);
    }
    if (r.proof.header.height !== r.height) {
      throw mismatch(`record ${r.txHash} is at height ${r.height}, its proof at ${r.proof.header.height}`);
    }
    if (r.eventId !== undefined) {
      const event = r.proof.events.find(
        (e) =>
          e.entry.module === "trace" &&
          e.entry.type === "EventCaptured" &&
          e.entry.attributes.eventId === r.eventId &&
          (r.logIndex === undefined || e.logIndex === r.logIndex),
      );
      if (!event) throw mismatch(`transaction ${r.txHash} has no trace.EventCaptured of ${r.eventId}`);
    }
    return verified;
  });
  const proven = new Set(view.records.map((r) => r.txHash));
  for (const ref of namedRecords(view.escrow)) {
    if (!proven.has(ref.txHash))
      throw mismatch(`the escrow names tx ${ref.txHash}, the answer has no proof of it`);
  }
  return { state, records };
}

/** Every ledger record an escrow names: its opening, conditions met, holds, excursion. */
export function namedRecords(escrow: EscrowRecord): EscrowRecordRef[] {
  const byTx = new Map<string, EscrowRecordRef>();
  const add = (r: EscrowRecordRef | null | undefined) => {
    if (r?.txHash && !byTx.has(r.txHash)) byTx.set(r.txHash, r);
  };
  add({ height: escrow.openedAt, txHash: escrow.openTx });
  for (const m of escrow.milestones) for (const s of m.satisfied) add(s);
  add(escrow.excursion);
  for (const h of escrow.history) add(h.record);
  return [...byTx.values()];
}
