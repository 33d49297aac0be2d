import { existsSync, renameSync, rmSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { addressOf, type CanonicalValue, generateKeyPair, isWeftError } from "@weft/core";
import { rotateNodeCertificate } from "@weft/node";
import { ApiError, SdkError, type TxStatus } from "@weft/sdk";
import { saveKeyFile } from "@weft/sdk/keyfile";
import type { Command } from "commander";
import { keyFilePath, loadAccount } from "../accounts.js";
import { integerOption } from "../args.js";
import { type CliContext, type CliIo, contextOf } from "../context.js";
import { durationOption, showDuration } from "../duration.js";
import { CliError, usage } from "../errors.js";
import { DEFAULT_DEADLINE_MS, MAX_DEADLINE_MS, submitAndWait } from "../governance.js";
import { isNetworkNode } from "../network.js";
import { readCertificate } from "./member.js";

interface RotateFlags {
  key?: string;
  newKey?: string;
  validityDays?: number;
  overlap: number;
  certificate?: string;
  timeoutMs?: number;
}

/** What a member key rotation reports. */
export interface KeyRotationReport {
  tx: string;
  height: number;
  oldAddress: string;
  newAddress: string;
  overlapMs: number;
  /** The rotated key, now at the path the old one had. */
  keyFile: string;
  /** The old key, kept for the overlap. */
  retiredKeyFile: string;
}

export function registerCert(program: Command, io: CliIo): void {
  const cert = program.command("cert").description("certificate and key lifecycle");
  cert
    .command("rotate")
    .description(
      "without --key: renew the node TLS certificate of the home (--home <org home> or --node <org>) in place; " +
        "with --key: rotate a member key (identity.rotateKey signed by the old key; the old stays valid for --overlap)",
    )
    .option("--key <keyfile>", "the member key to rotate (a key file, or a key name)")
    .option(
      "--validity-days <n>",
      "without --key: how long the new node certificate is valid (default 825)",
      integerOption("--validity-days", 1, 3650),
    )
    .option(
      "--overlap <duration>",
      "with --key: how long the old key stays valid, e.g. 7d (0s: not at all)",
      durationOption("--overlap", 0, MAX_DEADLINE_MS),
      DEFAULT_DEADLINE_MS,
    )
    .option(
      "--new-key <keyfile>",
      "with --key: rotate to this key (e.g. made by `weft keys generate`) instead of a fresh one",
    )
    .option(
      "--certificate <pem-file>",
      "with --key and --new-key: an X.509 certificate of the new key from your organisation's CA",
    )
    .option(
      "--timeout-ms <n>",
      "with --key: how long to wait for the commit (default 30000)",
      integerOption("--timeout-ms", 1),
    )
    .action(async (flags: RotateFlags, command: Command) => {
      const ctx = contextOf(command, io);
      const explicit = command.getOptionValueSource("overlap") === "cli";
      if (flags.key === undefined) {
        if (explicit || flags.certificate !== undefined || flags.newKey !== undefined)
          throw usage("--overlap, --new-key and --certificate rotate a member key: add --key <keyfile>");
        return rotateNode(ctx, flags.validityDays);
      }
      if (flags.validityDays !== undefined)
        throw usage(
          "--validity-days is for a node certificate: drop --key (the chain sets a member key's validity)",
        );
      // A certificate certifies one key: it cannot be for a key this command has yet to make.
      if (flags.certificate !== undefined && flags.newKey === undefined)
        throw usage(
          "--certificate needs --new-key: generate the new key first (`weft keys generate`), have it certified, then rotate to it",
        );
      await rotateMemberKey(ctx, { ...flags, key: flags.key });
    });
}

/** Renews the node's TLS certificate from its organisation's CA in the home (node config/cert-rotation.ts). */
async function rotateNode(ctx: CliContext, validityDays: number | undefined): Promise<void> {
  if (!isNetworkNode(ctx.home)) {
    throw new CliError({
      code: "CLI_NO_NETWORK",
      message: `${ctx.shownHome()} is no organisation's node home (give --home <org home>, or --node <org> in a network folder; a member key: --key)`,
      exitCode: 2,
    });
  }
  const rotation = await rotateNodeCertificate(ctx.home, validityDays === undefined ? {} : { validityDays });
  ctx.out.result(rotation, (r) => [
    `rotated the TLS certificate of ${r.nodeId} (${r.org}) in ${ctx.shownHome()}`,
    `  new:      ${r.fingerprint}, valid until ${r.notAfter.toISOString()}`,
    `  previous: ${r.previousFingerprint} (until ${r.previousNotAfter.toISOString()}), kept as ${r.previousCertFile}`,
    "a running node picks it up by itself; to retire the old one early: identity.revokeNodeCert",
  ]);
}

/**
 * The new key (fresh, or a copy of --new-key) is written first (`<name>.next.json`), so a committed rotation never leaves its
 * key unsaved; once committed the new key takes the old file's name and the old one is kept
 * beside it as `<name>.retired-<address>.json` for the overlap.
 */
async function rotateMemberKey(ctx: CliContext, flags: RotateFlags & { key: string }): Promise<void> {
  const certificate = flags.certificate === undefined ? undefined : readCertificate(ctx, flags.certificate);
  const old = await loadAccount(ctx, flags.key, "--key");
  const given = flags.newKey === undefined ? undefined : await loadAccount(ctx, flags.newKey, "--new-key");
  if (given?.address === old.address) throw usage("--new-key is the key --key names: rotate to another key");
  const path = keyFilePath(ctx, flags.key);
  const stem = basename(path, ".json");
  const nextPath = join(dirname(path), `${stem}.next.json`);
  const retiredPath = join(dirname(path), `${stem}.retired-${old.address.slice(0, 8)}.json`);
  if (existsSync(nextPath)) {
    throw new CliError({
      code: "CLI_KEY_EXISTS",
      message: `${nextPath} exists: an earlier rotation was not confirmed (check it with \`weft query tx\`, then move the file away)`,
      exitCode: 1,
    });
  }
  const fresh = given ?? generateKeyPair(old.alg);
  await saveKeyFile(nextPath, fresh);
  const args: { [k: string]: CanonicalValue } = {
    publicKey: { alg: fresh.alg, publicKey: fresh.publicKey },
    overlapMs: flags.overlap,
  };
  if (certificate !== undefined) args.certificate = certificate;
  let status: TxStatus;
  try {
    status = await submitAndWait(ctx, old, { module: "identity", method: "rotateKey", args }, flags);
  } catch (e) {
    // Refused or failed on chain: the new key was never registered. Pending: it may still be.
    const definite =
      e instanceof ApiError || (isWeftError(e) && !(e instanceof SdkError) && !(e instanceof CliError));
    if (definite) rmSync(nextPath, { force: true });
    throw e;
  }
  renameSync(path, retiredPath);
  renameSync(nextPath, path);
  const report: KeyRotationReport = {
    tx: status.hash,
    height: status.height ?? 0,
    oldAddress: old.address,
    newAddress: addressOf(fresh),
    overlapMs: flags.overlap,
    keyFile: path,
    retiredKeyFile: retiredPath,
  };
  ctx.out.result(report, (r) => [
    `rotated ${r.oldAddress} → ${r.newAddress} (tx ${r.tx} at height ${r.height})`,
    `new key: ${r.keyFile}`,
    `old key: ${r.retiredKeyFile} (valid for ${showDuration(r.overlapMs)} more, then refused)`,
  ]);
}
