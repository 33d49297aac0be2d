/**
 * EPCIS 2.0 events and capture documents as TypeScript types (EPCIS 2.0 event types and their JSON/JSON-LD binding).
 * These describe values that passed `validateCaptureDocument`/`validateEvent`; the five event types
 * form a discriminated union on `type`.
 *
 * Vocabulary fields (`bizStep`, `disposition`, types) hold what the document wrote: a CBV bare name
 * (`shipping`), a CBV URI or a private vocabulary URI. Identifiers are EPC URIs, GS1 Digital Link URIs
 * or private URIs. Numbers are JSON numbers as parsed.
 */
import type { JsonLdContext } from "./context.js";

export type { JsonLdContext } from "./context.js";

/** An absolute URI (EPC URN, GS1 Digital Link, CBV URN/URI, private URI, or a compact IRI `prefix:name`). */
export type Uri = string;
/** RFC 3339 date-time with a time zone (`2024-05-01T10:00:00.000+02:00`). */
export type DateTime = string;

export type Action = "ADD" | "OBSERVE" | "DELETE";

/** User extension fields: namespaced keys (`example:myField` or an absolute IRI). */
export type Extensions = { [field: `${string}:${string}`]: unknown };

export interface QuantityElement {
  /** Class-level identifier: `urn:epc:class:lgtin:…`, `urn:epc:idpat:sgtin:….*`, Digital Link GTIN (+ lot). */
  epcClass: Uri;
  quantity?: number;
  /** UN/CEFACT Rec. 20 unit code. */
  uom?: string;
}

export interface BizTransaction {
  /** CBV business transaction type (`po`, `urn:epcglobal:cbv:btt:po`, …) or a private URI. */
  type?: string;
  bizTransaction: Uri;
}

export interface Source {
  /** CBV source/destination type (`owning_party`, `possessing_party`, `location`) or a private URI. */
  type: string;
  source: Uri;
}

export interface Destination {
  type: string;
  destination: Uri;
}

/** readPoint / bizLocation: `id` plus whatever the document adds (the schema leaves them open). */
export interface Location {
  id: Uri;
  [field: string]: unknown;
}

export interface PersistentDisposition {
  set?: string[];
  unset?: string[];
}

export type ErrorDeclaration = Extensions & {
  declarationTime: DateTime;
  /** CBV error reason (`did_not_occur`, `incorrect_data`) or a private URI. */
  reason?: string;
  correctiveEventIDs?: Uri[];
};

export type SensorMetadata = Extensions & {
  time?: DateTime;
  startTime?: DateTime;
  endTime?: DateTime;
  deviceID?: Uri;
  deviceMetadata?: Uri;
  rawData?: Uri;
  dataProcessingMethod?: Uri;
  bizRules?: Uri;
};

export type SensorReport = Extensions & {
  /** Measurement type: `Temperature`, `gs1:Temperature`, or a non-GS1 URI. */
  type: string;
  /** Sensor alert: `ALARM_CONDITION`, `ERROR_CONDITION` (or `gs1:` forms) or a non-GS1 URI. */
  exception?: string;
  deviceID?: Uri;
  deviceMetadata?: Uri;
  rawData?: Uri;
  dataProcessingMethod?: Uri;
  bizRules?: Uri;
  time?: DateTime;
  microorganism?: Uri;
  chemicalSubstance?: Uri;
  coordinateReferenceSystem?: Uri;
  value?: number;
  component?: string;
  stringValue?: string;
  booleanValue?: boolean;
  hexBinaryValue?: string;
  uriValue?: Uri;
  minValue?: number;
  maxValue?: number;
  meanValue?: number;
  sDev?: number;
  percRank?: number;
  percValue?: number;
  uom?: string;
};

export type SensorElement = Extensions & {
  sensorMetadata?: SensorMetadata;
  sensorReport: SensorReport[];
};

/** GS1 Web Vocabulary certification details, inline in `certificationInfo`. */
export interface CertificationDetails {
  "gs1:CertificationDetails": {
    "gs1:certificationAgency"?: string;
    "gs1:certificationAgencyURL"?: Uri | Record<string, unknown>;
    "gs1:certificationAuditDate"?: string;
    "gs1:certificationEndDate"?: string;
    "gs1:certificationIdentification"?: string;
    "gs1:certificationStandard"?: string;
    "gs1:certificationStartDate"?: string;
    "gs1:certificationStatement"?: string;
    "gs1:certificationStatus"?: "ACTIVE" | "INACTIVE";
    "gs1:certificationSubject"?: string;
    "gs1:certificationType"?: string;
    "gs1:certificationURI"?: Uri;
    "gs1:certificationValue"?: string;
    "gs1:initialCertificationDate"?: string;
  };
}

export type CertificationInfo = Uri | Uri[] | CertificationDetails[];

/** Fields every event has (EPCIS 2.0 EPCISEvent, plus the fields all five types share). */
export type EventCommon = Extensions & {
  "@context"?: JsonLdContext;
  eventTime: DateTime;
  eventTimeZoneOffset: string;
  recordTime?: DateTime;
  eventID?: Uri;
  certificationInfo?: CertificationInfo;
  errorDeclaration?: ErrorDeclaration;
  bizStep?: string;
  disposition?: string;
  persistentDisposition?: PersistentDisposition;
  readPoint?: Location;
  bizLocation?: Location;
  bizTransactionList?: BizTransaction[];
  sourceList?: Source[];
  destinationList?: Destination[];
  sensorElementList?: SensorElement[];
};

/** EPCIS 2.0 ObjectEvent. */
export type ObjectEvent = EventCommon & {
  type: "ObjectEvent";
  action: Action;
  epcList?: Uri[];
  quantityList?: QuantityElement[];
  /** Instance/lot master data; only with action ADD. Keys are namespaced. */
  ilmd?: Extensions;
};

/** EPCIS 2.0 AggregationEvent. */
export type AggregationEvent = EventCommon & {
  type: "AggregationEvent";
  action: Action;
  /** Required unless action is OBSERVE. */
  parentID?: Uri;
  childEPCs?: Uri[];
  childQuantityList?: QuantityElement[];
};

/** EPCIS 2.0 TransactionEvent. */
export type TransactionEvent = EventCommon & {
  type: "TransactionEvent";
  action: Action;
  bizTransactionList: BizTransaction[];
  parentID?: Uri;
  epcList?: Uri[];
  quantityList?: QuantityElement[];
};

/** EPCIS 2.0 TransformationEvent. */
export type TransformationEvent = EventCommon & {
  type: "TransformationEvent";
  inputEPCList?: Uri[];
  inputQuantityList?: QuantityElement[];
  outputEPCList?: Uri[];
  outputQuantityList?: QuantityElement[];
  transformationID?: Uri;
  ilmd?: Extensions;
};

/** EPCIS 2.0 AssociationEvent. */
export type AssociationEvent = EventCommon & {
  type: "AssociationEvent";
  action: Action;
  parentID: Uri;
  childEPCs?: Uri[];
  childQuantityList?: QuantityElement[];
};

export type EpcisEvent =
  | ObjectEvent
  | AggregationEvent
  | TransactionEvent
  | TransformationEvent
  | AssociationEvent;
export type EpcisEventType = EpcisEvent["type"];

export interface VocabularyElement {
  id: Uri;
  attributes?: { id: Uri; attribute?: unknown }[];
  children?: Uri[];
}

export type EpcisHeader = Extensions & {
  epcisMasterData?: { vocabularyList?: { type: Uri; vocabularyElementList?: VocabularyElement[] }[] };
};

/** EPCIS 2.0 JSON capture document (`type: "EPCISDocument"`). */
export type EpcisDocument = Extensions & {
  "@context": JsonLdContext;
  type: "EPCISDocument";
  schemaVersion: string;
  creationDate: DateTime;
  id?: Uri;
  instanceIdentifier?: string;
  sender?: string;
  receiver?: string;
  epcisHeader?: EpcisHeader;
  epcisBody: { eventList: EpcisEvent[]; [field: string]: unknown };
};
