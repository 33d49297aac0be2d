import { describe, expect, it } from "vitest";
import { defaultApiOptions, resolveApiOptions } from "../../src/api/options.js";
import { openApiDocument } from "../../src/api/server.js";
import { buildApi } from "./support/api.js";
import { FakeNodeService } from "./support/fake-service.js";

const ROUTES = [
  ["post", "/v1/txs"],
  ["get", "/v1/txs/{hash}"],
  ["get", "/v1/blocks/latest"],
  ["get", "/v1/blocks/{height}"],
  ["get", "/v1/state/{key}"],
  ["get", "/v1/query/{module}/{name}"],
  ["get", "/v1/gov/proposals"],
  ["get", "/v1/escrows/{id}"],
  ["get", "/v1/token/balances/{asset}/{address}"],
  ["get", "/v1/token/assets/{asset}"],
  ["get", "/v1/proofs/tx/{hash}"],
  ["get", "/v1/events"],
  ["get", "/healthz"],
  ["get", "/v1/identity/certificates"],
  ["get", "/metrics"],
  // EPCIS 2.0 REST binding, GS1 Digital Link resolver, item verification
  ["post", "/epcis/capture"],
  ["get", "/epcis/capture/{captureID}"],
  ["post", "/epcis/events"],
  ["get", "/epcis/events"],
  ["get", "/epcis/events/{eventID}"],
  ["post", "/epcis/queries"],
  ["get", "/epcis/queries/{queryName}"],
  ["get", "/epcis/queries/{queryName}/events"],
  ["post", "/epcis/queries/{queryName}/subscriptions"],
  ["get", "/epcis/queries/{queryName}/subscriptions/{subscriptionID}"],
  ["get", "/01/{gtin}"],
  ["get", "/01/{gtin}/21/{serial}"],
  ["get", "/01/{gtin}/10/{lot}"],
  ["get", "/01/{gtin}/10/{lot}/21/{serial}"],
  ["get", "/00/{sscc}"],
  ["get", "/414/{gln}"],
  ["get", "/414/{gln}/254/{extension}"],
  ["get", "/8004/{giai}"],
  ["get", "/verify"],
  ["post", "/verify"],
  ["get", "/verify/scans"],
  ["get", "/trace/lineage"],
  ["get", "/trace/recall"],
  ["get", "/trace/status"],
] as const;

describe("health and metrics", () => {
  it("answers /healthz with 200 when healthy and 503 when not", async () => {
    const { app, service } = await buildApi();
    const ok = await app.inject("/healthz");
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({
      ok: true,
      chainId: "weft-test",
      height: 0,
      mempoolSize: 0,
      lastBlockAgeMs: null,
    });
    service.healthy = false;
    const bad = await app.inject("/healthz");
    expect(bad.statusCode).toBe(503);
    expect(bad.json().ok).toBe(false);
  });

  it("serves Prometheus text and counts requests by route pattern and status", async () => {
    const { app, service } = await buildApi();
    await app.inject({ method: "POST", url: "/v1/txs", payload: service.signedTx() });
    await app.inject(`/v1/txs/${"ab".repeat(32)}`);
    await app.inject("/no/such/route");
    const res = await app.inject("/metrics");
    expect(res.statusCode).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.body).toContain("weft_chain_height");
    expect(res.body).toContain('weft_http_requests_total{route="/v1/txs",status="202"} 1');
    expect(res.body).toContain('weft_http_requests_total{route="/v1/txs/:hash",status="404"} 1');
    expect(res.body).toContain('weft_http_requests_total{route="unmatched",status="404"} 1');
  });
});

describe("OpenAPI", () => {
  it("serves an OpenAPI 3 document listing every route at /docs/json", async () => {
    const { app } = await buildApi();
    const res = await app.inject("/docs/json");
    expect(res.statusCode).toBe(200);
    const doc = res.json();
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.info.title).toBe("Weft node API");
    for (const [method, path] of ROUTES) expect(doc.paths[path]?.[method], `${method} ${path}`).toBeDefined();
    for (const name of [
      "SignedTx",
      "TxStatus",
      "BlockView",
      "TxProofBundle",
      "StateProofBundle",
      "NodeEvent",
      "Problem",
    ]) {
      expect(doc.components.schemas[name], name).toBeDefined();
    }
    const submit = doc.paths["/v1/txs"].post;
    expect(JSON.stringify(submit.requestBody)).toContain("#/components/schemas/SignedTx");
    expect(submit.responses["422"].content["application/problem+json"]).toBeDefined();
    expect(doc.paths["/v1/query/{module}/{name}"].get.description).toContain("token/balance");
    expect((await app.inject("/docs")).statusCode).toBeLessThan(400);
  });

  it("openApiDocument builds the same document without listening", async () => {
    const doc = await openApiDocument(new FakeNodeService());
    expect(Object.keys(doc.paths ?? {}).sort()).toEqual([...new Set(ROUTES.map(([, path]) => path))].sort());
  });
});

describe("options", () => {
  it("has the documented defaults", () => {
    expect(defaultApiOptions).toEqual({
      host: "127.0.0.1",
      port: 8080,
      bodyLimit: 1024 * 1024,
      maxBatch: 1000,
      waitTimeoutMs: 10_000,
      maxWaitTimeoutMs: 60_000,
      wsMaxClients: 256,
      auth: { mode: "auto" },
    });
    expect(resolveApiOptions({ port: 0, maxBatch: undefined })).toEqual({ ...defaultApiOptions, port: 0 });
  });

  it("refuses settings that cannot work", () => {
    expect(() => resolveApiOptions({ bodyLimit: 0 })).toThrow(/bodyLimit/);
    expect(() => resolveApiOptions({ waitTimeoutMs: 70_000 })).toThrow(/waitTimeoutMs/);
    expect(() => resolveApiOptions({ port: 70_000 })).toThrow(/port/);
  });
});
