import { X509Certificate } from "node:crypto";
import { addressOf, type CanonicalValue, type PublicKeyInfo } from "@weft/core";
import type { Command } from "commander";
import { integerOption } from "../args.js";
import { type CliContext, type CliIo, contextOf } from "../context.js";
import { CliError, usage } from "../errors.js";
import { readInput } from "../files.js";
import { type SignFlags, signer, signOptions, submitAndWait } from "../governance.js";
import { parseOrgName } from "../network.js";
import { parsePublicKey } from "../public-key.js";

export type MemberKind = "member" | "device";

interface AddFlags extends SignFlags {
  org: string;
  id: string;
  roles?: string;
  publicKey: string;
  certificate?: string;
}

interface RevokeFlags extends SignFlags {
  org: string;
  id: string;
  atHeight?: number;
}

/** What `member add` / `device add` report. */
export interface MemberReport {
  tx: string;
  height: number;
  org: string;
  id: string;
  kind: MemberKind;
  roles: string[];
  address: string;
  publicKey: PublicKeyInfo;
}

// As the identity module's MemberIdSchema: printable ASCII without spaces (an EPC URN fits).
const MEMBER_ID = /^[\x21-\x7e]{1,256}$/;
const ROLE = /^[a-z][a-z0-9_-]{0,31}$/;

export function registerMember(program: Command, io: CliIo): void {
  registerIdentityKind(program, io, "member");
}

/** `weft member …` and `weft device …`: the same calls, kind member or device (default role device). */
export function registerIdentityKind(program: Command, io: CliIo, kind: MemberKind): void {
  const group = program
    .command(kind)
    .description(
      kind === "member"
        ? "an organisation's members (people, systems): register and revoke their keys"
        : "an organisation's devices (scanners, sensors): register and revoke their keys",
    );

  const add = group
    .command("add")
    .description(`register a ${kind} key of your organisation (identity.addMember, signed by its admin)`)
    .requiredOption("--org <org>", "the organisation")
    .requiredOption("--id <id>", `the ${kind}'s id within the organisation`)
    .requiredOption("--public-key <file|key>", "its public key: a key file, or [alg:]hex or base64");
  if (kind === "member") add.requiredOption("--roles <roles>", "comma-separated roles, e.g. writer,reader");
  else add.option("--roles <roles>", "comma-separated roles", "device");
  signOptions(
    add.option(
      "--certificate <pem-file>",
      "an X.509 certificate of the key, issued by the organisation's CA",
    ),
  ).action(async (flags: AddFlags, command: Command) => {
    const ctx = contextOf(command, io);
    const org = parseOrgName(flags.org, "--org");
    const id = parseMemberId(flags.id);
    const roles = parseRoles(flags.roles ?? "");
    const publicKey = parsePublicKey(ctx, flags.publicKey, "--public-key");
    const certificate = flags.certificate === undefined ? undefined : readCertificate(ctx, flags.certificate);
    const args: { [k: string]: CanonicalValue } = {
      org,
      id,
      kind,
      roles,
      publicKey: { alg: publicKey.alg, publicKey: publicKey.publicKey },
    };
    if (certificate !== undefined) args.certificate = certificate;
    const key = await signer(ctx, flags);
    const status = await submitAndWait(ctx, key, { module: "identity", method: "addMember", args }, flags);
    const report: MemberReport = {
      tx: status.hash,
      height: status.height ?? 0,
      org,
      id,
      kind,
      roles,
      address: addressOf(publicKey),
      publicKey,
    };
    ctx.out.result(report, (r) => [
      `${r.kind} ${r.id} of ${r.org} registered: address ${r.address}, roles ${r.roles.join(", ")}`,
      `tx ${r.tx} at height ${r.height}`,
    ]);
  });

  signOptions(
    group
      .command("revoke")
      .description(`revoke a ${kind}'s key (identity.revokeMember, signed by its organisation's admin)`)
      .requiredOption("--org <org>", "the organisation")
      .requiredOption("--id <id>", `the ${kind}'s id`)
      .option(
        "--at-height <h>",
        "first height whose transactions it may no longer sign (default: the next block)",
        integerOption("--at-height", 1),
      ),
  ).action(async (flags: RevokeFlags, command: Command) => {
    const ctx = contextOf(command, io);
    const org = parseOrgName(flags.org, "--org");
    const id = parseMemberId(flags.id);
    const args: { [k: string]: CanonicalValue } = { org, id };
    if (flags.atHeight !== undefined) args.atHeight = flags.atHeight;
    const key = await signer(ctx, flags);
    const status = await submitAndWait(ctx, key, { module: "identity", method: "revokeMember", args }, flags);
    const report = { tx: status.hash, height: status.height ?? 0, org, id, kind, atHeight: flags.atHeight };
    ctx.out.result(report, (r) => [
      `${kind} ${r.id} of ${r.org} revoked from height ${r.atHeight ?? r.height + 1}`,
      `tx ${r.tx} at height ${r.height}`,
    ]);
  });
}

export function parseMemberId(value: string): string {
  if (!MEMBER_ID.test(value))
    throw usage(`--id "${value}" must be 1-256 printable ASCII characters without spaces`);
  return value;
}

export function parseRoles(value: string): string[] {
  const roles = value
    .split(",")
    .map((r) => r.trim())
    .filter((r) => r !== "");
  if (roles.length === 0) throw usage("--roles needs at least one role, e.g. writer,reader");
  const bad = roles.find((r) => !ROLE.test(r));
  if (bad !== undefined)
    throw usage(`--roles: "${bad}" is not a role name (lowercase letters, digits, '_' or '-')`);
  const dup = roles.find((r, i) => roles.indexOf(r) !== i);
  if (dup !== undefined) throw usage(`--roles lists "${dup}" twice`);
  return roles;
}

/** `--certificate`: a PEM file (or the PEM itself); it must parse, the chain checks who issued it. */
export function readCertificate(ctx: CliContext, value: string): string {
  const pem = value.trimStart().startsWith("-----BEGIN")
    ? value
    : readInput(ctx.resolvePath(value), "--certificate");
  try {
    new X509Certificate(pem);
  } catch (e) {
    throw new CliError({
      code: "CLI_BAD_INPUT",
      message: `--certificate is not a PEM X.509 certificate: ${(e as Error).message}`,
      exitCode: 2,
    });
  }
  return pem;
}
