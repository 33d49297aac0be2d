import type { Block, CommitCertificate } from "@weft/core";
import type { Logger } from "pino";
import type { Application } from "../app/application.js";
import type { Metrics } from "../metrics/metrics.js";
import type { PeerNetwork } from "../net/peer-network.js";
import { MAX_SYNC_BATCH, type SyncMessage, syncMessageProblem } from "./messages.js";

/** Bytes of blocks sent in one answer; a batch stops early rather than exceed it. */
const MAX_ANSWER_BYTES = 32 * 1024 * 1024;
/** A request not answered in this time is abandoned and may go to another peer. */
const REQUEST_TIMEOUT_MS = 10_000;
/** A peer only one block ahead is usually just committing it too; give consensus this long first. */
const BEHIND_BY_ONE_GRACE_MS = 1_500;

export interface BlockSyncParams {
  network: PeerNetwork;
  app: Application;
  log: Logger;
  metrics: Metrics;
  statusIntervalMs: number;
  /** Verifies and commits blocks in order (the consensus driver's queue); resolves when done. */
  apply(peer: string, items: { block: Block; commit: CommitCertificate }[]): Promise<void>;
}

/**
 * Catches a node up with peers that are ahead: peers announce their committed height, and a
 * node behind asks one of them for the next blocks with their commit certificates. Answers are
 * never trusted: the driver verifies every certificate against the validator set and
 * re-executes every block before committing it.
 */
export class BlockSync {
  private readonly heights = new Map<string, number>();
  private inflight: { peer: string; from: number; at: number } | undefined;
  private behindSince: number | undefined;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;

  constructor(private readonly p: BlockSyncParams) {}

  start(): void {
    const { network } = this.p;
    network.on("sync", (peer, message) => this.onMessage(peer, message));
    network.onPeerEvent((e) => {
      if (e.type === "connected") network.send(e.peerId, "sync", this.status());
      else {
        this.heights.delete(e.peerId);
        if (this.inflight?.peer === e.peerId) this.inflight = undefined;
      }
    });
    network.broadcast("sync", this.status());
    this.timer = setInterval(() => {
      network.broadcast("sync", this.status());
      this.maybeRequest();
    }, this.p.statusIntervalMs);
  }

  stop(): void {
    this.stopped = true;
    clearInterval(this.timer);
  }

  /** A block was committed here: tell the peers, and keep fetching if still behind. */
  committed(height: number): void {
    this.p.network.broadcast("sync", { type: "status", height });
    this.maybeRequest();
  }

  /** Consensus heard from a peer already deciding a later height. */
  peerAhead(peer: string | null, committedHeight: number): void {
    if (peer === null) return;
    if ((this.heights.get(peer) ?? 0) < committedHeight) this.heights.set(peer, committedHeight);
    this.maybeRequest();
  }

  /** Peers' last announced heights (for health and metrics). */
  peerHeights(): Record<string, number> {
    return Object.fromEntries([...this.heights].sort(([a], [b]) => (a < b ? -1 : 1)));
  }

  private status(): SyncMessage {
    return { type: "status", height: this.p.app.lastCommitted().height };
  }

  private onMessage(peer: string, message: unknown): void {
    const problem = syncMessageProblem(message);
    if (problem) {
      this.p.metrics.consensusInvalidMessages.inc({ reason: "malformed" });
      this.p.network.penalize(peer, `malformed sync message (${problem})`);
      return;
    }
    const m = message as SyncMessage;
    switch (m.type) {
      case "status":
        this.heights.set(peer, m.height);
        this.maybeRequest();
        break;
      case "get-blocks":
        this.serve(peer, m.from, m.count);
        break;
      case "blocks":
        this.received(peer, m.items);
        break;
    }
  }

  private serve(peer: string, from: number, count: number): void {
    const store = this.p.app.store;
    const items: { block: Block; commit: CommitCertificate }[] = [];
    let bytes = 0;
    const head = this.p.app.lastCommitted().height;
    for (let h = from; h < from + count && h <= head; h++) {
      const raw = store.getBlockBytes(h);
      const commit = store.getCommit(h);
      const block = store.getBlock(h);
      if (!raw || !commit || !block) break;
      bytes += raw.length;
      if (items.length > 0 && bytes > MAX_ANSWER_BYTES) break;
      items.push({ block, commit });
    }
    this.p.network.send(peer, "sync", { type: "blocks", items });
  }

  private received(peer: string, items: { block: Block; commit: CommitCertificate }[]): void {
    const request = this.inflight;
    if (!request || request.peer !== peer) return; // unsolicited: ignore rather than execute
    const first = items[0]?.block.header.height;
    if (items.length === 0 || first !== request.from) {
      this.inflight = undefined;
      return;
    }
    this.p.apply(peer, items).then(
      () => {
        this.inflight = undefined;
        this.maybeRequest();
      },
      (e: unknown) => {
        this.inflight = undefined;
        this.p.log.error({ err: e, peer }, "applying synced blocks failed");
      },
    );
  }

  private maybeRequest(): void {
    if (this.stopped) return;
    const now = Date.now();
    if (this.inflight && now - this.inflight.at < REQUEST_TIMEOUT_MS) return;
    const mine = this.p.app.lastCommitted().height;
    let best: [string, number] | undefined;
    for (const entry of this.heights) if (entry[1] > mine && (!best || entry[1] > best[1])) best = entry;
    if (!best) {
      this.behindSince = undefined;
      return;
    }
    this.behindSince ??= now;
    if (best[1] === mine + 1 && now - this.behindSince < BEHIND_BY_ONE_GRACE_MS) return;
    const [peer, height] = best;
    const from = mine + 1;
    const count = Math.min(MAX_SYNC_BATCH, height - mine);
    this.inflight = { peer, from, at: now };
    this.p.log.info({ peer, from, to: from + count - 1, peerHeight: height }, "fetching blocks from a peer");
    this.p.network.send(peer, "sync", { type: "get-blocks", from, count });
  }
}
