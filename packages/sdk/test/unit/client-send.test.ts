import { afterEach, describe, expect, it } from "vitest";
import {
  type ApiError,
  addressOf,
  buildTx,
  createClient,
  generateKeyPair,
  type KeyPair,
  type SignedTx,
  tokenCall,
  txHash,
  verifyTxSignature,
} from "../../src/index.js";
import {
  type CannedResponse,
  type FakeNode,
  notFound,
  problem,
  type Routes,
  startFakeNode,
} from "./fake-node.js";
import { blockView, CHAIN_ID, committed, pending, sampleTx } from "./fixtures.js";

let node: FakeNode | undefined;
afterEach(async () => {
  await node?.close();
  node = undefined;
});

const TO = "ef".repeat(20);
const transfer = (amount: bigint) => tokenCall.transfer({ asset: "GOLD", to: TO, amount });

/**
 * A node at `height` where each signer's committed sequence is `sequence`. It accepts every
 * transaction and then reports it pending, unless a test routes its status first.
 */
function acceptingNode(height: number, sequence: number | null, signers: KeyPair[], extra: Routes = {}) {
  const submitted: SignedTx[] = [];
  const routes: Routes = { "GET /v1/blocks/latest": { body: blockView(height) } };
  for (const signer of signers) {
    routes[`GET /v1/state/auth/sequence/${addressOf(signer)}`] = {
      body: { key: "k", value: sequence, height },
    };
  }
  routes["POST /v1/txs"] = (req) => {
    const tx = req.body as SignedTx;
    const hash = txHash(tx);
    submitted.push(tx);
    routes[`GET /v1/txs/${hash}`] ??= { body: pending(tx, hash) };
    return { status: 202, body: { hash, accepted: true }, delayMs: 30 };
  };
  Object.assign(routes, extra);
  return { routes, submitted };
}

describe("client.send", () => {
  it("fills in chain id, sequence and expiry, and counts back-to-back sends locally", async () => {
    const signer = generateKeyPair();
    const fake = acceptingNode(10, 3, [signer]);
    node = await startFakeNode(fake.routes);
    const client = createClient({ url: node.url });

    const first = await client.send(signer, transfer(1n));
    await client.send(signer, transfer(2n), { expiresIn: 5, memo: "second" });
    // Concurrent sends for one signer must still get distinct, consecutive numbers.
    await Promise.all([client.send(signer, transfer(3n)), client.send(signer, transfer(4n))]);

    expect(first).toEqual({ hash: txHash(fake.submitted[0]!), accepted: true });
    expect(fake.submitted.map((t) => t.body.sequence)).toEqual([3, 4, 5, 6]);
    expect(fake.submitted.map((t) => t.body.expiresAt)).toEqual([110, 15, 110, 110]);
    expect(fake.submitted[1]?.body.memo).toBe("second");
    for (const tx of fake.submitted) {
      expect(tx.body.chainId).toBe(CHAIN_ID);
      expect(tx.body.args.to).toBe(TO);
      expect(verifyTxSignature(tx)).toBe(true);
    }
  });

  it("keeps separate counts per signer", async () => {
    const a = generateKeyPair();
    const b = generateKeyPair("p256");
    const fake = acceptingNode(1, null, [a, b]);
    node = await startFakeNode(fake.routes);
    const client = createClient({ url: node.url });
    await client.send(a, transfer(1n));
    await client.send(b, transfer(1n));
    await client.send(a, transfer(1n));
    expect(fake.submitted.map((t) => [t.body.signer.alg, t.body.sequence])).toEqual([
      ["ed25519", 0],
      ["p256", 0],
      ["ed25519", 1],
    ]);
  });

  it("follows the node when its sequence is ahead (another client used the key)", async () => {
    const signer = generateKeyPair();
    let remote = 0;
    const fake = acceptingNode(1, null, [], {
      [`GET /v1/state/auth/sequence/${addressOf(signer)}`]: () => ({
        body: { key: "k", value: remote, height: 1 },
      }),
    });
    node = await startFakeNode(fake.routes);
    const client = createClient({ url: node.url });
    await client.send(signer, transfer(1n));
    remote = 9;
    await client.send(signer, transfer(1n));
    expect(fake.submitted.map((t) => t.body.sequence)).toEqual([0, 9]);
  });

  it("starts again from the node's sequence when it lost the transaction it must include next", async () => {
    const signer = generateKeyPair();
    const fake = acceptingNode(1, 0, [signer]);
    node = await startFakeNode(fake.routes);
    const client = createClient({ url: node.url });
    await client.send(signer, transfer(1n));
    await client.send(signer, transfer(2n));
    // The node restarted and its mempool is gone: sequence 1 would wait behind a gap forever.
    for (const tx of fake.submitted) fake.routes[`GET /v1/txs/${txHash(tx)}`] = notFound("unknown");
    await client.send(signer, transfer(3n));
    await client.send(signer, transfer(4n));
    expect(fake.submitted.map((t) => t.body.sequence)).toEqual([0, 1, 0, 1]);
  });

  it("before the first block, takes chain id and height from /healthz", async () => {
    const signer = generateKeyPair();
    const fake = acceptingNode(0, null, [signer], {
      "GET /v1/blocks/latest": notFound("no blocks yet"),
      "GET /healthz": {
        body: { ok: true, chainId: "fresh-chain", height: 0, mempoolSize: 0, lastBlockAgeMs: null },
      },
    });
    node = await startFakeNode(fake.routes);
    await createClient({ url: node.url }).send(signer, transfer(1n));
    expect(fake.submitted[0]?.body.chainId).toBe("fresh-chain");
    expect(fake.submitted[0]?.body.expiresAt).toBe(100);
  });

  it("retries once from the node's sequence when another client took the number meanwhile", async () => {
    const signer = generateKeyPair();
    const seen: number[] = [];
    let remote = 0;
    const fake = acceptingNode(1, null, [], {
      [`GET /v1/state/auth/sequence/${addressOf(signer)}`]: () => ({
        body: { key: "k", value: remote, height: 1 },
      }),
      "POST /v1/txs": (req): CannedResponse => {
        const tx = req.body as SignedTx;
        seen.push(tx.body.sequence);
        if (tx.body.sequence === 0) {
          remote = 1; // the other client's transaction with 0 just committed
          return problem(409, "TX_SEQUENCE_TOO_LOW", "sequence 0 already used; next is 1", { next: 1 });
        }
        return { status: 202, body: { hash: txHash(tx), accepted: true } };
      },
    });
    node = await startFakeNode(fake.routes);
    await createClient({ url: node.url }).send(signer, transfer(1n));
    expect(seen).toEqual([0, 1]);
  });

  it("passes other rejections through and does not count them", async () => {
    const signer = generateKeyPair();
    let refuse = true;
    const fake = acceptingNode(1, 0, [signer], {
      "POST /v1/txs": (req): CannedResponse =>
        refuse
          ? problem(400, "APP_INVALID_ARGS", "no such asset")
          : { status: 202, body: { hash: txHash(req.body as SignedTx), accepted: true } },
    });
    node = await startFakeNode(fake.routes);
    const client = createClient({ url: node.url });
    await expect(client.send(signer, transfer(1n))).rejects.toMatchObject({
      code: "APP_INVALID_ARGS",
      status: 400,
    });
    refuse = false;
    await client.send(signer, transfer(1n));
    const posted = node.requests
      .filter((r) => r.method === "POST")
      .map((r) => (r.body as SignedTx).body.sequence);
    expect(posted).toEqual([0, 0]);
  });

  it("with wait, polls until the transaction is committed", async () => {
    const signer = generateKeyPair();
    // The hash covers the body only, so the test can predict it.
    const expected = buildTx({ chainId: CHAIN_ID, signer, sequence: 0, expiresAt: 104, ...transfer(1n) });
    const hash = txHash(expected);
    let polls = 0;
    const fake = acceptingNode(4, 0, [signer], {
      [`GET /v1/txs/${hash}`]: () => {
        polls++;
        return { body: polls < 2 ? pending(expected, hash) : committed(expected, hash) };
      },
    });
    node = await startFakeNode(fake.routes);
    const status = await createClient({ url: node.url }).send(signer, transfer(1n), {
      wait: true,
      timeoutMs: 5_000,
    });
    expect(status).toMatchObject({ hash, status: "committed" });
    expect(polls).toBe(2);
    // The submission itself does not hold the signer's queue for a whole block.
    expect(node.requests.find((r) => r.method === "POST")?.query.get("wait")).toBeNull();
  });
});

describe("client.waitForCommit", () => {
  it("polls until committed, treating not-found as not yet seen", async () => {
    const tx = sampleTx();
    const hash = txHash(tx);
    let calls = 0;
    node = await startFakeNode({
      [`GET /v1/txs/${hash}`]: () => {
        calls++;
        if (calls === 1) return notFound("unknown");
        return { body: calls < 4 ? pending(tx, hash) : committed(tx, hash) };
      },
    });
    const status = await createClient({ url: node.url }).waitForCommit(hash, 5_000);
    expect(status.status).toBe("committed");
    expect(calls).toBe(4);
  });

  it("returns the pending status when the time is up", async () => {
    const tx = sampleTx();
    const hash = txHash(tx);
    node = await startFakeNode({ [`GET /v1/txs/${hash}`]: { body: pending(tx, hash) } });
    const started = Date.now();
    const status = await createClient({ url: node.url }).waitForCommit(hash, 200);
    expect(status.status).toBe("pending");
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("fails with SDK_TIMEOUT for a hash the node never knew", async () => {
    node = await startFakeNode({});
    await expect(createClient({ url: node.url }).waitForCommit("aa".repeat(32), 150)).rejects.toMatchObject({
      code: "SDK_TIMEOUT",
    });
  });

  it("stops at other errors", async () => {
    node = await startFakeNode({ "GET /v1/txs/x": problem(500, "NODE_STOPPED", "stopping") });
    const e = (await createClient({ url: node.url })
      .waitForCommit("x", 5_000)
      .catch((err: unknown) => err)) as ApiError;
    expect(e.code).toBe("NODE_STOPPED");
  });
});
