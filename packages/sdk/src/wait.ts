import type { TxStatus } from "./api-types.js";
import { ApiError, SdkError } from "./errors.js";

export const DEFAULT_WAIT_MS = 30_000;
const FIRST_POLL_MS = 50;
const MAX_POLL_MS = 1_000;

/**
 * Polls until the transaction is committed. Like the node's own `wait`, a timeout is not an
 * error: the last (pending) status comes back. Only a hash the node never knew is an error.
 */
export async function pollForCommit(
  getTx: (hash: string) => Promise<TxStatus>,
  hash: string,
  timeoutMs: number,
): Promise<TxStatus> {
  const deadline = Date.now() + timeoutMs;
  let delay = FIRST_POLL_MS;
  let last: TxStatus | undefined;
  for (;;) {
    try {
      last = await getTx(hash);
      if (last.status === "committed") return last;
    } catch (e) {
      // Not found yet: a node behind a load balancer may not have seen it.
      if (!(e instanceof ApiError && e.status === 404)) throw e;
    }
    const left = deadline - Date.now();
    if (left <= 0) break;
    await new Promise((resolve) => setTimeout(resolve, Math.min(delay, left)));
    delay = Math.min(delay * 2, MAX_POLL_MS);
  }
  if (last) return last;
  throw new SdkError({
    code: "SDK_TIMEOUT",
    message: `node does not know transaction ${hash} after ${timeoutMs} ms`,
    hash,
  });
}
