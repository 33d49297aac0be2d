export interface ConsensusOptions {
  /**
   * "solo" makes blocks alone (one validator, no network); "tendermint" runs BFT consensus with
   * the peers of network.json; "auto" picks tendermint when a network is configured.
   */
  engine: "auto" | "solo" | "tendermint";
  /** Solo engine: shortest time between the starts of two blocks. */
  blockIntervalMs: number;
  /**
   * Tendermint: wait after a commit before the next height starts (CometBFT's timeout_commit);
   * transactions keep arriving meanwhile, so it trades latency for fuller blocks.
   */
  commitTimeoutMs: number;
  /** Also make blocks with no transactions (every `blockIntervalMs`). */
  emptyBlocks: boolean;
  /**
   * Without `emptyBlocks`, the BFT engine still makes an empty block after this long, so the
   * last block's commit certificate reaches the chain and a stalled network is visible.
   */
  emptyBlockIntervalMs: number;
  /** Round timeouts: base + round × delta, so rounds eventually outlast any network delay. */
  timeoutProposeMs: number;
  timeoutVoteMs: number;
  timeoutDeltaMs: number;
  /** While a height makes no progress, own votes and the proposal are re-sent this often. */
  regossipIntervalMs: number;
  /** How often a node tells its peers its height (block sync starts from this). */
  statusIntervalMs: number;
}

export const defaultConsensusOptions: ConsensusOptions = {
  engine: "auto",
  blockIntervalMs: 100,
  commitTimeoutMs: 30,
  emptyBlocks: false,
  emptyBlockIntervalMs: 30_000,
  timeoutProposeMs: 2_000,
  timeoutVoteMs: 1_000,
  timeoutDeltaMs: 500,
  regossipIntervalMs: 1_000,
  statusIntervalMs: 1_000,
};

/** The part of the options the single-validator engine reads. */
export type SoloOptions = Pick<ConsensusOptions, "blockIntervalMs" | "emptyBlocks">;
