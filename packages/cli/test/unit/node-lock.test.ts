import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { claimHome, runningNode } from "../../src/node-lock.js";

describe("node lock", () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(join(tmpdir(), "weft-lock-"));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it("records the running node and releases the home", () => {
    expect(runningNode(home)).toBeUndefined();
    const lock = claimHome(home);
    lock.setUrl("http://127.0.0.1:1");
    expect(runningNode(home)).toEqual({ pid: process.pid, url: "http://127.0.0.1:1" });
    lock.release();
    expect(runningNode(home)).toBeUndefined();
  });

  it("refuses a home another live process holds", () => {
    writeFileSync(join(home, "node.lock"), JSON.stringify({ pid: process.ppid, url: null }));
    expect(() => claimHome(home)).toThrow(/a node runs from .* \(pid \d+\)/);
  });

  it("takes over a lock left by a dead process", () => {
    writeFileSync(join(home, "node.lock"), JSON.stringify({ pid: 2 ** 22 + 12_345, url: null }));
    expect(runningNode(home)).toBeUndefined();
    claimHome(home).release();
  });
});
