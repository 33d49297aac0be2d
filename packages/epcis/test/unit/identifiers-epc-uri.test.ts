import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { encodeEpcComponent, IdentifierError, parseEpcUri } from "../../src/index.js";
import { thrown } from "./support/errors.js";

const errorOf = (fn: () => unknown) => thrown(fn, IdentifierError);

/** All characters of the GS1 AI encodable character set 82. */
export const AI82 = `!"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz`;

describe("parseEpcUri: the schemes", () => {
  it("SGTIN", () => {
    const id = parseEpcUri("urn:epc:id:sgtin:4012345.011111.9876");
    expect(id).toMatchObject({
      scheme: "sgtin",
      level: "instance",
      companyPrefix: "4012345",
      itemReference: "011111",
      gtin: "04012345111118",
      serial: "9876",
      uri: "urn:epc:id:sgtin:4012345.011111.9876",
      elements: [
        { ai: "01", value: "04012345111118" },
        { ai: "21", value: "9876" },
      ],
    });
    // 12-digit company prefix: the item reference is the indicator digit alone
    expect(parseEpcUri("urn:epc:id:sgtin:415056789012.0.987654")).toMatchObject({ gtin: "04150567890128" });
  });

  it("LGTIN class and GTIN class (idpat)", () => {
    expect(parseEpcUri("urn:epc:class:lgtin:4012345.012345.Lot987")).toMatchObject({
      scheme: "lgtin",
      level: "class",
      gtin: "04012345123456",
      lot: "Lot987",
    });
    expect(parseEpcUri("urn:epc:idpat:sgtin:4012345.012345.*")).toMatchObject({
      scheme: "gtin",
      level: "class",
      gtin: "04012345123456",
      elements: [{ ai: "01", value: "04012345123456" }],
    });
    // an idpat for UPUI without TPX names the same GTIN class
    expect(parseEpcUri("urn:epc:idpat:upui:4012345.012345.*").uri).toBe(
      "urn:epc:idpat:sgtin:4012345.012345.*",
    );
  });

  it("SSCC", () => {
    expect(parseEpcUri("urn:epc:id:sscc:4012345.3111111111")).toMatchObject({
      scheme: "sscc",
      sscc: "340123451111111111",
      serialReference: "3111111111",
      companyPrefix: "4012345",
    });
  });

  it("SGLN with and without extension, PGLN", () => {
    const withExt = parseEpcUri("urn:epc:id:sgln:4012345.00005.122");
    expect(withExt).toMatchObject({
      scheme: "sgln",
      gln: "4012345000054",
      locationReference: "00005",
      extension: "122",
    });
    expect(withExt.elements).toEqual([
      { ai: "414", value: "4012345000054" },
      { ai: "254", value: "122" },
    ]);
    const plain = parseEpcUri("urn:epc:id:sgln:4012345.00005.0");
    expect(plain).toMatchObject({ gln: "4012345000054" });
    expect("extension" in plain).toBe(false);
    expect(plain.elements).toEqual([{ ai: "414", value: "4012345000054" }]);
    expect(parseEpcUri("urn:epc:id:sgln:123456789012..0")).toMatchObject({
      gln: "1234567890128",
      locationReference: "",
    });
    expect(parseEpcUri("urn:epc:id:pgln:4000001.00000")).toMatchObject({
      scheme: "pgln",
      gln: "4000001000005",
    });
    expect(parseEpcUri("urn:epc:id:pgln:999999999999.")).toMatchObject({
      gln: "9999999999994",
      partyReference: "",
    });
  });

  it("GIAI, GRAI, GSRN, GDTI, SGCN, GINC, GSIN, ITIP, UPUI, CPI", () => {
    expect(parseEpcUri("urn:epc:id:giai:4012345.ABC345")).toMatchObject({
      giai: "4012345ABC345",
      assetReference: "ABC345",
    });
    expect(parseEpcUri("urn:epc:id:grai:4012345.00022.334455")).toMatchObject({
      grai: "04012345000221334455",
      serial: "334455",
    });
    expect(parseEpcUri("urn:epc:idpat:grai:4012345.00022.*")).toMatchObject({
      level: "class",
      grai: "04012345000221",
    });
    expect(parseEpcUri("urn:epc:id:gsrn:4012345.0000006765")).toMatchObject({ gsrn: "401234500000067657" });
    expect(parseEpcUri("urn:epc:id:gsrnp:4012345.0000000007").elements).toEqual([
      { ai: "8017", value: "401234500000000074" },
    ]);
    expect(parseEpcUri("urn:epc:id:gdti:4012345.00009.PO-4711")).toMatchObject({
      gdti: "4012345000092PO-4711",
    });
    expect(parseEpcUri("urn:epc:id:gdti:987659999999..9")).toMatchObject({
      gdti: "98765999999929",
      serial: "9",
    });
    expect(parseEpcUri("urn:epc:id:sgcn:4012345.67890.04711")).toMatchObject({ gcn: "401234567890104711" });
    expect(parseEpcUri("urn:epc:id:ginc:0614141.xyz47%2F11")).toMatchObject({ ginc: "0614141xyz47/11" });
    expect(parseEpcUri("urn:epc:id:gsin:4012345.222333444")).toMatchObject({ gsin: "40123452223334442" });
    expect(parseEpcUri("urn:epc:id:itip:4012345.011111.01.02.987")).toMatchObject({
      itip: "040123451111180102",
      piece: "01",
      total: "02",
      serial: "987",
    });
    expect(parseEpcUri("urn:epc:id:upui:1234567.098765.51qIgY)%3C%26Jp3*j7'SDB")).toMatchObject({
      gtin: "01234567987651",
      tpx: "51qIgY)<&Jp3*j7'SDB",
    });
    expect(parseEpcUri("urn:epc:id:cpi:0614141.11111111111111-A%23%2F.1234").elements).toEqual([
      { ai: "8010", value: "061414111111111111111-A#/" },
      { ai: "8011", value: "1234" },
    ]);
  });
});

describe("parseEpcUri: URN escaping of set-82 characters", () => {
  it("decodes %-escapes and writes the minimal canonical escaping", () => {
    const id = parseEpcUri("urn:epc:id:sgtin:0614141.812345.6789%2F%26%25%22!%3F()");
    expect(id).toMatchObject({ serial: `6789/&%"!?()` });
    expect(id.uri).toBe("urn:epc:id:sgtin:0614141.812345.6789%2F%26%25%22!%3F()");
    // lower-case hex and needless escapes are accepted and canonicalised
    expect(parseEpcUri("urn:epc:id:sgtin:0614141.812345.a%2fb%41%3c%3E").uri).toBe(
      "urn:epc:id:sgtin:0614141.812345.a%2FbA%3C%3E",
    );
    // dots belong to the serial after the fixed components
    expect(parseEpcUri("urn:epc:id:sgtin:0614141.812345.1.2.3")).toMatchObject({ serial: "1.2.3" });
    // prefix and scheme are case-insensitive (ABNF literals), output is lower case
    expect(parseEpcUri("URN:EPC:ID:SGTIN:0614141.812345.X").uri).toBe("urn:epc:id:sgtin:0614141.812345.X");
  });

  it("refuses raw characters a URN cannot carry and characters outside set 82", () => {
    for (const raw of [`a"b`, "a&b", "a<b", "a>b", "a?b", "a/b", "a#b", "a b", "a%b", "a%4", "a%G1"]) {
      const err = errorOf(() => parseEpcUri(`urn:epc:id:sgtin:0614141.812345.${raw}`));
      expect(["ID_CHARSET", "ID_SYNTAX"]).toContain(err.code);
      expect(err.type.input ?? err.type.value).toContain("urn:epc:id:sgtin");
    }
    // %23 is "#": a valid escape, but "#" is not in set 82
    const err = errorOf(() => parseEpcUri("urn:epc:id:sgtin:0614141.812345.a%23b"));
    expect(err.code).toBe("ID_CHARSET");
    expect(err.type.value).toBe("a#b");
    // "%" starts an escape; a lone one is a syntax error naming the component
    expect(errorOf(() => parseEpcUri("urn:epc:id:sgtin:0614141.812345.100%")).type.value).toBe("100%");
  });

  it("escape then parse is the identity on set-82 serials (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...AI82), minLength: 1, maxLength: 20 }), (serial) => {
        const uri = `urn:epc:id:sgtin:0614141.812345.${encodeEpcComponent(serial)}`;
        const id = parseEpcUri(uri);
        expect(id.scheme === "sgtin" && id.serial).toBe(serial);
        expect(id.uri).toBe(uri);
      }),
    );
  });
});

describe("parseEpcUri: wrong lengths, prefixes and schemes", () => {
  it.each([
    ["urn:epc:id:sgtin:06141.8123456.1", "ID_GCP_LENGTH"], // 5-digit company prefix
    ["urn:epc:id:sgtin:0614141234567..1", "ID_GCP_LENGTH"], // 13-digit company prefix
    ["urn:epc:id:sgtin:0614141.81234.1", "ID_LENGTH"], // item reference one digit short
    ["urn:epc:id:sgtin:0614141.8123456.1", "ID_LENGTH"],
    ["urn:epc:id:sgtin:061414A.812345.1", "ID_CHARSET"],
    ["urn:epc:id:sgtin:0614141.812345.", "ID_LENGTH"], // empty serial
    ["urn:epc:id:sgtin:0614141.812345.123456789012345678901", "ID_LENGTH"], // 21-character serial
    ["urn:epc:id:sgtin:0614141.812345", "ID_SYNTAX"],
    ["urn:epc:id:sscc:0614141.123456789", "ID_LENGTH"],
    ["urn:epc:id:sscc:0614141.1234567890.1", "ID_SYNTAX"],
    ["urn:epc:id:sgln:0614141.12345.", "ID_LENGTH"],
    ["urn:epc:id:sgln:0614141.1234.0", "ID_LENGTH"],
    ["urn:epc:id:giai:0614141.ABCDEFGHIJKLMNOPQRSTUVWXY", "ID_LENGTH"], // 7 + 24 > 30
    ["urn:epc:id:cpi:0614141.ABC.0123", "ID_LENGTH"], // CPI serial without leading zeros
    ["urn:epc:id:cpi:0614141.abc.1", "ID_CHARSET"], // set 39 is upper case
    ["urn:epc:id:itip:4012345.011111.1.02.987", "ID_LENGTH"],
    ["urn:epc:id:gid:95100000.12345.400", "ID_UNSUPPORTED_SCHEME"],
    ["urn:epc:tag:sgtin-96:3.0614141.812345.6789", "ID_UNSUPPORTED_SCHEME"],
    ["urn:epc:class:sgtin:0614141.812345.1", "ID_UNSUPPORTED_SCHEME"],
    ["urn:epc:idpat:sgtin:0614141.*.*", "ID_PATTERN"],
    ["urn:epc:idpat:sgtin:*.*.*", "ID_PATTERN"],
    ["urn:epc:idpat:sscc:0614141.*", "ID_PATTERN"],
    ["urn:epc:idpat:sgtin:0614141.812345.12*", "ID_PATTERN"],
    ["urn:epcglobal:cbv:bt:0614141073467:1152", "ID_SYNTAX"],
    ["urn:epc:id:sgtin: 0614141.812345.1", "ID_SYNTAX"],
    ["https://id.gs1.org/01/09780345418913", "ID_SYNTAX"],
  ])("%s → %s", (uri, code) => {
    const err = errorOf(() => parseEpcUri(uri));
    expect(err.code).toBe(code);
    // the offending component (may be empty, e.g. a missing serial) and the whole input
    expect(err.type.input ?? err.type.value).toBe(uri);
    expect(err.toJSON()).toMatchObject({ code, message: err.message });
  });

  it("names the offending component and the whole input", () => {
    const err = errorOf(() => parseEpcUri("urn:epc:id:sgtin:0614141.81234.6789"));
    expect(err.type.value).toBe("81234");
    expect(err.type.input).toBe("urn:epc:id:sgtin:0614141.81234.6789");
    expect(err.message).toMatch(/6 digits/);
  });
});
