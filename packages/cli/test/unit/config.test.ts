import { describe, expect, it } from "vitest";
import { dataDirOf, mergeConfig, parseNodeConfig } from "../../src/config.js";
import { type CliIo, localUrl, resolveHome, resolveUrl } from "../../src/context.js";
import { CliError } from "../../src/errors.js";

const configError = (value: unknown): string => {
  try {
    parseNodeConfig(value, "config.json");
  } catch (e) {
    if (!(e instanceof CliError)) throw e;
    expect(e.code).toBe("CLI_BAD_CONFIG");
    expect(e.type.exitCode).toBe(2);
    return e.message;
  }
  throw new Error("accepted");
};

const io = (env: Record<string, string> = {}): CliIo => ({
  env,
  cwd: "/work",
  stdout: { write: () => true },
  stderr: { write: () => true },
});

describe("config.json", () => {
  it("accepts any subset of the node options", () => {
    const config = {
      api: { port: 9000, host: "0.0.0.0" },
      consensus: { blockIntervalMs: 50, emptyBlocks: true },
      log: { level: "debug" },
      mempool: { verifyThreads: 0 },
    };
    expect(parseNodeConfig(config)).toEqual(config);
    expect(parseNodeConfig({})).toEqual({});
  });

  it("accepts the EPCIS, verification, consensus and p2p sections and refuses their unknown keys", () => {
    const config = {
      epcis: { publicBaseUrl: "https://node.example.com", maxPerPage: 500 },
      verify: { maxTravelKmh: 1000 },
      consensus: { commitTimeoutMs: 10, engine: "tendermint" },
      p2p: { maxFrameBytes: { consensus: 2048, mempool: 2048, sync: 4096 } },
    };
    expect(parseNodeConfig(config)).toEqual(config);
    expect(configError({ epcis: { publicUrl: "x" } })).toContain('unknown key "epcis.publicUrl"');
    expect(configError({ verify: { maxTravelKmh: "fast" } })).toContain('"verify.maxTravelKmh"');
    expect(configError({ p2p: { maxFrameBytes: { consensus: 1 } } })).toContain('"p2p.maxFrameBytes"');
  });

  it("names unknown keys and wrongly typed values", () => {
    expect(configError({ apy: {} })).toContain('unknown key "apy"');
    expect(configError({ api: { prot: 1 } })).toContain('unknown key "api.prot"');
    expect(configError({ api: { port: "80" } })).toContain(
      '"api.port" must be an integer 0..65535 (got "80")',
    );
    expect(configError({ api: { port: 70_000 } })).toContain('"api.port"');
    expect(configError({ consensus: { emptyBlocks: "yes" } })).toContain(
      '"consensus.emptyBlocks" must be true or false',
    );
    expect(configError({ mempool: { maxTxs: -1 } })).toContain(
      '"mempool.maxTxs" must be a non-negative integer',
    );
    expect(configError({ log: { level: "loud" } })).toContain('"log.level" must be one of');
    expect(configError({ api: 5 })).toContain('"api" must be an object');
    expect(configError([])).toContain("must be a JSON object");
  });

  it("layers configs field by field, ignoring unset flags", () => {
    const merged = mergeConfig(
      { log: { level: "warn" } },
      { api: { port: 9000, host: "0.0.0.0" } },
      { api: { port: 9001, host: undefined }, log: { level: undefined } },
    );
    expect(merged).toEqual({ log: { level: "warn" }, api: { port: 9001, host: "0.0.0.0" } });
  });

  it("puts data under the home unless configured elsewhere", () => {
    expect(dataDirOf("/h", {})).toBe("/h/data");
    expect(dataDirOf("/h", { storage: { dataDir: "chain" } })).toBe("/h/chain");
    expect(dataDirOf("/h", { storage: { dataDir: "/var/weft" } })).toBe("/var/weft");
  });
});

describe("home and URL defaults", () => {
  it("resolves --home, then $WEFT_HOME, then ./.weft, against the working directory", () => {
    expect(resolveHome("h", io({ WEFT_HOME: "/env" }))).toBe("/work/h");
    expect(resolveHome(undefined, io({ WEFT_HOME: "/env" }))).toBe("/env");
    expect(resolveHome(undefined, io({ WEFT_HOME: "" }))).toBe("/work/.weft");
  });

  it("resolves --url, then $WEFT_URL, then the home's configured port", () => {
    const config = { api: { port: 9000 } };
    expect(resolveUrl("http://a:1", io({ WEFT_URL: "http://b:2" }), config)).toBe("http://a:1");
    expect(resolveUrl(undefined, io({ WEFT_URL: "http://b:2" }), config)).toBe("http://b:2");
    expect(resolveUrl(undefined, io(), config)).toBe("http://127.0.0.1:9000");
    expect(resolveUrl(undefined, io(), {})).toBe("http://127.0.0.1:8080");
  });

  it("reaches a wildcard listener on loopback and a specific one at its address", () => {
    expect(localUrl({ api: { host: "0.0.0.0", port: 1 } })).toBe("http://127.0.0.1:1");
    expect(localUrl({ api: { host: "::" } })).toBe("http://127.0.0.1:8080");
    expect(localUrl({ api: { host: "10.0.0.5" } })).toBe("http://10.0.0.5:8080");
    expect(localUrl({ api: { host: "::1", port: 2 } })).toBe("http://[::1]:2");
  });
});
