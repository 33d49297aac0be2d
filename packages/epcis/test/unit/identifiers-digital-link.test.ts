import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkGrammar } from "../../src/identifiers/digital-link.js";
import {
  checkDigit,
  compressDigitalLink,
  encodeDigitalLinkValue,
  formatDigitalLink,
  IdentifierError,
  parseDigitalLink,
} from "../../src/index.js";
import { thrown } from "./support/errors.js";

const errorOf = (fn: () => unknown) => thrown(fn, IdentifierError);

const AI82 = `!"%&'()*+,-./0123456789:;<=>?ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz`;

describe("parseDigitalLink", () => {
  it("reads primary key, qualifiers, attributes, linkType and extensions", () => {
    const dl = parseDigitalLink(
      "https://id.gs1.org/01/09780345418913/10/L%2F7/21/765tz?17=261231&3103=000500&linkType=gs1:pip&utm_source=qr",
    );
    expect(dl).toEqual({
      base: "https://id.gs1.org",
      host: "id.gs1.org",
      gs1Host: true,
      compressed: false,
      primaryKey: { ai: "01", value: "09780345418913" },
      qualifiers: [
        { ai: "10", value: "L/7" },
        { ai: "21", value: "765tz" },
      ],
      attributes: [
        { ai: "17", value: "261231" },
        { ai: "3103", value: "000500" },
      ],
      linkType: "gs1:pip",
      extensions: [{ key: "utm_source", value: "qr" }],
    });
  });

  it("accepts any host, http, ports and a path before the primary key", () => {
    const dl = parseDigitalLink("HTTP://Brand.Example.COM:8080/shop/p/01/09780345418913/21/765tz");
    expect(dl).toMatchObject({
      base: "http://brand.example.com:8080/shop/p",
      host: "brand.example.com:8080",
      gs1Host: false,
      primaryKey: { ai: "01", value: "09780345418913" },
      qualifiers: [{ ai: "21", value: "765tz" }],
    });
    // a trailing slash is tolerated
    expect(parseDigitalLink("https://example.com/414/4012345000054/").primaryKey.value).toBe("4012345000054");
  });

  it("pads GTIN-8, GTIN-12 and GTIN-13 to GTIN-14", () => {
    expect(parseDigitalLink("https://example.com/01/96385074").primaryKey.value).toBe("00000096385074");
    expect(parseDigitalLink("https://example.com/01/036000291452").primaryKey.value).toBe("00036000291452");
    expect(parseDigitalLink("https://example.com/01/9780345418913").primaryKey.value).toBe("09780345418913");
  });

  it("accepts keys digital-link.js's isValid() refuses (no check-digit rule there): PGLN, GIAI, ITIP, GSRN-P", () => {
    expect(parseDigitalLink("https://id.gs1.org/417/4000001000005").primaryKey).toEqual({
      ai: "417",
      value: "4000001000005",
    });
    expect(parseDigitalLink("https://id.gs1.org/8004/4012345ABC345").primaryKey.value).toBe("4012345ABC345");
    expect(parseDigitalLink("https://id.gs1.org/8006/040123451111180102/21/987").qualifiers).toEqual([
      { ai: "21", value: "987" },
    ]);
    expect(parseDigitalLink("https://id.gs1.org/8017/401234500000000074").primaryKey.ai).toBe("8017");
  });

  it("reads GS1 Digital Link 1.0 short names", () => {
    const dl = parseDigitalLink("https://example.com/gtin/09780345418913/lot/A1/ser/765tz?abc=211121");
    expect(dl.primaryKey.ai).toBe("01");
    expect(dl.qualifiers.map((q) => q.ai)).toEqual(["10", "21"]);
  });

  it("decodes percent-encoding; sub-delimiters may stand literally in the path", () => {
    expect(parseDigitalLink("https://example.com/01/09780345418913/21/O'Neil(1)").qualifiers[0]?.value).toBe(
      "O'Neil(1)",
    );
    expect(
      parseDigitalLink("https://example.com/01/09780345418913/21/O%27Neil%281%29").qualifiers[0]?.value,
    ).toBe("O'Neil(1)");
    expect(parseDigitalLink("https://example.com/01/09780345418913/21/a%2fb%22").qualifiers[0]?.value).toBe(
      'a/b"',
    );
    // %22 in a data attribute and in a non-GS1 parameter (the grammar's DoubleQuote defect is stepped around)
    const dl = parseDigitalLink("https://example.com/00/340123451111111111?400=PO%22X&note=a%22b");
    expect(dl.attributes).toEqual([{ ai: "400", value: 'PO"X' }]);
    expect(dl.extensions).toEqual([{ key: "note", value: 'a"b' }]);
  });

  it("decompresses compressed Digital Links and compresses valid ones", () => {
    const dl = parseDigitalLink("https://dlnkd.tn.gg/DBHKVAdpQgqrCg");
    expect(dl).toMatchObject({ compressed: true, primaryKey: { ai: "01", value: "09780345418913" } });
    const plain = "https://example.com/01/09780345418913/21/x%2Fy?17=261231";
    const compressed = compressDigitalLink(plain);
    expect(compressed).not.toBe(plain);
    const back = parseDigitalLink(compressed);
    expect(back.compressed).toBe(true);
    expect({ ...back, compressed: false }).toEqual(parseDigitalLink(plain));
  });
});

describe("parseDigitalLink: refusals", () => {
  it.each([
    // not a Digital Link
    ["ftp://example.com/01/09780345418913", "ID_SYNTAX"],
    ["https://example.com/01/09780345418913#top", "ID_SYNTAX"],
    ["https://example.com/01/09780345418913/21/a b", "ID_SYNTAX"],
    ["https://user@example.com/01/09780345418913", "ID_SYNTAX"],
    ["https:///01/09780345418913", "ID_SYNTAX"],
    ["https://example.com//01/09780345418913", "ID_SYNTAX"],
    ["https://example.com/01/09780345418913?", "ID_SYNTAX"],
    ["https://example.com/01/09780345418913?17", "ID_SYNTAX"],
    ["https://example.com/products/123", "ID_DL_NO_PRIMARY_KEY"],
    ["https://example.com", "ID_DL_NO_PRIMARY_KEY"],
    ["https://example.com/01", "ID_DL_NO_PRIMARY_KEY"],
    // wrong lengths, check digits, characters
    ["https://example.com/01/123456789012345", "ID_LENGTH"],
    ["https://example.com/01/1234567", "ID_LENGTH"],
    ["https://example.com/01/09780345418914", "ID_CHECK_DIGIT"],
    ["https://example.com/01/9780345418914", "ID_CHECK_DIGIT"],
    ["https://example.com/00/1234", "ID_LENGTH"],
    ["https://example.com/00/340123451111111112", "ID_CHECK_DIGIT"],
    ["https://example.com/414/40123450000541", "ID_LENGTH"],
    ["https://example.com/414/4012345000055", "ID_CHECK_DIGIT"],
    ["https://example.com/01/09780345418913/21/123456789012345678901", "ID_LENGTH"],
    ["https://example.com/01/09780345418913/21/a%20b", "ID_CHARSET"],
    ["https://example.com/01/09780345418913/21/a%23b", "ID_CHARSET"],
    ["https://example.com/01/09780345418913/21/a%2", "ID_SYNTAX"],
    ["https://example.com/01/09780345418913/21/a~b", "ID_CHARSET"],
    // invalid AI combinations
    ["https://example.com/00/340123451111111111/21/1", "ID_DL_QUALIFIER"], // SSCC takes no qualifier
    ["https://example.com/414/4012345000054/21/1", "ID_DL_QUALIFIER"],
    ["https://example.com/01/09780345418913/21/1/10/A", "ID_DL_QUALIFIER"], // order is 22, 10, 21
    ["https://example.com/01/09780345418913/235/X/21/1", "ID_DL_QUALIFIER"], // 235 excludes 22/10/21
    ["https://example.com/01/09780345418913?21=1", "ID_DL_QUALIFIER"], // qualifier in the query
    ["https://example.com/01/09780345418913?10=A", "ID_DL_QUALIFIER"],
    ["https://example.com/01/09780345418913/21/1/21/2", "ID_DL_DUPLICATE_AI"],
    ["https://example.com/01/09780345418913?17=261231&17=261230", "ID_DL_DUPLICATE_AI"],
    ["https://example.com/01/09780345418913?01=09780345418913", "ID_DL_DUPLICATE_AI"],
    ["https://example.com/01/09780345418913?02=09780345418913", "ID_DL_AI_COMBINATION"], // invalid pair 01/02
    ["https://example.com/01/09780345418913?37=10", "ID_DL_AI_COMBINATION"], // 37 requires 00
    ["https://example.com/414/4012345000054?17=261231", "ID_DL_AI_COMBINATION"], // expiry needs a trade item
    ["https://example.com/00/340123451111111111?02=09780345418913", "ID_DL_AI_COMBINATION"], // 02 requires 37
    ["https://example.com/01/09780345418913?3103=000500&3102=001000", "ID_DL_AI_COMBINATION"], // one net weight
    // the DL grammar (digital-link.js)
    ["https://example.com/01/09780345418913?17=2612", "ID_DL_GRAMMAR"],
    ["https://example.com/01/09780345418913?9999=1", "ID_DL_GRAMMAR"],
    ["https://example.com/415/4012345000054/8020/1", "ID_DL_QUALIFIER"], // DL 1.4 grammar: pay-to GLN alone
  ])("%s → %s", (uri, code) => {
    const err = errorOf(() => parseDigitalLink(uri));
    expect(err.code).toBe(code);
    expect(err.type.value.length).toBeGreaterThan(0);
    expect(err.type.input ?? err.type.value).toBe(uri);
  });

  it("accepts the valid combinations next to those", () => {
    expect(
      parseDigitalLink("https://example.com/00/340123451111111111?02=09780345418913&37=10").attributes,
    ).toHaveLength(2);
    expect(
      parseDigitalLink("https://example.com/8006/040123451111180102/22/V1/10/L1/21/1").qualifiers,
    ).toHaveLength(3);
    expect(parseDigitalLink("https://example.com/01/09780345418913/235/X").qualifiers).toEqual([
      { ai: "235", value: "X" },
    ]);
    expect(parseDigitalLink("https://example.com/414/4012345000054/254/A1").qualifiers).toEqual([
      { ai: "254", value: "A1" },
    ]);
    // UIC with extension (7040) after a party GLN, a GLN or a GIAI
    expect(parseDigitalLink("https://example.com/417/4000001000005/7040/1ABC").qualifiers).toEqual([
      { ai: "7040", value: "1ABC" },
    ]);
    expect(errorOf(() => parseDigitalLink("https://example.com/417/4000001000005/7040/ABCD")).code).toBe(
      "ID_CHARSET",
    );
  });

  it("names the AI and value that failed", () => {
    const err = errorOf(() => parseDigitalLink("https://example.com/01/09780345418913/21/a%20b"));
    expect(err.type).toMatchObject({ ai: "21", value: "a%20b" });
    const grammar = errorOf(() => parseDigitalLink("https://example.com/01/09780345418913?17=2612"));
    expect(grammar.type.value).toContain("17=2612");
  });
});

describe("formatDigitalLink", () => {
  it("writes every set-82 value so the DL grammar accepts it and parsing returns it (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...AI82), minLength: 1, maxLength: 20 }), (serial) => {
        const uri = formatDigitalLink({
          primaryKey: { ai: "01", value: "09780345418913" },
          qualifiers: [{ ai: "21", value: serial }],
        });
        expect(uri).toBe(`https://id.gs1.org/01/09780345418913/21/${encodeDigitalLinkValue(serial)}`);
        const dl = parseDigitalLink(uri);
        expect(dl.qualifiers).toEqual([{ ai: "21", value: serial }]);
        checkGrammar([dl.primaryKey, ...dl.qualifiers], [], uri);
      }),
      { numRuns: 200 },
    );
  });

  it("refuses bad bases", () => {
    const id = { primaryKey: { ai: "414", value: "4012345000054" } };
    expect(formatDigitalLink(id, "https://Example.com/dl/")).toBe("https://example.com/dl/414/4012345000054");
    for (const base of [
      "ftp://example.com",
      "https://example.com/?a=1",
      "https://example.com#x",
      "example.com",
      "https://",
    ]) {
      expect(errorOf(() => formatDigitalLink(id, base)).code).toBe("ID_BASE_URI");
    }
  });
});

describe("the DL grammar is not needed for a path of known AIs", () => {
  // parseDigitalLink runs digital-link.js's grammar only with a query string (or an AI whose format
  // ai.ts does not hold): what our own path checks accept, the grammar must accept too.
  const chars = (set: string, min: number, max: number) =>
    fc.string({ unit: fc.constantFrom(...set), minLength: min, maxLength: max });
  const DIGITS = "0123456789";
  const X = `${AI82}#~ `; // set 82 and a few characters outside it
  const key = (n: number) => chars(DIGITS, n - 1, n - 1).map((d) => d + checkDigit(d));
  const withCd = (lead: string, n: number) => key(n).map((k) => lead + k);
  const q = (ai: string, value: fc.Arbitrary<string>) =>
    value.map((v) => `/${ai}/${encodeDigitalLinkValue(v)}`);
  const opt = (path: fc.Arbitrary<string>) => fc.oneof(fc.constant(""), path);
  const paths = fc.oneof(
    fc
      .tuple(
        key(14),
        opt(q("22", chars(X, 0, 21))),
        opt(q("10", chars(X, 0, 21))),
        opt(q("21", chars(X, 0, 21))),
      )
      .map(([k, ...qs]) => `/01/${k}${qs.join("")}`),
    fc.tuple(key(14), q("235", chars(X, 1, 29))).map(([k, tpx]) => `/01/${k}${tpx}`),
    key(18).map((k) => `/00/${k}`),
    fc.tuple(key(13), opt(q("254", chars(X, 1, 21)))).map(([k, ext]) => `/414/${k}${ext}`),
    fc
      .tuple(fc.constantFrom("414", "417", "8004"), key(13), chars(X, 4, 4))
      .map(([ai, k, uic]) => `/${ai}/${k}/7040/${encodeDigitalLinkValue(uic)}`),
    fc.tuple(withCd("0", 14), chars(X, 0, 17)).map(([k, s]) => `/8003/${k}${encodeDigitalLinkValue(s)}`),
    fc.tuple(key(13), chars(X, 0, 18)).map(([k, s]) => `/253/${k}${encodeDigitalLinkValue(s)}`),
    fc.tuple(key(13), chars(DIGITS, 0, 13)).map(([k, s]) => `/255/${k}${s}`),
    fc
      .tuple(fc.constantFrom("401", "8004"), chars(DIGITS, 6, 6), chars(X, 0, 25))
      .map(([ai, g, s]) => `/${ai}/${g}${encodeDigitalLinkValue(s)}`),
    key(17).map((k) => `/402/${k}`),
    fc
      .tuple(key(14), chars(DIGITS, 4, 4), opt(q("21", chars(X, 1, 21))))
      .map(([k, pt, s]) => `/8006/${k}${pt}${s}`),
    fc
      .tuple(chars("0123456789ABCXYZ#-/", 1, 31), opt(q("8011", chars(DIGITS, 1, 13))))
      .map(([c, s]) => `/8010/${encodeDigitalLinkValue(c)}${s}`),
    fc
      .tuple(fc.constantFrom("8017", "8018"), key(18), opt(q("8019", chars(DIGITS, 1, 11))))
      .map(([ai, k, s]) => `/${ai}/${k}${s}`),
  );

  it("whatever parseDigitalLink accepts on a path, the grammar accepts (property)", () => {
    let accepted = 0;
    fc.assert(
      fc.property(fc.constantFrom("https://id.gs1.org", "https://example.com/p"), paths, (host, path) => {
        const uri = host + path;
        let dl: ReturnType<typeof parseDigitalLink>;
        try {
          dl = parseDigitalLink(uri);
        } catch (e) {
          if (e instanceof IdentifierError) return;
          throw e;
        }
        accepted++;
        checkGrammar([dl.primaryKey, ...dl.qualifiers], [], uri);
      }),
      { numRuns: 400 },
    );
    expect(accepted).toBeGreaterThan(100);
  });
});
