import { type KeyPair, type SignedTx, addressOf } from "@weft/core";
import type { SubmitAccepted } from "./api-types.js";
import { ApiError } from "./errors.js";
import { type TxCall, buildTx } from "./tx-builder.js";

export const DEFAULT_EXPIRES_IN = 100;

export interface SendOptions {
  /** Wait until committed and return the TxStatus (a timeout returns it still pending). */
  wait?: boolean;
  timeoutMs?: number;
  /** Blocks after the latest height the transaction stays valid for; default 100. */
  expiresIn?: number;
  memo?: string;
}

export interface SenderDeps {
  chainHead(): Promise<{ chainId: string; height: number }>;
  nextSequence(address: string): Promise<number>;
  submit(tx: SignedTx): Promise<SubmitAccepted>;
}

export type Submitter = (signer: KeyPair, call: TxCall, opts: SendOptions) => Promise<SubmitAccepted>;

const SEQUENCE_ERRORS = new Set(["TX_SEQUENCE_TOO_LOW", "TX_SEQUENCE_TOO_HIGH"]);

/**
 * Signs and submits with the right sequence. The node only knows committed sequences, so
 * transactions still in its mempool are counted here: back-to-back sends get n, n+1, ...
 * Sends per signer are serialised so concurrent calls cannot pick the same number.
 */
export function createSubmitter(deps: SenderDeps): Submitter {
  const nextLocal = new Map<string, number>();
  const queues = new Map<string, Promise<unknown>>();

  const attempt = async (
    signer: KeyPair,
    address: string,
    call: TxCall,
    opts: SendOptions,
    mayRetry: boolean,
  ): Promise<SubmitAccepted> => {
    const [head, remote] = await Promise.all([deps.chainHead(), deps.nextSequence(address)]);
    const sequence = Math.max(remote, nextLocal.get(address) ?? 0);
    const expiresAt = head.height + (opts.expiresIn ?? DEFAULT_EXPIRES_IN);
    const tx = buildTx({ chainId: head.chainId, signer, sequence, expiresAt, memo: opts.memo, ...call });
    try {
      const accepted = await deps.submit(tx);
      nextLocal.set(address, sequence + 1);
      return accepted;
    } catch (e) {
      if (!(e instanceof ApiError && SEQUENCE_ERRORS.has(e.code))) throw e;
      // Our count is stale (a tracked transaction expired, or another client used the key):
      // forget it, and retry once if it, not the node, chose the number.
      nextLocal.delete(address);
      if (!mayRetry || sequence === remote) throw e;
      return attempt(signer, address, call, opts, false);
    }
  };

  return (signer, call, opts) => {
    const address = addressOf(signer);
    const run = () => attempt(signer, address, call, opts, true);
    const previous = queues.get(address) ?? Promise.resolve();
    const result = previous.then(run, run);
    const tail = result.catch(() => undefined);
    queues.set(address, tail);
    void tail.then(() => {
      if (queues.get(address) === tail) queues.delete(address);
    });
    return result;
  };
}
