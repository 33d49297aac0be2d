import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  checkDigit,
  hasValidCheckDigit,
  IdentifierError,
  isValidGln,
  isValidGtin,
  isValidSscc,
  normalizeGtin,
} from "../../src/index.js";
import { thrownCode } from "./support/errors.js";

const codeOf = (fn: () => unknown) => thrownCode(fn, IdentifierError);

describe("GS1 mod-10 check digit", () => {
  it.each([
    ["9638507", 4], // GTIN-8 96385074
    ["03600029145", 2], // GTIN-12 (UPC-A) 036000291452
    ["978034541891", 3], // GTIN-13 9780345418913
    ["8061414112345", 8], // GTIN-14 80614141123458
    ["401234500005", 4], // GLN 4012345000054
    ["34012345111111111", 1], // SSCC 340123451111111111
    ["4012345222333444", 2], // GSIN 40123452223334442
    ["40123450000000007", 4], // GSRN-P 401234500000000074
  ])("checkDigit(%s) = %i", (digits, cd) => {
    expect(checkDigit(digits)).toBe(cd);
    expect(hasValidCheckDigit(digits + cd)).toBe(true);
    expect(hasValidCheckDigit(digits + ((cd + 1) % 10))).toBe(false);
  });

  it("refuses input that is not 1 to 17 digits", () => {
    expect(codeOf(() => checkDigit(""))).toBe("ID_CHARSET");
    expect(codeOf(() => checkDigit("12a4"))).toBe("ID_CHARSET");
    expect(codeOf(() => checkDigit("1".repeat(18)))).toBe("ID_CHARSET");
    expect(hasValidCheckDigit("7")).toBe(false);
    expect(hasValidCheckDigit("12x4")).toBe(false);
  });

  it("detects every single-digit substitution (property)", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom(..."0123456789"), minLength: 1, maxLength: 17 }),
        fc.nat(),
        fc.integer({ min: 1, max: 9 }),
        (body, pos, delta) => {
          const key = body + checkDigit(body);
          expect(hasValidCheckDigit(key)).toBe(true);
          const i = pos % key.length;
          const changed = key.slice(0, i) + ((Number(key[i]) + delta) % 10) + key.slice(i + 1);
          expect(hasValidCheckDigit(changed)).toBe(false);
        },
      ),
    );
  });
});

describe("GTIN / GLN / SSCC validators", () => {
  it("accepts GTIN-8/12/13/14 with the right check digit only", () => {
    for (const ok of ["96385074", "036000291452", "9780345418913", "80614141123458"])
      expect(isValidGtin(ok)).toBe(true);
    for (const bad of ["96385075", "036000291453", "9780345418914", "80614141123459"])
      expect(isValidGtin(bad)).toBe(false);
    for (const len of ["9638507", "963850744", "0360002914521", "806141411234580", ""]) {
      // 7, 9, 10/11 … digits: not a GTIN length (13 with a wrong check digit is covered above)
      if (![8, 12, 13, 14].includes(len.length)) expect(isValidGtin(len)).toBe(false);
    }
    expect(isValidGtin("9780345418913 ")).toBe(false);
    expect(isValidGtin("97803454189I3")).toBe(false);
  });

  it("GLN is 13 digits, SSCC 18 digits", () => {
    expect(isValidGln("4012345000054")).toBe(true);
    expect(isValidGln("4012345000055")).toBe(false);
    expect(isValidGln("04012345000054")).toBe(false);
    expect(isValidSscc("340123451111111111")).toBe(true);
    expect(isValidSscc("340123451111111112")).toBe(false);
    expect(isValidSscc("40123451111111111")).toBe(false);
  });
});

describe("GTIN normalisation to GTIN-14", () => {
  it("pads GTIN-8, GTIN-12 and GTIN-13 with leading zeros", () => {
    expect(normalizeGtin("96385074")).toBe("00000096385074");
    expect(normalizeGtin("036000291452")).toBe("00036000291452");
    expect(normalizeGtin("9780345418913")).toBe("09780345418913");
    expect(normalizeGtin("80614141123458")).toBe("80614141123458");
  });

  it("names the offending value in a typed error", () => {
    expect(codeOf(() => normalizeGtin("1234567"))).toBe("ID_LENGTH");
    expect(codeOf(() => normalizeGtin("123456789"))).toBe("ID_LENGTH");
    expect(codeOf(() => normalizeGtin("978034541891X"))).toBe("ID_CHARSET");
    try {
      normalizeGtin("9780345418914");
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(IdentifierError);
      const err = e as IdentifierError;
      expect(err.code).toBe("ID_CHECK_DIGIT");
      expect(err.type.value).toBe("9780345418914");
      expect(err.type.ai).toBe("01");
      expect(err.message).toContain("should be 3");
    }
  });
});
