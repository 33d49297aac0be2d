import {
  addressOf,
  type CanonicalValue,
  canonicalBytes,
  type KeyPair,
  type SignedTx,
  signTx,
  type TxBody,
  type WeftError,
} from "@weft/core";
import type { NodeService } from "../service.js";

export type Submission =
  | { accepted: true; hash: string; tx: SignedTx }
  | { accepted: false; error: WeftError };

/** Admission refusals that mean "another sequence number", not "this transaction is bad". */
const SEQUENCE_CLASH = new Set(["TX_SEQUENCE_TOO_LOW", "TX_DUPLICATE"]);
const MAX_CLASH_RETRIES = 8;

/**
 * Signs and submits the node's own transactions with one key, one at a time. Sequence numbers are
 * allocated from the committed next sequence, skipping those held by this submitter's transactions
 * still pending in the mempool and filling holes left by transactions that were dropped (expired),
 * so a refused or vanished transaction never leaves later ones stuck behind a gap. One submitter
 * per node key serves every caller (EPCIS captures, double-sign evidence); a clash with a
 * transaction signed with the key elsewhere is retried with the next number.
 */
export class TxSubmitter {
  readonly address: string;
  /** sequence → hash of a transaction this submitter got admitted. */
  private readonly outstanding = new Map<number, string>();
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly service: NodeService,
    private readonly key: KeyPair,
    private readonly lifetimeBlocks: number,
  ) {
    this.address = addressOf(key);
  }

  /** Size in bytes of the signed transaction carrying `args` (what `maxTxBytes` limits). */
  static sizeOfBody(body: TxBody): number {
    // {"body":<body>,"signature":"<128 hex>"}, as decodeTx measures it.
    return canonicalBytes(body as unknown as CanonicalValue).length + 152;
  }

  submit(module: string, method: string, args: Record<string, CanonicalValue>): Promise<Submission> {
    const run = this.queue.then(() => this.submitNow(module, method, args));
    this.queue = run.catch(() => {});
    return run;
  }

  /** A body as this submitter would sign it (sequence 0): for measuring. */
  draft(module: string, method: string, args: Record<string, CanonicalValue>): TxBody {
    return {
      chainId: this.service.chainId,
      signer: { alg: this.key.alg, publicKey: this.key.publicKey },
      sequence: 0,
      expiresAt: 0,
      module,
      method,
      args,
    };
  }

  private async submitNow(
    module: string,
    method: string,
    args: Record<string, CanonicalValue>,
  ): Promise<Submission> {
    const skip = new Set<number>();
    for (let attempt = 0; ; attempt++) {
      const { sequence, height } = this.allocate(skip);
      const tx = signTx(
        { ...this.draft(module, method, args), sequence, expiresAt: height + this.lifetimeBlocks },
        this.key,
      );
      const [outcome] = await this.service.submitTxs([tx]);
      if (!outcome) throw new Error("submitTxs returned no outcome");
      if (outcome.accepted) {
        this.outstanding.set(sequence, outcome.hash);
        return { accepted: true, hash: outcome.hash, tx };
      }
      if (!SEQUENCE_CLASH.has(outcome.error.code) || attempt >= MAX_CLASH_RETRIES) {
        return { accepted: false, error: outcome.error };
      }
      skip.add(sequence);
    }
  }

  private allocate(skip: ReadonlySet<number>): { sequence: number; height: number } {
    const read = this.service.getState(`auth/sequence/${this.address}`);
    const committed = typeof read.value === "number" ? read.value : 0;
    for (const seq of [...this.outstanding.keys()]) if (seq < committed) this.outstanding.delete(seq);
    let sequence = committed;
    for (;;) {
      const hash = this.outstanding.get(sequence);
      if (skip.has(sequence)) {
        sequence++;
        continue;
      }
      if (hash === undefined) break;
      const status = this.service.getTx(hash);
      if (status === undefined) {
        // Dropped from the mempool (expired): its number is free again.
        this.outstanding.delete(sequence);
        break;
      }
      sequence++;
    }
    return { sequence, height: read.height };
  }
}
