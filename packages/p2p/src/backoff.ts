/**
 * Reconnect delay: exponential from `initialMs`, capped at `maxMs`, with "equal jitter" (half
 * fixed, half random) so peers restarting together do not redial in lockstep.
 */
export function backoffDelay(
  attempt: number,
  initialMs: number,
  maxMs: number,
  random = Math.random,
): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.min(attempt, 30));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
