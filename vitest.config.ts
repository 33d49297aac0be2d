import { defineConfig } from "vitest/config";

// Tests run on TypeScript sources: the "weft-source" export condition points every
// workspace package at src/ so no build is needed before `vitest`.
export default defineConfig({
  resolve: { conditions: ["weft-source"] },
  ssr: { resolve: { conditions: ["weft-source"] } },
  test: {
    include: ["packages/*/test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
  },
});
