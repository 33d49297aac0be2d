/**
 * The canonical property order of the CBV 2.0 event hash, as the reference implementation that
 * produced the published vectors applies it.
 *
 * - `leaf`: `name=value`; `time`: the same with the value normalised as a timestamp;
 * - `struct`: `name`, then its listed fields in order, then any other field of it (user extensions)
 *   sorted — CBV 2.0 hash rule 21 for `readPoint`, `bizLocation`, `sensorElement`, `sensorMetadata`,
 *   `sensorReport`, applied to every structured field.
 * Several fields of one name (the elements of a list, repeated sensor reports, …) are each rendered
 * and sorted.
 *
 * What the order does not list comes after it, each field rendered whole and all of them sorted by
 * their rendered text: `ilmd`, user extensions, and — as in the reference implementation and its
 * vectors — `bizTransactionList`, `sourceList` and `destinationList` (so `destinationList` precedes
 * `sourceList`, and all three follow `sensorElementList`, unlike the CBV table's numbering).
 */
export type FieldSpec =
  | { readonly kind: "leaf" | "time"; readonly name: string }
  | { readonly kind: "struct"; readonly name: string; readonly fields: readonly FieldSpec[] };

const leaf = (name: string): FieldSpec => ({ kind: "leaf", name });
const time = (name: string): FieldSpec => ({ kind: "time", name });
const struct = (name: string, fields: readonly FieldSpec[]): FieldSpec => ({ kind: "struct", name, fields });

const epcs = (name: string) => struct(name, [leaf("epc")]);
const quantities = (name: string) =>
  struct(name, [struct("quantityElement", [leaf("epcClass"), leaf("quantity"), leaf("uom")])]);

export const EVENT_ORDER: readonly FieldSpec[] = [
  time("eventTime"),
  leaf("eventTimeZoneOffset"),
  leaf("certificationInfo"),
  epcs("epcList"),
  // CBV 2.0 puts parentID after epcList (no vector has both; the reference's later fix agrees).
  leaf("parentID"),
  epcs("inputEPCList"),
  epcs("childEPCs"),
  quantities("quantityList"),
  quantities("childQuantityList"),
  quantities("inputQuantityList"),
  epcs("outputEPCList"),
  quantities("outputQuantityList"),
  leaf("action"),
  leaf("transformationID"),
  leaf("bizStep"),
  leaf("disposition"),
  struct("persistentDisposition", [leaf("set"), leaf("unset")]),
  struct("readPoint", [leaf("id")]),
  struct("bizLocation", [leaf("id")]),
  struct("sensorElementList", [
    struct("sensorElement", [
      struct("sensorMetadata", [
        time("time"),
        time("startTime"),
        time("endTime"),
        leaf("deviceID"),
        leaf("deviceMetadata"),
        leaf("rawData"),
        leaf("dataProcessingMethod"),
        leaf("bizRules"),
      ]),
      struct("sensorReport", [
        leaf("type"),
        leaf("exception"),
        leaf("deviceID"),
        leaf("deviceMetadata"),
        leaf("rawData"),
        leaf("dataProcessingMethod"),
        time("time"),
        leaf("microorganism"),
        leaf("chemicalSubstance"),
        leaf("value"),
        leaf("component"),
        leaf("stringValue"),
        leaf("booleanValue"),
        leaf("hexBinaryValue"),
        leaf("uriValue"),
        leaf("minValue"),
        leaf("maxValue"),
        leaf("meanValue"),
        leaf("sDev"),
        leaf("percRank"),
        leaf("percValue"),
        leaf("uom"),
        leaf("coordinateReferenceSystem"),
      ]),
    ]),
  ]),
];

/** Event fields that never take part in the hash. */
export const IGNORED_EVENT_FIELDS: ReadonlySet<string> = new Set([
  "type", // written first, as `eventType=…`
  "eventID", // may itself be the event hash
  "recordTime", // set by the capturing repository
  "errorDeclaration", // a later correction does not change the event's identity
]);

/** Lists whose elements are (type, identifier) pairs: written `type=…` then `bizTransaction=…`, no element name. */
export const TYPED_PAIR_LISTS: ReadonlySet<string> = new Set([
  "bizTransactionList",
  "sourceList",
  "destinationList",
]);
