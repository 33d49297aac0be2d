import { type CanonicalValue, isWeftError } from "@weft/core";
import { defaultModules, ModuleRegistry } from "@weft/node";
import {
  type BlockTime,
  deliveryMilestone,
  ESCROW_LIMITS,
  type EscrowMilestoneTerms,
  escrowCall,
  type OpenEscrowParams,
  type TxCall,
} from "@weft/sdk";
import { parseJsonObject } from "./args.js";
import { DAY_MS, parseDuration } from "./duration.js";
import { CliError, usage } from "./errors.js";

/*
 * Pure parsing for `weft escrow`: times, percentages, the `--terms` file, and the local
 * admission check (the escrow module's own schema and term rules), so a bad escrow exits 2
 * before anything is signed or sent.
 */

/** Without --deadline, an escrow opened with --deliver-to runs this long. */
export const DEFAULT_ESCROW_TERM_MS = 30 * DAY_MS;

const ISO_TIME = /^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,3})?)?(?:Z|[+-]\d{2}:\d{2}))?$/;

/**
 * A point in (block) time: an ISO 8601 date (`2026-03-01`, midnight UTC) or date-time with a zone
 * (`2026-03-01T12:00:00Z`, `…+01:00`), or a duration from `now` (`14d`, `36h`). A time without a
 * zone is refused: it would mean something else on every machine.
 */
export function parseTime(value: string, name: string, now: number): number {
  const text = value.trim();
  if (/^[0-9]+(ms|s|m|h|d|w)$/.test(text)) return now + parseDuration(text, name);
  const ms = ISO_TIME.test(text) ? Date.parse(text) : Number.NaN;
  if (!Number.isSafeInteger(ms) || ms < 0) {
    throw usage(
      `${name} must be an ISO 8601 time with a zone (e.g. 2026-03-01T12:00:00Z) or a duration from now (e.g. 14d) (got "${value}")`,
    );
  }
  return ms;
}

/** `2`, `2.5`, `0.25`, `100`, optionally with `%` → basis points (200, 250, 25, 10000). */
export function parsePercent(value: string, name: string): number {
  const match = /^([0-9]{1,3})(?:\.([0-9]{1,2}))?%?$/.exec(value.trim());
  const bps = match ? Number(match[1]) * 100 + Number((match[2] ?? "").padEnd(2, "0")) : Number.NaN;
  if (!Number.isSafeInteger(bps) || bps > ESCROW_LIMITS.bps) {
    throw usage(
      `${name} must be a percentage from 0 to 100 with at most 2 decimals, e.g. 2.5 (got "${value}")`,
    );
  }
  return bps;
}

/** Basis points as a percentage: 250 → "2.5 %". */
export function showBps(bps: number): string {
  const whole = Math.floor(bps / 100);
  const cents = bps % 100;
  return `${whole}${cents === 0 ? "" : `.${String(cents).padStart(2, "0").replace(/0$/, "")}`} %`;
}

/** The flags of `weft escrow open`, after commander. */
export interface OpenFlags {
  id?: string;
  seller?: string;
  asset?: string;
  amount?: string;
  shipment?: string[];
  deliverTo?: string;
  due?: string;
  deadline?: string;
  latePerDay?: string;
  lateCap?: string;
  arbiter?: string;
  incoterm?: string;
  terms?: string;
}

/** What the command line and the terms file say, before accounts are resolved. */
export interface DraftTerms {
  id?: string;
  seller?: string;
  asset?: string;
  amount?: string;
  shipment?: string[];
  milestones?: EscrowMilestoneTerms[];
  deadline?: number;
  penalties?: OpenEscrowParams["penalties"];
  quality?: OpenEscrowParams["quality"];
  arbiter?: string;
  incoterm?: string;
}

const TERMS_FIELDS = new Set([
  "id",
  "seller",
  "asset",
  "amount",
  "shipment",
  "milestones",
  "deadline",
  "penalties",
  "quality",
  "arbiter",
  "incoterm",
]);

/**
 * The escrow the command line describes: `--deliver-to` makes the single delivery milestone,
 * `--terms` reads them from a file (fields as `escrow.open` takes them; `deadline` and
 * `dueBy` may also be ISO times or durations from now). Flags override the file.
 */
export function draftTerms(
  flags: OpenFlags,
  now: number,
  termsText?: string,
  termsName = "--terms",
): DraftTerms {
  if (flags.terms !== undefined && (flags.deliverTo !== undefined || flags.due !== undefined)) {
    throw usage(
      "--deliver-to and --due make the single delivery milestone; with --terms the file's milestones apply",
    );
  }
  if (flags.terms === undefined && flags.deliverTo === undefined) {
    throw usage("give --deliver-to <GLN> (one delivery milestone) or --terms <file.json> (any milestones)");
  }
  const draft: DraftTerms = termsText === undefined ? {} : readTermsFile(termsText, termsName, now);
  if (flags.id !== undefined) draft.id = flags.id;
  if (flags.seller !== undefined) draft.seller = flags.seller;
  if (flags.asset !== undefined) draft.asset = flags.asset;
  if (flags.amount !== undefined) draft.amount = flags.amount;
  if (flags.shipment !== undefined && flags.shipment.length > 0) draft.shipment = flags.shipment;
  if (flags.arbiter !== undefined) draft.arbiter = flags.arbiter;
  if (flags.incoterm !== undefined) draft.incoterm = flags.incoterm;
  if (flags.deadline !== undefined) draft.deadline = parseTime(flags.deadline, "--deadline", now);
  if (flags.latePerDay !== undefined || flags.lateCap !== undefined) {
    draft.penalties = { ...draft.penalties };
    if (flags.latePerDay !== undefined)
      draft.penalties.latePerDayBps = parsePercent(flags.latePerDay, "--late-per-day");
    if (flags.lateCap !== undefined) draft.penalties.lateCapBps = parsePercent(flags.lateCap, "--late-cap");
  }
  if (flags.deliverTo !== undefined) {
    const dueBy = flags.due === undefined ? undefined : parseTime(flags.due, "--due", now);
    try {
      draft.milestones = [deliveryMilestone({ deliverTo: flags.deliverTo, dueBy })];
    } catch (e) {
      throw usage(isWeftError(e) ? e.message.replace(/^deliverTo/, "--deliver-to") : String(e));
    }
    draft.incoterm ??= "DAP";
    draft.deadline ??= now + DEFAULT_ESCROW_TERM_MS;
    if (dueBy !== undefined && dueBy <= now) throw usage("--due is in the past");
  }
  if (draft.penalties?.latePerDayBps && !draft.milestones?.some((m) => m.dueBy !== undefined)) {
    throw usage("--late-per-day needs a due time (--due, or dueBy in the --terms milestones)");
  }
  const missing = (
    [
      ["id", "--id"],
      ["seller", "--seller"],
      ["asset", "--asset"],
      ["amount", "--amount"],
      ["shipment", "--shipment"],
      ["deadline", "--deadline"],
    ] as const
  ).filter(([field]) => draft[field] === undefined);
  if (missing.length > 0) {
    throw usage(`missing ${missing.map(([, flag]) => flag).join(", ")} (on the command line or in --terms)`);
  }
  const deadline = draft.deadline as number;
  if (deadline <= now) throw usage(`the deadline ${new Date(deadline).toISOString()} is in the past`);
  if (deadline - now > ESCROW_LIMITS.termMs) {
    throw usage(`the deadline is more than ${ESCROW_LIMITS.termMs / DAY_MS} days away (the module's limit)`);
  }
  return draft;
}

function readTermsFile(text: string, name: string, now: number): DraftTerms {
  const bad = (message: string) =>
    new CliError({ code: "CLI_BAD_INPUT", message: `${name}: ${message}`, exitCode: 2 });
  let json: Record<string, unknown>;
  try {
    json = parseJsonObject(text, name);
  } catch (e) {
    throw bad(isWeftError(e) ? e.message.replace(`${name} `, "") : String(e));
  }
  const unknown = Object.keys(json).filter((k) => !TERMS_FIELDS.has(k));
  if (unknown.length > 0) throw bad(`unknown field ${unknown.join(", ")} (${[...TERMS_FIELDS].join(", ")})`);
  const draft = { ...json } as DraftTerms & Record<string, unknown>;
  const time = (value: unknown, field: string): number => {
    if (typeof value === "number") return value;
    if (typeof value === "string") {
      try {
        return parseTime(value, field, now);
      } catch (e) {
        throw bad(isWeftError(e) ? e.message : String(e));
      }
    }
    throw bad(`${field} must be ms since the epoch, an ISO 8601 time or a duration from now`);
  };
  if (json.deadline !== undefined) draft.deadline = time(json.deadline, "deadline");
  if (json.amount !== undefined) {
    if (typeof json.amount === "number" && Number.isSafeInteger(json.amount))
      draft.amount = String(json.amount);
  }
  if (json.milestones !== undefined) {
    if (!Array.isArray(json.milestones)) throw bad("milestones must be a list");
    draft.milestones = json.milestones.map((m: unknown, i: number) => {
      if (m === null || typeof m !== "object" || Array.isArray(m))
        throw bad(`milestones[${i}] must be an object`);
      const milestone = { ...(m as Record<string, unknown>) };
      if (milestone.dueBy !== undefined) milestone.dueBy = time(milestone.dueBy, `milestones[${i}].dueBy`);
      return milestone as unknown as EscrowMilestoneTerms;
    });
  }
  return draft;
}

/** Accounts of the terms (seller, arbiter, attesters) given as key names become addresses. */
export async function resolveAccounts(
  draft: DraftTerms,
  resolve: (ref: string, what: string) => Promise<string>,
): Promise<OpenEscrowParams> {
  const milestones = await Promise.all(
    (draft.milestones ?? []).map(async (m, i) => ({
      ...m,
      conditions: await Promise.all(
        (Array.isArray(m.conditions) ? m.conditions : []).map(async (c, j) => {
          if (c && typeof c === "object" && "attestations" in c && Array.isArray(c.attestations?.from)) {
            const from = await Promise.all(
              c.attestations.from.map((f, k) =>
                typeof f === "string"
                  ? resolve(f, `milestones[${i}].conditions[${j}].attestations.from[${k}]`)
                  : f,
              ),
            );
            return { attestations: { ...c.attestations, from } };
          }
          return c;
        }),
      ),
    })),
  );
  const params: OpenEscrowParams = {
    id: draft.id as string,
    seller: await resolve(draft.seller as string, "--seller"),
    asset: draft.asset as string,
    amount: draft.amount as string,
    shipment: draft.shipment as string[],
    milestones,
    deadline: draft.deadline as BlockTime,
  };
  if (draft.penalties !== undefined) params.penalties = draft.penalties;
  if (draft.quality !== undefined) params.quality = draft.quality;
  if (draft.arbiter !== undefined) params.arbiter = await resolve(draft.arbiter, "--arbiter");
  if (draft.incoterm !== undefined) params.incoterm = draft.incoterm;
  return params;
}

let registry: ModuleRegistry | undefined;

/**
 * The call, checked as a node's admission checks it: the SDK's rules, then the escrow module's
 * argument schema and term rules (`escrow.open`'s precheck). Any refusal is CLI_USAGE (exit 2).
 */
export function checkedCall(build: () => TxCall): TxCall {
  let call: TxCall;
  try {
    call = build();
  } catch (e) {
    if (isWeftError(e)) throw usage(e.message);
    throw e;
  }
  registry ??= new ModuleRegistry(defaultModules.filter((m) => m.name === "escrow"));
  try {
    registry.admit(call.module, call.method, call.args as CanonicalValue);
  } catch (e) {
    if (isWeftError(e)) throw usage(`${call.module}.${call.method}: ${e.message}`);
    throw e;
  }
  return call;
}

/** `escrowCall.open`, checked locally. */
export const checkedOpen = (params: OpenEscrowParams): TxCall => checkedCall(() => escrowCall.open(params));
