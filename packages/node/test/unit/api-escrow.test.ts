import { addressOf, type KeyPair, signTx, verifyProof } from "@weft/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiServer } from "../../src/api/server.js";
import { createTestChain, type TestChain } from "../support/chain.js";
import { BUYER_GLN, eventDoc, SELLER_GLN, sscc } from "./support/escrow-docs.js";

interface Explained {
  height: number;
  escrow: { status: string; milestones: { status: string; toSeller?: string }[] };
  proof: unknown;
  why: string[];
  records: { txHash: string; eventId?: string; proof: unknown }[];
}

describe("GET /v1/escrows/{id}", () => {
  let chain: TestChain;
  let app: Awaited<ReturnType<typeof createApiServer>>;
  const sequences = new Map<string, number>();
  const sign = (signer: KeyPair, module: string, method: string, args: Record<string, unknown>) => {
    const address = addressOf(signer);
    const sequence = sequences.get(address) ?? 0;
    sequences.set(address, sequence + 1);
    return signTx(
      {
        chainId: chain.genesis.chainId,
        signer: { alg: signer.alg, publicKey: signer.publicKey },
        sequence,
        expiresAt: 1_000_000,
        module,
        method,
        args: args as never,
      },
      signer,
    );
  };
  let receivingTx = "";

  beforeAll(async () => {
    chain = await createTestChain();
    const seller = addressOf(chain.bob);
    const open = sign(chain.alice, "escrow", "open", {
      id: "PO-1",
      seller,
      asset: "EUR",
      amount: "5000",
      shipment: [sscc(7)],
      incoterm: "DAP",
      milestones: [
        {
          name: "delivered",
          shareBps: 10_000,
          conditions: [{ event: { bizStep: "receiving", bizLocation: BUYER_GLN } }],
        },
      ],
      deadline: chain.genesis.genesisTime + 86_400_000,
    });
    expect((await chain.submit(open)).map((o) => o.accepted)).toEqual([true]);
    await chain.produceBlock();
    const ship = sign(chain.validator, "trace", "capture", {
      document: eventDoc({
        epc: sscc(7),
        bizStep: "shipping",
        location: SELLER_GLN,
        time: "2026-02-01T00:00:00Z",
      }),
    });
    await chain.submit(ship);
    await chain.produceBlock();
    const receive = sign(chain.validator, "trace", "capture", {
      document: eventDoc({
        epc: sscc(7),
        bizStep: "receiving",
        location: BUYER_GLN,
        time: "2026-02-02T00:00:00Z",
      }),
    });
    const [outcome] = await chain.submit(receive);
    receivingTx = outcome?.hash ?? "";
    await chain.produceBlock();
    app = await createApiServer(chain.service, {}, { metrics: chain.metrics });
  });
  afterAll(async () => {
    await app?.close();
    await chain?.close();
  });

  it("shows the settled escrow, why, and a proof of each record that verifies offline", async () => {
    const res = await app.inject("/v1/escrows/PO-1");
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json() as Explained;
    expect(body.escrow.status).toBe("settled");
    expect(body.escrow.milestones[0]).toMatchObject({ status: "released", toSeller: "5000" });
    expect(body.why.some((l) => l.includes("met by event") && l.includes(receivingTx))).toBe(true);
    expect(body.why.some((l) => l.includes("released: 5000 to the seller"))).toBe(true);
    expect(verifyProof(body.proof, chain.genesis)).toMatchObject({
      kind: "weft.proof.state/v1",
      height: body.height,
    });
    const receiving = body.records.find((r) => r.txHash === receivingTx);
    expect(receiving?.eventId).toMatch(/^ni:\/\/\/sha-256;/);
    for (const r of body.records) expect(verifyProof(r.proof, chain.genesis).kind).toMatch(/^weft.proof.tx/);
    expect(body.records).toHaveLength(2);
  });

  it("counts the escrow's end-of-block events in /metrics", async () => {
    const text = (await app.inject("/metrics")).body;
    expect(text).toMatch(/weft_end_block_events_total\{module="escrow",type="Released"\} 1/);
    expect(text).toMatch(/weft_end_block_events_total\{module="escrow",type="Settled"\} 1/);
  });

  it("answers 404 for an unknown escrow and 400 for a malformed id", async () => {
    const missing = await app.inject("/v1/escrows/nope");
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ code: "NODE_NOT_FOUND" });
    expect((await app.inject("/v1/escrows/bad%20id")).statusCode).toBe(400);
  });
});
