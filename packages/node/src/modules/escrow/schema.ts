/**
 * Arguments of the escrow methods. Sizes are bounded here so a stored escrow (and the work one
 * record can cause at the end of a block) stays small; the rules between fields are checked by
 * `checkTerms` so a client learns which one it broke.
 */
import { Type } from "@sinclair/typebox";
import { AddressSchema } from "@weft/core";
import { AmountSchema } from "../token/amount.js";

const strict = { additionalProperties: false } as const;

export const MAX_SHIPMENT_IDS = 16;
export const MAX_MILESTONES = 8;
export const MAX_CONDITIONS = 8;
export const MAX_ATTESTERS = 16;
export const BPS = 10_000;
export const DAY_MS = 86_400_000;
/** An escrow lasts at most this long: its deadline is within a year and a half of opening. */
export const MAX_TERM_MS = 550 * DAY_MS;

export const EscrowId = Type.String({
  pattern: "^[A-Za-z0-9._:-]{1,64}$",
  description: 'Escrow id chosen by the buyer, e.g. "PO-4711"',
});
const Bps = Type.Integer({ minimum: 0, maximum: BPS, description: "basis points (1/100 of a percent)" });
const Uri = Type.String({ minLength: 1, maxLength: 512 });
const Claim = Type.String({
  pattern: "^[A-Za-z0-9._:-]{1,64}$",
  description: 'what is attested, e.g. "inspected"',
});
const Time = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, description: "block time, ms" });

/** An EPCIS event about the shipment with every field given (CBV names or URIs, GLN/SGLN or Digital Link). */
export const EventConditionSchema = Type.Object(
  {
    eventType: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
    action: Type.Optional(Type.Union([Type.Literal("ADD"), Type.Literal("OBSERVE"), Type.Literal("DELETE")])),
    bizStep: Type.Optional(Uri),
    disposition: Type.Optional(Uri),
    bizLocation: Type.Optional(Uri),
    readPoint: Type.Optional(Uri),
  },
  strict,
);

/** A business document (bizTransactionList entry) of this type, and id when given, on an event about the shipment. */
export const DocumentConditionSchema = Type.Object({ type: Uri, id: Type.Optional(Uri) }, strict);

/**
 * An attester: an account (a member's or a device's address), or `org:<name>`, an organisation
 * of the registry, for which any of its active members attests (the organisation counts once).
 */
export const AttesterSchema = Type.Union([
  AddressSchema,
  Type.String({ pattern: "^org:[A-Za-z0-9][A-Za-z0-9._-]{0,63}$", description: "org:<registry name>" }),
]);

/** k distinct attesters of `from` (accounts or organisations) sent `escrow.attest` with this claim. */
export const AttestationConditionSchema = Type.Object(
  {
    claim: Claim,
    k: Type.Integer({ minimum: 1, maximum: MAX_ATTESTERS }),
    from: Type.Array(AttesterSchema, { minItems: 1, maxItems: MAX_ATTESTERS }),
  },
  strict,
);

export const ConditionSchema = Type.Union([
  Type.Object({ event: EventConditionSchema }, strict),
  Type.Object({ document: DocumentConditionSchema }, strict),
  Type.Object({ attestations: AttestationConditionSchema }, strict),
]);

export const MilestoneSchema = Type.Object(
  {
    name: Type.String({ pattern: "^[A-Za-z0-9._:-]{1,32}$" }),
    shareBps: Type.Integer({ minimum: 1, maximum: BPS }),
    conditions: Type.Array(ConditionSchema, { minItems: 1, maxItems: MAX_CONDITIONS }),
    /** Released after this block time, the milestone pays the late penalty. */
    dueBy: Type.Optional(Time),
  },
  strict,
);

export const PenaltiesSchema = Type.Object(
  {
    /** Per started day after a milestone's dueBy, of that milestone's share, back to the buyer. */
    latePerDayBps: Type.Optional(Bps),
    /** The most the late penalty takes (default: all of it). */
    lateCapBps: Type.Optional(Bps),
    /** Of every share released after a sensor alarm on the shipment (with quality.onAlarm "penalty"). */
    excursionBps: Type.Optional(Bps),
  },
  strict,
);

export const QualitySchema = Type.Object(
  {
    /** "hold" (default): an ALARM_CONDITION sensor report freezes the escrow; "penalty": it costs excursionBps. */
    onAlarm: Type.Optional(Type.Union([Type.Literal("hold"), Type.Literal("penalty")])),
  },
  strict,
);

export const OpenArgsSchema = Type.Object(
  {
    id: EscrowId,
    seller: AddressSchema,
    asset: Type.String({ minLength: 1, maxLength: 32 }),
    amount: AmountSchema,
    /** The goods and papers the escrow watches: EPCs (SSCC, SGTIN… as URN or Digital Link) or business transaction ids. */
    shipment: Type.Array(Uri, { minItems: 1, maxItems: MAX_SHIPMENT_IDS }),
    milestones: Type.Array(MilestoneSchema, { minItems: 1, maxItems: MAX_MILESTONES }),
    /** Whatever is unreleased at the first block after this time goes back to the buyer. */
    deadline: Time,
    penalties: Type.Optional(PenaltiesSchema),
    quality: Type.Optional(QualitySchema),
    /** May resolve a dispute or a quality hold (governance always may). */
    arbiter: Type.Optional(AddressSchema),
    /** The agreed Incoterms 2020 rule, e.g. "DAP" (recorded; the conditions say where delivery happens). */
    incoterm: Type.Optional(Type.String({ pattern: "^[A-Z]{3}$" })),
  },
  { ...strict, description: "Open an escrow: the buyer's funds are held until the conditions release them" },
);

export const AttestArgsSchema = Type.Object({ id: EscrowId, claim: Claim }, strict);

export const DisputeArgsSchema = Type.Object(
  { id: EscrowId, reason: Type.String({ minLength: 1, maxLength: 500 }) },
  strict,
);

export const ResolveArgsSchema = Type.Object(
  {
    id: EscrowId,
    /** Share of what is still held that goes to the seller; the rest goes back to the buyer. */
    sellerBps: Type.Optional(Bps),
    /** Lift the freeze instead: the escrow is open again and its conditions release it. */
    resume: Type.Optional(Type.Literal(true)),
    note: Type.Optional(Type.String({ maxLength: 500 })),
  },
  strict,
);

export const CancelArgsSchema = Type.Object({ id: EscrowId }, strict);

export const EscrowParamsSchema = Type.Object({ id: EscrowId }, strict);
