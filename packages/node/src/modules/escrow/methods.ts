/**
 * Escrow transactions. None of them moves funds except `open` (which places the hold): releases,
 * refunds and decisions are carried out at the end of the block (settle.ts).
 */
import type { CanonicalValue } from "@weft/core";
import { defineMethod, type ResourceFacts, type StateView, type TxContext } from "../../app/module.js";
import { moduleAccount } from "../../app/module-account.js";
import { activeIdentity, identityEnabled, readOrg } from "../identity/state.js";
import { tokenCalls, tokenView } from "../token/calls.js";
import { EscrowError } from "./errors.js";
import {
  AttestArgsSchema,
  CancelArgsSchema,
  DisputeArgsSchema,
  OpenArgsSchema,
  ResolveArgsSchema,
} from "./schema.js";
import {
  type Attestation,
  attesterFor,
  type Escrow,
  EscrowStore,
  escrowKey,
  FINAL,
  type HistoryEntry,
  type RecordRef,
} from "./state.js";
import { checkTerms, escrowFromTerms } from "./terms.js";

export const ESCROW_ACCOUNT = moduleAccount("escrow");
/** Disputes one escrow may see: bounds its history. */
export const MAX_DISPUTES = 4;

const notAuthorized = (message: string, escrowId: string) =>
  new EscrowError({ code: "ESCROW_NOT_AUTHORIZED", message, escrowId });

function ownTx(ctx: TxContext, what: string, escrowId: string): void {
  if (ctx.via !== "tx") throw notAuthorized(`${what} is a party's own transaction`, escrowId);
}

function live(store: EscrowStore, id: string): Escrow {
  const escrow = store.get(id);
  if (FINAL.has(escrow.status)) {
    throw new EscrowError({
      code: "ESCROW_CLOSED",
      message: `escrow ${id} is ${escrow.status}`,
      escrowId: id,
    });
  }
  if (escrow.pending) {
    throw new EscrowError({
      code: "ESCROW_CLOSED",
      message: `escrow ${id} has a decision being carried out in this block`,
      escrowId: id,
    });
  }
  return escrow;
}

/** The transaction itself as the record of a party's act (a governance decision: the deciding vote). */
const txRef = (ctx: TxContext): RecordRef => ({ height: ctx.height, txHash: ctx.txHash });

const log = (ctx: TxContext, escrow: Escrow, entry: Omit<HistoryEntry, "height" | "time">) =>
  escrow.history.push({ height: ctx.height, time: ctx.time, ...entry });

/** For policies: whose escrow it is (read-only). */
function partyFacts(state: StateView, id: string, who: (e: Escrow) => (string | null)[]): ResourceFacts {
  const escrow = state.get(`escrow/${escrowKey(id)}`) as Escrow | undefined;
  return { owners: escrow ? who(escrow).filter((a): a is string => a !== null) : [] };
}

/** `org:<name>` attesters must be active organisations of the registry (so: a permissioned chain). */
function checkOrgAttesters(ctx: TxContext, escrow: Escrow): void {
  const get = (key: string) => ctx.view.get(key);
  for (const m of escrow.milestones) {
    for (const c of m.conditions) {
      if (!("attestations" in c)) continue;
      for (const entry of c.attestations.from) {
        if (!entry.startsWith("org:")) continue;
        const name = entry.slice(4);
        if (!identityEnabled(get) || readOrg(get, name)?.status !== "active") {
          throw new EscrowError({
            code: "ESCROW_BAD_ARGS",
            message: `attester ${entry}: no active organisation ${name} in the registry`,
            escrowId: escrow.id,
            field: "attestations.from",
          });
        }
      }
    }
  }
}

export const open = defineMethod({
  description:
    "Open an escrow as the buyer: `amount` of `asset` is held from the buyer's balance (controller: the escrow module) " +
    "and released to the seller milestone by milestone, at the end of the block in which the milestone's conditions " +
    "(EPCIS events, documents, attestations about `shipment`) are all met, less late and excursion penalties. " +
    "Whatever is unreleased after `deadline` goes back to the buyer.",
  args: OpenArgsSchema,
  precheck: (args) => checkTerms(args),
  execute(ctx, args) {
    ownTx(ctx, "opening an escrow", args.id);
    const store = new EscrowStore(ctx.state);
    if (store.find(args.id)) {
      throw new EscrowError({
        code: "ESCROW_EXISTS",
        message: `escrow ${args.id} already exists`,
        escrowId: args.id,
      });
    }
    const escrow = escrowFromTerms(args, {
      buyer: ctx.sender,
      height: ctx.height,
      time: ctx.time,
      txHash: ctx.txHash,
    });
    checkOrgAttesters(ctx, escrow);
    const asset = tokenView.asset(ctx.view, args.asset);
    if (!asset || asset.kind === "nft") {
      throw new EscrowError({
        code: "ESCROW_BAD_ARGS",
        message: asset ? `${args.asset} is a non-fungible asset` : `no asset ${args.asset}`,
        escrowId: args.id,
        field: "asset",
      });
    }
    store.watch(escrow);
    // The buyer's own approval places the hold; only the escrow module may release it.
    ctx.invoke(
      [
        tokenCalls.placeHold({
          asset: args.asset,
          amount: escrow.amount,
          holdId: escrow.holdId,
          owner: ctx.sender,
          controller: ESCROW_ACCOUNT,
        }),
      ],
      [ctx.sender],
    );
    store.schedule(escrow, ctx.time);
    store.put(escrow);
    ctx.emit("Opened", {
      escrowId: escrow.id,
      buyer: escrow.buyer,
      seller: escrow.seller,
      asset: escrow.asset,
      amount: escrow.amount,
      deadline: escrow.deadline,
    });
  },
});

export const attest = defineMethod({
  description:
    "Attest a claim (e.g. an inspection) for an escrow's attestation condition; counts only from the accounts the condition lists.",
  args: AttestArgsSchema,
  execute(ctx, args) {
    ownTx(ctx, "an attestation", args.id);
    const store = new EscrowStore(ctx.state);
    const escrow = live(store, args.id);
    // On a permissioned chain the attester's organisation may count for an `org:<name>` entry.
    const get = (key: string) => ctx.view.get(key);
    const org = identityEnabled(get)
      ? activeIdentity(get, ctx.sender, ctx.height, ctx.time).org.name
      : undefined;
    const attestation: Attestation = {
      by: ctx.sender,
      ...(org !== undefined ? { org } : {}),
      height: ctx.height,
      txHash: ctx.txHash,
    };
    const listed = escrow.milestones.some((m) =>
      m.conditions.some(
        (c) =>
          "attestations" in c &&
          c.attestations.claim === args.claim &&
          attesterFor(attestation, c.attestations.from) !== undefined,
      ),
    );
    if (!listed) {
      throw new EscrowError({
        code: "ESCROW_NOT_ATTESTER",
        message: `${ctx.sender}${org ? ` (${org})` : ""} is not an attester of "${args.claim}" for escrow ${args.id}`,
        escrowId: args.id,
      });
    }
    if (store.attestations(args.id, args.claim).some((a) => a.by === ctx.sender)) {
      throw new EscrowError({
        code: "ESCROW_ALREADY_ATTESTED",
        message: `${ctx.sender} already attested "${args.claim}" for escrow ${args.id}`,
        escrowId: args.id,
      });
    }
    store.addAttestation(args.id, args.claim, attestation);
    ctx.emit("Attested", { escrowId: args.id, claim: args.claim, by: ctx.sender });
  },
});

export const dispute = defineMethod({
  description:
    "Dispute an open or held escrow (buyer or seller): its funds freeze — no release, no deadline refund — until the arbiter or governance resolves it.",
  args: DisputeArgsSchema,
  resource: (state, args) => partyFacts(state, args.id, (e) => [e.buyer, e.seller]),
  execute(ctx, args) {
    ownTx(ctx, "a dispute", args.id);
    const store = new EscrowStore(ctx.state);
    const escrow = live(store, args.id);
    if (ctx.sender !== escrow.buyer && ctx.sender !== escrow.seller) {
      throw notAuthorized(`only the buyer or the seller may dispute escrow ${args.id}`, args.id);
    }
    if (escrow.arbiter === null && !identityEnabled((key) => ctx.view.get(key))) {
      throw notAuthorized(
        `escrow ${args.id} has no arbiter and this chain no governance: nobody could decide a dispute`,
        args.id,
      );
    }
    if (escrow.status === "disputed") {
      throw new EscrowError({
        code: "ESCROW_CLOSED",
        message: `escrow ${args.id} is already disputed`,
        escrowId: args.id,
      });
    }
    if (escrow.disputes >= MAX_DISPUTES) {
      throw new EscrowError({
        code: "ESCROW_CLOSED",
        message: `escrow ${args.id} was disputed ${MAX_DISPUTES} times: only a decision closes it now`,
        escrowId: args.id,
      });
    }
    escrow.status = "disputed";
    escrow.disputes += 1;
    log(ctx, escrow, { kind: "disputed", by: ctx.sender, note: args.reason, record: txRef(ctx) });
    store.put(escrow);
    ctx.emit("Disputed", { escrowId: args.id, by: ctx.sender, reason: args.reason });
  },
});

export const resolve = defineMethod({
  description:
    "Decide a disputed or held escrow: `sellerBps` of what is still held to the seller and the rest to the buyer (paid at the end of the block), " +
    "or `resume: true` to lift the freeze. By the escrow's arbiter, or by governance.",
  args: ResolveArgsSchema,
  resource: (state, args) => partyFacts(state, args.id, (e) => [e.arbiter]),
  execute(ctx, args) {
    if ((args.sellerBps === undefined) === (args.resume === undefined)) {
      throw new EscrowError({
        code: "ESCROW_BAD_ARGS",
        message: "give exactly one of sellerBps and resume",
        escrowId: args.id,
      });
    }
    const store = new EscrowStore(ctx.state);
    const escrow = live(store, args.id);
    // Governance decides only on a permissioned chain: on an open one any account's proposal
    // executes at once, so a party could dispute and pay itself.
    const byGovernance =
      ctx.via === "governance" &&
      ctx.sender === moduleAccount("gov") &&
      identityEnabled((key) => ctx.view.get(key));
    if (!byGovernance && !(ctx.via === "tx" && escrow.arbiter !== null && ctx.sender === escrow.arbiter)) {
      throw notAuthorized(`only the arbiter of escrow ${args.id} or governance may resolve it`, args.id);
    }
    if (escrow.status !== "held" && escrow.status !== "disputed") {
      throw new EscrowError({
        code: "ESCROW_NOT_FROZEN",
        message: `escrow ${args.id} is ${escrow.status}: only a held or disputed escrow is resolved`,
        escrowId: args.id,
      });
    }
    const note = args.note ?? "";
    if (args.resume) {
      escrow.status = "open";
      log(ctx, escrow, { kind: "resumed", by: ctx.sender, record: txRef(ctx), ...(note ? { note } : {}) });
      ctx.emit("Resumed", { escrowId: args.id, by: ctx.sender });
    } else {
      const sellerBps = args.sellerBps as number;
      escrow.pending = { kind: "resolve", sellerBps, by: ctx.sender, record: txRef(ctx) };
      ctx.emit("ResolveDecided", { escrowId: args.id, by: ctx.sender, sellerBps, note } as Record<
        string,
        CanonicalValue
      >);
    }
    store.put(escrow);
  },
});

export const cancel = defineMethod({
  description:
    "The seller gives up an escrow: everything still held goes back to the buyer at the end of the block.",
  args: CancelArgsSchema,
  resource: (state, args) => partyFacts(state, args.id, (e) => [e.seller]),
  execute(ctx, args) {
    ownTx(ctx, "a cancellation", args.id);
    const store = new EscrowStore(ctx.state);
    const escrow = live(store, args.id);
    if (ctx.sender !== escrow.seller)
      throw notAuthorized(`only the seller may cancel escrow ${args.id}`, args.id);
    escrow.pending = { kind: "cancel", by: ctx.sender, record: txRef(ctx) };
    store.put(escrow);
    ctx.emit("CancelRequested", { escrowId: args.id, by: ctx.sender });
  },
});
