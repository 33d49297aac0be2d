/**
 * The contract between the `trace` module (capture on chain, node-local indexes, queries,
 * genealogy) and its users (the EPCIS REST binding, the Digital Link resolver, item
 * verification, the CLI). Everything here reads committed data only.
 */
import type { EpcisEvent } from "@weft/epcis";

/** An EPCIS event as committed on this ledger. */
export interface StoredEpcisEvent {
  /** CBV 2.0 event hash `ni:///sha-256;<hex>?ver=CBV2.0`: the ledger id of the event. */
  eventId: string;
  /** The event as captured (parsed from the captured JSON text). */
  event: EpcisEvent;
  /** The exact JSON text of the event as stored on chain (sensor values may be decimals). */
  eventJson: string;
  /** BFT time of the block that committed it, RFC 3339 UTC with milliseconds (EPCIS recordTime). */
  recordTime: string;
  height: number;
  txHash: string;
  /** Address of the account that captured it. */
  capturedBy: string;
  /** Position of its `trace.EventCaptured` chain event in the RFC 6962 log (inclusion proofs). */
  logIndex: number;
  /** Set when this capture disclosed an earlier hash-only anchor (`trace.anchor`). */
  anchor?: { anchoredBy: string; height: number };
}

/** EPCIS 2.0 SimpleEventQuery parameters supported by `queryEvents` (all optional, ANDed). */
export interface SimpleEventQuery {
  eventTypes?: string[];
  EQ_action?: string[];
  EQ_bizStep?: string[];
  EQ_disposition?: string[];
  GE_eventTime?: string;
  LT_eventTime?: string;
  GE_recordTime?: string;
  LT_recordTime?: string;
  MATCH_epc?: string[];
  MATCH_anyEPC?: string[];
  MATCH_epcClass?: string[];
  MATCH_anyEPCClass?: string[];
  MATCH_parentID?: string[];
  MATCH_inputEPC?: string[];
  MATCH_outputEPC?: string[];
  EQ_bizLocation?: string[];
  WD_bizLocation?: string[];
  EQ_readPoint?: string[];
  WD_readPoint?: string[];
  EXISTS_errorDeclaration?: boolean;
  EQ_transformationID?: string[];
  EQ_deviceID?: string[];
  EQ_eventID?: string[];
  orderBy?: "eventTime" | "recordTime";
  orderDirection?: "ASC" | "DESC";
  eventCountLimit?: number;
}

export interface EventPage {
  events: StoredEpcisEvent[];
  /** Opaque; pass back as `cursor` for the next page. Absent on the last page. */
  nextCursor?: string;
}

export type LineageDirection = "upstream" | "downstream";

/**
 * One step of product flow. Upstream is what went in, downstream where it went: a transformation's
 * input is upstream of its outputs; an aggregated (or associated) child is upstream of its parent
 * container (fabric lot → jacket → carton → pallet).
 */
export interface LineageEdge {
  /** Upstream side (transformation input, aggregation or association child). */
  from: string;
  /** Downstream side (transformation output, aggregation or association parent). */
  to: string;
  eventId: string;
  kind: "transformation" | "aggregation" | "association";
}

export interface Lineage {
  root: string;
  direction: LineageDirection;
  /** Identifiers reached, with their distance from the root. */
  nodes: { id: string; depth: number }[];
  edges: LineageEdge[];
  /** True when `maxNodes` stopped the walk before it reached everything. */
  truncated?: boolean;
}

export interface ItemStatus {
  id: string;
  commissioned: { eventId: string; eventTime: string } | null;
  lastEvent: { eventId: string; eventTime: string; bizStep?: string; disposition?: string } | null;
  disposition?: string;
  persistentDispositions: string[];
  /** From the latest source/destination lists: owning and possessing party. */
  custodian?: { owningParty?: string; possessingParty?: string };
  bizLocation?: string;
  readPoint?: string;
  /** Current container (aggregation ADD not yet DELETEd). */
  parent?: string;
}

export interface Recall {
  source: string;
  /** Every finished item downstream of `source`, with its current status. */
  items: ItemStatus[];
}

export interface TraceReader {
  getEvent(eventId: string): StoredEpcisEvent | undefined;
  queryEvents(query: SimpleEventQuery, page: { perPage: number; cursor?: string }): EventPage;
  lineage(
    identifier: string,
    direction: LineageDirection,
    options?: { maxDepth?: number; maxNodes?: number },
  ): Lineage;
  recall(identifier: string): Recall;
  itemStatus(identifier: string): ItemStatus | undefined;
  /** Called after each committed block that carried EPCIS events (subscriptions). Returns unsubscribe. */
  onCommitted(listener: (events: readonly StoredEpcisEvent[]) => void): () => void;
  /** The last height whose events are indexed. */
  indexedHeight(): number;
}

/** A hash-only capture (`trace.anchor`): the organisation keeps the document. */
export interface EventAnchor {
  eventId: string;
  anchoredBy: string;
  height: number;
  /** BFT time of the anchoring block, RFC 3339 UTC. */
  recordTime: string;
  /** Position of the `trace.EventAnchored` chain event in the RFC 6962 log. */
  logIndex: number;
  /** True once a captured document with this hash disclosed the event. */
  disclosed: boolean;
}

/**
 * Corrections of an event (EPCIS `errorDeclaration`). An error declaration repeats the erroneous
 * event with `errorDeclaration` added, so it has the same CBV 2.0 hash: both stay on the ledger and
 * queries return both; `correctiveEventIDs` name the events that replace it.
 */
export interface EventCorrections {
  eventId: string;
  /** Captured events carrying `errorDeclaration` for this id. */
  declarations: StoredEpcisEvent[];
  /** Events named by the declarations' `correctiveEventIDs` that are on this ledger. */
  correctiveEvents: StoredEpcisEvent[];
  /** `correctiveEventIDs` with no captured event (yet). */
  missingCorrectiveEventIDs: string[];
  /** Ids of events whose error declarations name this event as a corrective event. */
  corrects: string[];
}

/** `TraceReader` plus anchors, corrections and index progress. */
export interface TraceReaderWithLinks extends TraceReader {
  anchorOf(eventId: string): EventAnchor | undefined;
  corrections(eventId: string): EventCorrections;
  /** Resolves once blocks up to `height` (default: the committed head) are indexed. */
  whenIndexed(height?: number): Promise<void>;
}
