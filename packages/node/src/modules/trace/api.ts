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

export interface LineageEdge {
  /** Upstream side (input, parent, or parent of an association). */
  from: string;
  /** Downstream side (output, child). */
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
  lineage(identifier: string, direction: LineageDirection, options?: { maxDepth?: number }): Lineage;
  recall(identifier: string): Recall;
  itemStatus(identifier: string): ItemStatus | undefined;
  /** Called after each committed block that carried EPCIS events (subscriptions). Returns unsubscribe. */
  onCommitted(listener: (events: readonly StoredEpcisEvent[]) => void): () => void;
  /** The last height whose events are indexed. */
  indexedHeight(): number;
}
