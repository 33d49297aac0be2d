import { generateKeyPair, type KeyAlgorithm, signBytes, utf8, verifyBytes } from "@weft/core";

/** Signature verifications per second on one core: the ceiling admission runs against. */
export function verificationsPerSecond(alg: KeyAlgorithm, durationMs = 1500): number {
  const key = generateKeyPair(alg);
  const messages = Array.from({ length: 64 }, (_, i) => utf8(`weft bench message ${i} `.repeat(8)));
  const signatures = messages.map((m) => signBytes(key, m));
  let count = 0;
  const start = performance.now();
  while (performance.now() - start < durationMs) {
    for (let i = 0; i < messages.length; i++) {
      if (!verifyBytes(key, messages[i] as Uint8Array, signatures[i] as string))
        throw new Error("verification failed");
    }
    count += messages.length;
  }
  return Math.round(count / ((performance.now() - start) / 1000));
}
