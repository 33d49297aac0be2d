import { createBearerToken, MAX_TOKEN_TTL_SECONDS } from "@weft/sdk";
import type { Command } from "commander";
import { loadAccount } from "../accounts.js";
import { integerOption } from "../args.js";
import { type CliIo, contextOf } from "../context.js";
import { CliError } from "../errors.js";

interface TokenFlags {
  key: string;
  ttl: number;
  member?: string;
  chain?: string;
}

/**
 * `weft token`: a member's bearer token for a node's API (Authorization: Bearer <token>). The
 * member id and chain id come from the flags, else from the chain (the key's identity record)
 * and the home's genesis.
 */
export function registerToken(program: Command, io: CliIo): void {
  program
    .command("token")
    .description("print a bearer token for the node API, signed with a member's key")
    .requiredOption("--key <key>", "the member's key: a key name in <home>/keys or a key file path")
    .option(
      "--ttl <seconds>",
      `lifetime in seconds (1..${MAX_TOKEN_TTL_SECONDS})`,
      integerOption("--ttl", 1, MAX_TOKEN_TTL_SECONDS),
      900,
    )
    .option("--member <id>", "the member's id (default: read from the chain by the key's address)")
    .option("--chain <id>", "the chain id (default: <home>/genesis.json's)")
    .action(async (flags: TokenFlags, command: Command) => {
      const ctx = contextOf(command, io);
      const key = await loadAccount(ctx, flags.key, "--key");
      const chainId = flags.chain ?? ctx.genesis().chainId;
      let memberId = flags.member;
      if (memberId === undefined) {
        const record = (await ctx.client().getState(`identity/member/${key.address}`)).value as {
          id?: unknown;
        } | null;
        if (typeof record?.id !== "string") {
          throw new CliError({
            code: "CLI_NOT_FOUND",
            message: `the key ${key.address} is not a member on the chain at ${ctx.url()} (pass --member to sign anyway)`,
            exitCode: 1,
          });
        }
        memberId = record.id;
      }
      const now = Date.now();
      const token = createBearerToken(key, { memberId, chainId, ttlSeconds: flags.ttl, now });
      const expiresAt = new Date(Math.floor(now / 1000) * 1000 + flags.ttl * 1000).toISOString();
      ctx.out.result({ token, address: key.address, memberId, chainId, expiresAt }, (t) => t.token);
    });
}
