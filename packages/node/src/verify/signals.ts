import type { ItemStatus } from "../modules/trace/api.js";
import { distanceKm, type GeoPoint } from "./geo.js";
import type { VerifyOptions } from "./options.js";
import type { ScanRecord } from "./scan-log.js";

/**
 * Clone and counterfeit signals:
 * - `NEVER_COMMISSIONED`: no commissioning event for this serial on the ledger (counterfeit);
 * - `SCANNED_AFTER_END_OF_LIFE`: the item was decommissioned, destroyed or sold at retail
 *   (dispensed) and is now scanned again in a sale channel (clone or diversion);
 * - `IMPOSSIBLE_TRAVEL`: two located scans of the serial imply a speed above the threshold (clone);
 * - `MANY_SCANNERS`: more distinct scanners than the threshold saw the serial in the window (clone).
 */
export type SignalType =
  | "NEVER_COMMISSIONED"
  | "SCANNED_AFTER_END_OF_LIFE"
  | "IMPOSSIBLE_TRAVEL"
  | "MANY_SCANNERS";

export interface Signal {
  type: SignalType;
  /** `counterfeit`: the serial was never issued; `clone`: a real serial on a copy (or diverted). */
  kind: "counterfeit" | "clone";
  detail: string;
  /** What the signal rests on (events, earlier scans, measured values and the thresholds). */
  evidence: Record<string, unknown>;
}

/** The scan being verified, before it is logged. */
export interface CurrentScan {
  scannerId: string;
  time: number;
  location?: GeoPoint;
  saleChannel: boolean;
}

/** CBV business steps and dispositions after which an item must not be sold again. */
const END_OF_LIFE_STEPS = new Set(["decommissioning", "destroying", "retail_selling", "dispensing"]);
const END_OF_LIFE_DISPOSITIONS = new Set(["destroyed", "disposed", "retail_sold", "dispensed"]);

/** A CBV value in its bare form: `urn:epcglobal:cbv:bizstep:shipping`, `cbv:BizStep-shipping`, `https://ref.gs1.org/cbv/BizStep-shipping` → `shipping`. */
export function bareCbv(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const urn = /^urn:epcglobal:cbv:(?:bizstep|disp|btt|sdt|er):(.+)$/i.exec(value);
  if (urn) return urn[1];
  const web = /^(?:https?:\/\/ref\.gs1\.org\/cbv\/|cbv:)(?:BizStep|Disp|BTT|SDT|ER)-(.+)$/.exec(value);
  if (web) return web[1];
  return value;
}

export function endOfLifeOf(
  status: ItemStatus | undefined,
): { bizStep?: string; disposition?: string } | undefined {
  const last = status?.lastEvent;
  if (!last) return undefined;
  const bizStep = bareCbv(last.bizStep);
  const disposition = bareCbv(last.disposition ?? status?.disposition);
  const stepEnds = bizStep !== undefined && END_OF_LIFE_STEPS.has(bizStep);
  const dispositionEnds = disposition !== undefined && END_OF_LIFE_DISPOSITIONS.has(disposition);
  if (!stepEnds && !dispositionEnds) return undefined;
  return {
    ...(bizStep === undefined ? {} : { bizStep }),
    ...(disposition === undefined ? {} : { disposition }),
  };
}

/**
 * The signals for one scan of a serial whose ledger status is `status` (undefined or without a
 * commissioning event: never commissioned), given the serial's earlier scans (newest first).
 */
export function detectSignals(
  status: ItemStatus | undefined,
  scan: CurrentScan,
  history: readonly ScanRecord[],
  options: VerifyOptions,
): Signal[] {
  const signals: Signal[] = [];
  if (!status?.commissioned) {
    signals.push({
      type: "NEVER_COMMISSIONED",
      kind: "counterfeit",
      detail: "no commissioning event for this serial is on the ledger",
      evidence: {
        lastEvent: status?.lastEvent ?? null,
      },
    });
  }
  const ended = endOfLifeOf(status);
  if (ended && scan.saleChannel && status?.lastEvent) {
    signals.push({
      type: "SCANNED_AFTER_END_OF_LIFE",
      kind: "clone",
      detail: `scanned in a sale channel after ${ended.bizStep ?? ended.disposition} (event ${status.lastEvent.eventId} at ${status.lastEvent.eventTime})`,
      evidence: { event: status.lastEvent, ...ended },
    });
  }
  const travel = impossibleTravel(scan, history, options);
  if (travel) signals.push(travel);
  const scanners = manyScanners(scan, history, options);
  if (scanners) signals.push(scanners);
  return signals;
}

function impossibleTravel(
  scan: CurrentScan,
  history: readonly ScanRecord[],
  options: VerifyOptions,
): Signal | undefined {
  if (!scan.location) return undefined;
  let worst: { previous: ScanRecord; km: number; hours: number; kmh: number } | undefined;
  for (const previous of history) {
    if (!previous.location || scan.time - previous.time > options.travelWindowMs) continue;
    const km = distanceKm(previous.location, scan.location);
    if (km <= options.minTravelKm) continue;
    const hours = Math.max(scan.time - previous.time, 0) / 3_600_000;
    const kmh = hours === 0 ? Number.POSITIVE_INFINITY : km / hours;
    if (kmh > options.maxTravelKmh && (!worst || kmh > worst.kmh)) worst = { previous, km, hours, kmh };
  }
  if (!worst) return undefined;
  const speed = Number.isFinite(worst.kmh) ? `${Math.round(worst.kmh)} km/h` : "no time at all";
  return {
    type: "IMPOSSIBLE_TRAVEL",
    kind: "clone",
    detail: `${Math.round(worst.km)} km from scan ${worst.previous.scanId} in ${(worst.hours * 60).toFixed(1)} min (${speed}; limit ${options.maxTravelKmh} km/h)`,
    evidence: {
      previousScan: {
        scanId: worst.previous.scanId,
        time: new Date(worst.previous.time).toISOString(),
        scannerId: worst.previous.scannerId,
        location: worst.previous.location,
      },
      location: scan.location,
      distanceKm: round(worst.km, 3),
      elapsedSeconds: round(worst.hours * 3600, 3),
      speedKmh: Number.isFinite(worst.kmh) ? round(worst.kmh, 1) : null,
      maxTravelKmh: options.maxTravelKmh,
      minTravelKm: options.minTravelKm,
    },
  };
}

function manyScanners(
  scan: CurrentScan,
  history: readonly ScanRecord[],
  options: VerifyOptions,
): Signal | undefined {
  const scanners = new Set<string>([scan.scannerId]);
  for (const previous of history) {
    if (scan.time - previous.time <= options.scannerWindowMs) scanners.add(previous.scannerId);
  }
  if (scanners.size <= options.maxDistinctScanners) return undefined;
  const list = [...scanners];
  return {
    type: "MANY_SCANNERS",
    kind: "clone",
    detail: `${scanners.size} distinct scanners saw this serial within ${Math.round(options.scannerWindowMs / 3_600_000)} h (limit ${options.maxDistinctScanners})`,
    evidence: {
      distinctScanners: scanners.size,
      scanners: list.slice(0, 50),
      windowSeconds: options.scannerWindowMs / 1000,
      maxDistinctScanners: options.maxDistinctScanners,
    },
  };
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
