/**
 * Reconnect timers for the peers this node dials: one pending attempt per peer at most,
 * exponential backoff with jitter between failures, reset after a successful handshake.
 */
import { backoffDelay } from "./backoff.js";

export class Redialer {
  readonly #initialMs: number;
  readonly #maxMs: number;
  readonly #dial: (peerId: string) => void;
  readonly #attempts = new Map<string, number>();
  readonly #timers = new Map<string, NodeJS.Timeout>();
  #stopped = false;

  constructor(initialMs: number, maxMs: number, dial: (peerId: string) => void) {
    this.#initialMs = initialMs;
    this.#maxMs = maxMs;
    this.#dial = dial;
  }

  /** Schedules the next attempt after the backoff delay, and not sooner than `minDelayMs`. */
  retry(peerId: string, minDelayMs = 0): void {
    if (this.#stopped || this.#timers.has(peerId)) return;
    const attempt = this.#attempts.get(peerId) ?? 0;
    this.#attempts.set(peerId, attempt + 1);
    const delay = Math.max(minDelayMs, backoffDelay(attempt, this.#initialMs, this.#maxMs));
    const timer = setTimeout(() => {
      this.#timers.delete(peerId);
      this.#dial(peerId);
    }, delay);
    this.#timers.set(peerId, timer);
  }

  /** Drops the peer's pending attempt and backoff (it left the peer book). */
  forget(peerId: string): void {
    clearTimeout(this.#timers.get(peerId));
    this.#timers.delete(peerId);
    this.#attempts.delete(peerId);
  }

  succeeded(peerId: string): void {
    this.#attempts.delete(peerId);
  }

  stop(): void {
    this.#stopped = true;
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
  }
}
