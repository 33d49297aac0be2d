import { WeftError } from "@weft/core";
import { describe, expect, it } from "vitest";
import {
  checkCaptureDocument,
  checkEvent,
  type EpcisEvent,
  EpcisValidationError,
  formatProblem,
  type ValidationProblem,
  validateCaptureDocument,
  validateEvent,
} from "../../src/index.js";

const CONTEXT = [
  "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
  { example: "https://ns.example.com/epcis/" },
];
const TIME = { eventTime: "2024-05-01T10:00:00.000+02:00", eventTimeZoneOffset: "+02:00" };
const SGTIN = "urn:epc:id:sgtin:0614141.107346.2017";

const event = (type: string, fields: Record<string, unknown>) => ({
  "@context": CONTEXT,
  type,
  ...TIME,
  ...fields,
});
const objectEvent = (fields: Record<string, unknown> = {}) =>
  event("ObjectEvent", { epcList: [SGTIN], action: "OBSERVE", ...fields });

function document(events: unknown[], extra: Record<string, unknown> = {}) {
  return {
    "@context": CONTEXT,
    type: "EPCISDocument",
    schemaVersion: "2.0",
    creationDate: "2024-05-01T10:00:00Z",
    ...extra,
    epcisBody: { eventList: events },
  };
}

function lines(r: { ok: true } | { ok: false; problems: readonly ValidationProblem[] }): string[] {
  return r.ok ? [] : r.problems.map(formatProblem);
}

describe("layer 1: the EPCIS 2.0 JSON shape of each event type", () => {
  it("accepts a minimal event of each of the five types", () => {
    const events = [
      objectEvent(),
      event("AggregationEvent", {
        parentID: "urn:epc:id:sscc:0614141.1234567890",
        childEPCs: [SGTIN],
        action: "ADD",
      }),
      event("TransactionEvent", {
        bizTransactionList: [{ type: "po", bizTransaction: "http://transaction.acme.com/po/1" }],
        epcList: [SGTIN],
        action: "ADD",
      }),
      event("TransformationEvent", {
        inputQuantityList: [
          { epcClass: "urn:epc:class:lgtin:4012345.011111.4444", quantity: 10, uom: "KGM" },
        ],
        outputEPCList: [SGTIN],
      }),
      event("AssociationEvent", {
        parentID: "urn:epc:id:grai:4012345.55555.987",
        childEPCs: [SGTIN],
        action: "ADD",
      }),
    ];
    for (const e of events) expect(lines(checkEvent(e)), String(e.type)).toEqual([]);
  });

  it("names a field the schema does not allow on that event type", () => {
    const agg = event("AggregationEvent", {
      parentID: "urn:epc:id:sscc:0614141.1234567890",
      childEPCs: [SGTIN],
      action: "ADD",
      ilmd: { "example:x": 1 },
    });
    expect(lines(checkEvent(agg))).toEqual([
      'ilmd: field "ilmd" is not allowed in an AggregationEvent (EPCIS 2.0 JSON schema); a user extension field must be namespaced, e.g. "example:ilmd"',
    ]);
    expect(lines(checkEvent(objectEvent({ childEPCs: [SGTIN] })))).toEqual([
      expect.stringContaining('childEPCs: field "childEPCs" is not allowed in an ObjectEvent'),
    ]);
    expect(
      lines(
        checkEvent(
          event("TransformationEvent", { inputEPCList: [SGTIN], outputEPCList: [SGTIN], action: "ADD" }),
        ),
      ),
    ).toEqual([expect.stringContaining('action: field "action" is not allowed in a TransformationEvent')]);
  });

  it("action rules per type", () => {
    expect(lines(checkEvent(objectEvent({ action: "ADD", ilmd: { "example:lot": "L1" } })))).toEqual([]);
    expect(lines(checkEvent(objectEvent({ action: "OBSERVE", ilmd: { "example:lot": "L1" } })))).toEqual([
      "ilmd is only allowed when action is ADD",
    ]);
    expect(lines(checkEvent(objectEvent({ action: "create" })))).toEqual([
      'action: "create" is not one of ADD, OBSERVE, DELETE',
    ]);
    // Aggregation/Association: children may be omitted only with DELETE.
    const agg = (action: string) =>
      event("AggregationEvent", { parentID: "urn:epc:id:sscc:0614141.1234567890", action });
    expect(lines(checkEvent(agg("DELETE")))).toEqual([]);
    expect(lines(checkEvent(agg("ADD")))).toEqual([
      "an AggregationEvent needs a non-empty childEPCs or childQuantityList unless action is DELETE",
    ]);
    const assoc = event("AssociationEvent", { childEPCs: [SGTIN], action: "ADD" });
    expect(lines(checkEvent(assoc))).toEqual([
      'parentID: required field "parentID" of an AssociationEvent is missing',
    ]);
    // TransactionEvent: a business transaction is required; objects unless DELETE.
    const tx = event("TransactionEvent", { bizTransactionList: [], action: "DELETE" });
    expect(lines(checkEvent(tx))).toEqual(["bizTransactionList: must have at least 1 item(s)"]);
    const tx2 = event("TransactionEvent", {
      bizTransactionList: [{ bizTransaction: "http://t.example/1" }],
      action: "ADD",
    });
    expect(lines(checkEvent(tx2))).toEqual([
      "a TransactionEvent needs epcList or a non-empty quantityList unless action is DELETE",
    ]);
  });

  it("TransformationEvent needs inputs and outputs, or a transformationID", () => {
    const t = (fields: Record<string, unknown>) => lines(checkEvent(event("TransformationEvent", fields)));
    expect(t({ inputEPCList: [SGTIN], outputEPCList: [SGTIN] })).toEqual([]);
    expect(t({ transformationID: "urn:epc:id:gdti:0614141.12345.400", outputEPCList: [SGTIN] })).toEqual([]);
    expect(t({ inputEPCList: [SGTIN] })).toEqual([
      expect.stringContaining("a TransformationEvent needs inputs"),
    ]);
    expect(t({ inputEPCList: [], outputEPCList: [SGTIN] })).toEqual([
      expect.stringContaining("a TransformationEvent needs inputs"),
    ]);
  });

  it("ObjectEvent needs objects, or sensor data with a readPoint", () => {
    const base = { action: "OBSERVE" };
    expect(lines(checkEvent(event("ObjectEvent", { ...base, epcList: [] })))).toEqual([]);
    expect(
      lines(
        checkEvent(
          event("ObjectEvent", {
            ...base,
            readPoint: { id: "urn:epc:id:sgln:0614141.00777.0" },
            sensorElementList: [{ sensorReport: [{ type: "Temperature", value: 4, uom: "CEL" }] }],
          }),
        ),
      ),
    ).toEqual([]);
    expect(lines(checkEvent(event("ObjectEvent", { ...base, quantityList: [] })))).toEqual([
      "an ObjectEvent needs epcList, a non-empty quantityList, or a sensorElementList with a readPoint",
    ]);
  });

  it("values: times, offsets, URIs, numbers, units, hexBinary, duplicates", () => {
    const check = (fields: Record<string, unknown>) => lines(checkEvent(objectEvent(fields)));
    expect(check({ eventTime: "2024-05-01T10:00:00" })).toEqual([
      'eventTime: "2024-05-01T10:00:00" is not a valid date-time (RFC 3339 with a time zone, e.g. 2024-05-01T10:00:00.000+02:00)',
    ]);
    expect(check({ eventTimeZoneOffset: "+2:00" })).toEqual([
      'eventTimeZoneOffset: "+2:00" is not a time zone offset (+hh:mm or -hh:mm, at most 14:00)',
    ]);
    expect(check({ eventTimeZoneOffset: "+14:30" })).toHaveLength(1);
    expect(check({ eventID: "not a uri" })).toEqual(['eventID: "not a uri" is not a valid URI']);
    expect(check({ epcList: [SGTIN, SGTIN] })).toEqual([`epcList[1]: duplicate of item 0: "${SGTIN}"`]);
    expect(
      check({
        quantityList: [{ epcClass: "urn:epc:class:lgtin:4012345.011111.4444", quantity: 2, uom: "kg" }],
      }),
    ).toEqual([
      'quantityList[0].uom: "kg" is not a UN/CEFACT Rec. 20 unit code (2-3 upper-case letters or digits)',
    ]);
    expect(check({ quantityList: [{ quantity: 2 }] })).toEqual([
      'quantityList[0].epcClass: required field "epcClass" of a quantity element is missing',
    ]);
    expect(
      check({
        readPoint: { id: "urn:epc:id:sgln:0614141.00777.0" },
        sensorElementList: [{ sensorReport: [{ type: "Temperature", hexBinaryValue: "0xFF" }] }],
      }),
    ).toEqual([
      'sensorElementList[0].sensorReport[0].hexBinaryValue: "0xFF" is not hexBinary (hex digits only)',
    ]);
    expect(
      check({ sensorElementList: [{ sensorReport: [{ type: "Temperature", colour: "red" }] }] }),
    ).toEqual([
      'sensorElementList[0].sensorReport[0].colour: field "colour" is not allowed in a sensorReport (EPCIS 2.0 JSON schema); a user extension field must be namespaced, e.g. "example:colour"',
    ]);
    expect(check({ sensorElementList: [{ sensorReport: [] }] })).toEqual([
      "sensorElementList[0].sensorReport: must have at least 1 item(s)",
    ]);
    expect(check({ persistentDisposition: {} })).toEqual([
      "persistentDisposition: needs `set` or `unset` (or both)",
    ]);
    expect(check({ bizTransactionList: [{ type: "po" }] })).toEqual([
      'bizTransactionList[0].bizTransaction: required field "bizTransaction" of a business transaction is missing',
    ]);
    expect(check({ sourceList: [{ type: "location", source: SGTIN, note: 1 }] })).toEqual([
      'sourceList[0].note: field "note" is not allowed in a source (EPCIS 2.0 JSON schema)',
    ]);
    expect(check({ errorDeclaration: { reason: "did_not_occur" } })).toEqual([
      'errorDeclaration.declarationTime: required field "declarationTime" of an errorDeclaration is missing',
    ]);
    expect(check({ "@context": 42 })).toEqual([
      "@context: 42 is not a JSON-LD @context (a URI, an object, or a list of URIs and objects)",
    ]);
  });

  it("certificationInfo: URI, list of URIs, or inline gs1:CertificationDetails", () => {
    const check = (certificationInfo: unknown) => lines(checkEvent(objectEvent({ certificationInfo })));
    expect(check("https://accreditation-council.example.org/certificate/ABC12345")).toEqual([]);
    expect(check(["https://cert.example/1", "https://cert.example/2"])).toEqual([]);
    expect(
      check([
        {
          "gs1:CertificationDetails": {
            "gs1:certificationAuditDate": "2023-12-20",
            "gs1:certificationStatus": "ACTIVE",
          },
        },
      ]),
    ).toEqual([]);
    expect(check("no uri")).toEqual(['certificationInfo: "no uri" is not a URI or a list of URIs']);
    expect(check([{ "gs1:CertificationDetails": { "gs1:certificationEndDate": "31.12.2025" } }])).toEqual([
      'certificationInfo[0]["gs1:CertificationDetails"]["gs1:certificationEndDate"]: "31.12.2025" is not a valid date (YYYY-MM-DD)',
    ]);
  });

  it("standalone events carry @context; events in a document inherit it", () => {
    const e = objectEvent();
    delete (e as Record<string, unknown>)["@context"];
    expect(lines(checkEvent(e))).toEqual([
      '@context: required field "@context" is missing: a standalone EPCIS 2.0 event carries its JSON-LD context',
    ]);
    expect(lines(checkEvent(e, { "@context": CONTEXT, path: "epcisBody.eventList[3]" }))).toEqual([]);
    expect(
      lines(checkEvent({ ...e, bizStep: "x" }, { "@context": CONTEXT, path: "epcisBody.eventList[3]" })),
    ).toEqual([
      'epcisBody.eventList[3].bizStep: "x" is not a CBV 2.0 business step; a value outside CBV 2.0 must be a full URI (private vocabulary)',
    ]);
  });

  it("event types other than the five are refused by name", () => {
    expect(lines(checkEvent(event("QuantityEvent", {})))).toEqual([
      'type: "QuantityEvent" is not an EPCIS 2.0 event type (ObjectEvent, AggregationEvent, TransactionEvent, TransformationEvent, AssociationEvent); extension event types are not supported',
    ]);
    expect(lines(checkEvent({ "@context": CONTEXT }))).toEqual([
      'type: required field "type" (the event type) is missing',
    ]);
    expect(lines(checkEvent("ObjectEvent"))).toEqual(['"ObjectEvent" is not a JSON object (an EPCIS event)']);
    expect(lines(checkEvent(null))).toEqual(["null is not a JSON object (an EPCIS event)"]);
  });
});

describe("capture documents", () => {
  it("the envelope: required fields, type, version, date, body", () => {
    expect(lines(checkCaptureDocument(document([objectEvent()])))).toEqual([]);
    expect(lines(checkCaptureDocument([]))).toEqual(["[] is not a JSON object (an EPCISDocument)"]);
    expect(lines(checkCaptureDocument({ type: "EPCISDocument" }))).toEqual([
      '@context: required field "@context" of an EPCISDocument is missing',
      'schemaVersion: required field "schemaVersion" of an EPCISDocument is missing',
      'creationDate: required field "creationDate" of an EPCISDocument is missing',
      'epcisBody: required field "epcisBody" of an EPCISDocument is missing',
    ]);
    expect(lines(checkCaptureDocument(document([], { type: "EPCISQueryDocument" })))).toEqual([
      'type: "EPCISQueryDocument" must be "EPCISDocument"',
    ]);
    expect(lines(checkCaptureDocument(document([], { schemaVersion: 2 })))).toEqual([
      'schemaVersion: 2 is not a schema version ("2.0")',
    ]);
    expect(lines(checkCaptureDocument(document([], { creationDate: "yesterday" })))).toEqual([
      expect.stringContaining('creationDate: "yesterday" is not a valid date-time'),
    ]);
    expect(
      lines(
        checkCaptureDocument(
          document([], { sender: "urn:epc:id:pgln:0614141.00777", "example:x": 1, comment: "hi" }),
        ),
      ),
    ).toEqual([expect.stringContaining('comment: field "comment" is not allowed in an EPCISDocument')]);
    const noList = document([]);
    noList.epcisBody = {} as typeof noList.epcisBody;
    expect(lines(checkCaptureDocument(noList))).toEqual([
      'epcisBody.eventList: required field "eventList" of an epcisBody is missing',
    ]);
    expect(lines(checkCaptureDocument(document(["x", { "@context": CONTEXT }])))).toEqual([
      'epcisBody.eventList[0]: "x" is not an object',
      'epcisBody.eventList[1].type: required field "type" is missing',
    ]);
  });

  it("lists every problem of every event, in order, both layers", () => {
    const r = checkCaptureDocument(
      document([
        objectEvent({ bizStep: "transforming", eventTime: "today" }),
        objectEvent(),
        objectEvent({ disposition: "in_transport", action: "CREATE" }),
      ]),
    );
    expect(lines(r)).toEqual([
      'epcisBody.eventList[0].eventTime: "today" is not a valid date-time (RFC 3339 with a time zone, e.g. 2024-05-01T10:00:00.000+02:00)',
      'epcisBody.eventList[0].bizStep: "transforming" is not a CBV 2.0 business step; a value outside CBV 2.0 must be a full URI (private vocabulary)',
      'epcisBody.eventList[2].action: "CREATE" is not one of ADD, OBSERVE, DELETE',
      'epcisBody.eventList[2].disposition: "in_transport" is not a CBV 2.0 disposition; a value outside CBV 2.0 must be a full URI (private vocabulary)',
    ]);
  });

  it("returns the events typed, as a discriminated union", () => {
    const agg = event("AggregationEvent", {
      parentID: "urn:epc:id:sscc:0614141.1234567890",
      childEPCs: [SGTIN],
      action: "ADD",
    });
    const { document: doc, events } = validateCaptureDocument(
      document([objectEvent({ action: "ADD" }), agg]),
    );
    expect(doc.schemaVersion).toBe("2.0");
    const describe = (e: EpcisEvent): string => {
      switch (e.type) {
        case "ObjectEvent":
          return `object ${e.action} ${e.epcList?.length}`;
        case "AggregationEvent":
          return `aggregation ${e.parentID} ${e.childEPCs?.length}`;
        case "TransactionEvent":
          return `transaction ${e.bizTransactionList.length}`;
        case "TransformationEvent":
          return `transformation ${e.transformationID}`;
        case "AssociationEvent":
          return `association ${e.parentID}`;
      }
    };
    expect(events.map((v) => describe(v.event))).toEqual([
      "object ADD 1",
      "aggregation urn:epc:id:sscc:0614141.1234567890 1",
    ]);
    expect(events[0]?.namespaces.cbv).toBe("https://ref.gs1.org/cbv/");
  });
});

describe("EpcisValidationError", () => {
  it("is a typed WeftError naming the first problem and carrying all", () => {
    let caught: unknown;
    try {
      validateCaptureDocument(
        document([
          objectEvent({ bizStep: "transforming" }),
          objectEvent({ disposition: "x" }),
          objectEvent({ action: "?" }),
        ]),
      );
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(EpcisValidationError);
    expect(caught).toBeInstanceOf(WeftError);
    const err = caught as EpcisValidationError;
    expect(err.code).toBe("EPCIS_VALIDATION");
    expect(err.message).toBe(
      'EPCIS validation failed: epcisBody.eventList[0].bizStep: "transforming" is not a CBV 2.0 business step; a value outside CBV 2.0 must be a full URI (private vocabulary) (and 2 more problems)',
    );
    expect(err.problems.map((p) => p.path)).toEqual([
      "epcisBody.eventList[0].bizStep",
      "epcisBody.eventList[1].disposition",
      "epcisBody.eventList[2].action",
    ]);
    expect(err.problems[0]?.value).toBe("transforming");
    const json = err.toJSON();
    expect(json).toMatchObject({ code: "EPCIS_VALIDATION", epcisType: "epcisException:ValidationException" });
    expect(JSON.parse(JSON.stringify(json)).problems).toHaveLength(3);
  });

  it("one problem: no count; validateEvent throws the same type", () => {
    expect(() => validateEvent(objectEvent({ bizStep: "transforming" }))).toThrow(
      /^EPCIS validation failed: bizStep: "transforming" is not a CBV 2\.0 business step; a value outside CBV 2\.0 must be a full URI \(private vocabulary\)$/,
    );
    const ok = validateEvent(objectEvent({ bizStep: "shipping" }));
    expect(ok.event.type).toBe("ObjectEvent");
  });
});
