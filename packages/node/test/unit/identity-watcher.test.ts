import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  certificateInfo,
  createOrgCa,
  issueNodeCertificate,
  type P2PStats,
  type TlsIdentity,
} from "@weft/p2p";
import { afterAll, describe, expect, it } from "vitest";
import { writeAtomically } from "../../src/config/cert-rotation.js";
import { IdentityWatcher } from "../../src/net/identity-watcher.js";

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function setup() {
  const dir = mkdtempSync(join(tmpdir(), "weft-watch-"));
  dirs.push(dir);
  const ca = await createOrgCa("org1");
  const issue = () => issueNodeCertificate(ca, { nodeId: "org1-node", org: "org1", hosts: [] });
  const first = await issue();
  const files = { dir, cert: join(dir, "node.crt"), key: join(dir, "node.key") };
  writeFileSync(files.cert, first.certPem);
  writeFileSync(files.key, first.keyPem);
  let current = certificateInfo(first.certPem);
  const reloads: { identity: TlsIdentity; reconnect: boolean | undefined }[] = [];
  const host = {
    stats: () =>
      ({ identity: { fingerprint: current.fingerprint, notAfter: current.notAfter.getTime() } }) as P2PStats,
    reloadIdentity: (identity: TlsIdentity, opts?: { reconnect?: boolean }) => {
      if (identity.keyPem.includes("WRONG")) throw new Error("key does not match");
      reloads.push({ identity, reconnect: opts?.reconnect });
      current = certificateInfo(identity.certPem);
    },
  };
  const lines: { level: string; msg: string; obj: Record<string, unknown> }[] = [];
  const at = (level: string) => (obj: object, msg: string) => {
    lines.push({ level, msg, obj: obj as Record<string, unknown> });
  };
  const log = { info: at("info"), warn: at("warn"), error: at("error") };
  const watcher = new IdentityWatcher({ files, host, debounceMs: 50, log });
  return { files, issue, reloads, lines, watcher };
}

describe("IdentityWatcher", () => {
  it("reloads a new certificate with reconnect, ignores the one in use and unreadable files", async () => {
    const { files, issue, reloads, lines, watcher } = await setup();
    expect(watcher.reload()).toBe(false); // same certificate
    writeFileSync(files.cert, "-----BEGIN CERTIFICATE-----\nhalf");
    expect(watcher.reload()).toBe(false);
    expect(lines.at(-1)).toMatchObject({ level: "warn", msg: expect.stringContaining("does not parse") });
    const next = await issue();
    writeFileSync(files.cert, next.certPem);
    writeFileSync(files.key, "WRONG");
    expect(watcher.reload()).toBe(false);
    expect(lines.at(-1)).toMatchObject({ level: "warn", msg: expect.stringContaining("current one stays") });
    writeFileSync(files.key, next.keyPem);
    expect(watcher.reload()).toBe(true);
    expect(reloads).toEqual([{ identity: next, reconnect: true }]);
    expect(lines.at(-1)).toMatchObject({
      level: "info",
      obj: { to: certificateInfo(next.certPem).fingerprint },
    });
  });

  it("notices files renamed into the folder, once they are quiet", async () => {
    const { files, issue, reloads, watcher } = await setup();
    watcher.start();
    try {
      const next = await issue();
      writeAtomically(files.key, next.keyPem, 0o600);
      writeAtomically(files.cert, next.certPem, 0o644);
      const deadline = Date.now() + 5_000;
      while (reloads.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
      expect(reloads.map((r) => r.identity)).toEqual([next]);
    } finally {
      watcher.stop();
    }
  });
});
