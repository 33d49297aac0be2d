import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { type DecodedTx, verifyTxSignature } from "@weft/core";

/**
 * Checks transaction signatures on worker threads so the event loop keeps serving the API and
 * executing blocks: verification is the largest single cost of admitting a transaction.
 * With no spare core (or `threads: 0`) it verifies inline.
 */
export class SignatureVerifier {
  private readonly workers: Worker[] = [];
  private readonly waiting = new Map<number, (results: Uint8Array) => void>();
  private nextId = 0;
  private turn = 0;

  constructor(threads = Math.max(0, Math.min(4, availableParallelism() - 1))) {
    const source = import.meta.url.endsWith(".ts");
    const url = new URL(source ? "./verifier-worker.ts" : "./verifier-worker.js", import.meta.url);
    for (let i = 0; i < threads; i++) {
      const worker = source ? sourceWorker(url) : new Worker(url);
      worker.unref();
      worker.on("message", (msg: { id: number; results: Uint8Array }) => {
        this.waiting.get(msg.id)?.(msg.results);
        this.waiting.delete(msg.id);
      });
      this.workers.push(worker);
    }
  }

  async verify(txs: readonly DecodedTx[]): Promise<boolean[]> {
    if (txs.length === 0) return [];
    if (this.workers.length === 0 || txs.length < 2) return txs.map((tx) => verifyTxSignature(tx));
    const chunks = Math.min(this.workers.length, Math.ceil(txs.length / 16));
    const size = Math.ceil(txs.length / chunks);
    const parts: Promise<Uint8Array>[] = [];
    for (let start = 0; start < txs.length; start += size) {
      const items = txs
        .slice(start, start + size)
        .map((d) => [d.tx.body.signer.alg, d.tx.body.signer.publicKey, d.signBytes, d.tx.signature]);
      const id = this.nextId++;
      const worker = this.workers[this.turn++ % this.workers.length] as Worker;
      parts.push(new Promise((resolve) => this.waiting.set(id, resolve)));
      worker.postMessage({ id, items });
    }
    const results = await Promise.all(parts);
    return results.flatMap((r) => Array.from(r, (v) => v === 1));
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
    this.workers.length = 0;
  }
}

/** Running from TypeScript sources (tests, dev): load the worker through tsx with the source condition. */
function sourceWorker(url: URL): Worker {
  const bootstrap = `import("tsx/esm/api").then(({ register }) => { register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(bootstrap, { eval: true, execArgv: ["--conditions=weft-source"] });
}
