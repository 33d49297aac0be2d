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
    httpRequests: new Counter({
      name: "weft_http_requests_total",
      help: "HTTP requests by route and status",
      labelNames: ["route", "status"] as const,
      registers,
    }),
    wsClients: new Gauge({ name: "weft_ws_clients", help: "Open WebSocket event subscriptions", registers }),
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
