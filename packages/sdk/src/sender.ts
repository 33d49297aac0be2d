import { addressOf, type KeyPair, type SignedTx, txHash } from "@weft/core";
import type { SubmitAccepted } from "./api-types.js";
import { ApiError } from "./errors.js";
import { buildTx, type TxCall } from "./tx-builder.js";

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
  /** Whether the node still has the transaction (pending or committed). */
  knows(hash: string): Promise<boolean>;
}

export type Submitter = (signer: KeyPair, call: TxCall, opts: SendOptions) => Promise<SubmitAccepted>;

/** What this client submitted for one signer and the node had not committed when last asked. */
interface Track {
  next: number;
  pending: Map<number, string>;
}

const SEQUENCE_ERRORS = new Set(["TX_SEQUENCE_TOO_LOW", "TX_SEQUENCE_TOO_HIGH"]);

/**
 * Signs and submits with the right sequence. The node only reports committed sequences, so
 * transactions still in its mempool are counted here: back-to-back sends get n, n+1, ...
 * Sends per signer are serialised so concurrent calls cannot pick the same number.
 */
export function createSubmitter(deps: SenderDeps): Submitter {
  const tracks = new Map<string, Track>();
  const queues = new Map<string, Promise<unknown>>();

  // The node accepts sequence gaps, so a lost transaction (node restart, expiry) would leave
  // every later one stuck behind it. Trust our count only while the node still has the
  // transaction it must include next.
  const chooseSequence = async (address: string, remote: number): Promise<number> => {
    const track = tracks.get(address);
    if (!track) return remote;
    for (const sequence of track.pending.keys()) if (sequence < remote) track.pending.delete(sequence);
    const blocking = track.pending.get(remote);
    if (track.next > remote && blocking !== undefined && (await deps.knows(blocking))) return track.next;
    tracks.delete(address);
    return remote;
  };

  const attempt = async (
    signer: KeyPair,
    address: string,
    call: TxCall,
    opts: SendOptions,
    mayRetry: boolean,
  ): Promise<SubmitAccepted> => {
    const [head, remote] = await Promise.all([deps.chainHead(), deps.nextSequence(address)]);
    const sequence = await chooseSequence(address, remote);
    const expiresAt = head.height + (opts.expiresIn ?? DEFAULT_EXPIRES_IN);
    const tx = buildTx({ chainId: head.chainId, signer, sequence, expiresAt, memo: opts.memo, ...call });
    try {
      const accepted = await deps.submit(tx);
      const track = tracks.get(address) ?? { next: sequence, pending: new Map<number, string>() };
      track.pending.set(sequence, txHash(tx));
      track.next = sequence + 1;
      tracks.set(address, track);
      return accepted;
    } catch (e) {
      if (!(e instanceof ApiError && SEQUENCE_ERRORS.has(e.code))) throw e;
      // Someone else moved the signer's sequence under us: start again from the node's.
      tracks.delete(address);
      if (!mayRetry) throw e;
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
