import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { run } from "../../src/run.js";

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

/*
 * Every identity and governance command refuses bad input with one line and exit 2 before it
 * signs anything: the API they are pointed at records every request and must see none.
 */
describe("identity and governance commands refuse bad input (in-process)", () => {
  const dir = mkdtempSync(join(tmpdir(), "weft-cli-gov-"));
  const net = join(dir, "net");
  const requests: string[] = [];
  let server: Server;
  let url = "";

  const weft = async (line: string | string[]): Promise<Result> => {
    const out = { stdout: "", stderr: "" };
    const code = await run(typeof line === "string" ? line.split(" ") : line, {
      env: {},
      cwd: dir,
      stdout: { write: (s: string) => (out.stdout += s) },
      stderr: { write: (s: string) => (out.stderr += s) },
    });
    return { code, ...out };
  };
  /** A command against org1 of the network, pointed at the recording API. */
  const org1 = (line: string | string[]) =>
    weft([
      "--home",
      net,
      "--node",
      "org1",
      "--url",
      url,
      ...(typeof line === "string" ? line.split(" ") : line),
    ]);

  beforeAll(async () => {
    server = createServer((req, res) => {
      requests.push(`${req.method} ${req.url}`);
      res.writeHead(503).end();
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const init = await weft(`--home ${net} init --orgs 2`);
    expect(init.code, init.stderr).toBe(0);
    const req = await weft(
      `org init --name org9 --peer-port 27009 --api-port 18009 --from ${net} --out ${join(dir, "org9")}`,
    );
    expect(req.code, req.stderr).toBe(0);
    writeFileSync(join(dir, "not-json.json"), "{ nope");
    writeFileSync(join(dir, "wrong-type.json"), JSON.stringify({ type: "something-else" }));
    writeFileSync(
      join(dir, "bad-cert.pem"),
      "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n",
    );
  }, 60_000);

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(dir, { recursive: true, force: true });
  });

  const pub = `ed25519:${"11".repeat(32)}`;

  it("refuses each bad command line with exit 2, one line, and no request to the node", async () => {
    const request = join(dir, "org9", "membership-request.json");
    const member = `member add --org org1 --id carol --roles writer --public-key ${join(net, "keys", "alice.json")}`;
    const cases: [string | string[], RegExp][] = [
      // org
      [
        "org init --peer-port 1 --api-port 2 --from net --out o",
        /^error: CLI_USAGE: required option '--name <org>'/,
      ],
      [
        `org init --name bad/name --peer-port 1 --api-port 2 --from ${net} --out o`,
        /CLI_USAGE: --name "bad\/name" must be/,
      ],
      [
        `org init --name org5 --peer-port 70000 --api-port 2 --from ${net} --out o`,
        /CLI_USAGE: --peer-port must be an integer between 1 and 65535/,
      ],
      [
        `org init --name org5 --peer-port 3 --api-port 3 --from ${net} --out o`,
        /CLI_USAGE: --peer-port and --api-port are both 3/,
      ],
      [
        `org init --name org5 --peer-port 1 --api-port 2 --from missing --out o`,
        /CLI_BAD_INPUT: --from .*missing does not exist/,
      ],
      [
        `org init --name org1 --peer-port 1 --api-port 2 --from ${net} --out o`,
        /CLI_USAGE: --name org1: the network already has/,
      ],
      [
        `org init --name org5 --peer-port 1 --api-port 2 --from ${net} --out o --gln 123`,
        /CLI_USAGE: --gln: "123" is not 13 digits/,
      ],
      [
        `org init --name org5 --peer-port 1 --api-port 2 --from ${net} --out o --frobnicate`,
        /CLI_USAGE: unknown option '--frobnicate'/,
      ],
      ["org add --request missing.json", /CLI_BAD_INPUT: cannot read --request file .*missing\.json/],
      ["org add --request not-json.json", /CLI_BAD_INPUT: .*not-json\.json: not valid JSON/],
      [
        "org add --request wrong-type.json",
        /CLI_BAD_INPUT: .*wrong-type\.json: type must be "weft-membership-request\/v1"/,
      ],
      [
        `org add --request ${request} --deadline 7x`,
        /CLI_USAGE: --deadline must be a whole number with a unit/,
      ],
      [`org add --request ${request} --deadline 31d`, /CLI_USAGE: --deadline must be between 1ms and 30d/],
      [
        `org add --request ${request} --validator-power 0`,
        /CLI_USAGE: --validator-power must be an integer at least 1/,
      ],
      [`org add --request ${request} --key nobody`, /CLI_KEY_NOT_FOUND: --key: no key "nobody"/],
      ["org remove", /CLI_USAGE: required option '--name <org>'/],
      ["org remove --name ../x", /CLI_USAGE: --name "..\/x" must be/],
      ["org remove --name org2 --deadline 0s", /CLI_USAGE: --deadline must be between/],
      // member and device
      [`${member} --public-key nothex`, /CLI_USAGE: --public-key is neither a readable file nor a key/],
      [
        `${member} --public-key p256:${"11".repeat(32)}`,
        /CLI_USAGE: --public-key: a p256 public key is 33 bytes/,
      ],
      [
        `${member} --public-key rsa:${"11".repeat(32)}`,
        /CLI_USAGE: --public-key: unknown key algorithm "rsa"/,
      ],
      [`${member} --public-key not-json.json`, /CLI_BAD_INPUT: .*not-json\.json is neither JSON nor a key/],
      [
        `member add --org org1 --id carol --public-key ${pub}`,
        /CLI_USAGE: required option '--roles <roles>'/,
      ],
      [
        `member add --org org1 --id carol --roles Writer --public-key ${pub}`,
        /CLI_USAGE: --roles: "Writer" is not a role name/,
      ],
      [
        `member add --org org1 --id carol --roles a,a --public-key ${pub}`,
        /CLI_USAGE: --roles lists "a" twice/,
      ],
      [
        ["member", "add", "--org", "org1", "--id", "has space", "--roles", "writer", "--public-key", pub],
        /CLI_USAGE: --id "has space" must be/,
      ],
      [
        `member add --org o/1 --id carol --roles writer --public-key ${pub}`,
        /CLI_USAGE: --org "o\/1" must be/,
      ],
      [`${member} --certificate missing.pem`, /CLI_BAD_INPUT: cannot read --certificate .*missing\.pem/],
      [
        `${member} --certificate bad-cert.pem`,
        /CLI_BAD_INPUT: --certificate is not a PEM X\.509 certificate/,
      ],
      [`${member} --key nobody`, /CLI_KEY_NOT_FOUND: --key: no key "nobody"/],
      [`${member} --timeout-ms 0`, /CLI_USAGE: --timeout-ms must be an integer at least 1/],
      [
        "member revoke --org org1 --id carol --at-height 0",
        /CLI_USAGE: --at-height must be an integer at least 1/,
      ],
      ["member revoke --org org1", /CLI_USAGE: required option '--id <id>'/],
      [
        "device add --org org1 --id scanner-1 --public-key 00",
        /CLI_USAGE: --public-key: an ed25519 public key is 32 bytes \(got 1\)/,
      ],
      ["device revoke --id scanner-1", /CLI_USAGE: required option '--org <org>'/],
      // cert
      [
        "cert rotate --overlap 7d",
        /CLI_USAGE: --overlap, --new-key and --certificate rotate a member key: add --key/,
      ],
      ["cert rotate --key alice --overlap 7x", /CLI_USAGE: --overlap must be a whole number with a unit/],
      ["cert rotate --key alice --overlap 31d", /CLI_USAGE: --overlap must be between 0ms and 30d/],
      ["cert rotate --key nobody", /CLI_KEY_NOT_FOUND: --key: no key "nobody"/],
      ["cert rotate --key alice --certificate bad-cert.pem", /CLI_USAGE: --certificate needs --new-key/],
      [
        "cert rotate --key alice --new-key bob --certificate bad-cert.pem",
        /CLI_BAD_INPUT: --certificate is not a PEM/,
      ],
      ["cert rotate --key alice --new-key alice", /CLI_USAGE: --new-key is the key --key names/],
      ["cert rotate --key alice --new-key nobody", /CLI_KEY_NOT_FOUND: --new-key: no key "nobody"/],
      ["cert rotate --new-key bob", /CLI_USAGE: --overlap, --new-key and --certificate rotate a member key/],
      // propose, vote, proposals, proposal
      ["propose --title t", /CLI_USAGE: give at least one --action module\.method/],
      ["propose --title t --action token.mint", /CLI_USAGE: 1 --action but 0 --args/],
      [
        "propose --title t --action Token.mint --args {}",
        /CLI_USAGE: --action "Token\.mint" must be module\.method/,
      ],
      [
        "propose --title t --action token.mint --args {",
        /CLI_USAGE: --args of token\.mint is not valid JSON/,
      ],
      [
        "propose --title t --action token.mint --args []",
        /CLI_USAGE: --args of token\.mint must be a JSON object/,
      ],
      [
        "propose --title t --action token.mint --args {} --deadline 7x",
        /CLI_USAGE: --deadline must be a whole number/,
      ],
      ["propose --action token.mint --args {}", /CLI_USAGE: required option '--title <text>'/],
      ["vote --id 1", /CLI_USAGE: give exactly one of --yes and --no/],
      ["vote --id 1 --yes --no", /CLI_USAGE: give exactly one of --yes and --no/],
      ["vote --id x --yes", /CLI_USAGE: --id must be an integer at least 1/],
      ["vote --yes", /CLI_USAGE: required option '--id <n>'/],
      ["proposal", /CLI_USAGE: required option '--id <n>'/],
      ["proposal --id 0", /CLI_USAGE: --id must be an integer at least 1/],
      ["proposals --status weird", /CLI_USAGE: option '--status <status>' argument 'weird' is invalid/],
      // policy
      ["policy show --action nope", /CLI_USAGE: --action "nope" must be module\.method/],
      ["policy set --action token.burn", /CLI_USAGE: required option '--policy <json\|file>'/],
      ["policy set --action token.burn --policy {bad", /CLI_BAD_INPUT: --policy is not valid JSON/],
      [
        "policy set --action token.burn --policy missing.json",
        /CLI_BAD_INPUT: --policy is not valid JSON \(nor a readable file\)/,
      ],
      [
        "policy set --action token.burn --policy not-json.json",
        /CLI_BAD_INPUT: --policy file .*not-json\.json is not valid JSON/,
      ],
      [
        'policy set --action token.burn --policy {"role":"Writer"}',
        /CLI_BAD_INPUT: --policy: policy \.role must be a role name/,
      ],
      [
        'policy set --action token.burn --policy {"role":"writer","scope":"world"}',
        /\.scope must be one of any, resource, self/,
      ],
      [
        'policy set --action token.burn --policy {"anyOf":[]}',
        /policy \.anyOf must be an array of 1 to 16 policies/,
      ],
      [
        'policy set --action token.burn --policy {"anyOf":[{"member":false}]}',
        /policy\.anyOf\[0\] \.member must be true/,
      ],
      [
        'policy set --action token.burn --policy {"approvals":{"threshold":0,"from":[{"member":true}]}}',
        /\.approvals\.threshold must be an integer from 1 to 64/,
      ],
      [
        'policy set --action token.burn --policy {"orgVotes":{"num":2,"den":3},"x":1}',
        /has an unexpected key "x"/,
      ],
      [
        'policy set --action token.burn --policy {"orgVotes":{"num":3,"den":3}}',
        /\.orgVotes\.num must be less than \.den/,
      ],
      [
        'policy set --action token.burn --policy {"anyone":true}',
        /has no rule: "anyone" is none of public, member/,
      ],
      [
        'policy set --action token.burn --policy {"member":true} --deadline 7x',
        /CLI_USAGE: --deadline must be a whole number/,
      ],
      [
        'policy set --action token. --policy {"member":true}',
        /CLI_USAGE: --action "token\." must be module\.method/,
      ],
    ];
    for (const [line, pattern] of cases) {
      // `org init` makes a new organisation's home: it takes no --node.
      const r = String(line).startsWith("org init") ? await weft(line) : await org1(line);
      expect({ line, code: r.code, stderr: r.stderr }).toMatchObject({ line, code: 2 });
      expect(r.stderr, String(line)).toMatch(pattern);
      expect(r.stderr.trim().split("\n"), String(line)).toHaveLength(1);
      expect(r.stdout, String(line)).toBe("");
    }
    expect(requests).toEqual([]);
    expect(existsSync(join(dir, "o"))).toBe(false);
    expect(
      readdirSync(join(net, "keys")).filter((f) => f.includes(".next") || f.includes(".retired")),
    ).toEqual([]);
  });

  it("org init never writes into a folder that holds something (exit 1, as init on an existing home)", async () => {
    const r = await weft(`org init --name org5 --peer-port 1 --api-port 2 --from ${net} --out ${net}`);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^error: CLI_HOME_EXISTS: --out .* is not an empty folder/);
    expect(existsSync(join(net, "membership-request.json"))).toBe(false);
  });

  it("needs a signer: --key, or the admin key of the node home --node picks", async () => {
    const line = `propose --title t --action token.mint --args {} --url ${url}`;
    const root = await weft(`--home ${net} ${line}`);
    expect(root.code).toBe(2);
    expect(root.stderr).toMatch(
      /^error: CLI_KEY_NOT_FOUND: no --key given .* is a network folder: pick an organisation with --node <org>/,
    );
    const elsewhere = await weft(`--home ${join(dir, "nowhere")} ${line}`);
    expect(elsewhere.stderr).toMatch(
      /^error: CLI_KEY_NOT_FOUND: no --key given .*admin\.json does not exist/,
    );
    expect(requests).toEqual([]);
  });

  it("cert rotate without --key renews a node home's TLS certificate in place, keeping the previous one", async () => {
    const r = await weft(`--home ${join(dir, "nowhere")} cert rotate`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^error: CLI_NO_NETWORK: .* is no organisation's node home/);
    const flag = await org1("cert rotate --key alice --validity-days 5");
    expect(flag.stderr).toMatch(/^error: CLI_USAGE: --validity-days is for a node certificate/);

    const certFile = join(net, "org2", "tls", "node.crt");
    const before = readFileSync(certFile, "utf8");
    const rotated = await weft(`--json --home ${net} --node org2 cert rotate --validity-days 30`);
    expect(rotated.code, rotated.stderr).toBe(0);
    const report = JSON.parse(rotated.stdout) as {
      nodeId: string;
      fingerprint: string;
      previousFingerprint: string;
    };
    expect(report.nodeId).toBe("org2-node");
    expect(report.fingerprint).not.toBe(report.previousFingerprint);
    expect(readFileSync(certFile, "utf8")).not.toBe(before);
    expect(readFileSync(join(net, "org2", "tls", "node-prev.crt"), "utf8")).toBe(before);
    expect(requests).toEqual([]);
  });

  it("org init writes a home of the new organisation's own keys and a membership request", async () => {
    const home = join(dir, "org9");
    expect(readdirSync(home).sort()).toEqual([
      "ca",
      "config.json",
      "genesis.json",
      "keys",
      "membership-request.json",
      "network.json",
      "node-key.json",
      "tls",
    ]);
    const request = JSON.parse(readFileSync(join(home, "membership-request.json"), "utf8"));
    expect(request).toMatchObject({
      type: "weft-membership-request/v1",
      chainId: "weft-local",
      name: "org9",
      nodes: [{ id: "org9-node", host: "127.0.0.1", port: 27009 }],
      gs1: { companyPrefixes: [], glns: [] },
      admin: { id: "admin", publicKey: { alg: "ed25519" } },
      validator: { name: "org9", publicKey: { alg: "ed25519" } },
    });
    expect(request.caCerts).toHaveLength(1);
    // Nothing secret leaves the home; the genesis is the network's own.
    expect(JSON.stringify(request)).not.toMatch(/secretKey|PRIVATE KEY/);
    expect(readFileSync(join(home, "genesis.json"), "utf8")).toBe(
      readFileSync(join(net, "genesis.json"), "utf8"),
    );
    const network = JSON.parse(readFileSync(join(home, "network.json"), "utf8"));
    expect(network.orgs.map((o: { name: string }) => o.name)).toEqual(["org1", "org2", "org9"]);
    const admin = JSON.parse(readFileSync(join(home, "keys", "admin.json"), "utf8"));
    expect(admin.publicKey).toBe(request.admin.publicKey.publicKey);
    // No other organisation's key material was copied.
    expect(readdirSync(join(home, "keys"))).toEqual(["admin.json"]);
  });
});
