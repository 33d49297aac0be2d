import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import {
  checkCaptureDocument,
  checkEvent,
  EpcisValidationError,
  type ValidationProblem,
  validateCaptureDocument,
  validateEvent,
} from "../../src/index.js";

// openepcis/openepcis-test-resources capture documents live beside the repository
// (../shared/testdata/SOURCES.md); they are read in place, never copied.
const DATA_DIR = fileURLToPath(new URL("../../../../../shared/testdata/openepcis/Capture/", import.meta.url));
const present = existsSync(DATA_DIR);

/** Accepted, or rejected with exactly these problems: [path, substring of the message], in order. */
type Expected = "accepted" | readonly (readonly [path: string, message: string])[];

/**
 * Every file and its outcome. Rejections among Documents/Events are standard-breaking files, each
 * decided in docs/EPCIS-CONFORMANCE.md.
 */
const EXPECTED: Record<string, Record<string, Expected>> = {
  Documents: {
    "AggregationEvent.json": "accepted",
    "AggregationEvent_all_possible_fields.json": "accepted",
    "AggregationEvent_with_digitalLink.json": "accepted",
    "AggregationEvent_with_persistentDisposition.json": "accepted",
    "AggregationEvent_with_sensorData.json": "accepted",
    "AggregationEvent_with_userExtensions.json": "accepted",
    "AssociationEvent.json": "accepted",
    "AssociationEvent_2.json": "accepted",
    "AssociationEvent_all_possible_fields.json": "accepted",
    "AssociationEvent_with_sensorData.json": "accepted",
    "AssociationEvent_with_userExtensions.json": "accepted",
    "Combination_of_different_event.json": [
      [
        "epcisBody.eventList[0].epcList[0]",
        '"https://id.example.com/8003/030013450007718765" is not a valid GS1 Digital Link URI (check digit of AI (8003) "3001345000771" must be 6',
      ],
    ],
    "CurieString_document.json": [
      [
        "epcisBody.eventList[0].destinationList[3].type",
        '"cbv:my_own_party" is not a CBV 2.0 source/destination type (https://ref.gs1.org/cbv/my_own_party: https://ref.gs1.org/cbv/ is a GS1 namespace',
      ],
    ],
    "JumbledFieldsOrder.json": "accepted",
    "Namespaces_at_different_level.json": "accepted",
    "ObjectEvent.json": "accepted",
    "ObjectEvent_all_possible_fields.json": "accepted",
    "ObjectEvent_with_comment.json": "accepted",
    "ObjectEvent_with_custom_bizStep_uri.json": "accepted",
    "ObjectEvent_with_digitalLink.json": "accepted",
    "ObjectEvent_with_error_declaration.json": "accepted",
    "ObjectEvent_with_persistentDisposition.json": "accepted",
    "ObjectEvent_with_sensorData.json": "accepted",
    "ObjectEvent_with_userExtensions.json": "accepted",
    "SensorData_and_extension.json": "accepted",
    "SensorData_with_combined_events.json": [
      [
        "epcisBody.eventList[7].sensorElementList[0].sensorReport[1].type",
        '"Molar_concentration" is not a CBV 2.0 measurement type',
      ],
      [
        "epcisBody.eventList[7].sensorElementList[0].sensorReport[2].type",
        '"Molar_concentration" is not a CBV 2.0 measurement type',
      ],
      [
        "epcisBody.eventList[8].sensorElementList[0].sensorReport[0].type",
        "sensor report has no measurement type",
      ],
      [
        "epcisBody.eventList[8].sensorElementList[0].sensorReport[1].type",
        "sensor report has no measurement type",
      ],
      [
        "epcisBody.eventList[10].sensorElementList[0].sensorReport[0].type",
        '"EffectiveDoseRate" is not a CBV 2.0 measurement type',
      ],
      [
        "epcisBody.eventList[12].epcList[0]",
        '"https://id.example.com/8003/952012200000001004" is not a valid GS1 Digital Link URI (AI (8003) GRAI must start with the digit 0',
      ],
    ],
    "TransactionEvent.json": "accepted",
    "TransactionEvent_all_possible_fields.json": "accepted",
    "TransactionEvent_with_sensorData.json": "accepted",
    "TransactionEvent_with_userExtensions.json": [
      [
        "epcisBody.eventList[0].sensorElementList[0].sensorReport[0].type",
        '"EffectiveDoseRate" is not a CBV 2.0 measurement type',
      ],
    ],
    "TransformationEvent.json": "accepted",
    "TransformationEvent_all_possible_fields.json": "accepted",
    "TransformationEvent_with_digitalLink.json": "accepted",
    "TransformationEvent_with_error_declaration.json": "accepted",
    "TransformationEvent_with_sensorData.json": "accepted",
    "TransformationEvent_with_userExtensions.json": "accepted",
    "epcisDocWithAllGS1Keys.json": "accepted",
    "epcisDocWithSensorComponent.json": "accepted",
  },
  Events: {
    "AggregationEvent.json": "accepted",
    "AssociationEvent.json": "accepted",
    "ObjectEvent.json": "accepted",
    "TransactionEvent.json": "accepted",
    "TransformationEvent.json": "accepted",
  },
  Invalid: {
    "Combination_of_events_with_missing_mandatory_fields.json": [
      ["epcisBody.eventList[0].action", 'required field "action" of an ObjectEvent is missing'],
      [
        "epcisBody.eventList[1].eventTimeZoneOffset",
        'required field "eventTimeZoneOffset" of an ObjectEvent is missing',
      ],
      ["epcisBody.eventList[1].action", 'required field "action" of an ObjectEvent is missing'],
    ],
    "Combination_of_multiple_invalid_fields.json": [
      ["epcisBody.eventList[0].bizStep", '"transforming" is not a CBV 2.0 business step'],
      ["epcisBody.eventList[1].disposition", '"in_transport" is not a CBV 2.0 disposition'],
      ["epcisBody.eventList[2].sourceList[0].type", '"place" is not a CBV 2.0 source/destination type'],
      ["epcisBody.eventList[3].ilmd.materialType", 'field "materialType" is not allowed in an ilmd'],
      ["epcisBody.eventList[4].eventTime", '"22-07-2026" is not a valid date-time'],
      ["epcisBody.eventList[4].action", '"CREATE" is not one of ADD, OBSERVE, DELETE'],
    ],
    "Combination_of_non_standard_bizStep_and_disposition.json": [
      ["epcisBody.eventList[0].bizStep", '"transforming" is not a CBV 2.0 business step'],
      ["epcisBody.eventList[1].disposition", '"in_transport" is not a CBV 2.0 disposition'],
    ],
    "EPCISDocument_without_context.json": [
      ["@context", 'required field "@context" of an EPCISDocument is missing'],
    ],
    "ObjectEvent_with_ilmd_field_without_namespace.json": [
      ["epcisBody.eventList[0].ilmd.materialType", 'field "materialType" is not allowed in an ilmd'],
    ],
    "ObjectEvent_with_invalid_action.json": [
      ["epcisBody.eventList[0].action", '"CREATE" is not one of ADD, OBSERVE, DELETE'],
    ],
    "ObjectEvent_with_invalid_certificationInfo.json": [
      [
        'epcisBody.eventList[0].certificationInfo[1]["gs1:CertificationDetails"]["gs1:certificationAuditDate"]',
        '"wrong date format" is not a valid date (YYYY-MM-DD)',
      ],
    ],
    "ObjectEvent_with_invalid_eventTime_format.json": [
      ["epcisBody.eventList[0].eventTime", '"22-07-2026" is not a valid date-time'],
    ],
    "ObjectEvent_with_non_standard_bizStep.json": [
      ["epcisBody.eventList[0].bizStep", '"transforming" is not a CBV 2.0 business step'],
    ],
    "ObjectEvent_with_non_standard_bizStep_in_second_event.json": [
      ["epcisBody.eventList[1].bizStep", '"transforming" is not a CBV 2.0 business step'],
    ],
    "ObjectEvent_with_non_standard_disposition.json": [
      ["epcisBody.eventList[0].disposition", '"in_transport" is not a CBV 2.0 disposition'],
    ],
    "ObjectEvent_with_quantity_as_text.json": [
      ["epcisBody.eventList[0].quantityList[0].quantity", '"twenty" is not a number'],
    ],
    "ObjectEvent_with_unknown_field_in_quantityList.json": [
      [
        "epcisBody.eventList[0].quantityList[0].weight",
        'field "weight" is not allowed in a quantity element',
      ],
    ],
    "ObjectEvent_without_action_and_eventTime.json": [
      ["epcisBody.eventList[0].eventTime", 'required field "eventTime" of an ObjectEvent is missing'],
      [
        "epcisBody.eventList[0].eventTimeZoneOffset",
        'required field "eventTimeZoneOffset" of an ObjectEvent is missing',
      ],
      ["epcisBody.eventList[0].action", 'required field "action" of an ObjectEvent is missing'],
    ],
    "ObjectEvent_without_identifier_list.json": [
      [
        "epcisBody.eventList[0]",
        "an ObjectEvent needs epcList, a non-empty quantityList, or a sensorElementList with a readPoint",
      ],
    ],
  },
};

function load(folder: string, file: string): unknown {
  return JSON.parse(readFileSync(join(DATA_DIR, folder, file), "utf8"));
}

const isDocument = (json: unknown) => (json as { type?: unknown } | null)?.type === "EPCISDocument";

function check(json: unknown) {
  return isDocument(json) ? checkCaptureDocument(json) : checkEvent(json);
}

function expectProblems(
  problems: readonly ValidationProblem[],
  expected: Exclude<Expected, "accepted">,
): void {
  expect(problems.map((p) => p.path)).toEqual(expected.map(([path]) => path));
  expected.forEach(([, message], i) => {
    expect(problems[i]?.message).toContain(message);
  });
}

if (!present && process.env.CI === "true") {
  it("openepcis capture test data is present in CI", () => {
    expect.fail(`missing ${DATA_DIR}`);
  });
}

describe.skipIf(!present)("EPCIS 2.0 capture conformance (openepcis test resources)", () => {
  for (const [folder, files] of Object.entries(EXPECTED)) {
    describe(folder, () => {
      it("the table lists every file of the folder", () => {
        const onDisk = readdirSync(join(DATA_DIR, folder))
          .filter((f) => f.endsWith(".json"))
          .sort();
        expect(onDisk).toEqual(Object.keys(files).sort());
      });

      for (const [file, expected] of Object.entries(files)) {
        it(`${file}: ${expected === "accepted" ? "accepted" : `rejected (${expected.length})`}`, () => {
          const json = load(folder, file);
          const result = check(json);
          if (expected === "accepted") {
            expect(result.ok ? [] : result.problems).toEqual([]);
            return;
          }
          expect(result.ok).toBe(false);
          if (!result.ok) expectProblems(result.problems, expected);
          // The throwing API names the first problem and carries all of them.
          const run = () => (isDocument(json) ? validateCaptureDocument(json) : validateEvent(json));
          expect(run).toThrow(EpcisValidationError);
          try {
            run();
          } catch (e) {
            const err = e as EpcisValidationError;
            expect(err.code).toBe("EPCIS_VALIDATION");
            expect(err.type.epcisType).toBe("epcisException:ValidationException");
            expect(err.problems).toHaveLength(expected.length);
            const [path, message] = expected[0] ?? ["", ""];
            expect(err.message).toContain(`${path}: `);
            expect(err.message).toContain(message);
          }
        });
      }
    });
  }

  it("counts: Documents 34 accepted / 4 rejected, Events 5 / 0, Invalid 0 / 15", () => {
    const counts = Object.entries(EXPECTED).map(([folder, files]) => {
      const values = Object.values(files);
      return [
        folder,
        values.filter((v) => v === "accepted").length,
        values.filter((v) => v !== "accepted").length,
      ];
    });
    expect(counts).toEqual([
      ["Documents", 34, 4],
      ["Events", 5, 0],
      ["Invalid", 0, 15],
    ]);
  });

  it("accepted documents come back typed, events in order with their namespaces", () => {
    const doc = validateCaptureDocument(load("Documents", "Namespaces_at_different_level.json"));
    expect(doc.events.length).toBe(doc.document.epcisBody.eventList.length);
    expect(doc.events[0]?.event).toBe(doc.document.epcisBody.eventList[0]);
    expect(doc.events[0]?.namespaces.ext1).toBe("https://ns.ext.de/epcis/");
    expect(doc.events[0]?.namespaces.ext2).toBe("http://www.ext2.net/");
    const single = validateEvent(load("Events", "TransformationEvent.json"));
    expect(single.event.type).toBe("TransformationEvent");
    if (single.event.type === "TransformationEvent") expect(single.event.outputEPCList?.length).toBe(1);
  });
});
