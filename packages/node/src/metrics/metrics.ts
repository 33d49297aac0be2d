import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/** Every metric the node exports, declared in one place (Prometheus names, weft_ prefix). */
export function createMetrics(options: { defaultMetrics?: boolean } = {}) {
  const registry = new Registry();
  if (options.defaultMetrics !== false)
    collectDefaultMetrics({ register: registry, prefix: "weft_process_" });
  const registers = [registry];
  return {
    registry,
    height: new Gauge({ name: "weft_chain_height", help: "Height of the last committed block", registers }),
    blocksCommitted: new Counter({
      name: "weft_blocks_committed_total",
      help: "Blocks committed",
      registers,
    }),
    txsCommitted: new Counter({
      name: "weft_txs_committed_total",
      help: "Transactions committed, by receipt status",
      labelNames: ["status"] as const,
      registers,
    }),
    blockEvents: new Counter({
      name: "weft_end_block_events_total",
      help: "Events of modules' end-of-block logic (escrow releases, refunds and holds; proposal expiries), by module and type",
      labelNames: ["module", "type"] as const,
      registers,
    }),
    txsRejected: new Counter({
      name: "weft_txs_rejected_total",
      help: "Transactions refused at admission, by error code",
      labelNames: ["code"] as const,
      registers,
    }),
    mempoolSize: new Gauge({
      name: "weft_mempool_txs",
      help: "Transactions waiting in the mempool",
      registers,
    }),
    mempoolBytes: new Gauge({
      name: "weft_mempool_bytes",
      help: "Bytes of transactions in the mempool",
      registers,
    }),
    blockTxs: new Histogram({
      name: "weft_block_txs",
      help: "Transactions per block",
      buckets: [0, 1, 10, 100, 500, 1000, 2000, 5000, 10000],
      registers,
    }),
    blockExecutionSeconds: new Histogram({
      name: "weft_block_execution_seconds",
      help: "Time to execute a block and compute its roots",
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2],
      registers,
    }),
    blockCommitSeconds: new Histogram({
      name: "weft_block_commit_seconds",
      help: "Time to make a block durable",
      buckets: [0.001, 0.005, 0.01, 0.05, 0.1, 0.25, 0.5, 1, 2],
      registers,
    }),
    apiAuthFailures: new Counter({
      name: "weft_api_auth_failures_total",
      help: "API requests refused by authentication, by error code",
      labelNames: ["code"] as const,
      registers,
    }),
    httpRequests: new Counter({
      name: "weft_http_requests_total",
      help: "HTTP requests by route and status",
      labelNames: ["route", "status"] as const,
      registers,
    }),
    wsClients: new Gauge({ name: "weft_ws_clients", help: "Open WebSocket event subscriptions", registers }),
    consensusRound: new Gauge({
      name: "weft_consensus_round",
      help: "Round of the height being decided (0 when the first proposal succeeds)",
      registers,
    }),
    consensusRoundChanges: new Counter({
      name: "weft_consensus_round_changes_total",
      help: "Rounds that failed and were followed by another round at the same height",
      registers,
    }),
    consensusMissingVotes: new Counter({
      name: "weft_consensus_missing_precommits_total",
      help: "Decided heights whose commit certificate lacks this validator's precommit",
      labelNames: ["validator"] as const,
      registers,
    }),
    consensusEquivocations: new Counter({
      name: "weft_consensus_equivocations_total",
      help: "Double-signing detected, by validator",
      labelNames: ["validator"] as const,
      registers,
    }),
    consensusInvalidMessages: new Counter({
      name: "weft_consensus_invalid_messages_total",
      help: "Consensus, sync or mempool messages refused from peers, by reason",
      labelNames: ["reason"] as const,
      registers,
    }),
    peers: new Gauge({ name: "weft_p2p_peers", help: "Connected peers", registers }),
    certificateExpiry: new Gauge({
      name: "weft_certificate_expiry_seconds",
      help: "Seconds until a known certificate's notAfter (negative: expired), by kind (node, peer, ca, member, device)",
      labelNames: ["kind", "subject", "org"] as const,
      registers,
    }),
    syncedBlocks: new Counter({
      name: "weft_sync_blocks_total",
      help: "Blocks applied from peers by block sync (each certificate verified)",
      registers,
    }),
    gossipedTxs: new Counter({
      name: "weft_mempool_gossip_txs_total",
      help: "Transactions received from peers, by outcome",
      labelNames: ["outcome"] as const,
      registers,
    }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
