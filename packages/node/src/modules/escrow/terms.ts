/**
 * Turns `escrow.open` arguments into the stored escrow: checks the rules between fields (shares
 * sum to 100 %, deadlines in order, attesters distinct) and writes every identifier and CBV value
 * in its canonical spelling. Pure: the same arguments give the same escrow on every node.
 */
import type { Static } from "@sinclair/typebox";
import {
  canonicalIdentifier,
  classifyCbvValue,
  looksLikeDigitalLink,
  type VocabularyName,
} from "@weft/epcis";
import { parseAmount } from "../token/amount.js";
import { idKey, vocabKey } from "../trace/facts.js";
import { EscrowError } from "./errors.js";
import { BPS, type ConditionSchema, MAX_TERM_MS, type OpenArgsSchema } from "./schema.js";
import type { Condition, Escrow, Milestone } from "./state.js";

export type OpenArgs = Static<typeof OpenArgsSchema>;
type ConditionArgs = Static<typeof ConditionSchema>;

const bad = (message: string, field?: string) =>
  new EscrowError({ code: "ESCROW_BAD_ARGS", message, ...(field ? { field } : {}) });

/** Checks what needs no state (admission runs it too). */
export function checkTerms(args: OpenArgs): void {
  const total = parseAmount(args.amount);
  if (total === 0n) throw bad("amount must be positive", "amount");
  const shares = args.milestones.reduce((sum, m) => sum + m.shareBps, 0);
  if (shares !== BPS) throw bad(`milestone shares add up to ${shares} bps, not ${BPS}`, "milestones");
  // A milestone worth 0 units would leave the escrow open with nothing held (the last one takes
  // the remainder: always at least 1).
  args.milestones.forEach((m, i) => {
    if ((total * BigInt(m.shareBps)) / BigInt(BPS) === 0n && i < args.milestones.length - 1) {
      throw bad(`milestones[${i}]: ${m.shareBps} bps of ${total} is 0 units`, `milestones[${i}].shareBps`);
    }
  });
  const names = new Set(args.milestones.map((m) => m.name));
  if (names.size !== args.milestones.length) throw bad("milestone names must differ", "milestones");
  if (args.arbiter !== undefined && args.arbiter === args.seller) {
    throw bad("the arbiter must not be the seller", "arbiter");
  }
  args.milestones.forEach((m, i) => {
    if (m.dueBy !== undefined && m.dueBy > args.deadline) {
      throw bad(`milestones[${i}].dueBy is after the deadline`, `milestones[${i}].dueBy`);
    }
    m.conditions.forEach((c, j) => {
      checkCondition(c, `milestones[${i}].conditions[${j}]`);
    });
  });
  const p = args.penalties ?? {};
  if ((args.quality?.onAlarm ?? "hold") === "penalty" && !p.excursionBps) {
    throw bad('quality.onAlarm "penalty" needs penalties.excursionBps', "penalties.excursionBps");
  }
  if (p.lateCapBps !== undefined && !p.latePerDayBps) {
    throw bad("penalties.lateCapBps needs penalties.latePerDayBps", "penalties.lateCapBps");
  }
  args.shipment.forEach((id, i) => {
    checkIdentifier(id, `shipment[${i}]`);
  });
  const keys = args.shipment.map(idKey);
  if (new Set(keys).size !== keys.length) throw bad("shipment lists an identifier twice", "shipment");
}

const EVENT_TYPES = new Set([
  "ObjectEvent",
  "AggregationEvent",
  "TransactionEvent",
  "TransformationEvent",
  "AssociationEvent",
]);

/** A CBV value (name, URN or Web URI) or a private vocabulary's full URI; a misspelt CBV name never matches. */
function checkVocabulary(vocabulary: VocabularyName, value: string, at: string): void {
  const r = classifyCbvValue(vocabulary, value);
  if (!r.ok) throw bad(`${at}: ${r.reason}`, at);
}

/** A GS1 identifier (EPC URN or Digital Link) must be valid, check digit included: a typo would never match. */
export function checkIdentifier(value: string, at: string): void {
  if (!/^urn:epc:/i.test(value) && !looksLikeDigitalLink(value)) return;
  try {
    canonicalIdentifier(value);
  } catch (e) {
    throw bad(`${at}: ${(e as Error).message}`, at);
  }
}

function checkCondition(c: ConditionArgs, at: string): void {
  if ("event" in c) {
    const e = c.event;
    if (Object.keys(e).length === 0) throw bad(`${at}.event names no field: it would match any event`, at);
    if (e.eventType !== undefined && !EVENT_TYPES.has(e.eventType)) {
      throw bad(`${at}.event.eventType ${JSON.stringify(e.eventType)} is not an EPCIS 2.0 event type`, at);
    }
    if (e.bizStep !== undefined) checkVocabulary("bizStep", e.bizStep, `${at}.event.bizStep`);
    if (e.disposition !== undefined) checkVocabulary("disposition", e.disposition, `${at}.event.disposition`);
    if (e.bizLocation !== undefined) checkIdentifier(e.bizLocation, `${at}.event.bizLocation`);
    if (e.readPoint !== undefined) checkIdentifier(e.readPoint, `${at}.event.readPoint`);
  }
  if ("document" in c) {
    checkVocabulary("bizTransactionType", c.document.type, `${at}.document.type`);
    if (c.document.id !== undefined) checkIdentifier(c.document.id, `${at}.document.id`);
  }
  if ("attestations" in c) {
    const { k, from } = c.attestations;
    if (new Set(from).size !== from.length) throw bad(`${at}.attestations.from lists an account twice`, at);
    if (k > from.length) throw bad(`${at}.attestations needs ${k} of only ${from.length} accounts`, at);
  }
}

/** Checks what depends on the block (its time, the buyer) and builds the escrow record. */
export function escrowFromTerms(
  args: OpenArgs,
  at: { buyer: string; height: number; time: number; txHash: string },
): Escrow {
  checkTerms(args);
  if (args.seller === at.buyer) throw bad("buyer and seller must differ", "seller");
  if (args.arbiter === at.buyer) throw bad("the arbiter must not be the buyer", "arbiter");
  if (args.deadline <= at.time)
    throw bad(`deadline ${args.deadline} is not after the block time ${at.time}`, "deadline");
  if (args.deadline - at.time > MAX_TERM_MS) {
    throw bad(`deadline is more than ${MAX_TERM_MS / 86_400_000} days away`, "deadline");
  }
  const total = parseAmount(args.amount);
  let given = 0n;
  const milestones = args.milestones.map((m, i): Milestone => {
    const last = i === args.milestones.length - 1;
    const amount = last ? total - given : (total * BigInt(m.shareBps)) / BigInt(BPS);
    given += amount;
    return {
      name: m.name,
      shareBps: m.shareBps,
      amount: amount.toString(),
      dueBy: m.dueBy ?? null,
      conditions: m.conditions.map(canonicalCondition),
      satisfied: m.conditions.map(() => null),
      status: "pending",
    };
  });
  const p = args.penalties ?? {};
  return {
    id: args.id,
    buyer: at.buyer,
    seller: args.seller,
    asset: args.asset,
    amount: total.toString(),
    holdId: `escrow:${args.id}`,
    shipment: args.shipment.map(idKey),
    milestones,
    deadline: args.deadline,
    penalties: {
      latePerDayBps: p.latePerDayBps ?? 0,
      lateCapBps: p.lateCapBps ?? BPS,
      excursionBps: p.excursionBps ?? 0,
    },
    onAlarm: args.quality?.onAlarm ?? "hold",
    arbiter: args.arbiter ?? null,
    incoterm: args.incoterm ?? null,
    status: "open",
    openedAt: at.height,
    openTx: at.txHash,
    excursion: null,
    disputes: 0,
    pending: null,
    history: [{ height: at.height, time: at.time, kind: "opened", by: at.buyer }],
  };
}

function canonicalCondition(c: ConditionArgs): Condition {
  if ("event" in c) {
    const e = c.event;
    const out: Extract<Condition, { event: unknown }>["event"] = {};
    if (e.eventType !== undefined) out.eventType = e.eventType;
    if (e.action !== undefined) out.action = e.action;
    if (e.bizStep !== undefined) out.bizStep = vocabKey("bizStep", e.bizStep);
    if (e.disposition !== undefined) out.disposition = vocabKey("disposition", e.disposition);
    if (e.bizLocation !== undefined) out.bizLocation = idKey(e.bizLocation);
    if (e.readPoint !== undefined) out.readPoint = idKey(e.readPoint);
    return { event: out };
  }
  if ("document" in c) {
    const type = vocabKey("bizTransactionType", c.document.type);
    return { document: c.document.id === undefined ? { type } : { type, id: idKey(c.document.id) } };
  }
  return { attestations: { ...c.attestations, from: [...c.attestations.from] } };
}
