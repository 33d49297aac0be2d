export interface MempoolOptions {
  /** Most transactions held at once; beyond it submissions get NODE_MEMPOOL_FULL. */
  maxTxs: number;
  maxBytes: number;
  /** How far ahead of the account's next sequence a transaction may be queued. */
  maxSequenceGap: number;
  /** Worker threads verifying signatures; 0 verifies on the event loop. Default: cores - 1 (max 4). */
  verifyThreads?: number;
}

export const defaultMempoolOptions: MempoolOptions = {
  maxTxs: 100_000,
  maxBytes: 256 * 1024 * 1024,
  maxSequenceGap: 10_000,
};
