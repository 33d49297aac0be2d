import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ApiError, createClient, SdkError, txHash, WeftError } from "../../src/index.js";
import { type FakeNode, notFound, problem, type Routes, startFakeNode } from "./fake-node.js";
import { blockView, committed, sampleTx } from "./fixtures.js";

let node: FakeNode | undefined;
afterEach(async () => {
  await node?.close();
  node = undefined;
});

async function start(routes: Routes) {
  node = await startFakeNode(routes);
  return { node, client: createClient({ url: `${node.url}/` }) };
}

async function failure(p: Promise<unknown>): Promise<WeftError> {
  try {
    await p;
  } catch (e) {
    return e as WeftError;
  }
  throw new Error("expected a failure");
}

describe("client: submitting", () => {
  it("posts one transaction as the body and returns the acceptance", async () => {
    const tx = sampleTx();
    const hash = txHash(tx);
    const { node, client } = await start({ "POST /v1/txs": { status: 202, body: { hash, accepted: true } } });
    expect(await client.submit(tx)).toEqual({ hash, accepted: true });
    const [req] = node.requests;
    expect(req?.body).toEqual(tx);
    expect(req?.headers["content-type"]).toBe("application/json");
    expect([...(req?.query.keys() ?? [])]).toEqual([]);
  });

  it("asks the node to wait and returns its TxStatus", async () => {
    const tx = sampleTx();
    const hash = txHash(tx);
    const { node, client } = await start({ "POST /v1/txs": { body: committed(tx, hash) } });
    const status = await client.submit(tx, { wait: true, timeoutMs: 1234 });
    expect(status.status).toBe("committed");
    expect(status.receipt?.status).toBe("ok");
    expect(node.requests[0]?.query.get("wait")).toBe("true");
    expect(node.requests[0]?.query.get("timeoutMs")).toBe("1234");
  });

  it("posts a batch as {txs} and returns per-transaction results", async () => {
    const txs = [sampleTx(), sampleTx()];
    const results = [
      { hash: txHash(txs[0]!), accepted: true },
      { hash: txHash(txs[1]!), accepted: false, error: { code: "TX_BAD_SIGNATURE", message: "bad" } },
    ];
    const { node, client } = await start({ "POST /v1/txs": { body: { results } } });
    expect(await client.submit(txs)).toEqual(results);
    expect(node.requests[0]?.body).toEqual({ txs });
  });

  it("asks the node to wait for a batch too", async () => {
    const txs = [sampleTx(), sampleTx()];
    const [a, b] = txs.map((t) => txHash(t)) as [string, string];
    const results = [
      { hash: a, accepted: true, status: committed(txs[0]!, a) },
      { hash: b, accepted: false, error: { code: "TX_EXPIRED", message: "expired", status: 422 } },
    ];
    const { node, client } = await start({ "POST /v1/txs": { body: { results } } });
    expect(await client.submit(txs, { wait: true, timeoutMs: 2_000 })).toEqual(results);
    expect(node.requests[0]?.body).toEqual({ txs });
    expect(node.requests[0]?.query.toString()).toBe("wait=true&timeoutMs=2000");
  });

  it("returns the pending status when the node's wait times out (202)", async () => {
    const tx = sampleTx();
    const hash = txHash(tx);
    const { client } = await start({
      "POST /v1/txs": { status: 202, body: { hash, status: "pending", tx } },
    });
    expect((await client.submit(tx, { wait: true, timeoutMs: 10 })).status).toBe("pending");
  });
});

describe("client: reading", () => {
  it("calls the documented paths with the right query strings", async () => {
    const tx = sampleTx();
    const hash = txHash(tx);
    const address = "ab".repeat(20);
    const read = { key: "k", value: "v", height: 9 };
    const { node, client } = await start({
      [`GET /v1/txs/${hash}`]: { body: committed(tx, hash) },
      "GET /v1/blocks/latest": { body: blockView(9) },
      "GET /v1/blocks/7": { body: blockView(7) },
      "GET /v1/state/token/balance/GOLD": { body: read },
      "GET /v1/query/token/balance": { body: read },
      [`GET /v1/token/balances/GOLD/${address}`]: { body: read },
      "GET /v1/token/assets/GOLD": { body: read },
      [`GET /v1/proofs/tx/${hash}`]: { body: { kind: "weft.proof.tx/v1" } },
      "GET /healthz": { body: { ok: true, chainId: "c", height: 9, mempoolSize: 0, lastBlockAgeMs: 5 } },
    });
    expect((await client.getTx(hash)).hash).toBe(hash);
    expect((await client.latestBlock()).block.header.height).toBe(9);
    expect((await client.getBlock(7)).block.header.height).toBe(7);
    await client.getState("token/balance/GOLD", { height: 3 });
    await client.getState("token/balance/GOLD", { prove: true });
    await client.getState("token/balance/GOLD");
    await client.query("token", "balance", { asset: "GOLD", address }, { prove: true });
    await client.balance("GOLD", address, { prove: true });
    await client.balance("GOLD", address);
    expect(await client.asset("GOLD")).toEqual(read);
    expect((await client.txProof(hash)).kind).toBe("weft.proof.tx/v1");
    expect((await client.health()).chainId).toBe("c");

    const seen = node.requests.map((r) => `${r.method} ${r.path}?${r.query.toString()}`);
    expect(seen).toEqual([
      `GET /v1/txs/${hash}?`,
      "GET /v1/blocks/latest?",
      "GET /v1/blocks/7?",
      "GET /v1/state/token/balance/GOLD?height=3",
      "GET /v1/state/token/balance/GOLD?prove=true",
      "GET /v1/state/token/balance/GOLD?",
      `GET /v1/query/token/balance?asset=GOLD&address=${address}&prove=true`,
      `GET /v1/token/balances/GOLD/${address}?prove=true`,
      `GET /v1/token/balances/GOLD/${address}?`,
      "GET /v1/token/assets/GOLD?",
      `GET /v1/proofs/tx/${hash}?`,
      "GET /healthz?",
    ]);
  });

  it("escapes path segments but keeps a state key's slashes", async () => {
    const { node, client } = await start({});
    await failure(client.getState("a b/c?d"));
    await failure(client.asset("x/y"));
    expect(node.requests.map((r) => r.path)).toEqual(["/v1/state/a%20b/c%3Fd", "/v1/token/assets/x%2Fy"]);
  });

  it("reads the next sequence from auth/sequence/<address>, absent meaning 0", async () => {
    const fresh = "01".repeat(20);
    const used = "02".repeat(20);
    const broken = "03".repeat(20);
    const { node, client } = await start({
      [`GET /v1/state/auth/sequence/${fresh}`]: { body: { key: "k", value: null, height: 4 } },
      [`GET /v1/state/auth/sequence/${used}`]: { body: { key: "k", value: 7, height: 4 } },
      [`GET /v1/state/auth/sequence/${broken}`]: { body: { key: "k", value: "7", height: 4 } },
    });
    expect(await client.nextSequence(fresh)).toBe(0);
    expect(await client.nextSequence(used)).toBe(7);
    expect((await failure(client.nextSequence(broken))).code).toBe("SDK_BAD_RESPONSE");
    expect(node.requests.map((r) => r.path)).toContain(`/v1/state/auth/sequence/${used}`);
  });

  it("rejects arguments the node would refuse without a request", async () => {
    const { node, client } = await start({});
    expect((await failure(client.getBlock(0))).code).toBe("SDK_INVALID_ARGUMENT");
    expect((await failure(client.getState("k", { height: 2, prove: true }))).code).toBe(
      "SDK_INVALID_ARGUMENT",
    );
    expect(node.requests).toEqual([]);
  });

  it("returns an unhealthy node's health (503 with the same body)", async () => {
    const health = { ok: false, chainId: "c", height: 3, mempoolSize: 0, lastBlockAgeMs: 60_000 };
    const { client } = await start({ "GET /healthz": { status: 503, body: health } });
    expect(await client.health()).toEqual(health);
  });
});

describe("client: errors", () => {
  it("turns problem+json into an ApiError with the problem's code, status and detail", async () => {
    const { client } = await start({
      "POST /v1/txs": problem(400, "TX_BAD_SIGNATURE", "signature does not verify", { hash: "ff" }),
    });
    const e = await failure(client.submit(sampleTx()));
    expect(e).toBeInstanceOf(ApiError);
    expect(e).toBeInstanceOf(WeftError);
    const api = e as ApiError;
    expect(api.code).toBe("TX_BAD_SIGNATURE");
    expect(api.status).toBe(400);
    expect(api.detail).toBe("signature does not verify");
    expect(api.message).toBe("signature does not verify");
    expect(api.type.problemType).toBe("urn:weft:problem:TX_BAD_SIGNATURE");
    expect(api.type.title).toBe("Bad Request");
    expect(api.type.hash).toBe("ff");
    expect(api.type.instance).toBe("/");
  });

  it("reports a 404 as an ApiError too", async () => {
    const { client } = await start({ "GET /v1/blocks/latest": notFound("no blocks yet") });
    const e = (await failure(client.latestBlock())) as ApiError;
    expect([e.code, e.status]).toEqual(["NODE_NOT_FOUND", 404]);
  });

  it("gives an ApiError with the status when the body is not a problem", async () => {
    const { client } = await start({
      "GET /healthz": { status: 502, text: "<html>bad gateway</html>", contentType: "text/html" },
    });
    const e = (await failure(client.health())) as ApiError;
    expect(e).toBeInstanceOf(ApiError);
    expect([e.code, e.status]).toEqual(["SDK_HTTP_ERROR", 502]);
  });

  it("reports a success without JSON as SDK_BAD_RESPONSE", async () => {
    const { client } = await start({ "GET /healthz": { text: "ok", contentType: "text/plain" } });
    expect((await failure(client.health())).code).toBe("SDK_BAD_RESPONSE");
  });

  it("reports an unreachable node as SDK_NETWORK", async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const e = await failure(createClient({ url: `http://127.0.0.1:${port}` }).latestBlock());
    expect(e).toBeInstanceOf(SdkError);
    expect(e.code).toBe("SDK_NETWORK");
    expect(e.message).toContain("ECONNREFUSED");
  });

  it("gives up on a node that does not answer with SDK_TIMEOUT", async () => {
    node = await startFakeNode({ "GET /healthz": { hang: true } });
    const client = createClient({ url: node.url, timeoutMs: 100 });
    expect((await failure(client.health())).code).toBe("SDK_TIMEOUT");
  });

  it("refuses a URL that is not http(s)", () => {
    expect(() => createClient({ url: "ftp://x" })).toThrow(SdkError);
    expect(() => createClient({ url: "not a url" })).toThrow(SdkError);
  });

  it("uses a given fetch and sends the configured headers", async () => {
    const calls: { url: string; init: RequestInit }[] = [];
    const client = createClient({
      url: "http://node.example/weft",
      headers: { authorization: "Bearer t" },
      fetch: async (url, init) => {
        calls.push({ url, init });
        return new Response(JSON.stringify({ ok: true }), { status: 200 });
      },
    });
    await client.health();
    const [call] = calls;
    expect(call?.url).toBe("http://node.example/weft/healthz");
    expect(call?.init.headers).toMatchObject({ authorization: "Bearer t" });
  });
});
