import type { ChildProcess } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TxProofBundle } from "@weft/core";
import { open } from "lmdb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type CliResult, collect, freePort, runCli, spawnCli, waitForHealth } from "./support.js";

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const flipHex = (h: string): string => (h[0] === "0" ? "1" : "0") + h.slice(1);

describe("weft CLI end to end", () => {
  const dir = mkdtempSync(join(tmpdir(), "weft-cli-e2e-"));
  const home = join(dir, "home");
  const genesisFile = join(home, "genesis.json");
  let url = "";
  let node: ChildProcess | undefined;
  let nodeExit: Promise<CliResult> | undefined;
  let bob = "";
  let transferHash = "";
  let latestStateRoot = "";
  /** The CLI on this home and node; `line` is split on spaces. */
  const weft = (line: string) => runCli(["--home", home, ...line.split(" ")], { WEFT_URL: url });
  const json = <T>(r: CliResult): T => JSON.parse(r.stdout) as T;

  beforeAll(async () => {
    const init = await weft("--json init --chain-id weft-e2e");
    expect(init.code, init.stderr).toBe(0);
    bob =
      json<{ accounts: { name: string; address: string }[] }>(init).accounts.find((a) => a.name === "bob")
        ?.address ?? "";
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    node = spawnCli([
      "--home",
      home,
      "start",
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
      "--block-interval-ms",
      "20",
    ]);
    nodeExit = collect(node);
    let early = "";
    node.stderr?.on("data", (d: Buffer) => {
      early += d.toString();
    });
    await waitForHealth(url, node, () => early);
  });

  afterAll(async () => {
    if (node && node.exitCode === null) node.kill("SIGKILL");
    await nodeExit;
    rmSync(dir, { recursive: true, force: true });
  });

  it("refuses bad input with typed errors", async () => {
    writeFileSync(join(dir, "not-json.proof.json"), "this is not JSON");
    const [notJson, negative, unknown] = await Promise.all([
      runCli(["verify-proof", join(dir, "not-json.proof.json"), "--genesis", genesisFile]),
      weft("tx transfer --from alice --asset WEFT --to bob --amount -5"),
      runCli(["teleport"]),
    ]);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/^error: CLI_BAD_INPUT: proof file .* is not usable/);
    expect(negative.code).toBe(2);
    expect(negative.stderr).toBe("error: SDK_INVALID_AMOUNT: amount must not be negative\n");
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toMatch(/^error: CLI_USAGE: unknown command 'teleport'/);
    for (const r of [notJson, negative, unknown]) expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("creates an asset, transfers with --wait and reports a failed transaction", async () => {
    const created = await weft("tx create-asset --from alice --asset BOLT --name Bolts --decimals 0 --wait");
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(/status: committed at height \d+ \(index 0\): ok/);

    const transfer = await weft(
      `--json tx transfer --from alice --asset WEFT --to ${bob} --amount 100 --wait`,
    );
    expect(transfer.code, transfer.stderr).toBe(0);
    const status = json<{ hash: string; status: string; receipt: { status: string } }>(transfer);
    expect(status).toMatchObject({ status: "committed", receipt: { status: "ok" } });
    transferHash = status.hash;

    const minted = await weft("tx mint --from alice --asset BOLT --to bob --amount 7 --wait");
    expect(minted.code, minted.stderr).toBe(0);

    // alice issued BOLT but holds none: committed, failed, exit 1 with the chain's code.
    const failed = await weft("tx transfer --from alice --asset BOLT --to bob --amount 1 --wait");
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/FAILED TOKEN_INSUFFICIENT_FUNDS/);
    expect(failed.stderr).toMatch(/^error: TOKEN_INSUFFICIENT_FUNDS: tx [0-9a-f]{64} failed at height \d+/);
  });

  it("queries a balance and verifies its proof against the home's genesis", async () => {
    const balance = await weft(`query balance WEFT ${bob} --prove`);
    expect(balance.code, balance.stderr).toBe(0);
    expect(balance.stdout).toContain(`WEFT balance of ${bob}: 100000100 (1000001.00 WEFT)`);
    expect(balance.stdout).toMatch(/proof: valid \(block \d+\)/);
    const block = await weft("--json query block latest");
    latestStateRoot = json<{ block: { header: { stateRoot: string } } }>(block).block.header.stateRoot;
  });

  it("writes proof bundles that verify offline and catches each kind of tampering", async () => {
    const out = join(dir, "transfer.proof.json");
    const proof = await weft(`proof ${transferHash} --out ${out}`);
    expect(proof.code, proof.stderr).toBe(0);
    expect(proof.stdout).toMatch(/proof: valid/);
    const ok = await runCli(["verify-proof", out, "--genesis", genesisFile]);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(
      /^valid: weft\.proof\.tx\/v1 at height 2 of chain weft-e2e \(block [0-9a-f]{64}\)\n/,
    );

    const bundle = JSON.parse(readFileSync(out, "utf8")) as TxProofBundle;
    expect(bundle.receipt.path.length).toBeGreaterThan(0);
    const tampered: [string, (b: TxProofBundle) => void, string][] = [
      ["receipt status", (b) => Object.assign(b.receipt.entry, { status: "failed" }), "path"],
      [
        "header stateRoot",
        (b) => Object.assign(b.header, { stateRoot: flipHex(b.header.stateRoot) }),
        "header",
      ],
      ["path element", (b) => b.receipt.path.splice(0, 1, flipHex(b.receipt.path[0] ?? "")), "path"],
      [
        "commit signature",
        (b) =>
          Object.assign(b.commit.signatures[0] ?? {}, {
            signature: flipHex(b.commit.signatures[0]?.signature ?? ""),
          }),
        "commit",
      ],
      ["tx signature", (b) => Object.assign(b.tx, { signature: flipHex(b.tx.signature) }), "signature"],
    ];
    const results = await Promise.all(
      tampered.map(([name, change], i) => {
        const copy = clone(bundle);
        change(copy);
        const file = join(dir, `tampered-${i}.json`);
        writeFileSync(file, JSON.stringify(copy));
        return runCli(["verify-proof", file, "--genesis", genesisFile]).then((r) => ({ name, r }));
      }),
    );
    for (const [i, { name, r }] of results.entries()) {
      const part = tampered[i]?.[2];
      expect({ name, code: r.code }).toEqual({ name, code: 1 });
      expect(r.stdout, name).toMatch(new RegExp(`^invalid: ${part}: `));
      expect(r.stderr, name).toMatch(/^error: PROOF_[A-Z_]+: /);
    }

    const stateOut = join(dir, "state.proof.json");
    const state = await weft(`proof --state token/balance/WEFT/${bob} --out ${stateOut}`);
    expect(state.code, state.stderr).toBe(0);
    const stateOk = await runCli(["verify-proof", stateOut, "--genesis", genesisFile]);
    expect(stateOk.code, stateOk.stderr).toBe(0);
    expect(stateOk.stdout).toMatch(/^valid: weft\.proof\.state\/v1 at height \d+ of chain weft-e2e/);
    expect(stateOk.stdout).toContain(`state token/balance/WEFT/${bob} = "100000100"`);
  });

  it("stops on SIGTERM, audits, rebuilds, and finds a tampered block", async () => {
    node?.kill("SIGTERM");
    const stopped = await nodeExit;
    expect(stopped?.code, stopped?.stderr).toBe(0);
    expect(stopped?.stdout).toContain("node stopped");

    const audit = await weft("audit");
    expect(audit.code, audit.stderr).toBe(0);
    expect(audit.stdout).toMatch(/^audit passed: 4 blocks, 4 transactions\n/);
    const rebuild = await weft("rebuild");
    expect(rebuild.code, rebuild.stderr).toBe(0);
    expect(rebuild.stdout).toBe(`rebuilt 4 blocks (4 transactions)\nstate root: ${latestStateRoot}\n`);
    expect((await weft("audit")).code).toBe(0);

    // Block 2 holds the WEFT transfer: change one digit of its amount on disk.
    const root = open({ path: join(home, "data"), maxDbs: 16 });
    const blocks = root.openDB<Uint8Array, number>({ name: "blocks", encoding: "binary" });
    const bytes = Buffer.from(blocks.get(2) ?? []);
    const at = bytes.indexOf('"amount":"100"');
    expect(at).toBeGreaterThan(0);
    bytes[at + '"amount":"'.length] = "9".charCodeAt(0);
    await blocks.put(2, bytes);
    await root.close();

    const tampered = await weft("audit");
    expect(tampered.code).toBe(1);
    expect(tampered.stdout).toMatch(/^audit FAILED at height 2, field \S+: /);
    expect(tampered.stderr).toMatch(/^error: AUDIT_FAILED: /);
  });
});
