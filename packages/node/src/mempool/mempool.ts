import { addressOf, type DecodedTx, decodeTx, TxError } from "@weft/core";
import { NodeError } from "../errors.js";
import type { MempoolOptions } from "./options.js";

export interface AdmissionContext {
  chainId: string;
  /** Height of the last committed block; a transaction must still be valid at the next one. */
  height: number;
  maxTxBytes: number;
  nextSequence(address: string): number;
  isCommitted(hash: string): boolean;
  /** Stateless module checks (module, method, argument schema); throws a typed error. */
  checkCall(module: string, method: string, args: unknown): void;
}

interface Entry {
  decoded: DecodedTx;
  sender: string;
}

/**
 * Transactions waiting for a block. Admission runs every check that does not need block
 * execution, cheapest first, the signature last. Ordering is per signer by sequence; signers
 * are served in the order they first arrived, so one busy account cannot starve the others.
 */
export class Mempool {
  private readonly byHash = new Map<string, Entry>();
  private readonly bySigner = new Map<string, Map<number, Entry>>();
  private bytes = 0;

  constructor(private readonly options: MempoolOptions) {}

  get size(): number {
    return this.byHash.size;
  }

  get sizeBytes(): number {
    return this.bytes;
  }

  has(hash: string): boolean {
    return this.byHash.has(hash);
  }

  get(hash: string): DecodedTx | undefined {
    return this.byHash.get(hash)?.decoded;
  }

  /** Every admission check except the signature; nothing is stored yet. */
  check(input: unknown, ctx: AdmissionContext): DecodedTx {
    const decoded = decodeTx(input, ctx.maxTxBytes);
    const { tx, hash } = decoded;
    if (tx.body.chainId !== ctx.chainId) {
      throw new TxError({
        code: "TX_WRONG_CHAIN",
        message: `transaction is for chain ${tx.body.chainId}, this is ${ctx.chainId}`,
      });
    }
    if (tx.body.expiresAt <= ctx.height) {
      throw new TxError({
        code: "TX_EXPIRED",
        message: `transaction expired at height ${tx.body.expiresAt}; chain is at ${ctx.height}`,
      });
    }
    if (this.byHash.has(hash) || ctx.isCommitted(hash)) {
      throw new TxError({ code: "TX_DUPLICATE", message: "transaction already received", hash });
    }
    const sender = addressOf(tx.body.signer);
    const next = ctx.nextSequence(sender);
    if (tx.body.sequence < next) {
      throw new TxError({
        code: "TX_SEQUENCE_TOO_LOW",
        message: `sequence ${tx.body.sequence} already used; next is ${next}`,
        next,
      });
    }
    if (tx.body.sequence > next + this.options.maxSequenceGap) {
      throw new TxError({
        code: "TX_SEQUENCE_TOO_HIGH",
        message: `sequence ${tx.body.sequence} is more than ${this.options.maxSequenceGap} ahead of ${next}`,
        next,
      });
    }
    if (this.bySigner.get(sender)?.has(tx.body.sequence)) {
      throw new TxError({
        code: "TX_DUPLICATE",
        message: `another transaction with sequence ${tx.body.sequence} is pending for this signer`,
      });
    }
    ctx.checkCall(tx.body.module, tx.body.method, tx.body.args);
    if (this.byHash.size >= this.options.maxTxs || this.bytes + decoded.size > this.options.maxBytes) {
      throw new NodeError({ code: "NODE_MEMPOOL_FULL", message: "mempool is full; retry later" });
    }
    return decoded;
  }

  /**
   * Stores a transaction whose signature has been verified. Repeats the checks that another
   * admission may have invalidated while the signature was being verified off-thread.
   */
  insert(decoded: DecodedTx, ctx: AdmissionContext): void {
    const { tx, hash } = decoded;
    const sender = addressOf(tx.body.signer);
    if (this.byHash.has(hash) || this.bySigner.get(sender)?.has(tx.body.sequence)) {
      throw new TxError({ code: "TX_DUPLICATE", message: "transaction already received", hash });
    }
    if (tx.body.sequence < ctx.nextSequence(sender) || ctx.isCommitted(hash)) {
      throw new TxError({
        code: "TX_SEQUENCE_TOO_LOW",
        message: `sequence ${tx.body.sequence} already used`,
      });
    }
    if (this.byHash.size >= this.options.maxTxs || this.bytes + decoded.size > this.options.maxBytes) {
      throw new NodeError({ code: "NODE_MEMPOOL_FULL", message: "mempool is full; retry later" });
    }
    const entry: Entry = { decoded, sender };
    this.byHash.set(hash, entry);
    let queue = this.bySigner.get(sender);
    if (!queue) {
      queue = new Map();
      this.bySigner.set(sender, queue);
    }
    queue.set(tx.body.sequence, entry);
    this.bytes += decoded.size;
  }

  /** Picks transactions for the next block: each signer's consecutive sequences from its next one. */
  reap(maxTxs: number, maxBytes: number, nextSequence: (address: string) => number): DecodedTx[] {
    const out: DecodedTx[] = [];
    let bytes = 0;
    for (const [sender, queue] of this.bySigner) {
      let seq = nextSequence(sender);
      for (let entry = queue.get(seq); entry !== undefined; entry = queue.get(++seq)) {
        if (out.length >= maxTxs || bytes + entry.decoded.size > maxBytes) return out;
        out.push(entry.decoded);
        bytes += entry.decoded.size;
      }
    }
    return out;
  }

  remove(hash: string): void {
    const entry = this.byHash.get(hash);
    if (!entry) return;
    this.byHash.delete(hash);
    this.bytes -= entry.decoded.size;
    const queue = this.bySigner.get(entry.sender);
    queue?.delete(entry.decoded.tx.body.sequence);
    if (queue?.size === 0) this.bySigner.delete(entry.sender);
  }

  /** After a commit: drop what was included, what expired and what can never run (stale sequence). */
  prune(height: number, nextSequence: (address: string) => number, touched: Iterable<string>): string[] {
    const removed: string[] = [];
    for (const sender of touched) {
      const queue = this.bySigner.get(sender);
      if (!queue) continue;
      const next = nextSequence(sender);
      for (const [seq, entry] of queue) {
        if (seq < next || entry.decoded.tx.body.expiresAt <= height) removed.push(entry.decoded.hash);
      }
    }
    for (const hash of removed) this.remove(hash);
    return removed;
  }

  /** Expired transactions of signers not touched by recent blocks; run occasionally. */
  pruneExpired(height: number): string[] {
    const removed: string[] = [];
    for (const entry of this.byHash.values())
      if (entry.decoded.tx.body.expiresAt <= height) removed.push(entry.decoded.hash);
    for (const hash of removed) this.remove(hash);
    return removed;
  }
}

export const badSignature = () =>
  new TxError({ code: "TX_BAD_SIGNATURE", message: "signature does not verify for the signer key" });
