import { existsSync } from "node:fs";
import { CliError } from "./errors.js";
import { readInput } from "./files.js";

/*
 * The identity module's policy grammar (docs: issue 4 spec), checked here so `weft policy set`
 * refuses a malformed policy with the path of the fault before a proposal is made of it:
 *   {"public": true} | {"member": true} | {"role": R, "scope"?: "any"|"resource"|"self"}
 *   {"owner": true} | {"anyOf": [P…]} | {"allOf": [P…]}
 *   {"approvals": {"threshold": k, "from": [P…]}} | {"orgVotes": {"num": n, "den": d}}
 */
export type Policy =
  | { public: true }
  | { member: true }
  | { role: string; scope?: "any" | "resource" | "self" }
  | { owner: true }
  | { anyOf: Policy[] }
  | { allOf: Policy[] }
  | { approvals: { threshold: number; from: Policy[] } }
  | { orgVotes: { num: number; den: number } };

const ROLE = /^[a-z][a-z0-9_-]{0,31}$/;
const SCOPES = ["any", "resource", "self"];
// Limits of the identity module's PolicySchema (modules/identity/schema.ts).
const MAX_DEPTH = 6;
const MAX_ITEMS = 16;

/** `--policy`: inline JSON (starting with `{`) or a file holding it; the shape is checked. */
export function readPolicy(ctx: { resolvePath(path: string): string }, value: string): Policy {
  const text = value.trim();
  const inline = text.startsWith("{") || !existsSync(ctx.resolvePath(text));
  const source = inline ? "--policy" : `--policy file ${ctx.resolvePath(text)}`;
  const json = inline ? text : readInput(ctx.resolvePath(text), "--policy file");
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (e) {
    const hint = inline && !text.startsWith("{") ? " (nor a readable file)" : "";
    throw bad(`${source} is not valid JSON${hint}: ${(e as Error).message}`);
  }
  checkPolicy(parsed, "policy", source, 0);
  return parsed as Policy;
}

function checkPolicy(value: unknown, path: string, source: string, depth: number): void {
  const fail = (message: string): never => {
    throw bad(`${source}: ${path} ${message}`);
  };
  if (depth > MAX_DEPTH) fail(`nests deeper than ${MAX_DEPTH} levels`);
  if (value === null || typeof value !== "object" || Array.isArray(value)) fail("must be an object");
  const v = value as Record<string, unknown>;
  const keys = Object.keys(v);
  const only = (...allowed: string[]) => {
    const extra = keys.find((k) => !allowed.includes(k));
    if (extra !== undefined) fail(`has an unexpected key "${extra}" (allowed: ${allowed.join(", ")})`);
  };
  const list = (key: string) => {
    const items = v[key];
    if (!Array.isArray(items) || items.length === 0 || items.length > MAX_ITEMS)
      fail(`.${key} must be an array of 1 to ${MAX_ITEMS} policies`);
    for (const [i, p] of (items as unknown[]).entries())
      checkPolicy(p, `${path}.${key}[${i}]`, source, depth + 1);
    return items as unknown[];
  };
  const kind = ["public", "member", "role", "owner", "anyOf", "allOf", "approvals", "orgVotes"].find((k) =>
    keys.includes(k),
  );
  switch (kind) {
    case "public":
    case "member":
    case "owner":
      only(kind);
      if (v[kind] !== true) fail(`.${kind} must be true`);
      return;
    case "role":
      only("role", "scope");
      if (typeof v.role !== "string" || !ROLE.test(v.role))
        fail(".role must be a role name (lowercase letters, digits, '_' or '-')");
      if (v.scope !== undefined && !SCOPES.includes(v.scope as string))
        fail(`.scope must be one of ${SCOPES.join(", ")}`);
      return;
    case "anyOf":
    case "allOf":
      only(kind);
      list(kind);
      return;
    case "approvals": {
      only("approvals");
      const a = v.approvals as Record<string, unknown> | null;
      if (a === null || typeof a !== "object" || Array.isArray(a)) fail(".approvals must be an object");
      const extra = Object.keys(a as object).find((k) => k !== "threshold" && k !== "from");
      if (extra !== undefined) fail(`.approvals has an unexpected key "${extra}" (allowed: threshold, from)`);
      const from = (a as Record<string, unknown>).from;
      if (!Array.isArray(from) || from.length === 0 || from.length > MAX_ITEMS)
        fail(`.approvals.from must be an array of 1 to ${MAX_ITEMS} policies`);
      for (const [i, p] of (from as unknown[]).entries())
        checkPolicy(p, `${path}.approvals.from[${i}]`, source, depth + 1);
      const k = (a as Record<string, unknown>).threshold;
      if (!Number.isSafeInteger(k) || (k as number) < 1 || (k as number) > 64)
        fail(".approvals.threshold must be an integer from 1 to 64");
      return;
    }
    case "orgVotes": {
      only("orgVotes");
      const o = v.orgVotes as Record<string, unknown> | null;
      if (o === null || typeof o !== "object" || Array.isArray(o)) fail(".orgVotes must be an object");
      const extra = Object.keys(o as object).find((k) => k !== "num" && k !== "den");
      if (extra !== undefined) fail(`.orgVotes has an unexpected key "${extra}" (allowed: num, den)`);
      const { num, den } = o as { num?: unknown; den?: unknown };
      if (!Number.isSafeInteger(num) || (num as number) < 0 || (num as number) > 1000)
        fail(".orgVotes.num must be an integer from 0 to 1000");
      if (!Number.isSafeInteger(den) || (den as number) < 1 || (den as number) > 1000)
        fail(".orgVotes.den must be an integer from 1 to 1000");
      if ((num as number) >= (den as number))
        fail(".orgVotes.num must be less than .den (more than num/den of orgs vote)");
      return;
    }
    default:
      fail(
        keys.length === 0
          ? "is empty (one of public, member, role, owner, anyOf, allOf, approvals, orgVotes)"
          : `has no rule: "${keys[0]}" is none of public, member, role, owner, anyOf, allOf, approvals, orgVotes`,
      );
  }
}

/** A policy in one line, for humans: `anyOf[role admin, role operator]`. */
export function showPolicy(value: unknown): string {
  const p = value as Record<string, unknown> | null;
  if (p === null || typeof p !== "object") return JSON.stringify(value);
  if (p.public === true) return "public";
  if (p.member === true) return "member";
  if (p.owner === true) return "owner";
  if (typeof p.role === "string")
    return `role ${p.role}${p.scope && p.scope !== "any" ? ` (${p.scope})` : ""}`;
  for (const k of ["anyOf", "allOf"])
    if (Array.isArray(p[k])) return `${k}[${(p[k] as unknown[]).map(showPolicy).join(", ")}]`;
  const a = p.approvals as { threshold?: unknown; from?: unknown[] } | undefined;
  if (a && Array.isArray(a.from)) return `${a.threshold} approvals of [${a.from.map(showPolicy).join(", ")}]`;
  const o = p.orgVotes as { num?: unknown; den?: unknown } | undefined;
  if (o) return `admins of more than ${o.num}/${o.den} of active orgs`;
  return JSON.stringify(value);
}

const bad = (message: string): CliError => new CliError({ code: "CLI_BAD_INPUT", message, exitCode: 2 });
