import { addressOf, canonicalString, decodeTx, TxError, verifyTxSignature } from "@weft/core";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiServer } from "../../src/api/server.js";
import { auditChain } from "../../src/audit/audit.js";
import { createMetrics } from "../../src/metrics/metrics.js";
import { createTestChain, type TestChain } from "../support/chain.js";

type Json = unknown;

/** Mutations a hostile or buggy client might make to a valid transaction. */
function mutants(valid: Record<string, unknown>): fc.Arbitrary<Json> {
  const body = valid.body as Record<string, unknown>;
  const fields = Object.keys(body);
  const weird = fc.oneof(
    fc.anything(),
    fc.constantFrom(-1, 1.5, 2 ** 60, "", "-5", "1e3", null, [], {}, "0".repeat(100), "\u0000", true),
  );
  return fc.oneof(
    fc
      .record({ field: fc.constantFrom(...fields), value: weird })
      .map(({ field, value }) => ({ ...valid, body: { ...body, [field]: value } })),
    fc.record({ field: fc.constantFrom(...fields) }).map(({ field }) => {
      const copy = { ...body };
      delete copy[field];
      return { ...valid, body: copy };
    }),
    fc
      .record({ key: fc.string(), value: weird })
      .map(({ key, value }) => ({ ...valid, body: { ...body, [key]: value } })),
    fc
      .record({ key: fc.constantFrom("asset", "to", "amount", "extra"), value: weird })
      .map(({ key, value }) => ({
        ...valid,
        body: { ...body, args: { ...(body.args as object), [key]: value } },
      })),
    fc
      .string({ unit: fc.constantFrom(..."0123456789abcdefX"), maxLength: 140 })
      .map((signature) => ({ ...valid, signature })),
    fc.anything(),
  );
}

describe("fuzzing the transaction decoder and the API", () => {
  let chain: TestChain;
  let api: Awaited<ReturnType<typeof createApiServer>>;
  let valid: Record<string, unknown>;
  beforeAll(async () => {
    chain = await createTestChain();
    api = await createApiServer(
      chain.service,
      { bodyLimit: 64 * 1024 },
      { metrics: createMetrics({ defaultMetrics: false }) },
    );
    valid = chain.tx(
      chain.alice,
      "transfer",
      { asset: "EUR", to: addressOf(chain.bob), amount: "1" },
      { sequence: 0 },
    ) as unknown as Record<string, unknown>;
  });
  afterAll(async () => {
    await api.close();
    await chain.close();
  });

  it("decodeTx throws only typed errors for 10,000 generated inputs", () => {
    let rejected = 0;
    fc.assert(
      fc.property(mutants(valid), (input) => {
        try {
          const decoded = decodeTx(input);
          // Whatever gets through is well-formed, and only the untouched original still verifies.
          expect(decoded.hash).toMatch(/^[0-9a-f]{64}$/);
          expect(verifyTxSignature(decoded.tx)).toBe(canonicalString(input) === canonicalString(valid));
        } catch (e) {
          expect(e).toBeInstanceOf(TxError);
          rejected++;
        }
      }),
      { numRuns: 10_000, seed: 42 },
    );
    expect(rejected).toBeGreaterThan(5_000);
  });

  it("the API answers 10,000 hostile requests with typed problems and stays consistent", async () => {
    const rootBefore = chain.store.head()?.stateRoot;
    const samples = fc.sample(
      fc.oneof(
        mutants(valid).map((v) => ({
          body: JSON.stringify({ txs: [v] }) ?? "null",
          type: "application/json",
        })),
        mutants(valid).map((v) => ({ body: JSON.stringify(v) ?? "null", type: "application/json" })),
        fc.string({ maxLength: 300 }).map((s) => ({ body: s, type: "application/json" })),
        fc
          .uint8Array({ maxLength: 300 })
          .map((b) => ({ body: Buffer.from(b).toString("latin1"), type: "application/json" })),
        fc.string({ maxLength: 50 }).map((s) => ({ body: s, type: "text/plain" })),
      ),
      { numRuns: 10_000, seed: 7 },
    );
    let accepted = 0;
    for (const { body, type } of samples) {
      const res = await api.inject({
        method: "POST",
        url: "/v1/txs",
        payload: body,
        headers: { "content-type": type },
      });
      if (res.statusCode === 202) {
        accepted++;
        continue;
      }
      if (res.statusCode === 200) {
        const results = (res.json() as { results: { accepted: boolean; error?: { code: string } }[] })
          .results;
        for (const r of results) {
          if (r.accepted) accepted++;
          else expect(r.error?.code).toMatch(/^[A-Z]+_[A-Z_]+$/);
        }
        continue;
      }
      expect(res.statusCode).toBeGreaterThanOrEqual(400);
      expect(res.statusCode).toBeLessThan(500);
      expect(res.headers["content-type"]).toMatch(/application\/problem\+json/);
      expect((res.json() as { code: string }).code).toMatch(/^[A-Z]+_[A-Z_]+$/);
    }
    // At most the one genuinely valid transaction (sequence 0) can have been admitted.
    expect(accepted).toBeLessThanOrEqual(1);
    const health = await api.inject({ method: "GET", url: "/healthz" });
    expect(health.statusCode).toBe(200);
    await chain.produceBlock();
    const report = await auditChain(chain.store, chain.genesis, chain.registry);
    expect(report.ok).toBe(true);
    if (accepted === 0) expect(chain.store.head()?.stateRoot).toBe(rootBefore);
  }, 120_000);
});
