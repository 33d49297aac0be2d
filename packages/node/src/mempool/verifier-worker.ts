// Verifies batches of signatures off the main thread. Messages: { id, items: [alg, publicKey, message, signature][] }.
import { parentPort } from "node:worker_threads";
import { type KeyAlgorithm, verifyBytes } from "@weft/core";

type Item = [KeyAlgorithm, string, Uint8Array, string];

parentPort?.on("message", (msg: { id: number; items: Item[] }) => {
  const results = new Uint8Array(msg.items.length);
  msg.items.forEach(([alg, publicKey, message, signature], i) => {
    results[i] = verifyBytes({ alg, publicKey }, message, signature) ? 1 : 0;
  });
  parentPort?.postMessage({ id: msg.id, results }, [results.buffer]);
});
