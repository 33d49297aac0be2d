import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { run } from "../../src/run.js";

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

describe("weft (in-process)", () => {
  let dir: string;
  /** A command line: words split on spaces, or an array for values with spaces. */
  const weft = async (line: string | string[], env: Record<string, string> = {}): Promise<Result> => {
    const out = { stdout: "", stderr: "" };
    const code = await run(typeof line === "string" ? line.split(" ") : line, {
      env,
      cwd: dir,
      stdout: { write: (s: string) => (out.stdout += s) },
      stderr: { write: (s: string) => (out.stderr += s) },
    });
    return { code, ...out };
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "weft-cli-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("initialises a home once, and again only with --force", async () => {
    const first = await weft("--json init --chain-id unit --accounts ann,ben --asset ACME");
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout) as {
      chainId: string;
      accounts: { name: string; address: string }[];
    };
    expect(report.chainId).toBe("unit");
    expect(report.accounts.map((a) => a.name)).toEqual(["ann", "ben"]);
    const genesis = JSON.parse(readFileSync(join(dir, ".weft", "genesis.json"), "utf8"));
    expect(genesis.appState.token.balances).toHaveLength(2);
    expect(statSync(join(dir, ".weft", "keys", "ann.json")).mode & 0o777).toBe(0o600);

    const again = await weft("init");
    expect(again).toMatchObject({ code: 1, stdout: "" });
    expect(again.stderr).toMatch(/^error: CLI_HOME_EXISTS: .*--force/);

    const forced = await weft("--json init --force --accounts ann");
    expect(forced.code).toBe(0);
    const replaced = JSON.parse(forced.stdout) as { accounts: { address: string }[] };
    expect(replaced.accounts[0]?.address).not.toBe(report.accounts[0]?.address);
  });

  it("honours $WEFT_HOME and refuses a genesis the node would not accept", async () => {
    expect((await weft("init --accounts a", { WEFT_HOME: join(dir, "envhome") })).code).toBe(0);
    expect(existsSync(join(dir, "envhome", "genesis.json"))).toBe(true);
    const bad = await weft("--home h2 init --asset lower");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: CLI_USAGE: --asset "lower"/);
    expect(existsSync(join(dir, "h2", "genesis.json"))).toBe(false);
  });

  it("generates, lists and shows keys without revealing secrets by default", async () => {
    expect((await weft("keys list")).stdout).toContain("no keys in");
    const gen = await weft("--json keys generate ops --alg p256");
    expect(gen.code).toBe(0);
    const key = JSON.parse(gen.stdout) as { address: string; alg: string; secretKey?: string };
    expect(key).toMatchObject({ alg: "p256" });
    expect(key.secretKey).toBeUndefined();
    expect((await weft("keys generate ops")).stderr).toMatch(/^error: CLI_KEY_EXISTS/);
    writeFileSync(join(dir, ".weft", "keys", "broken.json"), "{");
    const list = await weft("keys list");
    expect(list.stdout).toMatch(new RegExp(`ops\\s+${key.address}\\s+p256`));
    expect(list.stdout).toMatch(/broken\s+\(unreadable: /);
    const show = await weft("keys show ops");
    expect(show.stdout).toContain(key.address);
    expect(show.stdout).not.toContain("secret");
    const secret = JSON.parse((await weft("--json keys show ops --secret")).stdout) as { secretKey: string };
    expect(secret.secretKey).toMatch(/^[0-9a-f]{64}$/);
    expect((await weft("keys show nobody")).stderr).toMatch(/^error: CLI_KEY_NOT_FOUND: /);
    expect((await weft("keys generate ../evil")).code).toBe(2);
  });

  it("reports usage errors on one line with exit code 2", async () => {
    const cases: [string, RegExp][] = [
      ["frobnicate", /^error: CLI_USAGE: unknown command 'frobnicate'/],
      ["query balance", /^error: CLI_USAGE: missing required argument 'asset'/],
      ["tx transfer --from a", /^error: CLI_USAGE: required option '--asset <id>' not specified/],
      ["start --port http", /^error: CLI_USAGE: --port must be an integer between 0 and 65535/],
      ["query state k --prove --height 1", /^error: CLI_USAGE: --prove reads the latest height/],
      ["proof", /^error: CLI_USAGE: give either a transaction hash or --state <key>/],
      ["tx send --from a --module token --method x --args {", /--args is not valid JSON/],
      ["verify-proof missing.json --genesis g.json", /^error: CLI_BAD_INPUT: cannot read proof file/],
    ];
    for (const [args, pattern] of cases) {
      const r = await weft(args);
      expect({ args, code: r.code }).toEqual({ args, code: 2 });
      expect(r.stderr).toMatch(pattern);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
    }
  });

  it("validates amounts and recipients before contacting a node", async () => {
    await weft("init");
    const negative = await weft("tx transfer --from alice --asset WEFT --to bob --amount -5");
    expect(negative.code).toBe(2);
    expect(negative.stderr).toBe("error: SDK_INVALID_AMOUNT: amount must not be negative\n");
    const to = await weft("tx transfer --from alice --asset WEFT --to 0xNOPE --amount 5");
    expect(to.stderr).toMatch(/^error: CLI_USAGE: --to "0xNOPE" is neither an address .* nor a key in /);
    const badName = await weft([
      ..."tx mint --from alice --asset WEFT --amount 5 --to".split(" "),
      "not a name",
    ]);
    expect(badName.stderr).toMatch(/^error: CLI_USAGE: --to "not a name" is neither/);
    const from = await weft("tx transfer --from carol --asset WEFT --to bob --amount 5");
    expect(from).toMatchObject({ code: 2 });
    expect(from.stderr).toMatch(/^error: CLI_KEY_NOT_FOUND: --from: no key "carol"/);
  });

  it("needs an initialised home for node and proof commands", async () => {
    for (const args of ["start", ["audit"], ["query", "balance", "WEFT", "a".repeat(40), "--prove"]]) {
      const r = await weft(args);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/^error: CLI_NOT_INITIALISED: no genesis.json in .* `weft init`/);
    }
    await weft("init");
    expect((await weft("audit")).stderr).toMatch(/^error: CLI_NO_CHAIN_DATA: /);
    writeFileSync(join(dir, ".weft", "config.json"), '{"consensus":{"blockIntervalMs":"fast"}}');
    const bad = await weft("start");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: CLI_BAD_CONFIG: .*config.json: "consensus.blockIntervalMs" must be/);
  });

  it("prints help and the version with exit code 0", async () => {
    const help = await weft("--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("verify-proof");
    expect((await weft("--version")).stdout).toMatch(/^\d+\.\d+\.\d+/);
  });
});
