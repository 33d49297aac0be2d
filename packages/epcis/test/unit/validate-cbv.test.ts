import { describe, expect, it } from "vitest";
import {
  CBV_BIZ_STEPS,
  CBV_BIZ_TRANSACTION_TYPES,
  CBV_DISPOSITIONS,
  CBV_ERROR_REASONS,
  CBV_MEASUREMENT_TYPES,
  CBV_SOURCE_DESTINATION_TYPES,
  checkCaptureDocument,
  checkCbvValue,
  checkClassIdentifier,
  checkEvent,
  checkIdentifierSyntax,
  checkInstanceIdentifier,
  classifyCbvValue,
  namespacesOf,
  type ValidationProblem,
} from "../../src/index.js";

const CONTEXT = [
  "https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld",
  { example: "https://ns.example.com/epcis/" },
];

function objectEvent(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    "@context": CONTEXT,
    type: "ObjectEvent",
    eventTime: "2024-05-01T10:00:00.000+02:00",
    eventTimeZoneOffset: "+02:00",
    epcList: ["urn:epc:id:sgtin:0614141.107346.2017"],
    action: "OBSERVE",
    ...extra,
  };
}

function problems(json: unknown): readonly ValidationProblem[] {
  const r = checkEvent(json);
  return r.ok ? [] : r.problems;
}

/** The single problem of `json`, as `path: message`. */
function only(json: unknown): string {
  const ps = problems(json);
  expect(ps).toHaveLength(1);
  return `${ps[0]?.path}: ${ps[0]?.message}`;
}

describe("CBV 2.0 values: short name, URN, web URI, compact IRI, private URI", () => {
  it("accepts every CBV name in every spelling", () => {
    const cases = [
      ["bizStep", CBV_BIZ_STEPS, "urn:epcglobal:cbv:bizstep:", "BizStep-"],
      ["disposition", CBV_DISPOSITIONS, "urn:epcglobal:cbv:disp:", "Disp-"],
      ["bizTransactionType", CBV_BIZ_TRANSACTION_TYPES, "urn:epcglobal:cbv:btt:", "BTT-"],
      ["sourceDestinationType", CBV_SOURCE_DESTINATION_TYPES, "urn:epcglobal:cbv:sdt:", "SDT-"],
      ["errorReason", CBV_ERROR_REASONS, "urn:epcglobal:cbv:er:", "ER-"],
    ] as const;
    for (const [vocabulary, names, urn, web] of cases) {
      for (const name of names) {
        expect(checkCbvValue(vocabulary, name)).toBeUndefined();
        expect(checkCbvValue(vocabulary, `${urn}${name}`)).toBeUndefined();
        expect(checkCbvValue(vocabulary, `https://ref.gs1.org/cbv/${web}${name}`)).toBeUndefined();
        expect(checkCbvValue(vocabulary, `cbv:${web}${name}`)).toBeUndefined();
      }
    }
    for (const name of CBV_MEASUREMENT_TYPES) {
      expect(checkCbvValue("measurementType", name)).toBeUndefined();
      expect(checkCbvValue("measurementType", `gs1:${name}`)).toBeUndefined();
      expect(checkCbvValue("measurementType", `https://gs1.org/voc/${name}`)).toBeUndefined();
    }
  });

  it("CBV 2.0 lists have the sizes of the standard", () => {
    expect(CBV_BIZ_STEPS).toHaveLength(41);
    expect(CBV_DISPOSITIONS).toHaveLength(33);
    expect(CBV_BIZ_TRANSACTION_TYPES).toHaveLength(13);
    expect(CBV_SOURCE_DESTINATION_TYPES).toHaveLength(3);
    expect(CBV_ERROR_REASONS).toHaveLength(2);
    expect(CBV_MEASUREMENT_TYPES).toHaveLength(72);
  });

  it("classifies the form", () => {
    expect(classifyCbvValue("bizStep", "shipping")).toEqual({
      ok: true,
      value: { form: "name", name: "shipping", iri: "shipping" },
    });
    expect(classifyCbvValue("bizStep", "urn:epcglobal:cbv:bizstep:shipping")).toMatchObject({
      ok: true,
      value: { form: "urn", name: "shipping" },
    });
    expect(classifyCbvValue("bizStep", "cbv:BizStep-shipping")).toMatchObject({
      ok: true,
      value: { form: "web", name: "shipping", iri: "https://ref.gs1.org/cbv/BizStep-shipping" },
    });
    expect(classifyCbvValue("bizStep", "https://example.com/bizStep/inspecting")).toMatchObject({
      ok: true,
      value: { form: "private" },
    });
  });

  it("a private value must be a full URI", () => {
    expect(checkCbvValue("bizStep", "transforming")).toBe(
      '"transforming" is not a CBV 2.0 business step; a value outside CBV 2.0 must be a full URI (private vocabulary)',
    );
    expect(checkCbvValue("bizStep", "Shipping")).toContain('"Shipping" is not a CBV 2.0 business step');
    expect(checkCbvValue("bizStep", "urn:example:bizstep:transforming")).toBeUndefined();
    const ns = namespacesOf([{ ext1: "http://example.com/ext1/" }]);
    expect(checkCbvValue("bizStep", "ext1:summarising_discharge", ns)).toBeUndefined();
  });

  it("refuses unknown values in GS1's namespaces, naming them", () => {
    expect(checkCbvValue("bizStep", "urn:epcglobal:cbv:bizstep:transforming")).toBe(
      '"urn:epcglobal:cbv:bizstep:transforming" is not a CBV 2.0 business step',
    );
    expect(checkCbvValue("bizStep", "https://ref.gs1.org/cbv/BizStep-transforming")).toBe(
      '"https://ref.gs1.org/cbv/BizStep-transforming" is not a CBV 2.0 business step',
    );
    expect(checkCbvValue("disposition", "cbv:Disp-in_transport")).toBe(
      '"cbv:Disp-in_transport" is not a CBV 2.0 disposition (https://ref.gs1.org/cbv/Disp-in_transport)',
    );
    // A value of another CBV vocabulary.
    expect(checkCbvValue("bizStep", "urn:epcglobal:cbv:disp:active")).toContain(
      '"urn:epcglobal:cbv:disp:active" is not a CBV 2.0 business step (urn:epcglobal:cbv:disp:active: urn:epcglobal:cbv: is a GS1 namespace',
    );
    expect(checkCbvValue("sourceDestinationType", "cbv:my_own_party")).toContain(
      "https://ref.gs1.org/cbv/ is a GS1 namespace; a private value needs a namespace of its own",
    );
    expect(checkCbvValue("measurementType", "gs1:Temperatur")).toBe(
      '"gs1:Temperatur" is not a CBV 2.0 measurement type (https://gs1.org/voc/Temperatur)',
    );
  });

  it("a document may rebind a prefix", () => {
    const ns = namespacesOf([{ cbv: "https://example.com/my-cbv/" }]);
    expect(checkCbvValue("sourceDestinationType", "cbv:my_own_party", ns)).toBeUndefined();
  });
});

describe("CBV rules on events", () => {
  it("bizStep", () => {
    expect(problems(objectEvent({ bizStep: "shipping" }))).toEqual([]);
    expect(problems(objectEvent({ bizStep: "urn:epcglobal:cbv:bizstep:receiving" }))).toEqual([]);
    expect(only(objectEvent({ bizStep: "transforming" }))).toBe(
      'bizStep: "transforming" is not a CBV 2.0 business step; a value outside CBV 2.0 must be a full URI (private vocabulary)',
    );
  });

  it("disposition and persistentDisposition", () => {
    expect(problems(objectEvent({ disposition: "in_transit" }))).toEqual([]);
    expect(only(objectEvent({ disposition: "in_transport" }))).toMatch(
      /^disposition: "in_transport" is not a CBV 2.0 disposition/,
    );
    expect(
      problems(
        objectEvent({
          persistentDisposition: {
            set: ["completeness_verified"],
            unset: ["cbv:Disp-completeness_inferred"],
          },
        }),
      ),
    ).toEqual([]);
    expect(
      only(objectEvent({ persistentDisposition: { set: ["completeness_verified"], unset: ["fine"] } })),
    ).toMatch(/^persistentDisposition\.unset\[0\]: "fine" is not a CBV 2.0 disposition/);
  });

  it("bizTransaction type (optional) and source/destination types", () => {
    const ok = objectEvent({
      bizTransactionList: [
        { bizTransaction: "urn:epcglobal:cbv:bt:0614141073467:1152" },
        { type: "po", bizTransaction: "http://transaction.acme.com/po/12345678" },
        { type: "urn:gs1:epcisapp:rail:btt:passage", bizTransaction: "http://example.com/t/1" },
      ],
      sourceList: [{ type: "owning_party", source: "urn:epc:id:pgln:4012345.00225" }],
      destinationList: [
        { type: "urn:epcglobal:cbv:sdt:location", destination: "urn:epc:id:sgln:0614141.00777.0" },
      ],
    });
    expect(problems(ok)).toEqual([]);
    expect(
      only(
        objectEvent({
          bizTransactionList: [{ type: "purchase_order", bizTransaction: "http://t.example/1" }],
        }),
      ),
    ).toMatch(/^bizTransactionList\[0\]\.type: "purchase_order" is not a CBV 2.0 business transaction type/);
    expect(
      only(objectEvent({ sourceList: [{ type: "place", source: "urn:epc:id:sgln:0614141.00777.0" }] })),
    ).toMatch(/^sourceList\[0\]\.type: "place" is not a CBV 2.0 source\/destination type/);
    expect(
      only(
        objectEvent({
          destinationList: [{ type: "cbv:SDT-warehouse", destination: "urn:epc:id:sgln:0614141.00777.0" }],
        }),
      ),
    ).toBe(
      'destinationList[0].type: "cbv:SDT-warehouse" is not a CBV 2.0 source/destination type (https://ref.gs1.org/cbv/SDT-warehouse)',
    );
  });

  it("error reason", () => {
    const ed = (reason: string) => ({
      errorDeclaration: { declarationTime: "2024-05-02T00:00:00Z", reason },
    });
    expect(problems(objectEvent(ed("did_not_occur")))).toEqual([]);
    expect(problems(objectEvent(ed("urn:epcglobal:cbv:er:incorrect_data")))).toEqual([]);
    expect(only(objectEvent(ed("typo")))).toMatch(
      /^errorDeclaration\.reason: "typo" is not a CBV 2.0 error reason/,
    );
  });

  it("sensor measurement type, alert type, component; the type is required", () => {
    const sensors = (report: Record<string, unknown>) =>
      objectEvent({ sensorElementList: [{ sensorReport: [{ value: 1, ...report }] }] });
    expect(problems(sensors({ type: "Temperature", uom: "CEL" }))).toEqual([]);
    expect(problems(sensors({ type: "gs1:Temperature" }))).toEqual([]);
    expect(problems(sensors({ type: "example:someSensorProperty" }))).toEqual([]);
    expect(
      problems(sensors({ type: "Angle", component: "cbv:Comp-latitude", exception: "gs1:ALARM_CONDITION" })),
    ).toEqual([]);
    expect(problems(sensors({ type: "Angle", component: "x", exception: "ERROR_CONDITION" }))).toEqual([]);
    expect(only(sensors({ type: "gs1:Temperatur" }))).toBe(
      'sensorElementList[0].sensorReport[0].type: "gs1:Temperatur" is not a CBV 2.0 measurement type (https://gs1.org/voc/Temperatur)',
    );
    expect(only(sensors({ type: "Molar_concentration" }))).toMatch(
      /"Molar_concentration" is not a CBV 2.0 measurement type/,
    );
    expect(only(sensors({ exception: "ALARM_CONDITION" }))).toBe(
      "sensorElementList[0].sensorReport[0].type: sensor report has no measurement type: `type` is required (EPCIS 2.0 JSON schema sensorReport)",
    );
    expect(only(sensors({ type: "Length", component: "diagonal" }))).toMatch(
      /^sensorElementList\[0\]\.sensorReport\[0\]\.component: "diagonal" is not a CBV 2.0 component/,
    );
    expect(only(sensors({ type: "Length", exception: "gs1:FIRE" }))).toMatch(
      /"gs1:FIRE" is not a CBV 2.0 sensor alert type/,
    );
  });

  it("AggregationEvent parentID is required unless action is OBSERVE", () => {
    const agg = (action: string, extra: Record<string, unknown> = {}) => ({
      "@context": CONTEXT,
      type: "AggregationEvent",
      eventTime: "2024-05-01T10:00:00Z",
      eventTimeZoneOffset: "+00:00",
      childEPCs: ["urn:epc:id:sgtin:0614141.107346.2017"],
      action,
      ...extra,
    });
    expect(problems(agg("OBSERVE"))).toEqual([]);
    expect(problems(agg("ADD", { parentID: "urn:epc:id:sscc:0614141.1234567890" }))).toEqual([]);
    expect(only(agg("ADD"))).toBe("parentID: an AggregationEvent with action ADD needs a parentID");
    expect(only(agg("DELETE"))).toBe("parentID: an AggregationEvent with action DELETE needs a parentID");
  });

  it("extension fields need a declared prefix, at any depth", () => {
    expect(problems(objectEvent({ "example:field": { "example:inner": 1 } }))).toEqual([]);
    expect(problems(objectEvent({ "https://ns.example.com/epcis/field": 1 }))).toEqual([]);
    expect(only(objectEvent({ "ext9:field": 1 }))).toBe(
      '["ext9:field"]: extension field "ext9:field" uses prefix "ext9", which no @context declares',
    );
    expect(only(objectEvent({ "example:field": { "ext9:inner": 1 } }))).toBe(
      '["example:field"]["ext9:inner"]: extension field "ext9:inner" uses prefix "ext9", which no @context declares',
    );
    // Declared on the event only.
    expect(
      problems(objectEvent({ "@context": [...CONTEXT, { ext9: "https://ext9.example/" }], "ext9:field": 1 })),
    ).toEqual([]);
    // The EPCIS context's own prefixes.
    expect(
      problems(objectEvent({ action: "ADD", ilmd: { "cbvmda:lotNumber": "L1", "gs1:netWeight": 2 } })),
    ).toEqual([]);
  });

  it("document-level namespaces reach every event, and the header's extensions are checked", () => {
    const doc = (extra: Record<string, unknown>, event: Record<string, unknown>) => ({
      "@context": [
        "https://ref.gs1.org/standards/epcis/epcis-context.jsonld",
        { ext1: "https://ns.ext.de/epcis/" },
      ],
      type: "EPCISDocument",
      schemaVersion: "2.0",
      creationDate: "2024-05-01T10:00:00Z",
      ...extra,
      epcisBody: { eventList: [event] },
    });
    const ev = objectEvent({ "ext1:a": 1, bizStep: "ext1:my_step" });
    delete ev["@context"];
    expect(checkCaptureDocument(doc({}, ev)).ok).toBe(true);
    const bad = checkCaptureDocument(doc({ "ext2:header": 1 }, ev));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.problems.map((p) => p.path)).toEqual(['["ext2:header"]']);
  });
});

describe("identifiers", () => {
  it("EPC pure identity URIs (TDS 2.0)", () => {
    for (const ok of [
      "urn:epc:id:sgtin:0614141.107346.2017",
      "urn:epc:id:sgtin:0614141.107346.A%2FB",
      "urn:epc:id:sscc:0614141.1234567890",
      "urn:epc:id:sgln:0614141.07346.1234",
      "urn:epc:id:grai:4012345.55555.987",
      "urn:epc:id:giai:4012345.ABC",
      "urn:epc:id:gsrn:0614141.0000010253",
      "urn:epc:id:gdti:0614141.00001.1618034",
      "urn:epc:id:cpi:4012345.ABC.123",
      "urn:epc:id:sgcn:4012345.99999.44",
      "urn:epc:id:ginc:4012345.333",
      "urn:epc:id:gsin:4012345.999987654",
      "urn:epc:id:itip:4012345.012345.01.02.999",
      "urn:epc:id:upui:4012345.012345.AB12",
      "urn:epc:id:pgln:0614141.00777",
      "urn:epc:id:gid:95100000.12345.400",
      // TDS 2.0: the last component of an SGTIN, SGLN, GRAI, GIAI … may itself contain dots
      "urn:epc:id:sgtin:0614141.107346.A.1",
      "urn:epc:id:sgln:0614141.07346.12.3",
      "urn:epc:id:giai:4012345.A.B.C",
    ])
      expect(checkInstanceIdentifier(ok), ok).toBeUndefined();
    expect(checkInstanceIdentifier("urn:epc:id:sgtin:0614141.10734.2017")).toBe(
      'is not a valid EPC URI (indicator digit and item reference has 6 digits with this GS1 Company Prefix length, got 5: "10734")',
    );
    expect(checkInstanceIdentifier("urn:epc:id:sgtin:0614141.107346")).toBe(
      'is not a valid EPC URI (expected 3 dot-separated components: "0614141.107346")',
    );
    expect(checkInstanceIdentifier("urn:epc:id:sgtin:0614141.107346.a b")).toMatch(
      /is not a valid EPC URI \(an EPC URI has printable ASCII characters only/,
    );
    expect(checkInstanceIdentifier("urn:epc:id:sscc:614.1234567890")).toMatch(
      /GS1 Company Prefix in an EPC URI has 6 to 12 digits: "614"/,
    );
    expect(checkInstanceIdentifier("urn:epc:id:foo:1.2")).toMatch(
      /^is not a valid EPC URI \("foo" is not an EPC scheme of TDS 2.0 \(sgtin, .*gid/,
    );
    expect(checkInstanceIdentifier("urn:epc:tag:sgtin-96:3.0614141.107346.2017")).toMatch(
      /use the pure identity URI urn:epc:id:/,
    );
    // GS1 rules beyond the URI syntax: an ITIP piece is at most the total; a CPI serial has no leading zero
    expect(checkInstanceIdentifier("urn:epc:id:itip:4012345.011111.03.02.987")).toMatch(/piece 3 of total 2/);
    expect(checkInstanceIdentifier("urn:epc:id:cpi:0614141.ABC.0123")).toMatch(/without a leading zero/);
    expect(checkInstanceIdentifier("urn:epc:id:gid:95100000.12345")).toMatch(/is not manager\.class\.serial/);
  });

  it("instance-level lists refuse classes; quantity lists refuse instances", () => {
    expect(checkInstanceIdentifier("urn:epc:class:lgtin:4012345.012345.998877")).toMatch(
      /is a class-level EPC/,
    );
    expect(checkInstanceIdentifier("https://id.gs1.org/01/09521141012345")).toMatch(
      /class-level GS1 Digital Link/,
    );
    expect(checkClassIdentifier("urn:epc:class:lgtin:4012345.012345.998877")).toBeUndefined();
    expect(checkClassIdentifier("urn:epc:idpat:sgtin:4012345.012345.*")).toBeUndefined();
    expect(checkClassIdentifier("urn:epc:idpat:cpi:4012345.ABC.*")).toBeUndefined();
    // A class-level pattern fixes every component but the last (CBV 2.0 class-level identifiers):
    // `4012345.*.*` is a TDS pattern over all of a company's GTINs, not one class.
    const notAClass = /a class-level ID pattern fixes every component but the last, which is \*/;
    expect(checkClassIdentifier("urn:epc:idpat:sgtin:4012345.*.5")).toMatch(notAClass);
    expect(checkClassIdentifier("urn:epc:idpat:sgtin:4012345.*.*")).toMatch(notAClass);
    expect(checkClassIdentifier("urn:epc:idpat:sgtin:*.01234A.*")).toMatch(notAClass);
    expect(checkClassIdentifier("https://id.gs1.org/01/09521141012345")).toBeUndefined();
    expect(checkClassIdentifier("https://id.gs1.org/01/09521141012345/10/LOT1")).toBeUndefined();
    expect(checkClassIdentifier("urn:epc:id:sgtin:0614141.107346.2017")).toMatch(/is an instance-level EPC/);
    expect(checkClassIdentifier("https://id.gs1.org/01/09521141012345/21/2017")).toMatch(
      /instance-level GS1 Digital Link/,
    );
  });

  it("GS1 Digital Link URIs, check digits included; private URIs pass", () => {
    expect(checkInstanceIdentifier("https://id.gs1.org/01/09521141012345/21/2017")).toBeUndefined();
    expect(checkInstanceIdentifier("https://example.com/shop/01/09521141012345/21/2017")).toBeUndefined();
    expect(checkInstanceIdentifier("https://id.gs1.org/00/040123450000003338")).toBeUndefined();
    expect(checkInstanceIdentifier("https://id.gs1.org/01/09521141012346/21/2017")).toBe(
      'is not a valid GS1 Digital Link URI (check digit of AI (01) "09521141012346" must be 5 (GS1 General Specifications §7.9))',
    );
    expect(checkIdentifierSyntax("https://id.gs1.org/414/4012345000116")).toMatch(
      /check digit of AI \(414\)/,
    );
    expect(checkInstanceIdentifier("https://id.gs1.org/01/123/21/x")).toBe(
      'is not a valid GS1 Digital Link URI (AI (01) GTIN has 14 digits, got 3 characters: "123")',
    );
    expect(checkInstanceIdentifier("https://id.gs1.org/01/09521141012345/21/2017/10/L1")).toBe(
      'is not a valid GS1 Digital Link URI (key qualifiers of AI (01) must appear in the order 22/10/21 or 235: "21/10")',
    );
    expect(checkInstanceIdentifier("https://id.gs1.org/01/09521141012345/17/251231")).toBe(
      "is not a valid GS1 Digital Link URI (AI (17) is not a key qualifier of AI (01) (allowed: 22, 10, 21, 235))",
    );
    expect(checkInstanceIdentifier("https://id.gs1.org/01/09521141012345/21/123456789012345678901")).toBe(
      'is not a valid GS1 Digital Link URI (AI (21) SERIAL has 1..20 characters of set 82, got 21 characters: "123456789012345678901")',
    );
    expect(checkInstanceIdentifier("https://id.gs1.org/01/09521141012345/21/A%2FB%25")).toBeUndefined();
    expect(checkInstanceIdentifier("https://id.gs1.org/01/09521141012345/21/%C3%A9")).toMatch(
      /escape %C3 is not a printable ASCII character/,
    );
    expect(checkInstanceIdentifier("https://id.gs1.org/01/09521141012345/235/TPX1")).toBeUndefined();
    expect(checkInstanceIdentifier("https://id.gs1.org/01/09521141012345/10/L1/235/TPX1")).toMatch(
      /order 22\/10\/21 or 235: "10\/235"/,
    );
    expect(
      checkInstanceIdentifier("https://id.gs1.org/01/09521141012345/21/1?17=251231&linkType=all"),
    ).toBeUndefined();
    // data attributes are checked by the GS1 Digital Link grammar (17 is a date YYMMDD)
    expect(checkInstanceIdentifier("https://id.gs1.org/01/09521141012345/21/1?17=2512")).toMatch(
      /refused by the GS1 Digital Link grammar at "\?17=2512"/,
    );
    // DL 1.0 short names are Digital Links too
    expect(checkInstanceIdentifier("https://example.com/gtin/09521141012345/ser/2017")).toBeUndefined();
    expect(checkInstanceIdentifier("https://example.com/gtin/09521141012346/ser/2017")).toMatch(
      /check digit/,
    );
    expect(checkInstanceIdentifier("https://id.gs1.org/8004/4000001111")).toBeUndefined();
    expect(checkInstanceIdentifier("https://id.gs1.org/414/4012345000115/254/A1")).toBeUndefined();
    expect(checkInstanceIdentifier("https://id.gs1.org/8003/04012345000078ABC")).toBeUndefined();
    expect(checkClassIdentifier("https://id.gs1.org/8003/04012345000078")).toBeUndefined();
    expect(checkInstanceIdentifier("https://id.gs1.org/about")).toMatch(/no GS1 primary key/);
    expect(checkInstanceIdentifier("https://example.com/pallets/17")).toBeUndefined();
    // a key-like segment not followed by a key value is a private URI, not a broken Digital Link
    expect(checkIdentifierSyntax("http://www.w3.org/2000/01/rdf-schema#")).toBeUndefined();
    expect(checkIdentifierSyntax("https://example.com/party/acme")).toBeUndefined();
    expect(checkInstanceIdentifier("urn:uuid:6926712e-599f-4c4e-b6e9-8dd888c906bd")).toBeUndefined();
  });

  it("on events: each list with its level, named by path", () => {
    expect(only(objectEvent({ epcList: ["urn:epc:class:lgtin:4012345.012345.998877"] }))).toMatch(
      /^epcList\[0\]: "urn:epc:class:lgtin:4012345.012345.998877" is a class-level EPC/,
    );
    expect(
      only(
        objectEvent({ quantityList: [{ epcClass: "urn:epc:id:sgtin:0614141.107346.2017", quantity: 1 }] }),
      ),
    ).toMatch(
      /^quantityList\[0\]\.epcClass: "urn:epc:id:sgtin:0614141.107346.2017" is an instance-level EPC/,
    );
    expect(only(objectEvent({ readPoint: { id: "urn:epc:id:sgln:0614141.0734.1234" } }))).toMatch(
      /^readPoint\.id: "urn:epc:id:sgln:0614141.0734.1234" is not a valid EPC URI \(location reference has 5 digits with this GS1 Company Prefix length, got 4: "0734"\)$/,
    );
    expect(
      only(objectEvent({ sourceList: [{ type: "location", source: "urn:epc:id:sgln:1.2.3" }] })),
    ).toMatch(/^sourceList\[0\]\.source: /);
  });
});
