import { WeftError } from "@weft/core";

export type EpcisHashErrorCode =
  /** The event has no `type` string (ObjectEvent, AggregationEvent, …). */
  | "EPCIS_HASH_MISSING_EVENT_TYPE"
  /** The input is not a JSON object where an event or a document is required. */
  | "EPCIS_HASH_NOT_AN_OBJECT"
  /** A document has neither `epcisBody.eventList`, `epcisBody.queryResults.resultsBody.eventList` nor `epcisBody.event`. */
  | "EPCIS_HASH_NO_EVENT_LIST"
  /** A time field (`eventTime`, sensor `time`, `startTime`, `endTime`) is not an xsd:dateTimeStamp. */
  | "EPCIS_HASH_INVALID_TIMESTAMP"
  /** A value the algorithm cannot put into a pre-hash string (infinite number, nested array). */
  | "EPCIS_HASH_UNSUPPORTED_VALUE";

/** Why an event hash (or its pre-hash string) cannot be computed; `path` points into the event JSON. */
export class EpcisHashError extends WeftError<{
  code: EpcisHashErrorCode;
  message: string;
  path?: string;
  eventIndex?: number;
}> {}
