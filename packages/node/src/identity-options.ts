/** Node-side certificate lifecycle: expiry warnings and picking up a rotated TLS certificate. */
export interface IdentityOptions {
  /** A certificate expiring within this many days is reported as "expiring" (warned, listed, gauged). */
  certWarningDays: number;
  /** How often every known certificate is checked (and at most how often each is warned about). */
  certCheckIntervalMs: number;
  /** Quiet time after a change in the tls folder before the node reloads its certificate and key. */
  certReloadDebounceMs: number;
}

export const defaultIdentityOptions: IdentityOptions = {
  certWarningDays: 30,
  certCheckIntervalMs: 3_600_000,
  certReloadDebounceMs: 500,
};
