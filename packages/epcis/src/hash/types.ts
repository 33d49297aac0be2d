/**
 * The JSON shapes the event hash reads. Deliberately loose: validating EPCIS 2.0 JSON is the
 * validator's job; the hash only needs to walk whatever JSON it is given, deterministically.
 */

export type JsonScalar = string | number | boolean | null;
export type JsonValue = JsonScalar | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/**
 * One EPCIS 2.0 event in JSON/JSON-LD form (`ObjectEvent`, `AggregationEvent`, `TransactionEvent`,
 * `TransformationEvent`, `AssociationEvent`). Standard fields are listed for documentation; any
 * other key (a CURIE such as `example:myField`, `ilmd`, …) is allowed.
 */
export interface EpcisEventJson {
  readonly type: string;
  readonly "@context"?: JsonValue;
  readonly eventTime?: string;
  readonly eventTimeZoneOffset?: string;
  readonly recordTime?: string;
  readonly eventID?: string;
  readonly errorDeclaration?: JsonValue;
  readonly certificationInfo?: string | readonly string[];
  readonly epcList?: readonly string[];
  readonly parentID?: string;
  readonly childEPCs?: readonly string[];
  readonly inputEPCList?: readonly string[];
  readonly outputEPCList?: readonly string[];
  readonly quantityList?: readonly JsonValue[];
  readonly childQuantityList?: readonly JsonValue[];
  readonly inputQuantityList?: readonly JsonValue[];
  readonly outputQuantityList?: readonly JsonValue[];
  readonly action?: string;
  readonly transformationID?: string;
  readonly bizStep?: string;
  readonly disposition?: string;
  readonly persistentDisposition?: JsonValue;
  readonly readPoint?: JsonValue;
  readonly bizLocation?: JsonValue;
  readonly bizTransactionList?: readonly JsonValue[];
  readonly sourceList?: readonly JsonValue[];
  readonly destinationList?: readonly JsonValue[];
  readonly sensorElementList?: readonly JsonValue[];
  readonly ilmd?: JsonValue;
  readonly [key: string]: unknown;
}

/** An EPCIS 2.0 JSON/JSON-LD document (`EPCISDocument` or `EPCISQueryDocument`). */
export interface EpcisDocumentJson {
  readonly "@context"?: JsonValue;
  readonly type?: string;
  readonly epcisBody?: {
    readonly eventList?: readonly unknown[];
    readonly event?: unknown;
    readonly queryResults?: {
      readonly resultsBody?: { readonly eventList?: readonly unknown[] };
      readonly [key: string]: unknown;
    };
    readonly [key: string]: unknown;
  };
  readonly [key: string]: unknown;
}

/**
 * Namespace prefixes in force for an event: prefix → namespace IRI (`{"example":
 * "https://ns.example.com/epcis/"}`), as declared by the `@context` of the document or event.
 * Build one with `jsonLdContextMap`.
 */
export type JsonLdContextMap = Readonly<Record<string, string>>;

/** Options of `preHashString` / `eventHash`. */
export interface EventHashOptions {
  /**
   * Top-level event fields (CURIEs or `{namespace}local` names) left out of the hash, as a
   * repository declares them with an `ignoreFields` list (reference implementation feature;
   * `eventHashesOfDocument` reads it from the document).
   */
  readonly ignoreFields?: readonly string[];
}

/** Options of `eventHashesOfDocument`. */
export interface DocumentHashOptions {
  /**
   * Honour an `ignoreFields` declaration (`<prefix>:ignoreFields` on the document or on
   * `epcisBody.queryResults`) as the reference implementation does. Default `true`; pass `false` to
   * hash every field whatever the document says.
   */
  readonly honourIgnoreFields?: boolean;
}
