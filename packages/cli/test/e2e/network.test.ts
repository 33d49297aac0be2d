import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type CliResult, collect, freePortRange, runCli, spawnCli, waitForOutput } from "./support.js";

const READY = "stop with Ctrl-C";
// Typically 5-15 s each; the margin is for a loaded machine.
const TIMEOUT_MS = 60_000;

describe("a four-organisation network through the CLI", { timeout: TIMEOUT_MS }, () => {
  const dir = mkdtempSync(join(tmpdir(), "weft-cli-net-e2e-"));
  const root = join(dir, "net");
  const children: ChildProcess[] = [];
  /** The CLI on the network folder; `line` is split on spaces. */
  const weft = (line: string) => runCli(["--home", root, ...line.split(" ")]);
  const spawnNode = (args: string[]) => {
    const child = spawnCli(args);
    children.push(child);
    return { child, exit: collect(child) };
  };
  /** Polls `query balance` on one node until it shows `units`. */
  const balanceOn = async (org: string, units: string): Promise<CliResult> => {
    const deadline = Date.now() + 15_000;
    for (;;) {
      const r = await weft(`query balance WEFT bob --node ${org} --prove`);
      if ((r.code === 0 && r.stdout.includes(`: ${units} (`)) || Date.now() > deadline) return r;
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it("weft dev --orgs 4 runs every node in one process: send through org1, read from org3", async () => {
    const api = await freePortRange(4);
    const peer = await freePortRange(4, [api, api + 1, api + 2, api + 3]);
    const dev = spawnNode([
      "--home",
      root,
      "dev",
      "--orgs",
      "4",
      "--api-port",
      `${api}`,
      "--peer-port",
      `${peer}`,
    ]);
    const banner = await waitForOutput(dev.child, READY);
    expect(banner).toMatch(/^initialised a network of 4 organisations in /);
    expect(banner).toMatch(/weft dev network: 4 organisations in .*BFT consensus over mutual TLS/);
    for (let i = 0; i < 4; i++) {
      expect(banner).toMatch(
        new RegExp(`org${i + 1}\\s+org${i + 1}-node\\s+http://127\\.0\\.0\\.1:${api + i}\\s+${peer + i}\\s`),
      );
    }
    expect(banner).toContain(
      `tx transfer --node org1 --from alice --asset WEFT --to bob --amount 100 --wait`,
    );

    const sent = await weft("tx transfer --node org1 --from alice --asset WEFT --to bob --amount 250 --wait");
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stdout).toMatch(/status: committed at height \d+ \(index 0\): ok/);
    const read = await balanceOn("org3", "100000250");
    expect(read.code, read.stderr).toBe(0);
    expect(read.stdout).toContain("100000250 (1000002.50 WEFT)");
    expect(read.stdout).toMatch(/proof: valid \(block \d+\)/);

    dev.child.kill("SIGTERM");
    const stopped = await dev.exit;
    expect(stopped.code, stopped.stderr).toBe(0);
    expect(stopped.stdout).toContain("4 nodes stopped");
  });

  it("weft start --node: commits with one node of four down, and the late node catches up", async () => {
    // The same folder, now one process per organisation (--home <org folder> works as well as --node).
    const nodes = [
      spawnNode(["--home", root, "start", "--node", "org1"]),
      spawnNode(["--home", root, "start", "--node", "org2"]),
      spawnNode(["--home", join(root, "org3"), "start", "--log-level", "warn"]),
    ];
    const banners = await Promise.all(nodes.map((n) => waitForOutput(n.child, READY)));
    expect(banners[0]).toMatch(
      /node: org1-node of org1, validator [0-9a-f]{40} \(BFT consensus, 4 validators\)/,
    );
    expect(banners[0]).toMatch(/dials: {3}org2-node \(127\.0\.0\.1:\d+\), org3-node .*, org4-node /);
    expect(banners[2]).toMatch(/accepts: org1-node \(127\.0\.0\.1:\d+\), org2-node /);

    const sent = await weft("tx transfer --node org2 --from alice --asset WEFT --to bob --amount 50 --wait");
    expect(sent.code, sent.stderr).toBe(0);
    expect(sent.stdout).toMatch(/status: committed at height \d+ \(index 0\): ok/);

    // org4 was down for that block: block sync brings it up to date.
    nodes.push(spawnNode(["--home", root, "start", "--node", "org4"]));
    await waitForOutput(nodes[3]!.child, READY);
    const read = await balanceOn("org4", "100000300");
    expect(read.code, read.stderr).toBe(0);
    expect(read.stdout).toContain("100000300 (1000003.00 WEFT)");

    for (const n of nodes) n.child.kill("SIGTERM");
    for (const n of nodes) {
      const stopped = await n.exit;
      expect(stopped.code, stopped.stderr).toBe(0);
      expect(stopped.stdout).toContain("node stopped");
    }
  });
});
