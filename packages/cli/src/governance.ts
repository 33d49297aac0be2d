import { existsSync } from "node:fs";
import { join } from "node:path";
import { type CanonicalValue, canonicalString } from "@weft/core";
import type { TxCall, TxStatus } from "@weft/sdk";
import { type KeyFile, loadKeyFile } from "@weft/sdk/keyfile";
import type { Command } from "commander";
import { loadAccount } from "./accounts.js";
import { integerOption } from "./args.js";
import type { CliContext } from "./context.js";
import { DAY_MS, durationOption } from "./duration.js";
import { CliError, usage } from "./errors.js";
import { renderEvent } from "./format.js";
import { throwUnlessOk } from "./tx-submit.js";

/*
 * What the identity and governance commands share: who signs (--key, else the node home's
 * admin key), submitting and waiting for the receipt (a proposal's id is only known once its
 * transaction is committed), and how proposals are shown.
 */

/** Flags of every command that signs: the signer and how long to wait for the commit. */
export interface SignFlags {
  key?: string;
  timeoutMs?: number;
}

export interface ProposeFlags extends SignFlags {
  deadline: number;
}

export const DEFAULT_DEADLINE_MS = 7 * DAY_MS;
export const MAX_DEADLINE_MS = 30 * DAY_MS;
/** gov.propose takes 1..16 actions. */
export const MAX_ACTIONS = 16;
const DEFAULT_TIMEOUT_MS = 30_000;

export function signOptions(command: Command): Command {
  return command
    .option(
      "--key <keyfile>",
      "signer: a key file (or a key name in the keys folder); default: the node home's keys/admin.json",
    )
    .option(
      "--timeout-ms <n>",
      `how long to wait for the commit (default ${DEFAULT_TIMEOUT_MS})`,
      integerOption("--timeout-ms", 1),
    );
}

export function proposeOptions(command: Command): Command {
  return signOptions(command).option(
    "--deadline <duration>",
    "how long the proposal stays open for votes, e.g. 36h, 7d (at most 30d)",
    durationOption("--deadline", 1, MAX_DEADLINE_MS),
    DEFAULT_DEADLINE_MS,
  );
}

/** The admin key of the home's organisation: `<node home>/keys/admin.json` (written by `weft init --orgs`). */
export const adminKeyPath = (ctx: CliContext): string => join(ctx.paths.keys, "admin.json");

/** `--key`, else the node home's admin key; neither is a usage error naming what was looked for. */
export async function signer(ctx: CliContext, flags: SignFlags): Promise<KeyFile> {
  if (flags.key !== undefined) return loadAccount(ctx, flags.key, "--key");
  const path = adminKeyPath(ctx);
  if (ctx.isNetworkRoot() || !existsSync(path)) {
    const where = ctx.isNetworkRoot()
      ? `${ctx.shownHome()} is a network folder: pick an organisation with --node <org>`
      : `${path} does not exist`;
    throw new CliError({
      code: "CLI_KEY_NOT_FOUND",
      message: `no --key given and no organisation admin key to default to (${where}), or pass --key <keyfile>`,
      exitCode: 2,
    });
  }
  return loadKeyFile(path);
}

/** Signs and submits one call, waits for its block; a failed receipt or a timeout throws (exit 1). */
export async function submitAndWait(
  ctx: CliContext,
  key: KeyFile,
  call: TxCall,
  flags: SignFlags,
): Promise<TxStatus> {
  const timeoutMs = flags.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const status = await ctx.client().send(key, call, { wait: true, timeoutMs });
  throwUnlessOk(status, timeoutMs);
  return status;
}

/** A proposal as the gov module stores it (`gov/proposal/<id>`). */
export interface Proposal {
  id: number;
  title: string;
  proposer: string;
  proposerOrg?: string | null;
  actions: { module: string; method: string; args: CanonicalValue }[];
  createdAt: number;
  deadline: number;
  votes: { voter: string; org?: string | null; approve: boolean; height: number }[];
  status: "open" | "executed" | "rejected" | "expired" | "failed";
  decidedAt?: number;
  error?: { code: string; message: string };
}

/** What a proposing or voting command prints: its transaction and the proposal after it. */
export interface ProposalReport {
  tx: string;
  height: number;
  proposal: Proposal;
}

/** `gov.propose` signed as `flags.key` (or the admin), then the stored proposal. */
export async function propose(
  ctx: CliContext,
  flags: ProposeFlags,
  title: string,
  actions: TxCall[],
  /** The signer, when the caller loaded it already (local checks before remote ones). */
  key?: KeyFile,
): Promise<ProposalReport> {
  key ??= await signer(ctx, flags);
  const args = {
    title,
    actions: actions.map((a) => ({ module: a.module, method: a.method, args: a.args })),
    deadlineMs: flags.deadline,
  } as unknown as { [k: string]: CanonicalValue };
  const status = await submitAndWait(ctx, key, { module: "gov", method: "propose", args }, flags);
  const id = eventId(status, "ProposalSubmitted");
  return { tx: status.hash, height: status.height ?? 0, proposal: await readProposal(ctx, id) };
}

/** The proposal id an event of the committed tx carries. */
export function eventId(status: TxStatus, type: string): number {
  const event = status.events?.find((e) => e.module === "gov" && e.type === type);
  const id = Number(event?.attributes.id);
  if (!Number.isSafeInteger(id)) {
    throw new CliError({
      code: "CLI_NOT_FOUND",
      message: `tx ${status.hash} committed, but without a gov.${type} event naming the proposal (events: ${(status.events ?? []).map(renderEvent).join("; ") || "none"})`,
      exitCode: 1,
    });
  }
  return id;
}

export async function readProposal(ctx: CliContext, id: number): Promise<Proposal> {
  const { value } = await ctx.client().query("gov", "proposal", { id });
  if (value === null) {
    throw new CliError({ code: "CLI_NOT_FOUND", message: `there is no proposal ${id}`, exitCode: 1 });
  }
  return value as unknown as Proposal;
}

/** `module.method`, as the chain names actions. */
export function parseAction(value: string, name = "--action"): { module: string; method: string } {
  const match = /^([a-z][A-Za-z0-9_]{0,63})\.([a-z][A-Za-z0-9_]{0,63})$/.exec(value.trim());
  if (!match) throw usage(`${name} "${value}" must be module.method, e.g. identity.setPolicy`);
  return { module: match[1] ?? "", method: match[2] ?? "" };
}

export function renderProposal(p: Proposal): string[] {
  const yes = p.votes.filter((v) => v.approve);
  const no = p.votes.filter((v) => !v.approve);
  const who = (vs: Proposal["votes"]) => vs.map((v) => v.org ?? v.voter).join(", ");
  const lines = [
    `proposal ${p.id}: ${p.title}`,
    `status: ${p.status}${p.decidedAt !== undefined ? ` at height ${p.decidedAt}` : ""}${p.error ? ` (${p.error.code}: ${p.error.message})` : ""}`,
    `proposer: ${p.proposer}${p.proposerOrg ? ` (${p.proposerOrg})` : ""}, at height ${p.createdAt}`,
    `deadline: ${new Date(p.deadline).toISOString()}`,
    `votes: ${yes.length} yes${yes.length ? ` (${who(yes)})` : ""}, ${no.length} no${no.length ? ` (${who(no)})` : ""}`,
    "actions:",
    ...p.actions.map((a) => `  ${a.module}.${a.method} ${abbreviate(canonicalString(a.args))}`),
  ];
  return lines;
}

export function renderReport(r: ProposalReport, verb: string): string[] {
  const next =
    r.proposal.status === "open" ? [`others vote with: weft vote --id ${r.proposal.id} --yes (or --no)`] : [];
  return [...renderProposal(r.proposal), `${verb} in tx ${r.tx} at height ${r.height}`, ...next];
}

// PEM certificates make args long; a line of a summary need not hold them.
const abbreviate = (text: string, max = 160): string =>
  text.length > max ? `${text.slice(0, max - 1)}…` : text;
