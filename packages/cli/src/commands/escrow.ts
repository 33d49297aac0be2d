import { mkdirSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import {
  type EscrowHistoryEntry,
  type EscrowMilestone,
  type EscrowRecord,
  type EscrowView,
  escrowCall,
  type StoredEscrowCondition,
  type TxCall,
  type VerifiedEscrowView,
  verifyEscrowView,
} from "@weft/sdk";
import type { KeyFile } from "@weft/sdk/keyfile";
import type { Command } from "commander";
import { resolveAddress } from "../accounts.js";
import { parseAssetId } from "../args.js";
import { type CliContext, type CliIo, contextOf } from "../context.js";
import { CliError, usage } from "../errors.js";
import {
  checkedCall,
  checkedOpen,
  draftTerms,
  type OpenFlags,
  parsePercent,
  resolveAccounts,
  showBps,
} from "../escrow-terms.js";
import { readInput, writeJson } from "../files.js";
import {
  type ProposeFlags,
  propose,
  proposeOptions,
  renderReport,
  type SignFlags,
  signer,
  signOptions,
  submitAndWait,
} from "../governance.js";

/*
 * `weft escrow`: payment held on chain and released by the records of the shipment (the
 * `escrow` module). Every command checks its input before it signs (exit 2, nothing sent),
 * waits for the block, and prints the escrow as the chain has it after that block: releases,
 * refunds and decisions are carried out at the end of the block that triggered them.
 */

const ESCROW_ID = /^[A-Za-z0-9._:-]{1,64}$/;
const FINAL = new Set(["settled", "refunded", "resolved", "cancelled"]);

/** What the signing escrow commands print: the transaction and the escrow after its block. */
export interface EscrowReport {
  tx: string;
  height: number;
  escrow: EscrowRecord | null;
}

export function parseEscrowId(value: string): string {
  if (!ESCROW_ID.test(value)) {
    throw usage(`escrow id "${value}" must be 1-64 letters, digits, '.', '_', ':' or '-'`);
  }
  return value;
}

export function registerEscrow(program: Command, io: CliIo): void {
  const group = program
    .command("escrow")
    .description("payment held on chain until the shipment's records release it (the escrow module)");

  signOptions(
    group
      .command("open")
      .description(
        "open an escrow as the buyer (the signer): the amount is held from its balance and released to the seller " +
          "at the end of the block that records the agreed delivery; unreleased funds go back after the deadline",
      )
      .option("--id <id>", 'escrow id, e.g. "PO-4711" (1-64 letters, digits, . _ : -)')
      .option("--seller <account>", "seller: an address or a key name")
      .option("--asset <id>", "a fungible asset, e.g. WEFT")
      .option("--amount <units>", "amount in the asset's smallest unit")
      .option(
        "--shipment <id...>",
        "what is shipped: EPCs (SSCC, SGTIN…, URN or Digital Link) or document ids",
      )
      .option(
        "--deliver-to <GLN>",
        "one milestone: released by a receiving event at this GLN, SGLN or Digital Link",
      )
      .option(
        "--due <time>",
        "the delivery is late after this (ISO 8601 time, or a duration from now, e.g. 3d)",
      )
      .option(
        "--deadline <time>",
        "refund what is unreleased after this (ISO 8601 time, or a duration such as 14d; default 30d)",
      )
      .option(
        "--late-per-day <pct>",
        "late penalty per started day after --due, percent of the share back to the buyer",
      )
      .option("--late-cap <pct>", "the most the late penalty takes, percent (default: all)")
      .option("--arbiter <account>", "may decide a dispute or a quality hold (governance always may)")
      .option(
        "--incoterm <rule>",
        "the agreed Incoterms 2020 rule, recorded (default with --deliver-to: DAP)",
      )
      .option(
        "--terms <file>",
        "the terms as JSON, e.g. several milestones and conditions (flags override its fields)",
      ),
  ).action(async (flags: OpenFlags & SignFlags, command: Command) => {
    const ctx = contextOf(command, io);
    const text =
      flags.terms === undefined ? undefined : readInput(ctx.resolvePath(flags.terms), "--terms file");
    const draft = draftTerms(flags, Date.now(), text, `--terms ${flags.terms ?? ""}`.trim());
    if (draft.asset !== undefined) parseAssetId(draft.asset, "--asset");
    const params = await resolveAccounts(draft, (ref, what) => resolveAddress(ctx, ref, what));
    const call = checkedOpen(params);
    const key = await signer(ctx, flags);
    if (params.seller === key.address)
      throw usage("the signer is the buyer: --seller must be another account");
    const report = await submitAndRead(ctx, key, call, flags);
    ctx.out.result(report, (r) => renderEscrowReport(r, "opened"));
  });

  group
    .command("show")
    .description("an escrow, why it is where it is, and the proofs of its records (GET /v1/escrows/{id})")
    .argument("<id>", "escrow id")
    .option(
      "--prove",
      "verify the escrow's state proof and every record's transaction proof against <home>/genesis.json",
    )
    .option("--save-proofs <dir>", "write the proof bundles there, for `weft verify-proof` anywhere")
    .action(async (id: string, flags: { prove?: boolean; saveProofs?: string }, command: Command) => {
      const ctx = contextOf(command, io);
      parseEscrowId(id);
      const genesis = flags.prove ? ctx.genesis() : undefined;
      const view = await ctx.client().escrow(id);
      const verified = genesis ? verifyEscrowView(view, genesis) : undefined;
      const saved = flags.saveProofs === undefined ? [] : saveProofs(ctx, flags.saveProofs, view);
      // --json: the node's answer as it came.
      ctx.out.result(view, (v) => [
        ...renderEscrow(v.escrow),
        `height: ${v.height}`,
        "why:",
        ...v.why.map((line) => `  ${line}`),
        ...renderRecords(v),
        ...(verified ? [renderVerifiedView(verified)] : []),
        ...saved.map((path) => `wrote ${path}`),
      ]);
    });

  signOptions(
    group
      .command("attest")
      .description(
        "attest a claim (e.g. an inspection) for the escrow's attestation condition that lists you",
      )
      .argument("<id>", "escrow id")
      .requiredOption("--claim <claim>", 'what you attest, e.g. "inspected"'),
  ).action(async (id: string, flags: SignFlags & { claim: string }, command: Command) => {
    const call = checkedCall(() => escrowCall.attest({ id: parseEscrowId(id), claim: flags.claim }));
    await signAndShow(contextOf(command, io), call, flags, "attested");
  });

  signOptions(
    group
      .command("dispute")
      .description("as the buyer or the seller: freeze the escrow until its arbiter or governance decides")
      .argument("<id>", "escrow id")
      .requiredOption("--reason <text>", "why (1-500 characters, recorded on chain)"),
  ).action(async (id: string, flags: SignFlags & { reason: string }, command: Command) => {
    const call = checkedCall(() => escrowCall.dispute({ id: parseEscrowId(id), reason: flags.reason }));
    await signAndShow(contextOf(command, io), call, flags, "disputed");
  });

  proposeOptions(
    group
      .command("resolve")
      .description(
        "decide a held or disputed escrow as its arbiter: --seller-pct of what is still held to the seller, " +
          "the rest to the buyer; or --resume to lift the freeze. --propose asks governance instead",
      )
      .argument("<id>", "escrow id")
      .option("--seller-pct <pct>", "percent of what is still held that goes to the seller (0-100)")
      .option("--resume", "lift the freeze: the conditions release the escrow again")
      .option("--note <text>", "recorded with the decision")
      .option(
        "--propose",
        "propose the decision to the organisations (gov.propose) instead of signing it as arbiter",
      ),
  ).action(
    async (
      id: string,
      flags: ProposeFlags & { sellerPct?: string; resume?: boolean; note?: string; propose?: boolean },
      command: Command,
    ) => {
      const ctx = contextOf(command, io);
      if ((flags.sellerPct === undefined) === (flags.resume === undefined)) {
        throw usage("give exactly one of --seller-pct <pct> and --resume");
      }
      const sellerBps =
        flags.sellerPct === undefined ? undefined : parsePercent(flags.sellerPct, "--seller-pct");
      const call = checkedCall(() =>
        escrowCall.resolve({
          id: parseEscrowId(id),
          ...(sellerBps === undefined ? { resume: true as const } : { sellerBps }),
          ...(flags.note === undefined ? {} : { note: flags.note }),
        }),
      );
      if (!flags.propose) {
        await signAndShow(ctx, call, flags, "decided", true);
        return;
      }
      const key = await signer(ctx, flags);
      await readLive(ctx, id, true);
      const title =
        sellerBps === undefined
          ? `escrow ${id}: resume`
          : `escrow ${id}: ${showBps(sellerBps)} to the seller`;
      const report = await propose(ctx, flags, title, [call], key);
      ctx.out.result(report, (r) => renderReport(r, "proposed"));
    },
  );

  signOptions(
    group
      .command("cancel")
      .description("as the seller: give the escrow up; everything still held goes back to the buyer")
      .argument("<id>", "escrow id"),
  ).action(async (id: string, flags: SignFlags, command: Command) => {
    const call = checkedCall(() => escrowCall.cancel({ id: parseEscrowId(id) }));
    await signAndShow(contextOf(command, io), call, flags, "cancelled");
  });
}

/** Loads the signer, refuses a closed or unknown escrow before sending, then sends and shows. */
async function signAndShow(
  ctx: CliContext,
  call: TxCall,
  flags: SignFlags,
  verb: string,
  frozen = false,
): Promise<void> {
  const key = await signer(ctx, flags);
  await readLive(ctx, call.args.id as string, frozen);
  const report = await submitAndRead(ctx, key, call, flags);
  ctx.out.result(report, (r) => renderEscrowReport(r, verb));
}

async function readEscrow(ctx: CliContext, id: string): Promise<EscrowRecord | null> {
  const { value } = await ctx.client().query("escrow", "escrow", { id });
  return value as unknown as EscrowRecord | null;
}

/** The escrow, when it exists and still takes transactions (else exit 1, nothing sent); `frozen`: held or disputed. */
async function readLive(ctx: CliContext, id: string, frozen = false): Promise<EscrowRecord> {
  const escrow = await readEscrow(ctx, id);
  if (escrow === null) {
    throw new CliError({ code: "CLI_NOT_FOUND", message: `there is no escrow ${id}`, exitCode: 1 });
  }
  if (FINAL.has(escrow.status)) {
    const closed = escrow.history.at(-1)?.height;
    throw new CliError({
      code: "CLI_ESCROW_CLOSED",
      message: `escrow ${id} is ${escrow.status}${closed !== undefined ? ` since height ${closed}` : ""}: it takes no more transactions`,
      exitCode: 1,
    });
  }
  if (frozen && escrow.status !== "held" && escrow.status !== "disputed") {
    throw new CliError({
      code: "CLI_ESCROW_NOT_FROZEN",
      message: `escrow ${id} is ${escrow.status}: only a held or disputed escrow is resolved`,
      exitCode: 1,
    });
  }
  return escrow;
}

async function submitAndRead(
  ctx: CliContext,
  key: KeyFile,
  call: TxCall,
  flags: SignFlags,
): Promise<EscrowReport> {
  const status = await submitAndWait(ctx, key, call, flags);
  return {
    tx: status.hash,
    height: status.height ?? 0,
    escrow: await readEscrow(ctx, call.args.id as string),
  };
}

/** The escrow after the transaction's block, what that block did to it, and the transaction. */
export function renderEscrowReport(r: EscrowReport, verb: string): string[] {
  const since = (r.escrow?.history ?? []).filter((h) => h.height >= r.height);
  return [
    ...renderEscrow(r.escrow),
    ...(since.length > 0 ? [`at height ${r.height}:`, ...since.map((h) => `  ${renderHistory(h)}`)] : []),
    `${verb} in tx ${r.tx} at height ${r.height}`,
  ];
}

/** One history entry in one line (the node's `why` lines say more: GET /v1/escrows/{id}). */
export function renderHistory(h: EscrowHistoryEntry): string {
  const parts: string[] = [h.kind];
  if (h.milestone !== undefined)
    parts.push(`milestone ${h.milestone}${h.condition !== undefined ? ` condition ${h.condition}` : ""}`);
  if (h.by !== undefined) parts.push(`by ${h.by}`);
  if (h.toSeller !== undefined) parts.push(`${h.toSeller} to the seller`);
  if (h.toBuyer !== undefined) parts.push(`${h.toBuyer} to the buyer`);
  if (h.record !== undefined) parts.push(`record tx ${h.record.txHash}`);
  const text = parts.join(", ");
  return h.note ? `${text}: ${h.note}` : text;
}

/** The escrow in lines: parties, amount, status, each milestone and condition. */
export function renderEscrow(e: EscrowRecord | null): string[] {
  if (e === null) return ["escrow: (absent)"];
  const when = (ms: number) => new Date(ms).toISOString();
  const lines = [
    `escrow ${e.id}: ${e.status}${e.pending ? ` (${e.pending.kind} being carried out)` : ""}`,
    `buyer: ${e.buyer}`,
    `seller: ${e.seller}`,
    `amount: ${e.amount} ${e.asset} (hold ${e.holdId})`,
    `deadline: ${when(e.deadline)} (block time)${e.incoterm ? `, incoterm ${e.incoterm}` : ""}`,
  ];
  if (e.arbiter) lines.push(`arbiter: ${e.arbiter}`);
  const p = e.penalties;
  const terms = [
    p.latePerDayBps
      ? `late ${showBps(p.latePerDayBps)} per started day, at most ${showBps(p.lateCapBps)}`
      : "",
    e.onAlarm === "penalty"
      ? `sensor alarm costs ${showBps(p.excursionBps)}`
      : "sensor alarm holds the funds",
  ].filter(Boolean);
  lines.push(`penalties: ${terms.join("; ")}`);
  for (const m of e.milestones) lines.push(...renderMilestone(m));
  return lines;
}

function renderMilestone(m: EscrowMilestone): string[] {
  const due = m.dueBy === null ? "" : `, due ${new Date(m.dueBy).toISOString()}`;
  const paid =
    m.status === "released"
      ? ` at height ${m.closedAt}: ${m.toSeller} to the seller, ${m.toBuyer} to the buyer${m.penaltyBps ? ` (penalty ${showBps(m.penaltyBps)})` : ""}`
      : m.status === "pending"
        ? ""
        : ` at height ${m.closedAt}`;
  return [
    `milestone ${m.name} (${showBps(m.shareBps)}, ${m.amount}${due}): ${m.status}${paid}`,
    ...m.conditions.map((c, i) => {
      const s = m.satisfied[i];
      const met = s ? `met in tx ${s.txHash} at height ${s.height}` : "awaited";
      return `  [${s ? "x" : " "}] ${describeCondition(c)}: ${met}`;
    }),
  ];
}

export function describeCondition(c: StoredEscrowCondition): string {
  if ("event" in c) {
    return `event ${Object.entries(c.event)
      .map(([k, v]) => `${k}=${v}`)
      .join(" ")}`;
  }
  if ("document" in c) return `document ${c.document.type}${c.document.id ? ` ${c.document.id}` : ""}`;
  const { claim, k, from } = c.attestations;
  return `${k} of ${from.length} attestations of "${claim}"`;
}

function renderRecords(v: EscrowView): string[] {
  if (v.records.length === 0) return [];
  return [
    "records (each with its transaction proof):",
    ...v.records.map(
      (r) => `  tx ${r.txHash} at height ${r.height}${r.eventId ? ` (event ${r.eventId})` : ""}`,
    ),
  ];
}

const renderVerifiedView = (v: VerifiedEscrowView): string =>
  `proofs: valid (escrow state at block ${v.state.height}, ${v.records.length} record(s))`;

/** Writes the state proof and each record's proof as files `weft verify-proof` reads. */
function saveProofs(ctx: CliContext, dir: string, view: EscrowView): string[] {
  const root = ctx.resolvePath(dir);
  mkdirSync(root, { recursive: true });
  const safe = view.escrow.id.replace(/[^A-Za-z0-9._-]+/g, "_");
  const paths: string[] = [];
  const write = (name: string, bundle: unknown) => {
    const path = join(root, name);
    writeJson(path, bundle);
    const shown = relative(ctx.io.cwd, path);
    paths.push(shown.startsWith("..") || isAbsolute(shown) ? path : shown);
  };
  write(`escrow-${safe}.state.proof.json`, view.proof);
  for (const r of view.records) write(`${r.txHash}.proof.json`, r.proof);
  return paths;
}
