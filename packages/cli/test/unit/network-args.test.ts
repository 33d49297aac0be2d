import { describe, expect, it } from "vitest";
import { checkPortRanges, parseNetworkHost, parseOrgs } from "../../src/network.js";

describe("network flags", () => {
  it("--orgs takes a count or distinct names", () => {
    expect(parseOrgs("4")).toEqual(["org1", "org2", "org3", "org4"]);
    expect(parseOrgs(" 1 ")).toEqual(["org1"]);
    expect(parseOrgs("acme, bolt,cog")).toEqual(["acme", "bolt", "cog"]);
    const refused: [string, RegExp][] = [
      ["0", /--orgs must be an integer between 1 and 100 \(got "0"\)/],
      ["-2", /--orgs must be an integer between 1 and 100/],
      ["101", /--orgs must be an integer between 1 and 100/],
      [",", /--orgs needs a number of organisations or their names/],
      ["acme,acme", /--orgs lists "acme" twice/],
      ["Acme,acme", /"Acme" and "acme" would share one folder/],
      ["keys,acme", /"keys" is reserved/],
      ["a.b", /organisation name "a.b" must be/],
      ["../x", /organisation name "..\/x" must be/],
      ["x".repeat(33), /must be 1-32 letters/],
    ];
    for (const [value, pattern] of refused) {
      expect(() => parseOrgs(value), value).toThrow(pattern);
      try {
        parseOrgs(value);
      } catch (e) {
        expect((e as { code?: string }).code).toBe("CLI_USAGE");
      }
    }
  });

  it("--host is an address nodes can dial", () => {
    for (const ok of ["127.0.0.1", "10.1.2.3", "::1", "node-1.acme.example", "localhost"]) {
      expect(parseNetworkHost(ok)).toBe(ok);
    }
    expect(() => parseNetworkHost("0.0.0.0")).toThrow(/is a listen address/);
    expect(() => parseNetworkHost("::")).toThrow(/is a listen address/);
    expect(() => parseNetworkHost("two words")).toThrow(/neither an IP address nor a host name/);
    expect(() => parseNetworkHost("-bad.example")).toThrow(/neither an IP address nor a host name/);
  });

  it("port ranges fit below 65536 and do not overlap", () => {
    expect(() => checkPortRanges(4, 8081, 26_601)).not.toThrow();
    expect(() => checkPortRanges(4, 65_532, 26_601)).not.toThrow();
    expect(() => checkPortRanges(4, 65_533, 26_601)).toThrow(/--api-port must be between 1 and 65532/);
    expect(() => checkPortRanges(4, 8081, 0)).toThrow(/--peer-port must be between 1 and 65532/);
    expect(() => checkPortRanges(4, 8081, 8084)).toThrow(
      /--api-port 8081..8084 and --peer-port 8084..8087 overlap/,
    );
    expect(() => checkPortRanges(4, 8085, 8081)).not.toThrow();
  });
});
