/**
 * Layer 1: the EPCIS 2.0 JSON shape, as JSON Schema draft 2020-12 for ajv.
 *
 * Source: GS1 EPCIS 2.0 JSON schema, `https://ref.gs1.org/standards/epcis/2.0.1/epcis-json-schema.json`
 * (EPCIS Standard Release 2.0, Ratified Jun 2022, with the 2.0.1 corrections; developed in the
 * gs1/EPCIS GitHub repository as `EPCIS-JSON-Schema.json`). Rewritten here rather than copied:
 *
 * - The GS1 schema is draft-07 and dispatches on `type` with if/then over one big schema; we compile
 *   the document envelope and each of the five event types separately and dispatch in code, so an
 *   error names the event it is about instead of every branch that did not match.
 * - GS1 restricts event fields with `propertyNames: anyOf [field list, vocab-uri]`; we say the same with
 *   `properties` + `patternProperties` (namespaced `prefix:name` or absolute-URI keys) +
 *   `additionalProperties: false`, which yields one error naming the unexpected field.
 * - The CBV enumerations (`bizStep`, `disposition`, `bizTransaction-type`, `source-dest-type`,
 *   `error-reason`, `measurementType`, `sensorAlertType`, `component`) are checked in layer 2
 *   (`../cbv/rules.ts`) with the same lists, where CURIEs can be expanded against the JSON-LD context
 *   and the message can say which vocabulary a value is missing from. Here they are strings.
 * - Event types other than the five standard ones (GS1 `Extended-Event`) are refused in code: Weft
 *   stores and queries the five standard types only.
 * - `certificationInfo`: besides a URI or a list of URIs we accept inline GS1 Web Vocabulary
 *   `gs1:CertificationDetails` objects (the EPCIS 2.0 ontology ranges `certification` over
 *   `gs1:CertificationDetails`) and check their typed fields.
 *
 * Two annotation keywords steer the error messages (they do not validate anything):
 * `x-message` replaces the messages of the subschema it sits on; `x-extensible` marks objects that
 * take namespaced user extension fields.
 */
import type { SchemaObject } from "ajv/dist/2020.js";

export const EPCIS_JSON_SCHEMA_SOURCE = "https://ref.gs1.org/standards/epcis/2.0.1/epcis-json-schema.json";

/** A JSON-LD compact IRI (`example:myField`) or absolute IRI (`https://ns.example.com/epcis/myField`). */
export const EXTENSION_KEY_PATTERN = "^[A-Za-z_][A-Za-z0-9_.+-]*:[^\\s]+$";

const extensions = { [EXTENSION_KEY_PATTERN]: {} };

const uri = { type: "string", format: "uri" };
const time = { type: "string", format: "date-time" };
const uriList = { type: "array", items: uri };

const context = {
  "x-message": "is not a JSON-LD @context (a URI, an object, or a list of URIs and objects)",
  anyOf: [
    { type: "string", format: "uri" },
    { type: "object" },
    {
      type: "array",
      uniqueItems: true,
      items: { anyOf: [{ type: "string", format: "uri" }, { type: "object" }] },
    },
  ],
};

const quantityElement = {
  title: "quantity element",
  type: "object",
  properties: {
    epcClass: uri,
    quantity: { type: "number" },
    uom: {
      type: "string",
      pattern: "^[A-Z0-9]{2,3}$",
      "x-message": "is not a UN/CEFACT Rec. 20 unit code (2-3 upper-case letters or digits)",
    },
  },
  required: ["epcClass"],
  additionalProperties: false,
};
const quantityList = { type: "array", items: { $ref: "#/$defs/quantityElement" } };

const bizTransaction = {
  title: "business transaction",
  type: "object",
  properties: { type: { type: "string" }, bizTransaction: uri },
  required: ["bizTransaction"],
  additionalProperties: false,
};

const source = {
  title: "source",
  type: "object",
  properties: { type: { type: "string" }, source: uri },
  required: ["type", "source"],
  additionalProperties: false,
};

const destination = {
  title: "destination",
  type: "object",
  properties: { type: { type: "string" }, destination: uri },
  required: ["type", "destination"],
  additionalProperties: false,
};

// GS1 leaves readPoint and bizLocation open (only `id` is typed and required).
const location = (title: string) => ({
  title,
  type: "object",
  properties: { id: uri },
  required: ["id"],
});

const persistentDisposition = {
  title: "persistentDisposition",
  type: "object",
  properties: {
    set: { type: "array", items: { type: "string" }, minItems: 1, uniqueItems: true },
    unset: { type: "array", items: { type: "string" }, minItems: 1, uniqueItems: true },
  },
  additionalProperties: false,
  allOf: [
    {
      "x-message": "needs `set` or `unset` (or both)",
      anyOf: [{ required: ["set"] }, { required: ["unset"] }],
    },
  ],
};

const errorDeclaration = {
  title: "errorDeclaration",
  "x-extensible": true,
  type: "object",
  properties: {
    declarationTime: time,
    reason: { type: "string" },
    correctiveEventIDs: uriList,
  },
  patternProperties: extensions,
  required: ["declarationTime"],
  additionalProperties: false,
};

const sensorMetadata = {
  title: "sensorMetadata",
  "x-extensible": true,
  type: "object",
  properties: {
    time,
    startTime: time,
    endTime: time,
    deviceID: uri,
    deviceMetadata: uri,
    rawData: uri,
    dataProcessingMethod: uri,
    bizRules: uri,
  },
  patternProperties: extensions,
  additionalProperties: false,
};

const decimal = { type: "number" };
const sensorReport = {
  title: "sensorReport",
  "x-extensible": true,
  type: "object",
  properties: {
    type: { type: "string" },
    exception: { type: "string" },
    deviceID: uri,
    deviceMetadata: uri,
    rawData: uri,
    dataProcessingMethod: uri,
    bizRules: uri,
    time,
    microorganism: uri,
    chemicalSubstance: uri,
    coordinateReferenceSystem: uri,
    value: decimal,
    component: { type: "string" },
    stringValue: { type: "string" },
    booleanValue: { type: "boolean" },
    hexBinaryValue: {
      type: "string",
      pattern: "^[A-Fa-f0-9]+$",
      "x-message": "is not hexBinary (hex digits only)",
    },
    uriValue: uri,
    minValue: decimal,
    maxValue: decimal,
    meanValue: decimal,
    sDev: decimal,
    percRank: decimal,
    percValue: decimal,
    uom: { type: "string" },
  },
  patternProperties: extensions,
  // EPCIS 2.0 JSON schema: `sensorReport.required: ["type"]`. Checked in layer 2 so the message can
  // say it is the measurement type that is missing.
  additionalProperties: false,
};

const sensorElement = {
  title: "sensorElement",
  "x-extensible": true,
  type: "object",
  properties: {
    sensorMetadata: { $ref: "#/$defs/sensorMetadata" },
    sensorReport: { type: "array", items: { $ref: "#/$defs/sensorReport" }, minItems: 1 },
  },
  patternProperties: extensions,
  required: ["sensorReport"],
  additionalProperties: false,
};

const certificationDetails = {
  title: "gs1:CertificationDetails",
  type: "object",
  properties: {
    "gs1:certificationAgency": { type: "string" },
    "gs1:certificationAgencyURL": { anyOf: [uri, { type: "object" }] },
    "gs1:certificationAuditDate": { type: "string", format: "date" },
    "gs1:certificationEndDate": { type: "string", format: "date" },
    "gs1:certificationIdentification": { type: "string" },
    "gs1:certificationStandard": { type: "string" },
    "gs1:certificationStartDate": { type: "string", format: "date" },
    "gs1:certificationStatement": { type: "string" },
    "gs1:certificationStatus": { type: "string", enum: ["ACTIVE", "INACTIVE"] },
    "gs1:certificationSubject": { type: "string" },
    "gs1:certificationType": { type: "string" },
    "gs1:certificationURI": uri,
    "gs1:certificationValue": { type: "string" },
    "gs1:initialCertificationDate": { type: "string", format: "date" },
  },
  additionalProperties: false,
};

const certificationInfo = {
  // A URI, a list of URIs (GS1 schema), or inline gs1:CertificationDetails (see the header).
  if: { type: "array", contains: { type: "object" } },
  // biome-ignore lint/suspicious/noThenProperty: the JSON Schema keyword
  then: {
    title: "certificationInfo",
    type: "array",
    items: {
      title: "certificationInfo entry",
      type: "object",
      properties: { "gs1:CertificationDetails": { $ref: "#/$defs/certificationDetails" } },
      required: ["gs1:CertificationDetails"],
      additionalProperties: false,
    },
  },
  else: {
    "x-message": "is not a URI or a list of URIs",
    anyOf: [uri, { type: "array", items: uri }],
  },
};

const common = {
  "@context": { $ref: "#/$defs/context" },
  eventTime: time,
  recordTime: time,
  eventTimeZoneOffset: {
    type: "string",
    pattern: "^([+]|[-])((0[0-9]|1[0-3]):([0-5][0-9])|14:00)$",
    "x-message": "is not a time zone offset (+hh:mm or -hh:mm, at most 14:00)",
  },
  eventID: uri,
  certificationInfo: { $ref: "#/$defs/certificationInfo" },
  errorDeclaration: { $ref: "#/$defs/errorDeclaration" },
};

const what = {
  bizStep: { type: "string" },
  disposition: { type: "string" },
  persistentDisposition: { $ref: "#/$defs/persistentDisposition" },
  readPoint: { $ref: "#/$defs/readPoint" },
  bizLocation: { $ref: "#/$defs/bizLocation" },
  bizTransactionList: { type: "array", items: { $ref: "#/$defs/bizTransaction" } },
  sourceList: { type: "array", items: { $ref: "#/$defs/source" } },
  destinationList: { type: "array", items: { $ref: "#/$defs/destination" } },
  sensorElementList: { type: "array", items: { $ref: "#/$defs/sensorElement" } },
};

const action = { type: "string", enum: ["ADD", "OBSERVE", "DELETE"] };
const epcList = { type: "array", items: uri, uniqueItems: true };
const ilmd = {
  title: "ilmd",
  "x-extensible": true,
  type: "object",
  patternProperties: extensions,
  additionalProperties: false,
};

const event = (type: string, properties: Record<string, unknown>, required: string[], rules: unknown[]) => ({
  title: type,
  "x-extensible": true,
  type: "object",
  properties: { type: { const: type }, ...common, ...what, ...properties },
  patternProperties: extensions,
  additionalProperties: false,
  required: ["type", "eventTime", "eventTimeZoneOffset", ...required],
  ...(rules.length > 0 ? { allOf: rules } : {}),
});

const nonEmpty = (field: string) => ({ required: [field], properties: { [field]: { minItems: 1 } } });
const actionIs = (value: string) => ({ required: ["action"], properties: { action: { const: value } } });

export const objectEventSchema = event(
  "ObjectEvent",
  { action, epcList, quantityList, ilmd: { $ref: "#/$defs/ilmd" } },
  ["action"],
  [
    {
      "x-message":
        "an ObjectEvent needs epcList, a non-empty quantityList, or a sensorElementList with a readPoint",
      anyOf: [
        { required: ["epcList"] },
        nonEmpty("quantityList"),
        { allOf: [nonEmpty("sensorElementList"), { required: ["readPoint"] }] },
      ],
    },
    {
      // EPCIS 2.0 ObjectEvent: ILMD only when objects are created (action ADD).
      "x-message": "ilmd is only allowed when action is ADD",
      anyOf: [{ not: { required: ["ilmd"] } }, actionIs("ADD")],
    },
  ],
);

export const aggregationEventSchema = event(
  "AggregationEvent",
  { parentID: uri, childEPCs: epcList, childQuantityList: quantityList, action },
  ["action"],
  [
    {
      "x-message":
        "an AggregationEvent needs a non-empty childEPCs or childQuantityList unless action is DELETE",
      anyOf: [nonEmpty("childEPCs"), nonEmpty("childQuantityList"), actionIs("DELETE")],
    },
  ],
);

export const transactionEventSchema = event(
  "TransactionEvent",
  {
    bizTransactionList: { type: "array", items: { $ref: "#/$defs/bizTransaction" }, minItems: 1 },
    parentID: uri,
    epcList,
    quantityList,
    action,
  },
  ["bizTransactionList", "action"],
  [
    {
      "x-message": "a TransactionEvent needs epcList or a non-empty quantityList unless action is DELETE",
      anyOf: [{ required: ["epcList"] }, nonEmpty("quantityList"), actionIs("DELETE")],
    },
  ],
);

const anyInputOrOutput = [
  nonEmpty("inputEPCList"),
  nonEmpty("inputQuantityList"),
  nonEmpty("outputEPCList"),
  nonEmpty("outputQuantityList"),
];
export const transformationEventSchema = event(
  "TransformationEvent",
  {
    inputEPCList: epcList,
    inputQuantityList: quantityList,
    outputEPCList: epcList,
    outputQuantityList: quantityList,
    transformationID: uri,
    ilmd: { $ref: "#/$defs/ilmd" },
  },
  [],
  [
    {
      "x-message":
        "a TransformationEvent needs inputs (inputEPCList/inputQuantityList) and outputs (outputEPCList/outputQuantityList), or a transformationID with at least one of them",
      anyOf: [
        {
          allOf: [
            { anyOf: [nonEmpty("inputEPCList"), nonEmpty("inputQuantityList")] },
            { anyOf: [nonEmpty("outputEPCList"), nonEmpty("outputQuantityList")] },
          ],
        },
        { required: ["transformationID"], anyOf: anyInputOrOutput },
      ],
    },
  ],
);

export const associationEventSchema = event(
  "AssociationEvent",
  { parentID: uri, childEPCs: epcList, childQuantityList: quantityList, action },
  ["action", "parentID"],
  [
    {
      "x-message":
        "an AssociationEvent needs a non-empty childEPCs or childQuantityList unless action is DELETE",
      anyOf: [nonEmpty("childEPCs"), nonEmpty("childQuantityList"), actionIs("DELETE")],
    },
  ],
);

const vocabulary = {
  title: "vocabulary",
  type: "object",
  properties: {
    type: uri,
    vocabularyElementList: {
      type: "array",
      items: {
        title: "vocabulary element",
        type: "object",
        properties: {
          id: uri,
          attributes: {
            type: "array",
            items: {
              type: "object",
              properties: { id: uri, attribute: { type: ["number", "string", "object"] } },
              required: ["id"],
            },
          },
          children: uriList,
        },
        required: ["id"],
      },
    },
  },
  required: ["type"],
};

/** The capture document envelope; each event is checked against its own type's schema. */
export const documentSchema = {
  title: "EPCISDocument",
  "x-extensible": true,
  type: "object",
  properties: {
    "@context": { $ref: "#/$defs/context" },
    id: uri,
    type: { const: "EPCISDocument" },
    schemaVersion: {
      type: "string",
      pattern: "^\\d+(\\.\\d+)*$",
      "x-message": 'is not a schema version ("2.0")',
    },
    creationDate: time,
    instanceIdentifier: { type: "string" },
    sender: { type: "string" },
    receiver: { type: "string" },
    epcisHeader: {
      title: "epcisHeader",
      "x-extensible": true,
      type: "object",
      properties: {
        epcisMasterData: {
          type: "object",
          properties: { vocabularyList: { type: "array", items: vocabulary } },
        },
      },
      patternProperties: extensions,
      additionalProperties: false,
    },
    epcisBody: {
      title: "epcisBody",
      type: "object",
      properties: {
        eventList: { type: "array", items: { type: "object", required: ["type"] } },
      },
      required: ["eventList"],
    },
  },
  patternProperties: extensions,
  additionalProperties: false,
  required: ["@context", "type", "schemaVersion", "creationDate", "epcisBody"],
};

export const DEFINITIONS = {
  context,
  quantityElement,
  bizTransaction,
  source,
  destination,
  readPoint: location("readPoint"),
  bizLocation: location("bizLocation"),
  persistentDisposition,
  errorDeclaration,
  sensorMetadata,
  sensorReport,
  sensorElement,
  certificationDetails,
  certificationInfo,
  ilmd,
};

/** A complete schema around `root`, with the shared definitions. */
export function withDefinitions(root: Record<string, unknown>): SchemaObject {
  return { $schema: "https://json-schema.org/draft/2020-12/schema", ...root, $defs: DEFINITIONS };
}
