import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openApiDocument } from "../../src/api/server.js";
import { createTestChain, type TestChain } from "../support/chain.js";

const DOC = fileURLToPath(new URL("../../../../docs/openapi.json", import.meta.url));

/** docs/openapi.json is the API description users read without running a node: it must stay true. */
describe("docs/openapi.json", () => {
  let chain: TestChain;
  beforeAll(async () => {
    chain = await createTestChain();
  });
  afterAll(async () => {
    await chain.close();
  });

  it("matches the document the node serves at /docs/json", async () => {
    const current = `${JSON.stringify(await openApiDocument(chain.service), null, 2)}\n`;
    if (process.env.WEFT_UPDATE_OPENAPI === "1") writeFileSync(DOC, current);
    const committed = readFileSync(DOC, "utf8");
    expect(committed, "docs/openapi.json is stale: run `npm run openapi`").toBe(current);
  });
});
