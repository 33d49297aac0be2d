import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  canonicalIdentifier,
  checkDigit,
  digitalLinkToEpcUri,
  encodeEpcComponent,
  epcUriToDigitalLink,
  gcpLengthTable,
  IdentifierError,
  identifierLevel,
  looksLikeDigitalLink,
  parseDigitalLink,
  parseEpcUri,
} from "../../src/index.js";
import { thrown } from "./support/errors.js";

const errorOf = (fn: () => unknown) => thrown(fn, IdentifierError);

const AI82 = `!"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz`;
const digits = (min: number, max = min) =>
  fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: min, maxLength: max });
const ai82 = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom(...AI82), minLength: min, maxLength: max });

/** One URN of every scheme (CBV 2.0 event-hash test data, plus classes), each with its GCP length. */
const URNS = [
  "urn:epc:id:sgtin:4012345.011111.9876",
  "urn:epc:id:sgtin:0614141.812345.6789%2F%26%25%22!%3F()",
  "urn:epc:id:sgtin:415056789012.0.987654",
  "urn:epc:class:lgtin:4012345.012345.Lot987",
  "urn:epc:idpat:sgtin:4012345.012345.*",
  "urn:epc:id:sscc:4012345.3111111111",
  "urn:epc:id:sgln:4012345.00005.122",
  "urn:epc:id:sgln:4012345.00005.0",
  "urn:epc:id:sgln:123456789012..X%2F1",
  "urn:epc:id:pgln:4000001.00000",
  "urn:epc:id:pgln:999999999999.",
  "urn:epc:id:giai:4012345.ABC345",
  "urn:epc:id:grai:4012345.00022.334455",
  "urn:epc:idpat:grai:4012345.00022.*",
  "urn:epc:id:gsrn:4012345.0000006765",
  "urn:epc:id:gsrnp:4012345.0000000007",
  "urn:epc:id:gdti:4012345.00009.PO-4711",
  "urn:epc:id:gdti:987659999999..9",
  "urn:epc:idpat:gdti:4012345.00009.*",
  "urn:epc:id:sgcn:4012345.67890.04711",
  "urn:epc:id:ginc:0614141.xyz47%2F11",
  "urn:epc:id:gsin:4012345.222333444",
  "urn:epc:id:itip:4012345.011111.01.02.987",
  "urn:epc:idpat:itip:4012345.011111.01.02.*",
  "urn:epc:id:upui:1234567.098765.51qIgY)%3C%26Jp3*j7'SDB",
  "urn:epc:id:cpi:0614141.11111111111111-A%23%2F.1234",
  "urn:epc:idpat:cpi:0614141.11111111111111-A%23%2F.*",
];

describe("EPC URN ↔ Digital Link", () => {
  it.each(URNS)("round trip %s", (urn) => {
    const epc = parseEpcUri(urn);
    const dl = epcUriToDigitalLink(urn);
    expect(dl.startsWith("https://id.gs1.org/")).toBe(true);
    expect(parseDigitalLink(dl).primaryKey).toEqual(epc.elements[0]);
    expect(digitalLinkToEpcUri(dl, { companyPrefixLength: epc.companyPrefix.length })).toBe(urn);
  });

  it("writes Digital Links on another base, encoded for the DL grammar", () => {
    expect(
      epcUriToDigitalLink("urn:epc:id:sgtin:0614141.812345.O'N%2F(1)", "https://brand.example.com/p/"),
    ).toBe("https://brand.example.com/p/01/80614141123458/21/O%27N%2F%281%29");
    expect(
      errorOf(() => epcUriToDigitalLink("urn:epc:id:sscc:4012345.3111111111", "https://x.example?q=1")).code,
    ).toBe("ID_BASE_URI");
  });

  it("takes the GS1 Company Prefix length from the caller: a number or a table, never a guess", () => {
    const dl = "https://example.com/01/80614141123458/10/L1/21/6789?17=261231";
    expect(digitalLinkToEpcUri(dl, { companyPrefixLength: 7 })).toBe("urn:epc:id:sgtin:0614141.812345.6789");
    expect(digitalLinkToEpcUri(dl, { companyPrefixLength: 9 })).toBe("urn:epc:id:sgtin:061414112.8345.6789");
    const table = gcpLengthTable([
      ["0", 7],
      ["06141", 9],
      ["061414", 7], // longest prefix wins
      ["2", 0], // restricted circulation: no company prefix
    ]);
    expect(digitalLinkToEpcUri(dl, { companyPrefixLength: table })).toBe(
      "urn:epc:id:sgtin:0614141.812345.6789",
    );
    const sscc = `30614141123456789${checkDigit("30614141123456789")}`;
    expect(digitalLinkToEpcUri(`https://id.gs1.org/00/${sscc}`, { companyPrefixLength: table })).toBe(
      "urn:epc:id:sscc:0614141.3123456789",
    );
    expect(
      digitalLinkToEpcUri("https://id.gs1.org/414/0614141000012", {
        companyPrefixLength: gcpLengthTable({ "0614": 7 }),
      }),
    ).toBe("urn:epc:id:sgln:0614141.00001.0");
    const noEntry = "https://id.gs1.org/01/04012345111118/21/1";
    expect(errorOf(() => digitalLinkToEpcUri(noEntry, { companyPrefixLength: table })).code).toBe(
      "ID_GCP_UNKNOWN",
    );
    const rcn = `https://id.gs1.org/01/02012345${"67890"}${checkDigit("0201234567890")}`;
    expect(errorOf(() => digitalLinkToEpcUri(rcn, { companyPrefixLength: table })).code).toBe(
      "ID_GCP_UNKNOWN",
    );
    expect(errorOf(() => digitalLinkToEpcUri(dl, undefined as never)).code).toBe("ID_GCP_UNKNOWN");
    expect(errorOf(() => digitalLinkToEpcUri(dl, { companyPrefixLength: 5 })).code).toBe("ID_GCP_LENGTH");
    expect(errorOf(() => digitalLinkToEpcUri(dl, { companyPrefixLength: 13 })).code).toBe("ID_GCP_LENGTH");
    expect(errorOf(() => digitalLinkToEpcUri(dl, { companyPrefixLength: 7.5 })).code).toBe("ID_GCP_LENGTH");
    expect(errorOf(() => digitalLinkToEpcUri(dl, { companyPrefixLength: { "0614": 7 } as never })).code).toBe(
      "ID_GCP_LENGTH",
    );
    // a GIAI whose first d characters are not digits cannot have a d-digit prefix
    const giai = "https://id.gs1.org/8004/4012345ABC345";
    expect(errorOf(() => digitalLinkToEpcUri(giai, { companyPrefixLength: 9 })).code).toBe("ID_GCP_LENGTH");
    expect(() => gcpLengthTable([["06x", 7]])).toThrow(IdentifierError);
    expect(() => gcpLengthTable({ "061": 13 })).toThrow(IdentifierError);
  });

  it("maps each Digital Link to its finest EPC form, refusing what has none", () => {
    const gcp = { companyPrefixLength: 7 };
    expect(digitalLinkToEpcUri("https://id.gs1.org/01/80614141123458/22/V1", gcp)).toBe(
      "urn:epc:idpat:sgtin:0614141.812345.*",
    );
    expect(digitalLinkToEpcUri("https://id.gs1.org/01/80614141123458/22/V1/10/L%2F1", gcp)).toBe(
      "urn:epc:class:lgtin:0614141.812345.L%2F1",
    );
    expect(digitalLinkToEpcUri("https://id.gs1.org/8003/04012345000221", gcp)).toBe(
      "urn:epc:idpat:grai:4012345.00022.*",
    );
    for (const dl of [
      "https://id.gs1.org/414/4012345000054/254/0", // "0" means "no extension" in an SGLN
      "https://id.gs1.org/414/4012345000054/7040/1ABC",
      "https://id.gs1.org/8006/040123451111180102/10/L1",
      "https://id.gs1.org/8018/401234500000067657/8019/12",
      "https://id.gs1.org/8013/1987654Ad4X4bL5ttr2310c2K",
    ]) {
      expect(errorOf(() => digitalLinkToEpcUri(dl, gcp)).code).toBe("ID_NOT_CONVERTIBLE");
    }
  });
});

describe("canonicalIdentifier", () => {
  it("gives one key to every spelling of one item, lot, product or location", () => {
    const item = [
      "urn:epc:id:sgtin:0614141.812345.6789",
      "https://id.gs1.org/01/80614141123458/21/6789",
      "https://brand.example.com/products/01/80614141123458/10/LOT7/21/6789?17=261231&linkType=gs1:pip",
      "http://EXAMPLE.com/gtin/80614141123458/cpv/V2/ser/6789",
      "https://example.com/01/80614141123458/22/V2/21/6789",
    ];
    for (const form of item)
      expect(canonicalIdentifier(form)).toBe("https://id.gs1.org/01/80614141123458/21/6789");

    const product = [
      "urn:epc:idpat:sgtin:0614141.812345.*",
      "https://example.com/01/80614141123458?3103=000500",
    ];
    for (const form of product)
      expect(canonicalIdentifier(form)).toBe("https://id.gs1.org/01/80614141123458");
    // GTIN-13 in a Digital Link
    expect(canonicalIdentifier("https://example.com/01/9780345418913")).toBe(
      "https://id.gs1.org/01/09780345418913",
    );

    const lot = [
      "urn:epc:class:lgtin:0614141.812345.L%2F1",
      "https://example.com/01/80614141123458/10/L%2f1",
    ];
    for (const form of lot)
      expect(canonicalIdentifier(form)).toBe("https://id.gs1.org/01/80614141123458/10/L%2F1");

    const location = ["urn:epc:id:sgln:4012345.00005.0", "https://example.com/414/4012345000054"];
    for (const form of location)
      expect(canonicalIdentifier(form)).toBe("https://id.gs1.org/414/4012345000054");
    expect(canonicalIdentifier("urn:epc:id:sgln:4012345.00005.122")).toBe(
      "https://id.gs1.org/414/4012345000054/254/122",
    );

    const compressed = parseDigitalLink("https://dlnkd.tn.gg/DBHKVAdpQgqrCg");
    expect(canonicalIdentifier("https://dlnkd.tn.gg/DBHKVAdpQgqrCg")).toBe(
      `https://id.gs1.org/01/${compressed.primaryKey.value}/21/${compressed.qualifiers[0]?.value}`,
    );
  });

  it("is independent of how the value was escaped", () => {
    const forms = [
      "urn:epc:id:sgtin:0614141.812345.O'N%2F(1);=",
      "urn:epc:id:sgtin:0614141.812345.O%27N%2f%281%29%3B%3D",
      "https://example.com/01/80614141123458/21/O'N%2F(1);=",
      "https://example.com/01/80614141123458/21/O%27N%2F%281%29%3B%3D",
    ];
    const keys = new Set(forms.map((f) => canonicalIdentifier(f)));
    expect([...keys]).toEqual(["https://id.gs1.org/01/80614141123458/21/O'N%2F%281%29;="]);
  });

  it("level primaryKey indexes by the GS1 key alone", () => {
    expect(canonicalIdentifier("urn:epc:id:sgtin:0614141.812345.6789", { level: "primaryKey" })).toBe(
      "https://id.gs1.org/01/80614141123458",
    );
    expect(canonicalIdentifier("urn:epc:id:sgln:4012345.00005.122", { level: "primaryKey" })).toBe(
      "https://id.gs1.org/414/4012345000054",
    );
  });

  it("refuses what is not a GS1 identifier", () => {
    expect(errorOf(() => canonicalIdentifier("urn:uuid:6e8bc430-9c3a-11d9-9669-0800200c9a66")).code).toBe(
      "ID_SYNTAX",
    );
    expect(errorOf(() => canonicalIdentifier("geo:47.5,11.1")).code).toBe("ID_SYNTAX");
    expect(errorOf(() => canonicalIdentifier("https://example.com/about")).code).toBe("ID_DL_NO_PRIMARY_KEY");
    expect(errorOf(() => canonicalIdentifier("urn:epc:idpat:sgtin:0614141.*.*")).code).toBe("ID_PATTERN");
  });
});

describe("identifierLevel", () => {
  it("is the EPC URN's own level, in either form", () => {
    for (const urn of URNS) {
      const { level } = parseEpcUri(urn);
      expect(identifierLevel(urn), urn).toBe(level);
      expect(identifierLevel(epcUriToDigitalLink(urn)), urn).toBe(level);
    }
  });

  it("reads Digital Links without an EPC form and the EPC schemes without a GS1 key", () => {
    expect(identifierLevel("https://example.com/414/4012345000054/7040/1ABC")).toBe("instance");
    expect(identifierLevel("https://example.com/01/09780345418913/22/V1")).toBe("class");
    expect(identifierLevel("urn:epc:id:gid:95100000.12345.400")).toBe("instance");
    expect(identifierLevel("urn:epc:id:bic:CSQU3054383")).toBe("instance");
    expect(errorOf(() => identifierLevel("urn:epc:id:gid:95100000.12345")).code).toBe("ID_SYNTAX");
    expect(errorOf(() => identifierLevel("urn:epc:id:foo:1.2")).message).toMatch(/sgtin, .*gid, usdod/);
    expect(errorOf(() => identifierLevel("https://example.com/pallets/17")).code).toBe(
      "ID_DL_NO_PRIMARY_KEY",
    );
  });
});

describe("looksLikeDigitalLink", () => {
  it("is an http(s) URI with a primary-key path segment and a key value", () => {
    for (const uri of [
      "https://id.gs1.org/01/09780345418913",
      "HTTP://example.com/shop/414/4012345000054/254/1",
      "https://example.com/gtin/09780345418913/ser/1",
      "https://example.com/01/123", // a broken one, still meant as a Digital Link
    ])
      expect(looksLikeDigitalLink(uri), uri).toBe(true);
    for (const uri of [
      "http://www.w3.org/2000/01/rdf-schema#",
      "https://example.com/party/acme",
      "https://example.com/pallets/17",
      "https://example.com/x?next=/01/1",
      "https://id.gs1.org/DBHKVAdpQgqrCg",
      "urn:epc:id:sgtin:4012345.011111.9876",
    ])
      expect(looksLikeDigitalLink(uri), uri).toBe(false);
  });
});

describe("canonicalIdentifier against the CBV 2.0 event-hash test data (../shared/testdata)", () => {
  const DIR = fileURLToPath(new URL("../../../../../shared/testdata/epcis-event-hash/", import.meta.url));

  it("epclist_normalisation: every EPC maps to the hash algorithm's canonical Digital Link", () => {
    const doc = JSON.parse(readFileSync(`${DIR}epclist_normalisation.jsonld`, "utf8"));
    const epcs: string[] = doc.epcisBody.eventList[0].epcList;
    const prehash = readFileSync(`${DIR}epclist_normalisation.prehashes`, "utf8");
    const expected = new Set(
      prehash
        .split("epc=")
        .slice(1)
        .map((s) => s.replace(/(action|epc)=.*$|action=.*$/s, "")),
    );
    const ours = new Set(epcs.map((e) => canonicalIdentifier(e)));
    expect(epcs.length).toBe(23);
    expect([...ours].sort()).toEqual([...expected].map((s) => s.replace(/action=.*$/s, "")).sort());
  });

  it("every EPC URN in the hash test documents appears canonicalised in the pre-hash strings", () => {
    let checked = 0;
    const missing: string[] = [];
    // Not usable as references: epcisDocWithAllGS1Keys.prehashes is garbled (interleaved text such
    // as "epc=htt402/4012ps://id.gs1.org/402/…"); epcisDocWithCustomSchemaInContext.prehashes
    // covers only the first of its two events.
    const garbled = new Set(["epcisDocWithAllGS1Keys.jsonld", "epcisDocWithCustomSchemaInContext.jsonld"]);
    for (const file of readdirSync(DIR).filter((f) => f.endsWith(".jsonld") && !garbled.has(f))) {
      const prehashFile = file.replace(/\.jsonld$/, ".prehashes");
      let prehash: string;
      try {
        prehash = readFileSync(DIR + prehashFile, "utf8");
      } catch {
        continue;
      }
      const urns = readFileSync(DIR + file, "utf8").match(/"urn:epc:(?:id|class|idpat):[^"]+"/g) ?? [];
      for (const quoted of urns) {
        const key = canonicalIdentifier(JSON.parse(quoted));
        if (!prehash.includes(key)) missing.push(`${file}: ${quoted} → ${key}`);
        checked++;
      }
    }
    expect(missing).toEqual([]);
    expect(checked).toBeGreaterThan(50);
  });
});

describe("URN → Digital Link → URN is the identity (property)", () => {
  const gcp = fc.integer({ min: 6, max: 12 }).chain((d) => digits(d));
  const roundTrip = (urn: string, d: number) => {
    const dl = epcUriToDigitalLink(urn);
    expect(digitalLinkToEpcUri(dl, { companyPrefixLength: d })).toBe(urn);
    expect(canonicalIdentifier(dl)).toBe(canonicalIdentifier(urn));
  };

  it("SGTIN", () => {
    fc.assert(
      fc.property(
        gcp.chain((g) => fc.tuple(fc.constant(g), digits(13 - g.length), ai82(1, 20))),
        ([g, itemRef, serial]) =>
          roundTrip(`urn:epc:id:sgtin:${g}.${itemRef}.${encodeEpcComponent(serial)}`, g.length),
      ),
    );
  });

  it("SSCC", () => {
    fc.assert(
      fc.property(
        gcp.chain((g) => fc.tuple(fc.constant(g), digits(17 - g.length))),
        ([g, serialRef]) => roundTrip(`urn:epc:id:sscc:${g}.${serialRef}`, g.length),
      ),
    );
  });

  it('SGLN (extension "0" = none)', () => {
    fc.assert(
      fc.property(
        gcp.chain((g) =>
          fc.tuple(fc.constant(g), digits(12 - g.length), fc.oneof(fc.constant("0"), ai82(1, 20))),
        ),
        ([g, locRef, ext]) =>
          roundTrip(`urn:epc:id:sgln:${g}.${locRef}.${encodeEpcComponent(ext)}`, g.length),
      ),
    );
  });

  it("GIAI and LGTIN", () => {
    fc.assert(
      fc.property(
        gcp.chain((g) => fc.tuple(fc.constant(g), ai82(1, 30 - g.length))),
        ([g, ref]) => roundTrip(`urn:epc:id:giai:${g}.${encodeEpcComponent(ref)}`, g.length),
      ),
    );
    fc.assert(
      fc.property(
        gcp.chain((g) => fc.tuple(fc.constant(g), digits(13 - g.length), ai82(1, 20))),
        ([g, itemRef, lot]) =>
          roundTrip(`urn:epc:class:lgtin:${g}.${itemRef}.${encodeEpcComponent(lot)}`, g.length),
      ),
    );
  });
});
