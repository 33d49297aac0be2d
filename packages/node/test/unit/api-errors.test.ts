import { TxError, WeftError } from "@weft/core";
import { describe, expect, it } from "vitest";
import { ApiError, problemFor, statusForCode } from "../../src/api/problem.js";
import { AppError, NodeError } from "../../src/errors.js";
import { buildApi, PROBLEM_JSON } from "./support/api.js";

describe("status mapping", () => {
  it.each([
    ["TX_MALFORMED", 400],
    ["CODEC_INVALID_HEX", 400],
    ["APP_INVALID_ARGS", 400],
    ["APP_UNKNOWN_MODULE", 400],
    ["APP_UNKNOWN_METHOD", 400],
    ["APP_UNKNOWN_QUERY", 400],
    ["NODE_INVALID_ARGUMENT", 400],
    ["TX_INVALID_SIGNER_KEY", 400],
    ["API_VALIDATION", 400],
    ["API_MALFORMED_JSON", 400],
    ["TX_BAD_SIGNATURE", 422],
    ["TX_WRONG_CHAIN", 422],
    ["TX_EXPIRED", 422],
    ["TX_SEQUENCE_TOO_HIGH", 422],
    ["TOKEN_INSUFFICIENT_FUNDS", 422],
    ["TX_DUPLICATE", 409],
    ["TX_SEQUENCE_TOO_LOW", 409],
    ["TX_TOO_LARGE", 413],
    ["API_BODY_TOO_LARGE", 413],
    ["NODE_NOT_FOUND", 404],
    ["API_NOT_FOUND", 404],
    ["NODE_MEMPOOL_FULL", 503],
    ["NODE_STOPPED", 503],
  ])("%s → %i", (code, status) => {
    expect(statusForCode(code)).toBe(status);
  });

  it("leaves unknown codes unmapped", () => {
    expect(statusForCode("MERKLE_STATE_NODE_MISSING")).toBeUndefined();
    expect(statusForCode("NODE_BAD_CONFIG")).toBeUndefined();
  });

  it("builds an RFC 9457 problem with the error's data, never overriding its own members", () => {
    const error = new TxError({
      code: "TX_EXPIRED",
      message: "expired at 5",
      expiresAt: 5,
      status: 999,
      type: "x",
    });
    expect(problemFor(error, "/v1/txs")).toEqual({
      type: "urn:weft:problem:TX_EXPIRED",
      title: "Unprocessable Entity",
      status: 422,
      detail: "expired at 5",
      code: "TX_EXPIRED",
      instance: "/v1/txs",
      expiresAt: 5,
    });
  });

  it("hides unmapped errors behind API_INTERNAL", () => {
    const problem = problemFor(
      new WeftError({ code: "MERKLE_STATE_NODE_MISSING", message: "node abc" }),
      "/x",
    );
    expect(problem).toMatchObject({ status: 500, code: "API_INTERNAL" });
    expect(JSON.stringify(problem)).not.toContain("abc");
  });
});

describe("problem responses", () => {
  const jsonPost = (payload: string, contentType = "application/json") => ({
    method: "POST" as const,
    url: "/v1/txs",
    payload,
    headers: { "content-type": contentType },
  });

  it("answers malformed JSON with API_MALFORMED_JSON", async () => {
    const { app } = await buildApi();
    for (const payload of ['{"body": ', "", '{"__proto__": {"x": 1}}']) {
      const res = await app.inject(jsonPost(payload));
      expect(res.statusCode).toBe(400);
      expect(res.headers["content-type"]).toMatch(PROBLEM_JSON);
      expect(res.json()).toMatchObject({
        type: "urn:weft:problem:API_MALFORMED_JSON",
        title: "Bad Request",
        status: 400,
        code: "API_MALFORMED_JSON",
        instance: "/v1/txs",
        detail: expect.any(String),
      });
    }
  });

  it("answers an unsupported content type with 415", async () => {
    const { app } = await buildApi();
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "application/xml"]) {
      const res = await app.inject(jsonPost("a=b", type));
      expect(res.statusCode, type).toBe(415);
      expect(res.headers["content-type"]).toMatch(PROBLEM_JSON);
      expect(res.json().code).toBe("API_UNSUPPORTED_MEDIA_TYPE");
    }
  });

  it("answers a body over bodyLimit with 413", async () => {
    const { app, service } = await buildApi({ bodyLimit: 512 });
    const res = await app.inject({
      method: "POST",
      url: "/v1/txs",
      payload: { txs: [service.signedTx(), service.signedTx()] },
    });
    expect(res.statusCode).toBe(413);
    expect(res.headers["content-type"]).toMatch(PROBLEM_JSON);
    expect(res.json()).toMatchObject({ code: "API_BODY_TOO_LARGE", status: 413, title: "Payload Too Large" });
  });

  it("answers unknown routes and methods with API_NOT_FOUND", async () => {
    const { app } = await buildApi();
    for (const [method, url] of [
      ["GET", "/v2/txs"],
      ["DELETE", "/v1/txs"],
      ["GET", "/v1/blocks"],
    ] as const) {
      const res = await app.inject({ method, url });
      expect(res.statusCode).toBe(404);
      expect(res.headers["content-type"]).toMatch(PROBLEM_JSON);
      expect(res.json()).toMatchObject({ code: "API_NOT_FOUND", instance: url });
    }
  });

  it("answers a malformed URL with a problem", async () => {
    const { app } = await buildApi();
    const res = await app.inject("/v1/state/%E0%A4%A");
    expect(res.statusCode).toBe(400);
    expect(res.headers["content-type"]).toMatch(PROBLEM_JSON);
    expect(res.json().code).toBe("API_BAD_REQUEST");
  });

  it("maps WeftErrors thrown by the service to their status with their data", async () => {
    const { app, service } = await buildApi();
    const cases: [Error, number][] = [
      [new AppError({ code: "APP_INVALID_ARGS", message: "asset is required", field: "asset" }), 400],
      [new NodeError({ code: "NODE_STOPPED", message: "stopping" }), 503],
      [new WeftError({ code: "TOKEN_UNKNOWN_ASSET", message: "no asset FOO", asset: "FOO" }), 422],
      [new ApiError({ code: "API_TOO_MANY_CLIENTS", message: "busy" }), 503],
    ];
    for (const [error, status] of cases) {
      service.queryError = error;
      const res = await app.inject("/v1/token/assets/FOO");
      expect(res.statusCode).toBe(status);
      expect(res.headers["content-type"]).toMatch(PROBLEM_JSON);
      expect(res.json()).toMatchObject({ code: (error as WeftError).code, detail: error.message });
    }
    service.queryError = new AppError({ code: "APP_INVALID_ARGS", message: "m", field: "asset" });
    expect((await app.inject("/v1/token/assets/FOO")).json().field).toBe("asset");
  });

  it("answers unexpected errors with 500 API_INTERNAL without leaking details", async () => {
    const { app, service } = await buildApi();
    service.queryError = new Error("ENOENT /var/lib/weft/secret.mdb");
    const res = await app.inject("/v1/token/assets/FOO?prove=true");
    expect(res.statusCode).toBe(500);
    expect(res.headers["content-type"]).toMatch(PROBLEM_JSON);
    expect(res.json()).toMatchObject({
      code: "API_INTERNAL",
      status: 500,
      instance: "/v1/token/assets/FOO?prove=true",
    });
    expect(res.body).not.toMatch(/secret|ENOENT|at .*\.ts/);
  });
});
