import type { DecodedTx, SignedTx } from "@weft/core";
import type { Logger } from "pino";
import { mempoolMessageProblem } from "../consensus/messages.js";
import type { Metrics } from "../metrics/metrics.js";
import type { PeerNetwork } from "../net/peer-network.js";
import type { LocalNodeService } from "../service-impl.js";

/** Transactions per relayed batch, and how long admitted ones wait to be batched. */
const MAX_BATCH = 2_000;
const BATCH_DELAY_MS = 5;

/**
 * Relays transactions admitted from this node's clients to every peer, so whichever validator
 * proposes next has them. Peers re-check everything (signature included) as for any client;
 * a relayed transaction is not relayed again: every validator is connected to every other.
 */
export class MempoolGossip {
  private pending: SignedTx[] = [];
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly network: PeerNetwork,
    private readonly service: LocalNodeService,
    private readonly metrics: Metrics,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.network.on("mempool", (peer, message) => void this.received(peer, message));
  }

  /** Queues transactions admitted from clients for relay. */
  relay(txs: readonly DecodedTx[]): void {
    for (const d of txs) this.pending.push(d.tx);
    if (this.pending.length >= MAX_BATCH) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), BATCH_DELAY_MS);
  }

  stop(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = [];
  }

  private flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.pending.length > 0) {
      const txs = this.pending.splice(0, MAX_BATCH);
      this.network.broadcast("mempool", { type: "txs", txs });
    }
  }

  private async received(peer: string, message: unknown): Promise<void> {
    const problem = mempoolMessageProblem(message);
    if (problem) {
      this.metrics.consensusInvalidMessages.inc({ reason: "malformed" });
      this.network.penalize(peer, `malformed mempool message (${problem})`);
      return;
    }
    const { txs } = message as { txs: unknown[] };
    const outcomes = await this.service.submitTxs(txs, "peer");
    let accepted = 0;
    let forged = 0;
    for (const o of outcomes) {
      if (o.accepted) accepted++;
      else if (o.error?.code === "TX_BAD_SIGNATURE" || o.error?.code === "TX_MALFORMED") forged++;
    }
    this.metrics.gossipedTxs.inc({ outcome: "accepted" }, accepted);
    this.metrics.gossipedTxs.inc({ outcome: "refused" }, outcomes.length - accepted);
    // Duplicates and stale sequences are normal races; a relayed forgery is not.
    if (forged > 0) {
      this.log.warn({ peer, forged }, "peer relayed transactions that fail decoding or signature checks");
      this.network.penalize(peer, `relayed ${forged} invalid transactions`);
    }
  }
}
