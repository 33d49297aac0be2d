import { describe, expect, it } from "vitest";
import {
  type EpcisEventJson,
  EpcisHashError,
  eventHash,
  eventHashesOfDocument,
  hashPreHashString,
  jsonLdContextMap,
  preHashString,
  preHashStringsOfDocument,
} from "../../src/index.js";
import { thrownCode } from "./support/errors.js";

const EXAMPLE = { example: "https://ns.example.com/epcis/" };

const base = (extra: Record<string, unknown> = {}): EpcisEventJson => ({
  type: "ObjectEvent",
  eventTime: "2020-03-04T11:00:30.000+01:00",
  eventTimeZoneOffset: "+01:00",
  epcList: ["urn:epc:id:sgtin:0614141.107346.2017"],
  action: "OBSERVE",
  ...extra,
});

const HEAD =
  "eventType=ObjectEventeventTime=2020-03-04T10:00:30.000ZeventTimeZoneOffset=+01:00" +
  "epcListepc=https://id.gs1.org/01/10614141073464/21/2017action=OBSERVE";

const codeOf = (f: () => unknown) => thrownCode(f, EpcisHashError);

/** The same object with its keys (recursively) in reverse order. */
function reversed(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reversed);
  if (typeof value !== "object" || value === null) return value;
  return Object.fromEntries(
    Object.entries(value)
      .reverse()
      .map(([k, v]) => [k, reversed(v)]),
  );
}

describe("event hash", () => {
  it("is the ni: URI of the SHA-256 of the pre-hash string", () => {
    const pre = preHashString(base());
    expect(pre).toBe(HEAD);
    expect(eventHash(base())).toBe(hashPreHashString(pre));
    expect(eventHash(base())).toMatch(/^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
  });

  it("does not depend on JSON key order", () => {
    const event = base({
      bizStep: "shipping",
      readPoint: { "example:b": "2", id: "urn:epc:id:sgln:0614141.07346.1234", "example:a": "1" },
      bizTransactionList: [{ bizTransaction: "urn:epc:id:gdti:0614141.00001.1", type: "po" }],
      "example:z": { "example:y": "1", "example:x": "2" },
      "example:a": "3",
    });
    expect(preHashString(reversed(event) as EpcisEventJson, EXAMPLE)).toBe(preHashString(event, EXAMPLE));
  });

  it("ignores recordTime, eventID, errorDeclaration, comments and JSON-LD keywords", () => {
    const noisy = base({
      "@context": ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld"],
      recordTime: "2021-01-01T00:00:00Z",
      eventID: "ni:///sha-256;00?ver=CBV2.0",
      errorDeclaration: { declarationTime: "2021-01-01T00:00:00Z", reason: "incorrect_data" },
      comment: "a comment",
      "rdfs:comment": "another",
    });
    expect(preHashString(noisy)).toBe(HEAD);
  });

  it("leaves out absent, null and empty fields", () => {
    expect(preHashString(base({ bizStep: null, disposition: "", quantityList: [], readPoint: {} }))).toBe(
      HEAD,
    );
  });
});

describe("identifiers: EPC URN and Digital Link inputs hash alike", () => {
  const spellings = [
    "urn:epc:id:sgtin:0614141.107346.2017",
    "https://id.gs1.org/01/10614141073464/21/2017",
    "https://example.com/gtin/10614141073464/ser/2017?linkType=all",
    "https://id.gs1.org/01/10614141073464/10/LOT1/21/2017",
    "http://id.gs1.org/01/10614141073464/21/2017",
  ];
  it("in epcList", () => {
    const hashes = spellings.map((epc) => eventHash(base({ epcList: [epc] })));
    expect(new Set(hashes).size).toBe(1);
  });

  it("in readPoint, parentID, quantity lists and source/destination", () => {
    const a = base({
      parentID: "urn:epc:id:sscc:0614141.1234567890",
      readPoint: { id: "urn:epc:id:sgln:0614141.07346.0" },
      quantityList: [{ epcClass: "urn:epc:class:lgtin:4012345.012345.998877", quantity: 200, uom: "KGM" }],
      sourceList: [{ type: "owning_party", source: "urn:epc:id:pgln:0614141.00000" }],
    });
    const b = base({
      parentID: "https://id.gs1.org/00/106141412345678908",
      readPoint: { id: "https://example.org/414/0614141073467" },
      quantityList: [
        { epcClass: "https://id.gs1.org/01/04012345123456/10/998877", quantity: "200.0", uom: "KGM" },
      ],
      sourceList: [
        { type: "https://ref.gs1.org/cbv/SDT-owning_party", source: "https://id.gs1.org/417/0614141000005" },
      ],
    });
    expect(preHashString(a)).toBe(preHashString(b));
    expect(preHashString(a)).toContain("parentID=https://id.gs1.org/00/106141412345678908");
    expect(preHashString(a)).toContain("readPointid=https://id.gs1.org/414/0614141073467");
    expect(preHashString(a)).toContain(
      "quantityListquantityElementepcClass=https://id.gs1.org/01/04012345123456/10/998877quantity=200uom=KGM",
    );
  });

  it("sorts list elements by their canonical (Digital Link) form", () => {
    const pre = preHashString(
      base({ epcList: ["urn:epc:id:sscc:4012345.0000000333", "https://id.gs1.org/01/04012345999990/21/1"] }),
    );
    expect(pre).toContain(
      "epcListepc=https://id.gs1.org/00/040123450000003338epc=https://id.gs1.org/01/04012345999990/21/1action",
    );
  });
});

describe("CBV vocabulary values: bare, CURIE, URN and web URI hash alike", () => {
  const forms = [
    { bizStep: "shipping", disposition: "in_transit" },
    { bizStep: "cbv:BizStep-shipping", disposition: "cbv:Disp-in_transit" },
    { bizStep: "urn:epcglobal:cbv:bizstep:shipping", disposition: "urn:epcglobal:cbv:disp:in_transit" },
    {
      bizStep: "https://ref.gs1.org/cbv/BizStep-shipping",
      disposition: "https://ref.gs1.org/cbv/Disp-in_transit",
    },
  ];
  it("bizStep and disposition", () => {
    const pres = forms.map((f) => preHashString(base(f)));
    expect(new Set(pres).size).toBe(1);
    expect(pres[0]).toBe(
      `${HEAD}bizStep=https://ref.gs1.org/cbv/BizStep-shippingdisposition=https://ref.gs1.org/cbv/Disp-in_transit`,
    );
  });

  it("keeps a bare value that is not a CBV term, and bare terms outside vocabulary fields", () => {
    expect(preHashString(base({ bizStep: "exampling" }))).toBe(`${HEAD}bizStep=exampling`);
    expect(preHashString(base({ "example:step": "shipping" }), EXAMPLE)).toBe(
      `${HEAD}{https://ns.example.com/epcis/}step=shipping`,
    );
  });

  it("sensor types, exceptions and components", () => {
    const sensors = (type: string, exception: string, component: string) =>
      preHashString(
        base({ sensorElementList: [{ sensorReport: [{ type, exception, component, value: 1 }] }] }),
      );
    const bare = sensors("Temperature", "ALARM_CONDITION", "latitude");
    expect(bare).toBe(sensors("gs1:Temperature", "gs1:ALARM_CONDITION", "cbv:Comp-latitude"));
    expect(bare).toContain(
      "sensorReporttype=https://gs1.org/voc/Temperatureexception=https://gs1.org/voc/ALARM_CONDITION" +
        "value=1component=https://ref.gs1.org/cbv/Comp-latitude",
    );
  });
});

describe("field order", () => {
  it("writes type before the identifier in bizTransaction/source/destination, and sorts the lists' leftovers", () => {
    const pre = preHashString(
      base({
        bizTransactionList: [
          { bizTransaction: "urn:epcglobal:cbv:bt:0614141073467:1152", type: "po" },
          { bizTransaction: "http://example.com/desadv/1", type: "desadv" },
        ],
        sourceList: [{ source: "urn:epc:id:pgln:0614141.00000", type: "owning_party" }],
        destinationList: [{ destination: "urn:epc:id:pgln:0614141.00000", type: "owning_party" }],
        ilmd: { "example:lot": "L1" },
        sensorElementList: [{ sensorReport: [{ type: "Temperature", value: 3 }] }],
      }),
      EXAMPLE,
    );
    expect(pre).toBe(
      `${HEAD}sensorElementListsensorElementsensorReporttype=https://gs1.org/voc/Temperaturevalue=3` +
        "bizTransactionList" +
        "type=https://ref.gs1.org/cbv/BTT-desadvbizTransaction=http://example.com/desadv/1" +
        "type=https://ref.gs1.org/cbv/BTT-pobizTransaction=urn:epcglobal:cbv:bt:0614141073467:1152" +
        "destinationListtype=https://ref.gs1.org/cbv/SDT-owning_partydestination=https://id.gs1.org/417/0614141000005" +
        "ilmd{https://ns.example.com/epcis/}lot=L1" +
        "sourceListtype=https://ref.gs1.org/cbv/SDT-owning_partysource=https://id.gs1.org/417/0614141000005",
    );
  });

  it("puts parentID after epcList (CBV 2.0 order)", () => {
    const pre = preHashString({
      type: "TransactionEvent",
      eventTime: "2020-03-04T10:00:30Z",
      eventTimeZoneOffset: "+00:00",
      parentID: "urn:epc:id:sscc:4012345.0000000333",
      epcList: ["urn:epc:id:sgtin:0614141.107346.2017"],
      action: "ADD",
    });
    expect(pre).toContain(
      "epcListepc=https://id.gs1.org/01/10614141073464/21/2017parentID=https://id.gs1.org/00/040123450000003338action=ADD",
    );
  });
});

describe("user extensions", () => {
  it("top level: {namespace}name, sorted by namespace, name and value, after the standard fields", () => {
    const ctx = { ...EXAMPLE, abc: "https://ns.abc.de/epcis/", schema: "https://schema.org/" };
    const pre = preHashString(
      base({
        "schema:mpn": "4711",
        "example:myField3": { "example:mySubField3": ["3", "1"] },
        "abc:z-integer": 1,
        "example:myField1": { "example:mySubField2": "5", "example:mySubField1": "2" },
        "abc:a-integer": 2,
        bizStep: "departing",
      }),
      ctx,
    );
    expect(pre).toBe(
      `${HEAD}bizStep=https://ref.gs1.org/cbv/BizStep-departing` +
        "{https://ns.abc.de/epcis/}a-integer=2{https://ns.abc.de/epcis/}z-integer=1" +
        "{https://ns.example.com/epcis/}myField1{https://ns.example.com/epcis/}mySubField1=2{https://ns.example.com/epcis/}mySubField2=5" +
        "{https://ns.example.com/epcis/}myField3{https://ns.example.com/epcis/}mySubField3=1{https://ns.example.com/epcis/}mySubField3=3" +
        "{https://schema.org/}mpn=4711",
    );
  });

  it("the prefix does not matter, the namespace does", () => {
    const a = preHashString(base({ "example:f": "v" }), EXAMPLE);
    const b = preHashString(base({ "ex2:f": "v" }), { ex2: "https://ns.example.com/epcis/" });
    const c = preHashString(base({ "example:f": "v" }), { example: "https://other.example.com/" });
    expect(a).toBe(b);
    expect(a).not.toBe(c);
  });

  it("inside readPoint, sensorMetadata and sensorReport: after that element's standard fields", () => {
    const pre = preHashString(
      base({
        readPoint: { "example:zone": "A", id: "urn:epc:id:sgln:0614141.07346.0" },
        sensorElementList: [
          {
            "example:elementNote": "n",
            sensorReport: [{ "example:raw": "r", type: "Temperature", value: 20.5, uom: "CEL" }],
            sensorMetadata: { "example:meta": "m", deviceID: "urn:epc:id:giai:4000001.111" },
          },
        ],
      }),
      EXAMPLE,
    );
    expect(pre).toBe(
      `${HEAD}readPointid=https://id.gs1.org/414/0614141073467{https://ns.example.com/epcis/}zone=A` +
        "sensorElementListsensorElement" +
        "sensorMetadatadeviceID=https://id.gs1.org/8004/4000001111{https://ns.example.com/epcis/}meta=m" +
        "sensorReporttype=https://gs1.org/voc/Temperaturevalue=20.5uom=CEL{https://ns.example.com/epcis/}raw=r" +
        "{https://ns.example.com/epcis/}elementNote=n",
    );
  });

  it("an event's own @context adds prefixes; an undeclared prefix stays as written", () => {
    const withOwn = preHashString({ ...base({ "example:f": "v" }), "@context": [EXAMPLE] });
    expect(withOwn).toBe(`${HEAD}{https://ns.example.com/epcis/}f=v`);
    expect(preHashString(base({ "undeclared:f": "v" }))).toBe(`${HEAD}undeclared:f=v`);
  });

  it("CURIE values are expanded; extension values are canonicalised but not as timestamps", () => {
    const pre = preHashString(
      base({
        "example:ref": "example:thing",
        "example:epc": "urn:epc:id:sgtin:0614141.107346.2017",
        "example:n": "12.50",
        "example:empty": "",
      }),
      EXAMPLE,
    );
    expect(pre).toBe(
      `${HEAD}{https://ns.example.com/epcis/}empty` +
        "{https://ns.example.com/epcis/}epc=https://id.gs1.org/01/10614141073464/21/2017" +
        "{https://ns.example.com/epcis/}n=12.5" +
        "{https://ns.example.com/epcis/}ref=https://ns.example.com/epcis/thing",
    );
  });

  it("can be excluded with ignoreFields", () => {
    const event = base({ "example:hash": "x", "example:keep": "y" });
    expect(preHashString(event, EXAMPLE, { ignoreFields: ["example:hash"] })).toBe(
      `${HEAD}{https://ns.example.com/epcis/}keep=y`,
    );
    expect(preHashString(event, EXAMPLE, { ignoreFields: ["https://ns.example.com/epcis/hash"] })).toBe(
      `${HEAD}{https://ns.example.com/epcis/}keep=y`,
    );
  });
});

describe("documents", () => {
  const context = ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld", EXAMPLE];
  const events = [base({ "example:f": "1" }), base({ action: "ADD" })];

  it("hashes eventList, query results and a single event, in order, with the document's prefixes", () => {
    const expected = events.map((e) => eventHash(e, jsonLdContextMap(context)));
    expect(eventHashesOfDocument({ "@context": context, epcisBody: { eventList: events } })).toEqual(
      expected,
    );
    expect(
      eventHashesOfDocument({
        "@context": context,
        type: "EPCISQueryDocument",
        epcisBody: { queryResults: { queryName: "SimpleEventQuery", resultsBody: { eventList: events } } },
      }),
    ).toEqual(expected);
    expect(eventHashesOfDocument({ "@context": context, epcisBody: { event: events[0] } })).toEqual([
      expected[0],
    ]);
    expect(preHashStringsOfDocument({ "@context": context, epcisBody: { eventList: [] } })).toEqual([]);
  });

  it("honours <prefix>:ignoreFields unless told not to", () => {
    const doc = {
      "@context": [...context, { repo: "https://repository-x.example.com/" }],
      "repo:ignoreFields": ["example:f"],
      epcisBody: { eventList: [events[0]] },
    };
    expect(preHashStringsOfDocument(doc)).toEqual([HEAD]);
    expect(preHashStringsOfDocument(doc, { honourIgnoreFields: false })).toEqual([
      `${HEAD}{https://ns.example.com/epcis/}f=1`,
    ]);
  });

  it("refuses what it cannot hash, naming the event", () => {
    expect(codeOf(() => eventHashesOfDocument({ epcisBody: {} }))).toBe("EPCIS_HASH_NO_EVENT_LIST");
    expect(codeOf(() => eventHashesOfDocument([]))).toBe("EPCIS_HASH_NOT_AN_OBJECT");
    try {
      eventHashesOfDocument({ epcisBody: { eventList: [base(), { eventTime: "2020-01-01T00:00:00Z" }] } });
      expect.fail("no error");
    } catch (e) {
      expect(e).toBeInstanceOf(EpcisHashError);
      expect((e as EpcisHashError).type).toMatchObject({
        code: "EPCIS_HASH_MISSING_EVENT_TYPE",
        eventIndex: 1,
      });
    }
    expect(codeOf(() => preHashString(base({ "example:m": [[1]] }), EXAMPLE))).toBe(
      "EPCIS_HASH_UNSUPPORTED_VALUE",
    );
    expect(codeOf(() => preHashString(base({ "example:m": "inf" }), EXAMPLE))).toBe(
      "EPCIS_HASH_UNSUPPORTED_VALUE",
    );
  });
});
