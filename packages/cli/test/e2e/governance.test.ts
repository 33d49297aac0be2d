import type { ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type CliResult, collect, freePortRange, runCli, spawnCli, waitForOutput } from "./support.js";

const READY = "stop with Ctrl-C";
// About a minute of CLI processes on an idle machine; the margin is for a loaded one.
const TIMEOUT_MS = 240_000;

interface ProposalReport {
  tx: string;
  height: number;
  proposal: { id: number; status: string; votes: { org: string | null; approve: boolean }[] };
}

/*
 * A permissioned four-organisation network run by `weft dev`, governed through the CLI: a fifth
 * organisation makes its own home and is voted in, a policy is changed by vote, and an admin
 * registers, rotates and revokes member keys.
 */
describe("identity and governance through the CLI", { timeout: TIMEOUT_MS }, () => {
  const dir = mkdtempSync(join(tmpdir(), "weft-cli-gov-e2e-"));
  const root = join(dir, "net");
  const children: ChildProcess[] = [];
  const weft = (args: string[]): Promise<CliResult> => runCli(["--home", root, ...args]);
  /** `--json` output of a command that must succeed. */
  const json = async <T>(args: string[]): Promise<T> => {
    const r = await weft(["--json", ...args]);
    expect(r.code, `${args.join(" ")}: ${r.stderr}`).toBe(0);
    return JSON.parse(r.stdout) as T;
  };
  /** A state value read from `org`'s node, polled until `ready` holds (replication takes a block). */
  const stateOn = async <T>(org: string, key: string, ready: (v: T | null) => boolean): Promise<T | null> => {
    const deadline = Date.now() + 20_000;
    for (;;) {
      const { value } = await json<{ value: T | null }>(["--node", org, "query", "state", key]);
      if (ready(value) || Date.now() > deadline) return value;
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  };

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
  });

  it("votes a fifth organisation in, changes a policy by vote, registers and revokes members", async () => {
    const api = await freePortRange(5);
    const peer = await freePortRange(5, [api, api + 1, api + 2, api + 3, api + 4]);
    const init = await weft(["init", "--orgs", "4", "--api-port", `${api}`, "--peer-port", `${peer}`]);
    expect(init.code, init.stderr).toBe(0);
    for (const org of ["org1", "org2", "org3", "org4"])
      expect(existsSync(join(root, org, "keys", "admin.json"))).toBe(true);
    const dev = spawnCli(["--home", root, "dev"]);
    children.push(dev);
    const exit = collect(dev);
    await waitForOutput(dev, READY);

    // The new organisation makes its home on its own: nothing of the members' keys is involved.
    const org5 = join(dir, "org5");
    const request = await json<{ name: string; admin: { address: string } }>([
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
      org5,
    ]);
    expect(request.name).toBe("org5");
    const requestFile = join(org5, "membership-request.json");
    expect(JSON.parse(readFileSync(requestFile, "utf8"))).toEqual(request);

    // org1 proposes, org2 and org3 vote: more than 2/3 of the four organisations approved.
    const proposed = await json<ProposalReport>([
      "--node",
      "org1",
      "org",
      "add",
      "--request",
      requestFile,
      "--validator-power",
      "10",
      "--deadline",
      "1d",
    ]);
    const id = `${proposed.proposal.id}`;
    expect(proposed.proposal).toMatchObject({ status: "open", votes: [{ org: "org1", approve: true }] });
    const second = await json<ProposalReport>(["--node", "org2", "vote", "--id", id, "--yes"]);
    expect(second.proposal.status).toBe("open");
    const third = await weft(["--node", "org3", "vote", "--id", id, "--yes"]);
    expect(third.code, third.stderr).toBe(0);
    expect(third.stdout).toContain(`proposal ${id}: add organisation org5, validator power 10`);
    expect(third.stdout).toMatch(/status: executed at height \d+/);
    expect(third.stdout).toContain("votes: 3 yes (org1, org2, org3), 0 no");

    const added = await stateOn<{ name: string; status: string }>(
      "org4",
      "identity/org/org5",
      (v) => v !== null,
    );
    expect(added).toMatchObject({ name: "org5", status: "active" });
    const listed = await weft(["--node", "org2", "proposals", "--status", "executed"]);
    expect(listed.stdout).toMatch(new RegExp(`^${id}\\s+executed\\s+3\\s+0\\s+.*add organisation org5`, "m"));
    const shown = await json<{ status: string }>(["--node", "org4", "proposal", "--id", id]);
    expect(shown.status).toBe("executed");
    // The proposal registered org5's node key as its member `node`; org5's admin acts at once,
    // with its own home's key, through any member's API.
    const node = await stateOn<string>("org2", "identity/member-id/org5/node", (v) => v !== null);
    expect(node).toMatch(/^[0-9a-f]{40}$/);
    const station = await json<{ address: string }>(["keys", "generate", "station"]);
    const stationMember = await runCli([
      "--home",
      org5,
      "--url",
      `http://127.0.0.1:${api}`,
      "member",
      "add",
      "--org",
      "org5",
      "--id",
      "station",
      "--roles",
      "writer",
      "--public-key",
      join(root, "keys", "station.json"),
    ]);
    expect(stationMember.code, stationMember.stderr).toBe(0);
    expect(stationMember.stdout).toMatch(
      new RegExp(`^member station of org5 registered: address ${station.address}, roles writer`),
    );

    // Refusals that need the chain's word, still before anything is signed.
    const again = await weft(["--node", "org1", "org", "add", "--request", requestFile]);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(
      /^error: CLI_BAD_INPUT: --request: the chain already has an organisation "org5"/,
    );
    const late = await weft(["--node", "org4", "vote", "--id", id, "--no"]);
    expect(late.code).toBe(1);
    expect(late.stderr).toMatch(
      new RegExp(`^error: CLI_PROPOSAL_CLOSED: proposal ${id} is executed since height`),
    );
    const unknown = await weft(["--node", "org1", "org", "remove", "--name", "org9"]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(
      /^error: CLI_UNKNOWN_ORG: --name org9: the chain has no organisation "org9"/,
    );

    // A policy changes only by vote, and the change is readable at once.
    const policy = await json<ProposalReport>([
      "--node",
      "org1",
      "policy",
      "set",
      "--action",
      "token.burn",
      "--policy",
      '{"anyOf":[{"role":"operator"},{"role":"admin"}]}',
    ]);
    expect(policy.proposal.status).toBe("open");
    // Five organisations now: four must approve, and org5's admin votes with its own key.
    const policyId = `${policy.proposal.id}`;
    for (const org of ["org2", "org3"]) await json(["--node", org, "vote", "--id", policyId, "--yes"]);
    const decided = await json<ProposalReport>([
      "--node",
      "org4",
      "vote",
      "--id",
      policyId,
      "--yes",
      "--key",
      join(org5, "keys", "admin.json"),
    ]);
    expect(decided.proposal).toMatchObject({ status: "executed" });
    expect(decided.proposal.votes.map((v) => v.org)).toEqual(["org1", "org2", "org3", "org5"]);
    const show = await weft(["--node", "org1", "policy", "show", "--action", "token.burn"]);
    expect(show.stdout).toMatch(/^token\.burn\s+anyOf\[role operator, role admin\]$/m);

    // An admin registers a member, rotates its key and revokes it.
    const key = await json<{ address: string }>(["keys", "generate", "dave"]);
    const member = await json<{ address: string; roles: string[] }>([
      "--node",
      "org1",
      "member",
      "add",
      "--org",
      "org1",
      "--id",
      "dave",
      "--roles",
      "writer,reader",
      "--public-key",
      join(root, "keys", "dave.json"),
    ]);
    expect(member).toMatchObject({ address: key.address, roles: ["writer", "reader"] });
    const registered = await stateOn<{ status: string; org: string }>(
      "org1",
      `identity/member/${key.address}`,
      (v) => v !== null,
    );
    expect(registered).toMatchObject({ status: "active", org: "org1" });

    const rotated = await json<{
      oldAddress: string;
      newAddress: string;
      keyFile: string;
      retiredKeyFile: string;
    }>(["--node", "org1", "cert", "rotate", "--key", "dave", "--overlap", "1h"]);
    expect(rotated.oldAddress).toBe(key.address);
    expect(rotated.keyFile).toBe(join(root, "keys", "dave.json"));
    expect(JSON.parse(readFileSync(rotated.keyFile, "utf8")).address).toBe(rotated.newAddress);
    expect(JSON.parse(readFileSync(rotated.retiredKeyFile, "utf8")).address).toBe(key.address);
    const successor = await stateOn<{ status: string; predecessor?: string }>(
      "org1",
      `identity/member/${rotated.newAddress}`,
      (v) => v !== null,
    );
    expect(successor).toMatchObject({ status: "active", predecessor: key.address });

    const revoked = await weft(["--node", "org1", "member", "revoke", "--org", "org1", "--id", "dave"]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(revoked.stdout).toMatch(/^member dave of org1 revoked from height \d+/);
    const gone = await stateOn<{ status: string }>(
      "org1",
      `identity/member/${rotated.newAddress}`,
      (v) => v?.status === "revoked",
    );
    expect(gone).toMatchObject({ status: "revoked" });
    // Once revoked, the key signs nothing more: a rotation it asks for fails on chain (exit 1).
    const after = await weft(["--node", "org1", "cert", "rotate", "--key", "dave"]);
    expect(after.code).toBe(1);
    expect(after.stderr).toMatch(/^error: IDENTITY_REVOKED: /);
    expect(existsSync(join(root, "keys", "dave.next.json"))).toBe(false);

    dev.kill("SIGTERM");
    const stopped = await exit;
    expect(stopped.code, stopped.stderr).toBe(0);
  });
});
