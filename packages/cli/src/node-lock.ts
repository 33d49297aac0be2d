import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { CliError } from "./errors.js";

/** Who holds a home: written by `weft start`/`dev` while the node runs. */
export interface NodeLock {
  pid: number;
  url: string | null;
}

const lockPath = (home: string): string => join(home, "node.lock");

/** The node running from `home`, if any; a lock left by a dead process does not count. */
export function runningNode(home: string): NodeLock | undefined {
  let lock: NodeLock;
  try {
    lock = JSON.parse(readFileSync(lockPath(home), "utf8")) as NodeLock;
  } catch {
    return undefined;
  }
  return Number.isSafeInteger(lock.pid) && isAlive(lock.pid) ? lock : undefined;
}

/**
 * Claims `home` for this process. LMDB lets two processes write the same data, so without
 * this two nodes (or a node and `weft rebuild`) could corrupt each other's view of the chain.
 */
export function claimHome(home: string): { setUrl(url: string): void; release(): void } {
  const write = (url: string | null, flag = "w") =>
    writeFileSync(lockPath(home), `${JSON.stringify({ pid: process.pid, url })}\n`, { flag });
  try {
    write(null, "wx");
  } catch (e) {
    if ((e as { code?: unknown }).code !== "EEXIST") throw e;
    const held = runningNode(home);
    if (held && held.pid !== process.pid) throw nodeRunning(home, held);
    // Left by a process that died without cleaning up (kill -9, power loss).
    write(null);
  }
  return {
    setUrl: (url) => write(url),
    release: () => {
      if (runningNode(home)?.pid === process.pid) rmSync(lockPath(home), { force: true });
    },
  };
}

export function nodeRunning(home: string, lock: NodeLock): CliError {
  const where = lock.url ? ` at ${lock.url}` : "";
  return new CliError({
    code: "CLI_NODE_RUNNING",
    message: `a node runs from ${home} (pid ${lock.pid}${where}): stop it first`,
    exitCode: 1,
  });
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it exists but belongs to someone else.
    return (e as { code?: unknown }).code === "EPERM";
  }
}
