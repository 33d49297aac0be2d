import { WeftError } from "@weft/core";
import type { TxCall, TxStatus } from "@weft/sdk";
import { loadAccount } from "./accounts.js";
import type { CliContext } from "./context.js";
import { CliError } from "./errors.js";
import { renderTxStatus } from "./format.js";

/** Flags every `weft tx` command shares. */
export interface SubmitFlags {
  from: string;
  wait?: boolean;
  timeoutMs?: number;
  memo?: string;
}

/**
 * Signs `call` as `--from` and submits it through the SDK (sequence and expiry from the node).
 * With --wait, a failed receipt exits 1 with its code, and so does a tx still pending at the timeout.
 */
export async function submitCall(ctx: CliContext, flags: SubmitFlags, call: TxCall): Promise<void> {
  const signer = await loadAccount(ctx, flags.from, "--from");
  const client = ctx.client();
  const options = { timeoutMs: flags.timeoutMs, memo: flags.memo };
  if (!flags.wait) {
    const accepted = await client.send(signer, call, options);
    ctx.out.result(accepted, (a) => [
      `tx ${a.hash}`,
      "status: accepted into the mempool",
      `follow it with: weft query tx ${a.hash}`,
    ]);
    return;
  }
  const status = await client.send(signer, call, { ...options, wait: true });
  ctx.out.result(status, renderTxStatus);
  throwUnlessOk(status, flags.timeoutMs);
}

export function throwUnlessOk(status: TxStatus, timeoutMs = 30_000): void {
  if (status.status !== "committed" || !status.receipt) {
    throw new CliError({
      code: "CLI_TX_PENDING",
      message: `${status.hash} not committed within ${timeoutMs} ms (check later with \`weft query tx ${status.hash}\`)`,
      exitCode: 1,
    });
  }
  if (status.receipt.status === "failed") {
    const error = status.receipt.error ?? { code: "TX_FAILED", message: "the transaction failed" };
    throw new WeftError({
      code: error.code,
      message: `tx ${status.hash} failed at height ${status.height}: ${error.message}`,
    });
  }
}
