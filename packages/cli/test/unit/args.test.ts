import { describe, expect, it } from "vitest";
import {
  parseAssetId,
  parseBlockRef,
  parseChainId,
  parseInteger,
  parseJsonObject,
  parseKeyName,
  parseNameList,
  parseTxHash,
} from "../../src/args.js";
import { CliError } from "../../src/errors.js";

const usageError = (fn: () => unknown): { code: string; exitCode: number; message: string } => {
  try {
    fn();
  } catch (e) {
    if (e instanceof CliError) return { code: e.code, exitCode: e.type.exitCode, message: e.message };
    throw e;
  }
  throw new Error("no error");
};

describe("argument parsers", () => {
  it("parses integers within bounds and names the option otherwise", () => {
    expect(parseInteger("42", "--port", 0, 65_535)).toBe(42);
    expect(parseInteger(" 7 ", "--n")).toBe(7);
    for (const bad of ["", "1.5", "1e3", "0x10", "abc", "-1", "70000", "99999999999999999999"]) {
      const err = usageError(() => parseInteger(bad, "--port", 0, 65_535));
      expect(err).toMatchObject({ code: "CLI_USAGE", exitCode: 2 });
      expect(err.message).toContain("--port");
    }
    expect(usageError(() => parseInteger("-1", "--height")).message).toContain("at least 0");
  });

  it("accepts key names that are safe file names only", () => {
    expect(parseKeyName("alice")).toBe("alice");
    expect(parseKeyName("ops-key_2.v1")).toBe("ops-key_2.v1");
    for (const bad of ["", ".hidden", "../x", "a/b", "a\\b", "a b", "x".repeat(65)]) {
      expect(usageError(() => parseKeyName(bad)).code).toBe("CLI_USAGE");
    }
  });

  it("splits account lists and refuses empty, invalid or repeated names", () => {
    expect(parseNameList("alice, bob,carol", "--accounts")).toEqual(["alice", "bob", "carol"]);
    expect(usageError(() => parseNameList(" , ", "--accounts")).message).toContain("at least one");
    expect(usageError(() => parseNameList("alice,alice", "--accounts")).message).toContain('"alice" twice');
    expect(usageError(() => parseNameList("alice,../bob", "--accounts")).code).toBe("CLI_USAGE");
  });

  it("checks asset symbols and chain ids as the chain does", () => {
    expect(parseAssetId("WEFT")).toBe("WEFT");
    expect(parseAssetId("EUR.T")).toBe("EUR.T");
    for (const bad of ["weft", "", "-X", "A".repeat(33)])
      expect(usageError(() => parseAssetId(bad)).code).toBe("CLI_USAGE");
    expect(parseChainId("weft-local")).toBe("weft-local");
    expect(usageError(() => parseChainId("bad chain")).code).toBe("CLI_USAGE");
  });

  it("parses --args as a JSON object only", () => {
    expect(parseJsonObject('{"asset":"WEFT","n":1}', "--args")).toEqual({ asset: "WEFT", n: 1 });
    expect(usageError(() => parseJsonObject("{asset:1}", "--args")).message).toMatch(
      /--args is not valid JSON/,
    );
    for (const bad of ["[]", "null", "1", '"x"']) {
      expect(usageError(() => parseJsonObject(bad, "--args")).message).toBe("--args must be a JSON object");
    }
  });

  it("reads block references and transaction hashes", () => {
    expect(parseBlockRef(undefined)).toBeUndefined();
    expect(parseBlockRef("latest")).toBeUndefined();
    expect(parseBlockRef("12")).toBe(12);
    expect(usageError(() => parseBlockRef("0")).code).toBe("CLI_USAGE");
    expect(parseTxHash("ab".repeat(32))).toBe("ab".repeat(32));
    expect(usageError(() => parseTxHash("AB".repeat(32))).code).toBe("CLI_USAGE");
  });
});
