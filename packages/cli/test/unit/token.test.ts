import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { addressOf, fromBase64, fromUtf8 } from "@weft/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { run } from "../../src/run.js";

describe("weft token", () => {
  let dir: string;
  const weft = async (line: string) => {
    const out = { stdout: "", stderr: "" };
    const code = await run(line.split(" "), {
      env: {},
      cwd: dir,
      stdout: { write: (s: string) => (out.stdout += s) },
      stderr: { write: (s: string) => (out.stderr += s) },
    });
    return { code, ...out };
  };
  const claimsOf = (token: string) =>
    JSON.parse(
      fromUtf8(fromBase64((token.split(".")[1] as string).replace(/-/g, "+").replace(/_/g, "/"))),
    ) as {
      iss: string;
      sub: string;
      aud: string;
      iat: number;
      exp: number;
    };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "weft-token-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("prints a member token for the home's chain, signed with the key", async () => {
    expect((await weft("init --chain-id tok --accounts ann")).code).toBe(0);
    const res = await weft("token --key ann --member ann --ttl 600");
    expect(res.code).toBe(0);
    const token = res.stdout.trim();
    expect(token.split(".")).toHaveLength(3);
    const key = JSON.parse(readFileSync(join(dir, ".weft", "keys", "ann.json"), "utf8"));
    const claims = claimsOf(token);
    expect(claims).toMatchObject({ iss: addressOf(key), sub: "ann", aud: "tok" });
    expect(claims.exp - claims.iat).toBe(600);
    const json = JSON.parse((await weft("--json token --key ann --member ann --chain other")).stdout);
    expect(json).toMatchObject({ memberId: "ann", chainId: "other", address: addressOf(key) });
  });

  it("refuses a lifetime over an hour", async () => {
    expect((await weft("init --accounts ann")).code).toBe(0);
    const res = await weft("token --key ann --member ann --ttl 3601");
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/--ttl/);
  });
});
