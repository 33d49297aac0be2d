import { readdir, readFile } from "node:fs/promises";
import { builtinModules } from "node:module";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// Everything but keyfile.ts ships to browsers: no Node built-ins, and no path to keyfile.ts.
const SRC = join(import.meta.dirname, "../../src");
const NODE_ONLY = new Set(["keyfile.ts"]);
// Static imports and re-exports (with or without bindings), dynamic import() and require().
const IMPORT =
  /\b(?:import|export)\s*(?:[^;"']*?\sfrom\s*)?["']([^"']+)["']|\bimport\s*\(\s*["']([^"']+)["']|\brequire\s*\(\s*["']([^"']+)["']/g;
const BUILTINS = new Set(builtinModules);

async function browserFiles(): Promise<{ name: string; specifiers: string[] }[]> {
  const names = (await readdir(SRC)).filter((n) => n.endsWith(".ts") && !NODE_ONLY.has(n));
  return Promise.all(
    names.map(async (name) => {
      const text = await readFile(join(SRC, name), "utf8");
      const specifiers = [...text.matchAll(IMPORT)].map((m) => m[1] ?? m[2] ?? m[3] ?? "");
      return { name, specifiers };
    }),
  );
}

describe("browser safety", () => {
  it("finds the source files and their imports", async () => {
    const files = await browserFiles();
    expect(files.map((f) => f.name)).toContain("index.ts");
    expect(files.find((f) => f.name === "client.ts")?.specifiers).toContain("./http.js");
  });

  it("imports no node: module or fs outside keyfile.ts", async () => {
    for (const { name, specifiers } of await browserFiles()) {
      for (const spec of specifiers) {
        const bare = spec.replace(/^node:/, "").split("/")[0] ?? "";
        expect({
          name,
          spec,
          node: spec.startsWith("node:") || spec === "fs" || spec.startsWith("fs/"),
        }).toEqual({
          name,
          spec,
          node: false,
        });
        expect({ name, spec, builtin: BUILTINS.has(bare) }).toEqual({ name, spec, builtin: false });
      }
    }
  });

  it("imports only relative modules and @weft/core, never keyfile.ts", async () => {
    for (const { name, specifiers } of await browserFiles()) {
      for (const spec of specifiers) {
        expect({
          name,
          spec,
          ok: spec === "@weft/core" || (spec.startsWith("./") && spec !== "./keyfile.js"),
        }).toEqual({
          name,
          spec,
          ok: true,
        });
      }
    }
  });

  it("uses no Node-only globals", async () => {
    for (const name of (await readdir(SRC)).filter((n) => n.endsWith(".ts") && !NODE_ONLY.has(n))) {
      const code = (await readFile(join(SRC, name), "utf8")).replace(/\/\/.*$|\/\*[\s\S]*?\*\//gm, "");
      expect({ name, found: code.match(/\b(?:Buffer|process|__dirname|require)\b/)?.[0] }).toEqual({
        name,
        found: undefined,
      });
    }
  });
});
