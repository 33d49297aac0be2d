export interface SoloOptions {
  /** Shortest time between the starts of two blocks. */
  blockIntervalMs: number;
  /** Also make blocks with no transactions (every `blockIntervalMs`). */
  emptyBlocks: boolean;
}

export const defaultSoloOptions: SoloOptions = {
  blockIntervalMs: 100,
  emptyBlocks: false,
};
