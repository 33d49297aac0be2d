import type { Logged } from "./types.js";

/** Runs a socket/timer callback so that a bug in it is logged instead of crashing the process. */
export function safely(log: Logged, what: string, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    log.error({ err, what }, "p2p callback failed");
  }
}
