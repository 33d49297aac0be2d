import { fileURLToPath } from "node:url";
import { runInNewContext } from "node:vm";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { validTxProof } from "../unit/proof-fixture.js";

const entry = fileURLToPath(new URL("../../src/index.ts", import.meta.url));

/**
 * The SDK as a browser would get it: bundled for the browser platform (so core resolves its
 * @noble crypto backend, never node:crypto), then run in a bare V8 context holding only the web
 * globals verification needs. A real proof must verify there and a forged one must not.
 */
describe("SDK in a browser bundle", () => {
  it("bundles without Node built-ins and verifies proofs offline in a web-only context", async () => {
    const result = await build({
      entryPoints: [entry],
      bundle: true,
      platform: "browser",
      format: "iife",
      globalName: "WeftSdk",
      conditions: ["weft-source", "browser"],
      write: false,
      logLevel: "silent",
    });
    const code = result.outputFiles[0]?.text ?? "";
    expect(code).not.toMatch(/require\(["']node:|from ["']node:/);
    expect(code).not.toContain("createPublicKey"); // node:crypto backend left out

    const { genesis, bundle } = validTxProof();
    const forged = structuredClone(bundle);
    forged.receipt.entry.status = "failed";
    const context = {
      TextEncoder,
      TextDecoder,
      atob,
      btoa,
      crypto: { getRandomValues: <T extends ArrayBufferView>(a: T) => crypto.getRandomValues(a) },
      bundleJson: JSON.stringify(bundle),
      forgedJson: JSON.stringify(forged),
      genesisJson: JSON.stringify(genesis),
    };
    const outcome = runInNewContext(
      `${code};
      (() => {
        const ok = WeftSdk.verifyProofJson(bundleJson, genesisJson);
        let forgedError = null;
        try { WeftSdk.verifyProofJson(forgedJson, genesisJson); } catch (e) { forgedError = e.code; }
        return { height: ok.height, forgedError, hasProcess: typeof process !== "undefined" };
      })()`,
      context,
    ) as { height: number; forgedError: string | null; hasProcess: boolean };
    expect(outcome.hasProcess).toBe(false);
    expect(outcome.height).toBe(bundle.header.height);
    expect(outcome.forgedError).toBe("PROOF_BAD_PATH");
  }, 60_000);
});
