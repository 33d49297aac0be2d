import { describe, expect, it } from "vitest";
import { NodeError } from "../../src/errors.js";
import { buildApi, PROBLEM_JSON } from "./support/api.js";

const post = (payload: unknown, query = "") => ({
  method: "POST" as const,
  url: `/v1/txs${query}`,
  payload: payload as object,
});

describe("POST /v1/txs (one transaction)", () => {
  it("answers 202 with the hash once admitted", async () => {
    const { app, service } = await buildApi();
    const res = await app.inject(post(service.signedTx()));
    expect(res.statusCode).toBe(202);
    const body = res.json();
    expect(body).toEqual({ hash: expect.stringMatching(/^[0-9a-f]{64}$/), accepted: true });
    expect(service.getTx(body.hash)?.status).toBe("pending");
  });

  it("with wait=true answers 200 with the committed status", async () => {
    const { app, service } = await buildApi();
    service.autoCommit = true;
    const res = await app.inject(post(service.signedTx(), "?wait=true"));
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ status: "committed", height: 1, index: 0, receipt: { status: "ok" } });
    expect(body.events).toHaveLength(1);
    expect(body.tx.signature).toMatch(/^[0-9a-f]{128}$/);
  });

  it("with wait=true answers 202 with the pending status at the timeout", async () => {
    const { app, service } = await buildApi();
    const res = await app.inject(post(service.signedTx(), "?wait=true&timeoutMs=20"));
    expect(res.statusCode).toBe(202);
    expect(res.json()).toMatchObject({ status: "pending" });
    expect(res.json().height).toBeUndefined();
  });

  it.each([
    ["malformed", () => ({ body: { chainId: "weft-test" }, signature: "00" }), 400, "TX_MALFORMED"],
    ["unknown field", (s: Svc) => ({ ...s.signedTx(), extra: 1 }), 400, "TX_MALFORMED"],
    ["wrong chain", (s: Svc) => s.signedTx({ chainId: "other" }), 422, "TX_WRONG_CHAIN"],
    ["bad signature", (s: Svc) => ({ ...s.signedTx(), signature: "ab".repeat(64) }), 422, "TX_BAD_SIGNATURE"],
  ])("refuses a %s transaction with a problem", async (_name, make, status, code) => {
    const { app, service } = await buildApi();
    const res = await app.inject(post(make(service)));
    expect(res.statusCode).toBe(status);
    expect(res.headers["content-type"]).toMatch(PROBLEM_JSON);
    expect(res.json()).toMatchObject({ type: `urn:weft:problem:${code}`, status, code, instance: "/v1/txs" });
  });

  it("refuses a duplicate with 409 and the error's data", async () => {
    const { app, service } = await buildApi();
    const tx = service.signedTx();
    const first = await app.inject(post(tx));
    const res = await app.inject(post(tx));
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({
      code: "TX_DUPLICATE",
      hash: first.json().hash,
      detail: "already known",
    });
  });

  it("maps a full mempool to 503", async () => {
    const { app, service } = await buildApi();
    service.submitError = new NodeError({ code: "NODE_MEMPOOL_FULL", message: "mempool is full", limit: 10 });
    const res = await app.inject(post(service.signedTx()));
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ code: "NODE_MEMPOOL_FULL", limit: 10 });
  });

  it.each([
    ["unknown query parameter", "?verbose=1"],
    ["non-boolean wait", "?wait=maybe"],
    ["timeout above the maximum", "?wait=true&timeoutMs=60001"],
  ])("rejects a %s with API_VALIDATION", async (_name, query) => {
    const { app, service } = await buildApi();
    const res = await app.inject(post(service.signedTx(), query));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({
      code: "API_VALIDATION",
      errors: [expect.objectContaining({ path: expect.any(String) })],
    });
  });

  it("rejects a body that is not an object", async () => {
    const { app } = await buildApi();
    const res = await app.inject(post([1, 2]));
    expect(res.statusCode).toBe(400);
    expect(res.json().code).toBe("API_VALIDATION");
  });
});

describe("POST /v1/txs (batch)", () => {
  it("answers one result per transaction, in order, for mixed outcomes", async () => {
    const { app, service } = await buildApi();
    const good = service.signedTx();
    const res = await app.inject(
      post({ txs: [good, { nope: true }, good, service.signedTx({ chainId: "x" })] }),
    );
    expect(res.statusCode).toBe(200);
    const [ok, malformed, duplicate, wrongChain] = res.json().results;
    expect(ok).toEqual({ hash: expect.any(String), accepted: true });
    expect(malformed).toMatchObject({ accepted: false, error: { code: "TX_MALFORMED", status: 400 } });
    expect(malformed.hash).toBeUndefined();
    expect(duplicate).toMatchObject({
      hash: ok.hash,
      accepted: false,
      error: { code: "TX_DUPLICATE", status: 409 },
    });
    expect(wrongChain).toMatchObject({ accepted: false, error: { code: "TX_WRONG_CHAIN", status: 422 } });
  });

  it("with wait=true includes the committed status of each accepted transaction", async () => {
    const { app, service } = await buildApi();
    service.autoCommit = true;
    const res = await app.inject(
      post({ txs: [service.signedTx(), service.signedTx(), { bad: 1 }] }, "?wait=true"),
    );
    expect(res.statusCode).toBe(200);
    const [a, b, bad] = res.json().results;
    expect(a.status).toMatchObject({ hash: a.hash, status: "committed", index: 0 });
    expect(b.status).toMatchObject({ hash: b.hash, status: "committed", index: 1 });
    expect(bad.status).toBeUndefined();
  });

  it("rejects more than maxBatch transactions", async () => {
    const { app, service } = await buildApi({ maxBatch: 2 });
    const res = await app.inject(post({ txs: [service.signedTx(), service.signedTx(), service.signedTx()] }));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: "API_VALIDATION", detail: expect.stringContaining("body/txs") });
  });

  it("rejects an empty batch and unknown fields next to txs", async () => {
    const { app, service } = await buildApi();
    expect((await app.inject(post({ txs: [] }))).json().code).toBe("API_VALIDATION");
    const res = await app.inject(post({ txs: [service.signedTx()], priority: "high" }));
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: "API_VALIDATION", detail: expect.stringContaining("priority") });
    expect(service.health().mempoolSize).toBe(0);
  });
});

describe("GET /v1/txs/:hash", () => {
  it("answers the pending, then committed, status", async () => {
    const { app, service } = await buildApi();
    const { hash } = (await app.inject(post(service.signedTx()))).json();
    expect((await app.inject(`/v1/txs/${hash}`)).json()).toMatchObject({ hash, status: "pending" });
    service.commitPending();
    const res = await app.inject(`/v1/txs/${hash}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ hash, status: "committed", height: 1, receipt: { txHash: hash } });
  });

  it("answers 404 for an unknown hash and 400 for a malformed one", async () => {
    const { app } = await buildApi();
    const missing = await app.inject(`/v1/txs/${"ab".repeat(32)}`);
    expect(missing.statusCode).toBe(404);
    expect(missing.headers["content-type"]).toMatch(PROBLEM_JSON);
    expect(missing.json()).toMatchObject({ code: "NODE_NOT_FOUND", id: "ab".repeat(32) });
    for (const bad of ["abc", "AB".repeat(32), "ab".repeat(33)]) {
      const res = await app.inject(`/v1/txs/${bad}`);
      expect(res.statusCode).toBe(400);
      expect(res.json().code).toBe("API_VALIDATION");
    }
  });
});

type Svc = Awaited<ReturnType<typeof buildApi>>["service"];
