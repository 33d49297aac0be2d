import { NodeError } from "../errors.js";

/** Thresholds of the clone and counterfeit signals raised by item verification. */
export interface VerifyOptions {
  /** Two scans of one serial further apart than this speed allows are "impossible travel" (km/h). */
  maxTravelKmh: number;
  /** Distances up to this are never impossible travel (GPS and geo-IP noise), km. */
  minTravelKm: number;
  /** How far back (ms) earlier located scans are compared with a new one. */
  travelWindowMs: number;
  /** More distinct scanner ids than this for one serial within `scannerWindowMs` is a signal. */
  maxDistinctScanners: number;
  scannerWindowMs: number;
  /** Most earlier scans of one serial read per verification (newest first). */
  historyLimit: number;
}

export const defaultVerifyOptions: Readonly<VerifyOptions> = Object.freeze({
  maxTravelKmh: 900,
  minTravelKm: 50,
  travelWindowMs: 7 * 24 * 3_600_000,
  maxDistinctScanners: 5,
  scannerWindowMs: 30 * 24 * 3_600_000,
  historyLimit: 1000,
});

export function resolveVerifyOptions(options: Partial<VerifyOptions> = {}): VerifyOptions {
  const resolved: VerifyOptions = { ...defaultVerifyOptions };
  for (const [key, value] of Object.entries(options) as [keyof VerifyOptions, unknown][]) {
    if (value !== undefined) Object.assign(resolved, { [key]: value });
  }
  for (const [key, value] of Object.entries(resolved)) {
    const integer = key !== "maxTravelKmh" && key !== "minTravelKm";
    if (
      typeof value !== "number" ||
      !Number.isFinite(value) ||
      value <= 0 ||
      (integer && !Number.isSafeInteger(value))
    ) {
      throw new NodeError({
        code: "NODE_BAD_CONFIG",
        message: `epcis.verify.${key} must be a positive ${integer ? "integer" : "number"} (got ${String(value)})`,
      });
    }
  }
  return resolved;
}
