import { describe, expect, it } from "vitest";
import { canonicalGs1Uri } from "../../src/hash/identifier.js";
import { canonicalNumberText, formatNumber } from "../../src/hash/number.js";
import { canonicalValue, stripValue } from "../../src/hash/value.js";
import { canonicalIdentifier, EpcisHashError } from "../../src/index.js";

describe("numbers (CBV 2.0 event hash rules 6, 7)", () => {
  it("prints integral values as integers and others as the shortest round-trip decimal", () => {
    expect(formatNumber(452)).toBe("452");
    expect(formatNumber(452.0)).toBe("452");
    expect(formatNumber(-0)).toBe("0");
    expect(formatNumber(12.1)).toBe("12.1");
    expect(formatNumber(0.1 + 0.2)).toBe("0.30000000000000004");
    expect(formatNumber(-26.25)).toBe("-26.25");
    expect(formatNumber(1e21)).toBe("1000000000000000000000");
    expect(formatNumber(2 ** 60)).toBe("1152921504606846976");
    expect(formatNumber(1234567.125)).toBe("1234567.125");
  });

  it("uses Python's exponent form below 1e-4", () => {
    expect(formatNumber(0.0001)).toBe("0.0001");
    expect(formatNumber(0.00001)).toBe("1e-05");
    expect(formatNumber(-1.5e-7)).toBe("-1.5e-07");
    expect(formatNumber(1e-100)).toBe("1e-100");
  });

  it("canonicalises numeric strings as the reference does, leaves other text alone", () => {
    expect(canonicalNumberText("12.10")).toBe("12.1");
    expect(canonicalNumberText("1.0")).toBe("1");
    expect(canonicalNumberText("+3")).toBe("3");
    expect(canonicalNumberText("007")).toBe("7");
    expect(canonicalNumberText(".5")).toBe("0.5");
    expect(canonicalNumberText("5.")).toBe("5");
    expect(canonicalNumberText("1e3")).toBe("1000");
    expect(canonicalNumberText("1_000")).toBe("1000");
    expect(canonicalNumberText("1.00000000000000001")).toBe("1");
    for (const text of ["nan", "NaN", "12a", "1__0", "_1", "0x10", "1,5", "", "2019-10-21", "+01:00"]) {
      expect(canonicalNumberText(text), text).toBeUndefined();
    }
  });

  it("refuses infinite values (the reference produces no hash for them)", () => {
    for (const text of ["inf", "-Infinity", "1e400"]) {
      expect(() => canonicalNumberText(text), text).toThrow(EpcisHashError);
    }
    expect(() => formatNumber(Number.NaN)).toThrow(EpcisHashError);
  });
});

describe("EPC URIs → canonical GS1 Digital Link (rule 17)", () => {
  const cases: [string, string][] = [
    ["urn:epc:id:sgtin:0614141.107346.2017", "https://id.gs1.org/01/10614141073464/21/2017"],
    ["urn:epc:id:sgtin:4012345.011111.98%22", "https://id.gs1.org/01/04012345111118/21/98%22"],
    [
      "urn:epc:id:sgtin:0614141.812345.6789%2F%26%25%22!%3F()",
      "https://id.gs1.org/01/80614141123458/21/6789%2F%26%25%22%21%3F%28%29",
    ],
    ["urn:epc:id:sgtin:0614141.107346.A.1", "https://id.gs1.org/01/10614141073464/21/A.1"],
    ["urn:epc:id:sscc:4012345.0000000333", "https://id.gs1.org/00/040123450000003338"],
    ["urn:epc:id:sgln:4012345.00005.0", "https://id.gs1.org/414/4012345000054"],
    ["urn:epc:id:sgln:4012345.00005.122", "https://id.gs1.org/414/4012345000054/254/122"],
    ["urn:epc:id:grai:4012345.00022.334455", "https://id.gs1.org/8003/04012345000221334455"],
    ["urn:epc:id:giai:4012345.ABC345", "https://id.gs1.org/8004/4012345ABC345"],
    ["urn:epc:id:gsrn:4012345.0000006765", "https://id.gs1.org/8018/401234500000067657"],
    ["urn:epc:id:gsrnp:4012345.0000000007", "https://id.gs1.org/8017/401234500000000074"],
    ["urn:epc:id:gdti:4012345.00009.PO-4711", "https://id.gs1.org/253/4012345000092PO-4711"],
    ["urn:epc:id:gdti:987659999999..9", "https://id.gs1.org/253/98765999999929"],
    [
      "urn:epc:id:cpi:0614141.11111111111111-A%23%2F.1234",
      "https://id.gs1.org/8010/061414111111111111111-A%23%2F/8011/1234",
    ],
    ["urn:epc:id:sgcn:4012345.99999.44", "https://id.gs1.org/255/401234599999044"],
    ["urn:epc:id:ginc:0614141.xyz47%2F11", "https://id.gs1.org/401/0614141xyz47%2F11"],
    ["urn:epc:id:gsin:4012345.222333444", "https://id.gs1.org/402/40123452223334442"],
    ["urn:epc:id:itip:4012345.011111.01.02.987", "https://id.gs1.org/8006/040123451111180102/21/987"],
    [
      "urn:epc:id:upui:1234567.098765.51qIgY)%3C%26Jp3*j7'SDB",
      "https://id.gs1.org/01/01234567987651/235/51qIgY%29%3C%26Jp3%2Aj7'SDB",
    ],
    ["urn:epc:id:pgln:4000001.00000", "https://id.gs1.org/417/4000001000005"],
    ["urn:epc:id:pgln:999999999999.", "https://id.gs1.org/417/9999999999994"],
    ["urn:epc:class:lgtin:4012345.012345.Lot987", "https://id.gs1.org/01/04012345123456/10/Lot987"],
    ["urn:epc:idpat:sgtin:4054739.099914.*", "https://id.gs1.org/01/04054739999148"],
    ["urn:epc:idpat:grai:4012345.66666.*", "https://id.gs1.org/8003/04012345666663"],
    ["urn:epc:idpat:itip:4012345.012345.01.02.*", "https://id.gs1.org/8006/040123451234560102"],
    ["urn:epc:idpat:cpi:4012345.ABC.*", "https://id.gs1.org/8010/4012345ABC"],
    // one EPC, one spelling: escapes are normalised (the reference keeps `%41` and lower-case hex)
    ["urn:epc:id:sgtin:0614141.107346.%41%2f", "https://id.gs1.org/01/10614141073464/21/A%2F"],
  ];
  for (const [urn, dl] of cases) {
    it(urn, () => {
      expect(canonicalGs1Uri(urn)).toBe(dl);
      expect(canonicalValue(urn)).toBe(dl);
      // the hash token is the identifier index key
      expect(canonicalIdentifier(urn)).toBe(dl);
    });
  }

  it("leaves what is not a valid GS1 EPC URI as written", () => {
    for (const urn of [
      "urn:epc:id:sgtin:0614141.10734.2017", // 12 digits, not 13
      "urn:epc:id:sgtin:0614141.107346.", // no serial
      "urn:epc:id:sgtin:0614141.107346.a/b", // '/' must be escaped
      "urn:epc:id:sscc:0614141.123456789", // 16 digits
      "urn:epc:id:itip:4012345.011111.03.02.987", // piece 3 of 2
      "urn:epc:id:cpi:0614141.ABC.0123", // CPI serial with a leading zero
      "urn:epc:id:usdod:2S194.12345678901", // no GS1 key
      "urn:epc:idpat:sgtin:0614141.*.*",
      "urn:epcglobal:cbv:bt:0614141073467:1152",
    ]) {
      expect(canonicalGs1Uri(urn), urn).toBeUndefined();
      expect(canonicalValue(urn), urn).toBe(urn);
    }
  });
});

describe("GS1 Digital Link → constrained canonical form (rule 18)", () => {
  it.each([
    // domain, key names and query string
    [
      "https://example.com/gtin/09780345418913/21/765tz?abc=211121",
      "https://id.gs1.org/01/09780345418913/21/765tz",
    ],
    ["https://id.gs1.de/414/4012345000115", "https://id.gs1.org/414/4012345000115"],
    ["http://id.gs1.org/00/040123451111111110", "https://id.gs1.org/00/040123451111111110"],
    [
      "https://brand.example/some/path/01/04012345999990/21/XYZ-1234",
      "https://id.gs1.org/01/04012345999990/21/XYZ-1234",
    ],
    // GTIN padding, CPV dropped, a lot dropped under a serial
    ["https://id.gs1.org/01/4012345999990", "https://id.gs1.org/01/04012345999990"],
    ["https://id.gs1.org/01/012345678905", "https://id.gs1.org/01/00012345678905"],
    ["https://id.gs1.org/01/12345670", "https://id.gs1.org/01/00000012345670"],
    ["https://id.gs1.org/01/04012345999990/22/2A", "https://id.gs1.org/01/04012345999990"],
    ["https://id.gs1.org/01/04012345999990/22/2A/10/L1", "https://id.gs1.org/01/04012345999990/10/L1"],
    ["https://id.gs1.org/01/04012345999990/10/L1/21/S1", "https://id.gs1.org/01/04012345999990/21/S1"],
    // values in the hash's spelling, whatever the input's; a refused data attribute does not matter
    ["https://example.com/01/04012345999990/21/a%2fb!", "https://id.gs1.org/01/04012345999990/21/a%2Fb%21"],
    ["https://example.com/01/04012345999990/21/S1?17=2612", "https://id.gs1.org/01/04012345999990/21/S1"],
  ])("%s", (uri, canonical) => {
    expect(canonicalGs1Uri(uri)).toBe(canonical);
    expect(canonicalValue(uri)).toBe(canonical);
  });

  it("leaves what is not a GS1 key of rule 18 as written", () => {
    for (const uri of [
      "http://transaction.acme.com/po/12345678",
      "https://accreditation-council.example.org/certificate/ABC12345",
      "http://www.opengis.net/def/crs/EPSG/0/27700",
      "geo:47.506694,11.104301",
      "https://id.gs1.org/01/04012345999990#frag",
      "https://example.com/01/04012345999991/21/S1", // wrong check digit
      "https://example.com/414/4012345000115/7040/1ABC", // a combination rule 18 does not list
      "https://id.gs1.org/DBHKVAdpQgqrCg", // compressed: not read
    ]) {
      expect(canonicalGs1Uri(uri), uri).toBeUndefined();
      expect(canonicalValue(uri), uri).toBe(uri);
    }
  });
});

describe("value canonicalisation", () => {
  it("strips Python whitespace and maps CBV 1.x URNs to web URIs", () => {
    expect(stripValue("\u00a0 x \u3000\u001f")).toBe("x");
    expect(stripValue("\ufeffx")).toBe("\ufeffx");
    expect(canonicalValue("urn:epcglobal:cbv:bizstep:shipping")).toBe(
      "https://ref.gs1.org/cbv/BizStep-shipping",
    );
    expect(canonicalValue("urn:epcglobal:cbv:disp:in_transit")).toBe(
      "https://ref.gs1.org/cbv/Disp-in_transit",
    );
    expect(canonicalValue("urn:epcglobal:cbv:btt:po")).toBe("https://ref.gs1.org/cbv/BTT-po");
    expect(canonicalValue("urn:epcglobal:cbv:sdt:owning_party")).toBe(
      "https://ref.gs1.org/cbv/SDT-owning_party",
    );
    expect(canonicalValue("urn:epcglobal:cbv:er:incorrect_data")).toBe(
      "https://ref.gs1.org/cbv/ER-incorrect_data",
    );
  });
});
