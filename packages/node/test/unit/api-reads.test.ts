import { describe, expect, it } from "vitest";
import { buildApi, PROBLEM_JSON } from "./support/api.js";

async function withBlock() {
  const api = await buildApi();
  const { hash } = (
    await api.app.inject({ method: "POST", url: "/v1/txs", payload: api.service.signedTx() })
  ).json();
  api.service.commitPending();
  return { ...api, hash: hash as string };
}

const address = "11".repeat(20);

describe("blocks", () => {
  it("answers 404 before the first block", async () => {
    const { app } = await buildApi();
    const res = await app.inject("/v1/blocks/latest");
    expect(res.statusCode).toBe(404);
    expect(res.headers["content-type"]).toMatch(PROBLEM_JSON);
    expect(res.json()).toMatchObject({ code: "NODE_NOT_FOUND", instance: "/v1/blocks/latest" });
  });

  it("answers the latest block and a block by height as { hash, block, commit }", async () => {
    const { app, hash } = await withBlock();
    const latest = await app.inject("/v1/blocks/latest");
    expect(latest.statusCode).toBe(200);
    expect(latest.json()).toMatchObject({
      hash: "01".repeat(32),
      block: { header: { height: 1, txCount: 1 }, lastCommit: null },
      commit: { height: 1, signatures: [expect.any(Object)] },
    });
    expect(latest.json().block.txs).toHaveLength(1);
    const byHeight = await app.inject("/v1/blocks/1");
    expect(byHeight.json()).toEqual(latest.json());
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each(["abc", "0", "-1", "1.5", "99999999999999999999"])("rejects height %s with 400", async (height) => {
    const { app } = await buildApi();
    const res = await app.inject(`/v1/blocks/${height}`);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: "API_VALIDATION", errors: [{ path: "params/height" }] });
  });

  it("answers 404 for a height not reached", async () => {
    const { app } = await withBlock();
    expect((await app.inject("/v1/blocks/2")).statusCode).toBe(404);
  });
});

describe("state", () => {
  it("reads a raw key from the rest of the path", async () => {
    const { app, service } = await withBlock();
    service.state.set(`token/balance/ACME/${address}`, "42");
    const res = await app.inject(`/v1/state/token/balance/ACME/${address}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ key: `token/balance/ACME/${address}`, value: "42", height: 1 });
    expect((await app.inject("/v1/state/no/such/key?height=1")).json()).toEqual({
      key: "no/such/key",
      value: null,
      height: 1,
    });
  });

  it("with prove=true answers the value, height and proof bundle", async () => {
    const { app, service } = await withBlock();
    service.state.set("token/asset/ACME", { issuer: address });
    const res = await app.inject("/v1/state/token/asset/ACME?prove=true");
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      key: "token/asset/ACME",
      value: { issuer: address },
      height: 1,
      proof: {
        kind: "weft.proof.state/v1",
        key: "token/asset/ACME",
        header: { height: 1 },
        commit: { height: 1 },
      },
    });
  });

  it("maps service errors and rejects bad parameters", async () => {
    const { app } = await withBlock();
    expect((await app.inject("/v1/state/a?height=5")).json()).toMatchObject({
      status: 404,
      code: "NODE_NOT_FOUND",
    });
    for (const url of [
      "/v1/state/a?height=x",
      "/v1/state/a?color=red",
      "/v1/state/a?prove=true&height=1",
      "/v1/state/",
    ]) {
      const res = await app.inject(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().code, url).toBe("API_VALIDATION");
    }
  });
});

describe("queries", () => {
  it("passes query-string parameters to the module query", async () => {
    const { app, service } = await withBlock();
    service.state.set(`token/balance/ACME/${address}`, "7");
    const res = await app.inject(`/v1/query/token/balance?asset=ACME&address=${address}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ key: `token/balance/ACME/${address}`, value: "7", height: 1 });
  });

  it("with prove=true adds the proof of the answer's state key", async () => {
    const { app, service } = await withBlock();
    service.state.set(`token/balance/ACME/${address}`, "7");
    const res = await app.inject(`/v1/query/token/balance?asset=ACME&address=${address}&prove=true`);
    expect(res.json()).toMatchObject({
      value: "7",
      proof: { key: `token/balance/ACME/${address}`, value: "7" },
    });
  });

  it("maps unknown modules, queries and bad arguments to 400", async () => {
    const { app } = await withBlock();
    const cases = [
      ["/v1/query/nft/owner?id=1", "APP_UNKNOWN_MODULE"],
      ["/v1/query/token/supply?asset=ACME", "APP_UNKNOWN_QUERY"],
      ["/v1/query/token/balance?asset=ACME", "APP_INVALID_ARGS"],
      ["/v1/query/token/balance?asset=A&asset=B", "API_VALIDATION"],
      ["/v1/query/Token/balance", "API_VALIDATION"],
    ];
    for (const [url, code] of cases) {
      const res = await app.inject(url!);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().code, url).toBe(code);
    }
  });

  it("serves the token balance and asset conveniences", async () => {
    const { app, service } = await withBlock();
    service.state.set(`token/balance/ACME/${address}`, "9");
    service.state.set("token/asset/ACME", { symbol: "ACME", supply: "9" });
    const balance = await app.inject(`/v1/token/balances/ACME/${address}?prove=true`);
    expect(balance.json()).toMatchObject({ value: "9", height: 1, proof: { kind: "weft.proof.state/v1" } });
    const asset = await app.inject("/v1/token/assets/ACME");
    expect(asset.json()).toEqual({
      key: "token/asset/ACME",
      value: { symbol: "ACME", supply: "9" },
      height: 1,
    });
    expect((await app.inject("/v1/token/balances/ACME/not-an-address")).json().code).toBe("API_VALIDATION");
    expect((await app.inject("/v1/token/assets/ACME?extra=1")).json().code).toBe("API_VALIDATION");
  });
});

describe("proofs", () => {
  it("answers the tx proof bundle of a committed transaction", async () => {
    const { app, hash } = await withBlock();
    const res = await app.inject(`/v1/proofs/tx/${hash}`);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({
      kind: "weft.proof.tx/v1",
      receipt: { entry: { txHash: hash }, logIndex: 0 },
      events: [{ entry: { module: "token" } }],
      header: { height: 1 },
    });
  });

  it("answers 404 for an unknown transaction and 400 for a bad hash", async () => {
    const { app } = await withBlock();
    expect((await app.inject(`/v1/proofs/tx/${"cd".repeat(32)}`)).statusCode).toBe(404);
    expect((await app.inject("/v1/proofs/tx/xyz")).statusCode).toBe(400);
  });
});
