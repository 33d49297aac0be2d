import { mkdtemp, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { addressOf, generateKeyPair } from "../../src/index.js";
import { generateKeyFile, loadKeyFile, parseKeyFile, saveKeyFile } from "../../src/keyfile.js";

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "weft-sdk-keys-"));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function codeOf(p: Promise<unknown>): Promise<string | undefined> {
  try {
    await p;
  } catch (e) {
    return (e as { code?: string }).code;
  }
  return undefined;
}

const ownerOnly = process.platform !== "win32";

describe("key files", () => {
  for (const alg of ["ed25519", "p256"] as const) {
    it(`${alg}: generate, then load the same key`, async () => {
      const path = join(dir, `${alg}.json`);
      const created = await generateKeyFile(path, alg);
      const loaded = await loadKeyFile(path);
      expect(loaded).toEqual(created);
      expect(loaded.alg).toBe(alg);
      expect(loaded.address).toBe(addressOf(loaded));
      const json = JSON.parse(await readFile(path, "utf8"));
      expect(Object.keys(json).sort()).toEqual(["address", "alg", "publicKey", "secretKey", "type"]);
      expect(json.type).toBe("weft-key/v1");
    });
  }

  it.runIf(ownerOnly)("writes the file readable by its owner only", async () => {
    const path = join(dir, "k.json");
    await generateKeyFile(path);
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it("save then load round-trips a given key pair, creating parent directories", async () => {
    const key = generateKeyPair("p256");
    const path = join(dir, "nested", "deeper", "k.json");
    await saveKeyFile(path, key);
    const loaded = await loadKeyFile(path);
    expect({ alg: loaded.alg, publicKey: loaded.publicKey, secretKey: loaded.secretKey }).toEqual(key);
  });

  it("refuses to overwrite an existing file unless asked", async () => {
    const path = join(dir, "k.json");
    const first = await generateKeyFile(path);
    expect(await codeOf(generateKeyFile(path))).toBe("SDK_KEYFILE_EXISTS");
    expect(await codeOf(saveKeyFile(path, generateKeyPair()))).toBe("SDK_KEYFILE_EXISTS");
    expect((await loadKeyFile(path)).secretKey).toBe(first.secretKey);

    const second = await generateKeyFile(path, "ed25519", { overwrite: true });
    expect((await loadKeyFile(path)).secretKey).toBe(second.secretKey);
    expect(second.secretKey).not.toBe(first.secretKey);
  });

  it.runIf(ownerOnly)("overwriting does not keep an old file's looser mode", async () => {
    const path = join(dir, "k.json");
    await writeFile(path, "old", { mode: 0o644 });
    await saveKeyFile(path, generateKeyPair(), { overwrite: true });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it("reports a missing file", async () => {
    expect(await codeOf(loadKeyFile(join(dir, "nope.json")))).toBe("SDK_KEYFILE_NOT_FOUND");
  });

  it("rejects corrupted key files", async () => {
    const good = await generateKeyFile(join(dir, "good.json"));
    const text = await readFile(join(dir, "good.json"), "utf8");
    const variants: Record<string, string> = {
      truncated: text.slice(0, text.length / 2),
      notObject: "[1,2]",
      wrongType: JSON.stringify({ ...good, type: "weft-key/v0" }),
      wrongAlg: JSON.stringify({ ...good, alg: "rsa" }),
      noSecret: JSON.stringify({ ...good, secretKey: undefined }),
      shortSecret: JSON.stringify({ ...good, secretKey: good.secretKey.slice(2) }),
      upperSecret: JSON.stringify({ ...good, secretKey: good.secretKey.toUpperCase() }),
      binary: "\u0000\u0001",
    };
    for (const [name, content] of Object.entries(variants)) {
      const path = join(dir, `${name}.json`);
      await writeFile(path, content);
      expect({ name, code: await codeOf(loadKeyFile(path)) }).toEqual({ name, code: "SDK_KEYFILE_INVALID" });
    }
  });

  it("rejects a public key or address that does not belong to the secret", async () => {
    const good = await generateKeyFile(join(dir, "good.json"));
    const other = generateKeyPair();
    const swappedPublic = join(dir, "swapped-public.json");
    await writeFile(swappedPublic, JSON.stringify({ ...good, publicKey: other.publicKey }));
    expect(await codeOf(loadKeyFile(swappedPublic))).toBe("SDK_KEYFILE_MISMATCH");

    const swappedSecret = join(dir, "swapped-secret.json");
    await writeFile(swappedSecret, JSON.stringify({ ...good, secretKey: other.secretKey }));
    expect(await codeOf(loadKeyFile(swappedSecret))).toBe("SDK_KEYFILE_MISMATCH");

    const wrongAddress = join(dir, "wrong-address.json");
    await writeFile(wrongAddress, JSON.stringify({ ...good, address: addressOf(other) }));
    expect(await codeOf(loadKeyFile(wrongAddress))).toBe("SDK_KEYFILE_MISMATCH");

    expect(await codeOf(saveKeyFile(join(dir, "x.json"), { ...other, publicKey: good.publicKey }))).toBe(
      "SDK_KEYFILE_MISMATCH",
    );
  });

  it("parses key file text without touching the disk (browser use)", async () => {
    const key = await generateKeyFile(join(dir, "k.json"));
    expect(parseKeyFile(await readFile(join(dir, "k.json"), "utf8"))).toEqual(key);
  });
});
