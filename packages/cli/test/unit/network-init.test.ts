import { X509Certificate } from "node:crypto";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { run } from "../../src/run.js";

interface Result {
  code: number;
  stdout: string;
  stderr: string;
}

interface NetworkReport {
  home: string;
  chainId: string;
  orgs: {
    name: string;
    home: string;
    nodeId: string;
    validator: string;
    peerAddress: string;
    peerPort: number;
    apiPort: number;
    url: string;
  }[];
  accounts: { name: string; address: string; keyFile: string }[];
}

interface NetworkJson {
  chainId: string;
  orgs: {
    name: string;
    caCert: string;
    nodes: { id: string; host: string; port: number; validator: string }[];
  }[];
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, "utf8")) as T;

describe("weft init --orgs and --node (in-process)", () => {
  let dir: string;
  const weft = async (line: string, env: Record<string, string> = {}): Promise<Result> => {
    const out = { stdout: "", stderr: "" };
    const code = await run(line.split(" "), {
      env,
      cwd: dir,
      stdout: { write: (s: string) => (out.stdout += s) },
      stderr: { write: (s: string) => (out.stderr += s) },
    });
    return { code, ...out };
  };
  /** Every file under `root`, relative, sorted. */
  const tree = (root: string): string[] =>
    existsSync(root)
      ? readdirSync(root, { recursive: true, encoding: "utf8" })
          .map((p) => p.split("\\").join("/"))
          .sort()
      : [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "weft-cli-net-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("creates a network folder: shared genesis and peer book, one node home per organisation", async () => {
    const r = await weft("--json --home net init --orgs 4 --chain-id acme --accounts ann,ben");
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as NetworkReport;
    const root = join(dir, "net");
    expect(report).toMatchObject({ home: root, chainId: "acme" });
    expect(report.orgs.map((o) => [o.name, o.nodeId, o.peerAddress, o.apiPort, o.url])).toEqual(
      [1, 2, 3, 4].map((i) => [
        `org${i}`,
        `org${i}-node`,
        `127.0.0.1:${26_600 + i}`,
        8080 + i,
        `http://127.0.0.1:${8080 + i}`,
      ]),
    );

    const perOrg = [
      "ca",
      "ca/ca.key",
      "config.json",
      "genesis.json",
      "keys",
      "keys/admin.json",
      "network.json",
      "node-key.json",
      "tls",
      "tls/ca.crt",
      "tls/node.crt",
      "tls/node.key",
    ];
    expect(tree(root)).toEqual(
      [
        "genesis.json",
        "keys",
        "keys/ann.json",
        "keys/ben.json",
        "network.json",
        ...["org1", "org2", "org3", "org4"].flatMap((org) => [org, ...perOrg.map((f) => `${org}/${f}`)]),
      ].sort(),
    );

    const genesisText = readFileSync(join(root, "genesis.json"), "utf8");
    const networkText = readFileSync(join(root, "network.json"), "utf8");
    const genesis = JSON.parse(genesisText) as { validators: { address: string; name: string }[] };
    const network = JSON.parse(networkText) as NetworkJson;
    expect(genesis.validators.map((v) => v.name)).toEqual(["org1", "org2", "org3", "org4"]);
    expect(network.chainId).toBe("acme");
    const cas = network.orgs.map((o) => new X509Certificate(o.caCert));

    for (const [i, org] of report.orgs.entries()) {
      const home = join(root, org.name);
      // Every node must hold the identical genesis and peer book.
      expect(readFileSync(join(home, "genesis.json"), "utf8")).toBe(genesisText);
      expect(readFileSync(join(home, "network.json"), "utf8")).toBe(networkText);
      expect(readJson(join(home, "config.json"))).toEqual({
        api: { port: 8081 + i },
        p2p: { port: 26_601 + i },
      });
      expect(network.orgs[i]).toMatchObject({
        name: org.name,
        nodes: [{ id: org.nodeId, host: "127.0.0.1", port: 26_601 + i, validator: org.validator }],
      });
      expect(genesis.validators[i]?.address).toBe(org.validator);
      expect(readJson<{ address: string }>(join(home, "node-key.json")).address).toBe(org.validator);

      // The node certificate is issued by its own organisation's CA, and by no other.
      const ca = new X509Certificate(readFileSync(join(home, "tls", "ca.crt")));
      const cert = new X509Certificate(readFileSync(join(home, "tls", "node.crt")));
      expect(ca.ca).toBe(true);
      expect(ca.fingerprint256).toBe(cas[i]?.fingerprint256);
      expect(cert.ca).toBe(false);
      expect(cert.checkIssued(ca)).toBe(true);
      expect(cert.verify(ca.publicKey)).toBe(true);
      expect(cert.subject).toContain(`CN=${org.nodeId}`);
      expect(cert.subject).toContain(`O=${org.name}`);
      expect(cert.subjectAltName).toContain("IP Address:127.0.0.1");
      const other = cas[(i + 1) % cas.length] as X509Certificate;
      expect(cert.verify(other.publicKey)).toBe(false);

      for (const secret of ["node-key.json", "tls/node.key", "ca/ca.key"]) {
        expect(statSync(join(home, secret)).mode & 0o777, secret).toBe(0o600);
      }
    }
    expect(statSync(join(root, "keys", "ann.json")).mode & 0o777).toBe(0o600);

    // A second init refuses; --force replaces the whole network (other names, other ports).
    const again = await weft("--home net init --orgs 4");
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error: CLI_HOME_EXISTS: /);
    const forced = await weft(
      "--json --home net init --force --orgs acme,bolt --api-port 9001 --peer-port 9101",
    );
    expect(forced.code, forced.stderr).toBe(0);
    expect(tree(root).filter((p) => !p.includes("/"))).toEqual([
      "acme",
      "bolt",
      "genesis.json",
      "keys",
      "network.json",
    ]);
    expect(readJson(join(root, "bolt", "config.json"))).toEqual({ api: { port: 9002 }, p2p: { port: 9102 } });
  });

  it("names the nodes, peers and next steps in the human report", async () => {
    const r = await weft(
      "--home net init --orgs acme,bolt,cog --host 10.0.0.5 --peer-port 7001 --api-port 7101",
    );
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^initialised a network of 3 organisations in .*net for chain weft-local\n/);
    expect(r.stdout).toMatch(
      /acme\/\s+acme-node\s+[0-9a-f]{40}\s+10\.0\.0\.5:7001\s+http:\/\/127\.0\.0\.1:7101\n/,
    );
    expect(r.stdout).toMatch(
      /cog\/\s+cog-node\s+[0-9a-f]{40}\s+10\.0\.0\.5:7003\s+http:\/\/127\.0\.0\.1:7103\n/,
    );
    expect(r.stdout).toContain("next: weft --home net start --node acme");
    const cert = new X509Certificate(readFileSync(join(dir, "net", "bolt", "tls", "node.crt")));
    expect(cert.subjectAltName).toContain("IP Address:10.0.0.5");
  });

  it("refuses bad network flags with exit code 2 and writes nothing", async () => {
    const cases: [string, RegExp][] = [
      ["init --orgs 0", /^error: CLI_USAGE: --orgs must be an integer between 1 and 100 \(got "0"\)/],
      ["init --orgs a,b,a", /^error: CLI_USAGE: --orgs lists "a" twice/],
      ["init --orgs data,b", /^error: CLI_USAGE: --orgs: "data" is reserved/],
      ["init --orgs 4 --peer-port 65534", /^error: CLI_USAGE: --peer-port must be between 1 and 65532 for 4/],
      ["init --orgs 4 --api-port 0", /^error: CLI_USAGE: --api-port must be an integer between 1 and 65535/],
      [
        "init --orgs 4 --api-port 70000",
        /^error: CLI_USAGE: --api-port must be an integer between 1 and 65535/,
      ],
      [
        "init --orgs 2 --api-port 5000 --peer-port 5001",
        /^error: CLI_USAGE: --api-port 5000..5001 and --peer-port/,
      ],
      ["init --orgs 2 --host 0.0.0.0", /^error: CLI_USAGE: --host 0.0.0.0 is a listen address/],
      ["init --peer-port 7000", /^error: CLI_USAGE: --peer-port describes a network: add --orgs/],
      ["init --orgs 2 --chain-id bad/id", /^error: CLI_USAGE: --chain-id "bad\/id"/],
      ["init --orgs 2 --asset lower", /^error: CLI_USAGE: --asset "lower"/],
      ["--node org1 init --orgs 2", /^error: CLI_USAGE: --node picks a node of an existing network/],
    ];
    for (const [line, pattern] of cases) {
      const r = await weft(line);
      expect({ line, code: r.code }).toEqual({ line, code: 2 });
      expect(r.stderr, line).toMatch(pattern);
      expect(r.stderr.trim().split("\n"), line).toHaveLength(1);
      expect(r.stdout, line).toBe("");
      expect(tree(dir), line).toEqual([]);
    }
  });

  it("refuses --node outside a network, an unknown organisation, and node commands on the network folder", async () => {
    expect((await weft("--home single init")).code).toBe(0);
    expect((await weft("--home net init --orgs 3")).code).toBe(0);
    const before = tree(dir);
    const cases: [string, string, RegExp][] = [
      ["--home single start --node org1", "CLI_NO_NETWORK", /single\/? is a single-node home/],
      [
        "--home nowhere start --node org1",
        "CLI_NO_NETWORK",
        /holds no network \(create one with `weft init --orgs N`\)/,
      ],
      ["--home net/org1 start --node org1", "CLI_NO_NETWORK", /is already one organisation's node home/],
      [
        "--home net start --node org9",
        "CLI_UNKNOWN_NODE",
        /has no organisation "org9" \(it has org1, org2, org3\)/,
      ],
      ["--home net query balance WEFT alice --node org4", "CLI_UNKNOWN_NODE", /has no organisation "org4"/],
      [
        "--home net tx transfer --from alice --asset WEFT --to bob --amount 1 --node x",
        "CLI_UNKNOWN_NODE",
        /"x"/,
      ],
      [
        "--home net start",
        "CLI_NETWORK_HOME",
        /net is a network folder of 3 organisations \(org1, org2, org3\): .*--node <org>/,
      ],
      ["--home net audit", "CLI_NETWORK_HOME", /`weft --home net audit --node <org>`/],
      ["--home net rebuild", "CLI_NETWORK_HOME", /`weft --home net rebuild --node <org>`/],
      [
        "--home net start --node org2 --port 99999",
        "CLI_USAGE",
        /--port must be an integer between 0 and 65535/,
      ],
      [
        "--home net dev --orgs 2",
        "CLI_NETWORK_MISMATCH",
        /holds a network of org1, org2, org3, not of org1, org2/,
      ],
      [
        "--home single dev --orgs 2",
        "CLI_NETWORK_MISMATCH",
        /single holds a single node's chain, not a network/,
      ],
      ["--home net dev --port 8000", "CLI_USAGE", /--port and --host are for a single node/],
      ["--home net dev --peer-port 9000", "CLI_USAGE", /peer ports are fixed in net\/network.json/],
      ["--home net dev --node org1", "CLI_USAGE", /weft dev runs every organisation's node/],
      ["dev --api-port 9000", "CLI_USAGE", /--api-port and --peer-port are for a network: add --orgs/],
      ["dev --orgs 0", "CLI_USAGE", /--orgs must be an integer between 1 and 100/],
    ];
    for (const [line, code, pattern] of cases) {
      const r = await weft(line);
      expect({ line, code: r.code }).toEqual({ line, code: 2 });
      expect(r.stderr, line).toMatch(new RegExp(`^error: ${code}: `));
      expect(r.stderr, line).toMatch(pattern);
    }
    expect(tree(dir)).toEqual(before);
  });

  it("finds the network's account keys from any node home in it", async () => {
    expect((await weft("--home net init --orgs 2 --accounts ann,ben")).code).toBe(0);
    const names = (r: Result) => (JSON.parse(r.stdout) as { name: string }[]).map((k) => k.name);
    expect(names(await weft("--json --home net keys list"))).toEqual(["ann", "ben"]);
    expect(names(await weft("--json --home net keys list --node org2"))).toEqual(["ann", "ben"]);
    expect(names(await weft("--json --home net/org1 keys list"))).toEqual(["ann", "ben"]);
    expect((await weft("--json --home net keys generate ops --node org1")).code).toBe(0);
    expect(existsSync(join(dir, "net", "keys", "ops.json"))).toBe(true);
    // Copied out of its network folder (to its own machine), a node home uses its own keys/:
    // its organisation's admin key.
    cpSync(join(dir, "net", "org1"), join(dir, "machine"), { recursive: true });
    expect(names(await weft("--json --home machine keys list"))).toEqual(["admin"]);
  });
});
