import type { TxProofBundle } from "@weft/core";
import {
  canonicalIdentifier,
  type DigitalLink,
  elementsLevel,
  IdentifierError,
  parseDigitalLink,
} from "@weft/epcis";
import type { StoredEpcisEvent, TraceReader } from "../modules/trace/api.js";
import type { GeoPoint } from "./geo.js";
import type { VerifyOptions } from "./options.js";
import { ScanLog, type ScanRecord } from "./scan-log.js";
import { bareCbv, detectSignals, type Signal } from "./signals.js";

/** A verification request: one scan of a product's GS1 Digital Link. */
export interface ScanRequest {
  digitalLink: string;
  /** Who scanned: a device, app installation or point-of-sale id (1..128 characters). */
  scannerId: string;
  location?: GeoPoint;
  /** The scan happened in a sale channel (point of sale, returns/resale intake, marketplace listing). */
  saleChannel?: boolean;
  /** Correlation id echoed back (GS1 Lightweight Verification `corrUUID`). */
  corrUUID?: string;
  /** Include the ledger proof bundles (default true). */
  proofs?: boolean;
}

/** GS1 Lightweight Verification reasons (`verificationFailureReason`) this node gives. */
export type VerificationFailureReason =
  | "No_match_GTIN_Serial"
  | "No_match_GTIN_Serial_Lot"
  | "No_match_GTIN_Serial_Expiry"
  | "No_match_GTIN_Serial_Lot_Expiry";

/** GS1 Lightweight Verification `additionalInfo` values this node gives (highest priority wins). */
export type AdditionalInfo = "Suspect" | "Recalled" | "Expired";

/** A ledger record of the item: the event, where it was committed and (optionally) its proof. */
export interface LedgerRecord {
  eventId: string;
  eventTime: string;
  bizStep?: string;
  disposition?: string;
  txHash: string;
  height: number;
  /** Log position of the event's `trace.EventCaptured` record inside the proof bundle. */
  logIndex: number;
  /** `weft.proof.tx/v1` bundle of the transaction that captured the event (verifiable offline). */
  proof?: TxProofBundle;
}

/**
 * The GS1 Lightweight Verification response (`data.verified`, `data.verificationFailureReason`,
 * `data.additionalInfo`, `corrUUID`, `responderGLN`) extended with what the ledger knows and the
 * clone/counterfeit signals.
 */
export interface VerificationResponse {
  corrUUID?: string;
  responderGLN?: string;
  verificationTimestamp: string;
  data: {
    verified: boolean;
    verificationFailureReason?: VerificationFailureReason;
    additionalInfo?: AdditionalInfo;
  };
  item: {
    digitalLink: string;
    /** The identifier the ledger indexes the item under. */
    identifier: string;
    gtin?: string;
    serial?: string;
    lot?: string;
    /** AI (17) of the scanned link, as an ISO date. */
    expiry?: string;
  };
  ledger: {
    chainId: string;
    genesisHash: string;
    /** Last height whose events this node has indexed: what "never commissioned" is relative to. */
    indexedHeight: number;
    commissioning: LedgerRecord | null;
    latest: LedgerRecord | null;
    lastDisposition: string | null;
    persistentDispositions: string[];
  };
  signals: Signal[];
  scan: {
    scanId: string;
    time: string;
    scannerId: string;
    saleChannel: boolean;
    location?: GeoPoint;
  };
}

export interface VerifierDeps {
  trace: TraceReader;
  proveTx(hash: string): TxProofBundle;
  scans: ScanLog;
  options: VerifyOptions;
  chainId: string;
  genesisHash: string;
  responderGln?: string;
  now(): number;
}

/**
 * Answers verification scans from the ledger's view of the serial (`TraceReader.itemStatus`), its
 * commissioning and latest events (with proof bundles) and the node's scan log, then logs the
 * scan. Scans of one serial are answered one at a time so each sees the ones before it.
 */
export class ItemVerifier {
  private readonly perItem = new Map<string, Promise<unknown>>();

  constructor(private readonly deps: VerifierDeps) {}

  /** The parsed, serialised item a Digital Link names; throws an IdentifierError otherwise. */
  static parseItem(digitalLink: string): { dl: DigitalLink; identifier: string } {
    const dl = parseDigitalLink(digitalLink);
    const instance = isInstanceLevel(dl);
    if (!instance) {
      throw new IdentifierError({
        code: "ID_DL_QUALIFIER",
        message: `verification needs one item: AI (${dl.primaryKey.ai}) ${dl.primaryKey.ai === "01" ? "with a serial number, AI (21)" : "is not an item-level key"}`,
        value: digitalLink,
      });
    }
    return { dl, identifier: canonicalIdentifier(digitalLink) };
  }

  verify(request: ScanRequest): Promise<VerificationResponse> {
    const { identifier } = ItemVerifier.parseItem(request.digitalLink);
    const previous = this.perItem.get(identifier) ?? Promise.resolve();
    const run = previous.then(() => this.verifyNow(request));
    const settled = run.catch(() => {});
    this.perItem.set(identifier, settled);
    void settled.then(() => {
      if (this.perItem.get(identifier) === settled) this.perItem.delete(identifier);
    });
    return run;
  }

  private async verifyNow(request: ScanRequest): Promise<VerificationResponse> {
    const { deps } = this;
    const { dl, identifier } = ItemVerifier.parseItem(request.digitalLink);
    const now = deps.now();
    const status = deps.trace.itemStatus(identifier);
    const commissioningEvent = status?.commissioned
      ? deps.trace.getEvent(status.commissioned.eventId)
      : undefined;
    const latestEvent = status?.lastEvent ? deps.trace.getEvent(status.lastEvent.eventId) : undefined;
    const since = now - Math.max(deps.options.travelWindowMs, deps.options.scannerWindowMs);
    const history = deps.scans.recent(identifier, since, deps.options.historyLimit);
    const saleChannel = request.saleChannel ?? false;
    const signals = detectSignals(
      status,
      {
        scannerId: request.scannerId,
        time: now,
        saleChannel,
        ...(request.location ? { location: request.location } : {}),
      },
      history,
      deps.options,
    );

    const qualifier = (ai: string) => dl.qualifiers.find((q) => q.ai === ai)?.value;
    const lot = qualifier("10");
    const expiryRaw = dl.attributes.find((a) => a.ai === "17")?.value;
    const expiry = expiryRaw === undefined ? undefined : gs1Date(expiryRaw, now);
    const ilmd = ilmdOf(commissioningEvent);
    const lotMismatch = lot !== undefined && ilmd.lot !== undefined && ilmd.lot !== lot;
    const expiryMismatch = expiry !== undefined && ilmd.expiry !== undefined && ilmd.expiry !== expiry;

    let failure: VerificationFailureReason | undefined;
    if (!status?.commissioned) failure = "No_match_GTIN_Serial";
    else if (lotMismatch && expiryMismatch) failure = "No_match_GTIN_Serial_Lot_Expiry";
    else if (lotMismatch) failure = "No_match_GTIN_Serial_Lot";
    else if (expiryMismatch) failure = "No_match_GTIN_Serial_Expiry";
    const verified = failure === undefined;

    const disposition = bareCbv(status?.disposition ?? status?.lastEvent?.disposition);
    const persistent = (status?.persistentDispositions ?? []).map((d) => bareCbv(d) ?? d);
    const today = new Date(now).toISOString().slice(0, 10);
    const expiresOn = ilmd.expiry ?? expiry;
    let additionalInfo: AdditionalInfo | undefined;
    if (signals.some((s) => s.kind === "clone")) additionalInfo = "Suspect";
    else if (disposition === "recalled" || persistent.includes("recalled")) additionalInfo = "Recalled";
    else if (disposition === "expired" || (expiresOn !== undefined && expiresOn < today))
      additionalInfo = "Expired";

    const scan: ScanRecord = {
      scanId: ScanLog.newScanId(),
      item: identifier,
      digitalLink: request.digitalLink,
      scannerId: request.scannerId,
      time: now,
      ...(request.location ? { location: request.location } : {}),
      saleChannel,
      verified,
      signals: signals.map((s) => s.type),
      ...(request.corrUUID ? { corrUUID: request.corrUUID } : {}),
    };
    await deps.scans.append(scan);

    const proofs = request.proofs ?? true;
    const serial = qualifier("21");
    return {
      ...(request.corrUUID ? { corrUUID: request.corrUUID } : {}),
      ...(deps.responderGln ? { responderGLN: deps.responderGln } : {}),
      verificationTimestamp: new Date(now).toISOString(),
      data: {
        verified,
        ...(failure ? { verificationFailureReason: failure } : {}),
        ...(additionalInfo ? { additionalInfo } : {}),
      },
      item: {
        digitalLink: request.digitalLink,
        identifier,
        ...(dl.primaryKey.ai === "01" ? { gtin: dl.primaryKey.value } : {}),
        ...(serial === undefined ? {} : { serial }),
        ...(lot === undefined ? {} : { lot }),
        ...(expiry === undefined ? {} : { expiry }),
      },
      ledger: {
        chainId: deps.chainId,
        genesisHash: deps.genesisHash,
        indexedHeight: deps.trace.indexedHeight(),
        commissioning: this.record(commissioningEvent, status?.commissioned ?? undefined, proofs),
        latest: this.record(latestEvent, status?.lastEvent ?? undefined, proofs),
        lastDisposition: disposition ?? null,
        persistentDispositions: persistent,
      },
      signals,
      scan: {
        scanId: scan.scanId,
        time: new Date(now).toISOString(),
        scannerId: request.scannerId,
        saleChannel,
        ...(request.location ? { location: request.location } : {}),
      },
    };
  }

  private record(
    stored: StoredEpcisEvent | undefined,
    summary: { eventId: string; eventTime: string; bizStep?: string; disposition?: string } | undefined,
    proofs: boolean,
  ): LedgerRecord | null {
    if (!stored || !summary) return null;
    const event = stored.event as { bizStep?: string; disposition?: string };
    const bizStep = bareCbv(summary.bizStep ?? event.bizStep);
    const disposition = bareCbv(summary.disposition ?? event.disposition);
    return {
      eventId: stored.eventId,
      eventTime: summary.eventTime,
      ...(bizStep === undefined ? {} : { bizStep }),
      ...(disposition === undefined ? {} : { disposition }),
      txHash: stored.txHash,
      height: stored.height,
      logIndex: stored.logIndex,
      ...(proofs ? { proof: this.deps.proveTx(stored.txHash) } : {}),
    };
  }
}

/** Keys that locate or name a party (GLN, payment slip) are instance-level identifiers but no item to verify. */
const NOT_ITEMS: ReadonlySet<string> = new Set(["414", "415", "417"]);

/** Keys naming one object (a serialised GTIN/ITIP, SSCC, GIAI, serialised GRAI/GDTI/GCN, GSRN…), per @weft/epcis. */
export function isInstanceLevel(dl: DigitalLink): boolean {
  if (NOT_ITEMS.has(dl.primaryKey.ai)) return false;
  return elementsLevel([dl.primaryKey, ...dl.qualifiers]) === "instance";
}

/** A GS1 date YYMMDD as YYYY-MM-DD (century by the GS1 General Specifications sliding window; DD 00 = last day). */
export function gs1Date(yymmdd: string, now: number): string | undefined {
  const m = /^(\d{2})(\d{2})(\d{2})$/.exec(yymmdd);
  if (!m) return undefined;
  const [yy, mm, dd] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (mm < 1 || mm > 12) return undefined;
  const current = new Date(now).getUTCFullYear();
  const century = Math.floor(current / 100) * 100;
  let year = century + yy;
  const diff = yy - (current % 100);
  if (diff >= 51) year -= 100;
  else if (diff <= -50) year += 100;
  const last = new Date(Date.UTC(year, mm, 0)).getUTCDate();
  const day = dd === 0 ? last : dd;
  if (day > last) return undefined;
  return `${year}-${String(mm).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/** Lot and expiry the commissioning event's ILMD states (CBV master data `lotNumber`, `itemExpirationDate`). */
function ilmdOf(stored: StoredEpcisEvent | undefined): { lot?: string; expiry?: string } {
  const ilmd = (stored?.event as { ilmd?: Record<string, unknown> } | undefined)?.ilmd;
  if (!ilmd || typeof ilmd !== "object") return {};
  const out: { lot?: string; expiry?: string } = {};
  for (const [key, value] of Object.entries(ilmd)) {
    if (typeof value !== "string") continue;
    if (/(^|[:#/])lotNumber$/.test(key)) out.lot = value;
    else if (/(^|[:#/])itemExpirationDate$/.test(key) && /^\d{4}-\d{2}-\d{2}/.test(value))
      out.expiry = value.slice(0, 10);
  }
  return out;
}
