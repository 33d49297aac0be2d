import type { ChildProcess } from "node:child_process";
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Block } from "@weft/core";
import { type KeyPair, tokenTx } from "@weft/sdk";
import { loadKeyFile } from "@weft/sdk/keyfile";
import { afterAll, describe, expect, it } from "vitest";
import { type CliResult, collect, freePortRange, runCli, spawnCli, waitForOutput } from "./support.js";

const READY = "stop with Ctrl-C";
const TIMEOUT_MS = 300_000;

interface Health {
  consensus?: { height: number; peers: { id: string; connected: boolean }[] };
}

interface ProposalReport {
  proposal: { id: number; status: string };
}

/*
 * The issue's membership changes on real processes, one `weft start` per organisation, under a
 * steady stream of transfers: a fifth organisation and its validator are voted in (3 of 4), its
 * node syncs and then signs; org2's node certificate is rotated while blocks keep committing;
 * org4 is voted out, after which its node can neither connect nor sign.
 */
describe("membership changes on a network of node processes", { timeout: TIMEOUT_MS }, () => {
  const dir = mkdtempSync(join(tmpdir(), "weft-membership-e2e-"));
  const root = join(dir, "net");
  const org5Home = join(dir, "org5");
  const nodes = new Map<string, { child: ChildProcess; exit: Promise<CliResult> }>();
  let api = 0;
  let stopLoad = false;
  let loadError: unknown;
  /** When each transfer of the load was acknowledged as committed (ms), in order. */
  const committedAt: number[] = [];

  const weft = (args: string[]): Promise<CliResult> => runCli(["--home", root, ...args]);
  const json = async <T>(args: string[]): Promise<T> => {
    const r = await weft(["--json", ...args]);
    expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(0);
    return JSON.parse(r.stdout) as T;
  };
  const url = (org: string) => `http://127.0.0.1:${api + Number(org.slice(3)) - 1}`;
  const start = async (org: string, home = join(root, org)) => {
    // WEFT_LOG_DIR keeps each node's info log in <dir>/<org>.log for post-mortems.
    const logDir = process.env.WEFT_LOG_DIR;
    const child = spawnCli(["--home", home, "start", "--log-level", logDir ? "info" : "warn"]);
    if (logDir) {
      const file = createWriteStream(join(logDir, `${org}.log`), { flags: "a" });
      child.stdout?.pipe(file);
      child.stderr?.pipe(file);
    }
    nodes.set(org, { child, exit: collect(child) });
    await waitForOutput(child, READY);
  };
  const health = async (org: string): Promise<Health> =>
    (await (await fetch(`${url(org)}/healthz`)).json()) as Health;
  const latest = async (org: string): Promise<Block> =>
    ((await (await fetch(`${url(org)}/v1/blocks/latest`)).json()) as { block: Block }).block;
  const signersOf = (block: Block): string[] => (block.lastCommit?.signatures ?? []).map((s) => s.validator);
  const until = async <T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> => {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = await probe().catch(() => undefined);
      if (value !== undefined) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  const vote = (org: string, id: number) =>
    json<ProposalReport>(["--node", org, "vote", "--id", `${id}`, "--yes"]);

  /** One transfer at a time from alice through org1, each waited for: the network's heartbeat. */
  const load = async (alice: KeyPair, bob: string, chainId: string) => {
    for (let sequence = 0; !stopLoad; sequence++) {
      const tx = tokenTx.transfer(
        { chainId, signer: alice, sequence, expiresAt: 1_000_000_000 },
        { asset: "WEFT", to: bob, amount: "1" },
      );
      for (;;) {
        const res = await fetch(`${url("org1")}/v1/txs?wait=true&timeoutMs=10000`, {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(tx),
        }).catch(() => undefined);
        const body = res ? ((await res.json()) as { status?: string }) : {};
        if (body.status === "committed") {
          committedAt.push(Date.now());
          break;
        }
        if (stopLoad) return;
        if (res && res.status >= 400 && res.status !== 409)
          throw new Error(`transfer refused: ${JSON.stringify(body)}`);
      }
    }
  };

  afterAll(async () => {
    stopLoad = true;
    for (const { child } of nodes.values()) if (child.exitCode === null) child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it("adds org5 by vote, rotates org2's certificate, removes org4, and never stops committing", async () => {
    api = await freePortRange(5);
    const peer = await freePortRange(5, [api, api + 1, api + 2, api + 3, api + 4]);
    const init = await weft(["init", "--orgs", "4", "--api-port", `${api}`, "--peer-port", `${peer}`]);
    expect(init.code, init.stderr).toBe(0);
    await Promise.all(["org1", "org2", "org3", "org4"].map((org) => start(org)));

    const genesis = JSON.parse(readFileSync(join(root, "genesis.json"), "utf8")) as {
      chainId: string;
      validators: { name: string; address: string }[];
    };
    const validatorOf = (org: string) => genesis.validators.find((v) => v.name === org)?.address as string;
    const alice = await loadKeyFile(join(root, "keys", "alice.json"));
    const bob = await loadKeyFile(join(root, "keys", "bob.json"));
    const chainId = genesis.chainId;
    const running = load(alice, bob.address, chainId).catch((e) => {
      loadError = e;
    });
    await until("the first transfer", async () => (committedAt.length > 0 ? true : undefined));

    // org5 makes its own home and starts: the members do not know it yet, so nobody accepts it.
    const request = await json<{ validator: { address: string } }>([
      "org",
      "init",
      "--name",
      "org5",
      "--peer-port",
      `${peer + 4}`,
      "--api-port",
      `${api + 4}`,
      "--from",
      root,
      "--out",
      org5Home,
    ]);
    const org5Validator = request.validator.address;
    await start("org5", org5Home);
    await new Promise((r) => setTimeout(r, 2_000));
    expect((await health("org5")).consensus?.peers.filter((p) => p.connected)).toEqual([]);

    // 3 of 4 organisations vote it in, with its validator.
    const proposed = await json<ProposalReport>([
      "--node",
      "org1",
      "org",
      "add",
      "--request",
      join(org5Home, "membership-request.json"),
      "--validator-power",
      "10",
    ]);
    expect((await vote("org2", proposed.proposal.id)).proposal.status).toBe("open");
    expect((await vote("org3", proposed.proposal.id)).proposal.status).toBe("executed");

    // The new node connects, catches up, and its signature appears in commit certificates.
    const signed = await until("org5 to sign a block", async () => {
      const block = await latest("org1");
      return signersOf(block).includes(org5Validator) ? block.header.height : undefined;
    });
    const org5Height = (await health("org5")).consensus?.height ?? 0;
    expect(org5Height).toBeGreaterThanOrEqual(signed);

    // org2 renews its node certificate while the load runs; peers reconnect with the new one.
    const before = committedAt.length;
    const rotated = await runCli(["--home", join(root, "org2"), "--json", "cert", "rotate"]);
    expect(rotated.code, rotated.stderr).toBe(0);
    const { fingerprint, previousFingerprint } = JSON.parse(rotated.stdout) as {
      fingerprint: string;
      previousFingerprint: string;
    };
    expect(fingerprint).not.toBe(previousFingerprint);
    // org1 sees org2 present the new certificate: the node reloaded it and reconnected.
    await until("org1 to see org2's new certificate", async () => {
      const res = await fetch(`${url("org1")}/v1/identity/certificates`);
      const { certificates } = (await res.json()) as {
        certificates: { kind: string; fingerprint: string }[];
      };
      const peers = certificates.filter((c) => c.kind === "peer").map((c) => c.fingerprint);
      return peers.includes(fingerprint) && !peers.includes(previousFingerprint) ? true : undefined;
    });
    const rotationHeight = (await latest("org1")).header.height;
    await until("commits signed by org2 after the rotation", async () => {
      const block = await latest("org1");
      return block.header.height > rotationHeight + 3 && signersOf(block).includes(validatorOf("org2"))
        ? true
        : undefined;
    });
    expect(committedAt.length).toBeGreaterThan(before);

    // Five organisations: removing org4 needs more than 2/3, four votes.
    const removal = await json<ProposalReport>(["--node", "org1", "org", "remove", "--name", "org4"]);
    for (const org of ["org2", "org3"]) await vote(org, removal.proposal.id);
    // org5 votes through its own node, with the admin key its home holds.
    const own = await runCli([
      "--home",
      org5Home,
      "--json",
      "vote",
      "--id",
      `${removal.proposal.id}`,
      "--yes",
    ]);
    expect(own.code, own.stderr).toBe(0);
    const decided = JSON.parse(own.stdout) as ProposalReport;
    expect(decided.proposal.status).toBe("executed");

    // org4's node is cut off: no peer keeps or accepts its connection, and it stops signing.
    await until("org4 to lose every peer", async () => {
      const peers = (await health("org4")).consensus?.peers ?? [];
      return peers.every((p) => !p.connected) ? true : undefined;
    });
    const cutAt = (await latest("org1")).header.height;
    await until("blocks without org4", async () =>
      (await latest("org1")).header.height > cutAt + 3 ? true : undefined,
    );
    const after = await latest("org1");
    expect(signersOf(after)).not.toContain(validatorOf("org4"));
    // A certificate carries any +2/3 (3 of the 4 left): org5 shows up in one of the next ones.
    await until("org5 to sign after org4's removal", async () => {
      const block = await latest("org1");
      return block.header.height > cutAt && signersOf(block).includes(org5Validator) ? true : undefined;
    });
    await new Promise((r) => setTimeout(r, 2_000));
    expect((await health("org4")).consensus?.peers.filter((p) => p.connected)).toEqual([]);

    stopLoad = true;
    await running;
    expect(loadError).toBeUndefined();
    // The load never stalled: no two acknowledged transfers are more than 10 s apart.
    const gaps = committedAt.slice(1).map((t, i) => t - (committedAt[i] as number));
    console.log(
      `membership e2e: ${committedAt.length} transfers committed one by one, longest gap ${Math.max(...gaps)} ms`,
    );
    expect(Math.max(...gaps)).toBeLessThan(10_000);
  });
});
