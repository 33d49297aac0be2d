import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream } from "node:fs";
import { createServer } from "node:net";
import { basename, join } from "node:path";
import { fileURLToPath } from "node:url";

const NODE_MAIN = fileURLToPath(new URL("./node-main.ts", import.meta.url));

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once("error", () => resolve(false));
    server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
  });
}

/**
 * The first of `n` consecutive ports that are free now, below Linux's ephemeral range
 * (32768+): a port the kernel hands out for outgoing connections of parallel tests could be
 * taken again between this check and the node's listen (EADDRINUSE).
 */
export async function freePortRange(n: number): Promise<number> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const base = 20_000 + Math.floor(Math.random() * (12_000 - n));
    const ports = Array.from({ length: n }, (_, i) => base + i);
    if ((await Promise.all(ports.map(canListen))).every(Boolean)) return base;
  }
  throw new Error(`no ${n} consecutive free ports`);
}

/** Starts a node process on 127.0.0.1 and resolves once its API answers. */
export async function startNodeProcess(
  home: string,
  port: number,
  env: Record<string, string> = {},
): Promise<ChildProcess> {
  // WEFT_NODE_FLAGS lets a profiling run pass e.g. --cpu-prof to the node process.
  const flags = process.env.WEFT_NODE_FLAGS?.split(" ").filter(Boolean) ?? [];
  const child = spawn(
    process.execPath,
    [...flags, "--conditions=weft-source", "--import", "tsx", NODE_MAIN, home, String(port)],
    { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } },
  );
  let stderr = "";
  // WEFT_LOG_DIR keeps each node's output in <dir>/<home folder name>.log for post-mortems.
  if (process.env.WEFT_LOG_DIR) {
    const file = createWriteStream(join(process.env.WEFT_LOG_DIR, `${basename(home)}.log`), { flags: "a" });
    child.stdout?.pipe(file);
    child.stderr?.pipe(file);
  }
  child.stderr?.on("data", (d: Buffer) => {
    if (process.env.WEFT_DEBUG) console.error(`node stderr: ${d}`);
    stderr += d.toString();
  });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`node did not start: ${stderr}`)), 30_000);
    child.stdout?.on("data", (d: Buffer) => {
      if (d.toString().includes("READY")) {
        clearTimeout(timer);
        resolve();
      }
    });
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`node exited with ${code}: ${stderr}`));
    });
  });
  child.removeAllListeners("exit");
  if (process.env.WEFT_DEBUG) {
    child.on("exit", (code, signal) => console.error(`node exited ${code} ${signal}: ${stderr}`));
    child.stdout?.on("data", (d: Buffer) => console.error(`node: ${d}`));
  }
  return child;
}

export function killHard(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

export function stopGracefully(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once("exit", () => resolve());
    child.kill("SIGTERM");
  });
}
