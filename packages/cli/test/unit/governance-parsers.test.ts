import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { generateKeyPair } from "@weft/core";
import { afterAll, describe, expect, it } from "vitest";
import { parseDuration, showDuration } from "../../src/duration.js";
import { readPolicy, showPolicy } from "../../src/policy-shape.js";
import { parsePublicKey } from "../../src/public-key.js";

describe("identity and governance argument parsers", () => {
  const dir = mkdtempSync(join(tmpdir(), "weft-cli-parse-"));
  const ctx = { resolvePath: (p: string) => resolve(dir, p) };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("reads durations with one unit, within bounds", () => {
    expect(parseDuration("7d", "--deadline")).toBe(7 * 86_400_000);
    expect(parseDuration("36h", "--deadline")).toBe(36 * 3_600_000);
    expect(parseDuration("500ms", "--deadline")).toBe(500);
    expect(parseDuration("2w", "--deadline")).toBe(14 * 86_400_000);
    expect(parseDuration("0s", "--overlap", 0)).toBe(0);
    for (const bad of ["7x", "7", "1.5h", "-1d", "d", "7 d d", ""]) {
      expect(() => parseDuration(bad, "--deadline")).toThrow(/--deadline must be a whole number with a unit/);
    }
    expect(() => parseDuration("0s", "--deadline")).toThrow(/between 1ms and/);
    expect(showDuration(7 * 86_400_000)).toBe("1w");
    expect(showDuration(36 * 3_600_000)).toBe("36h");
    expect(showDuration(1500)).toBe("1500ms");
  });

  it("reads a public key from a key file, its public part, hex with or without alg, or base64", () => {
    const ed = generateKeyPair("ed25519");
    const p256 = generateKeyPair("p256");
    const expected = { alg: "ed25519", publicKey: ed.publicKey };
    writeFileSync(join(dir, "full.json"), JSON.stringify({ type: "weft-key/v1", ...ed }));
    writeFileSync(join(dir, "public.json"), JSON.stringify({ alg: "ed25519", publicKey: ed.publicKey }));
    writeFileSync(join(dir, "key.txt"), `p256:${p256.publicKey}\n`);
    expect(parsePublicKey(ctx, "full.json", "--public-key")).toEqual(expected);
    expect(parsePublicKey(ctx, "public.json", "--public-key")).toEqual(expected);
    expect(parsePublicKey(ctx, ed.publicKey, "--public-key")).toEqual(expected);
    expect(parsePublicKey(ctx, `ed25519:${ed.publicKey}`, "--public-key")).toEqual(expected);
    const b64 = Buffer.from(ed.publicKey, "hex").toString("base64");
    expect(parsePublicKey(ctx, b64, "--public-key")).toEqual(expected);
    expect(parsePublicKey(ctx, p256.publicKey, "--public-key")).toEqual({
      alg: "p256",
      publicKey: p256.publicKey,
    });
    expect(parsePublicKey(ctx, "key.txt", "--public-key")).toEqual({
      alg: "p256",
      publicKey: p256.publicKey,
    });
    // Off the curve: refused locally, not by the chain.
    expect(() => parsePublicKey(ctx, `p256:04${"00".repeat(32)}`, "--public-key")).toThrow(/--public-key: /);
  });

  it("checks a policy's shape and names the faulty path", () => {
    const ok = {
      anyOf: [
        { role: "writer", scope: "resource" },
        { approvals: { threshold: 2, from: [{ role: "auditor" }] } },
      ],
    };
    expect(readPolicy(ctx, JSON.stringify(ok))).toEqual(ok);
    writeFileSync(join(dir, "policy.json"), JSON.stringify({ orgVotes: { num: 1, den: 2 } }));
    expect(readPolicy(ctx, "policy.json")).toEqual({ orgVotes: { num: 1, den: 2 } });
    expect(() => readPolicy(ctx, '{"allOf":[{"member":true},{"role":"x","scope":"everywhere"}]}')).toThrow(
      /policy\.allOf\[1\] \.scope must be one of any, resource, self/,
    );
    const deep = `${'{"anyOf":['.repeat(8)}{"member":true}${"]}".repeat(8)}`;
    expect(() => readPolicy(ctx, deep)).toThrow(/nests deeper than 6 levels/);
    expect(showPolicy(ok)).toBe("anyOf[role writer (resource), 2 approvals of [role auditor]]");
    expect(showPolicy({ orgVotes: { num: 2, den: 3 } })).toBe("admins of more than 2/3 of active orgs");
  });
});
