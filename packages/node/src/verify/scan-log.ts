import { randomBytes } from "node:crypto";
import type { Database } from "lmdb";
import type { GeoPoint } from "./geo.js";
import type { SignalType } from "./signals.js";

/** One verification scan as the node logged it. */
export interface ScanRecord {
  scanId: string;
  /** Canonical identifier of the scanned item (`https://id.gs1.org/01/…/21/…`). */
  item: string;
  /** The Digital Link as scanned. */
  digitalLink: string;
  scannerId: string;
  /** When the node received the scan (node clock, ms since the epoch). */
  time: number;
  location?: GeoPoint;
  /** The scan happened in a sale channel (point of sale, reseller intake, marketplace listing). */
  saleChannel: boolean;
  verified: boolean;
  signals: SignalType[];
  corrUUID?: string;
}

export type ScanKey = [string, number, string];

/**
 * The node-local scan log (repository `x-verify-scans`, LMDB): key [item, time, scanId], so one
 * item's scans are one key range in time order. Not part of the ledger: each node logs the scans
 * it answered.
 */
export class ScanLog {
  constructor(private readonly db: Database<ScanRecord, ScanKey>) {}

  static newScanId(): string {
    return randomBytes(12).toString("hex");
  }

  /** Durably appends a scan (resolves once committed to LMDB). */
  async append(scan: ScanRecord): Promise<void> {
    await this.db.put([scan.item, scan.time, scan.scanId], scan);
  }

  /** The item's scans at or after `since` (ms), newest first, at most `limit`. */
  recent(item: string, since: number, limit: number): ScanRecord[] {
    const out: ScanRecord[] = [];
    for (const { value } of this.db.getRange({
      start: [item, Number.MAX_SAFE_INTEGER],
      end: [item, since],
      reverse: true,
      limit,
    })) {
      out.push(value);
    }
    return out;
  }

  /** Every logged scan of the item (newest first), for the scan log endpoint. */
  list(item: string, limit: number, before = Number.MAX_SAFE_INTEGER): ScanRecord[] {
    const out: ScanRecord[] = [];
    for (const { value } of this.db.getRange({
      start: [item, before],
      end: [item, -1],
      reverse: true,
      limit,
    })) {
      if (value.time < before) out.push(value);
    }
    return out;
  }
}
