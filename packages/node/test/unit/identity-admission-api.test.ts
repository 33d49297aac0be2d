import { addressOf } from "@weft/core";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiServer } from "../../src/api/server.js";
import { createMetrics } from "../../src/metrics/metrics.js";
import type { IdChain } from "../support/identity.js";
import { makeWorld, type World, worldChain } from "../support/identity-world.js";

let w: World;
let chain: IdChain;
let app: FastifyInstance;
beforeAll(async () => {
  w = await makeWorld();
  chain = await worldChain(w);
  app = await createApiServer(chain.service, {}, { metrics: createMetrics({ defaultMetrics: false }) });
});
afterAll(async () => {
  await app.close();
  await chain.close();
});

const post = (payload: unknown) => ({ method: "POST" as const, url: "/v1/txs", payload: payload as object });
const createAsset = (id: string) => ({ asset: id, name: id, decimals: 0 });

describe("POST /v1/txs on a permissioned chain", () => {
  it("refuses a transaction its policy denies with 403 and the typed error; nothing is pooled", async () => {
    const denied = chain.tx(w.brandWriter, "token", "createAsset", createAsset("NOPE"));
    const res = await app.inject(post(denied));
    expect(res.statusCode).toBe(403);
    expect(res.json()).toMatchObject({
      status: 403,
      code: "POLICY_DENIED",
      type: "urn:weft:problem:POLICY_DENIED",
    });
    expect(res.json().detail).toMatch(/token\.createAsset/);
    expect(chain.app.mempool.size).toBe(0);
  });

  it("refuses a non-member with 403 IDENTITY_NOT_MEMBER and an orgVotes action with 403 POLICY_APPROVALS_REQUIRED", async () => {
    const stranger = await app.inject(post(chain.tx(w.stranger, "token", "createAsset", createAsset("X"))));
    expect(stranger.statusCode).toBe(403);
    expect(stranger.json()).toMatchObject({ code: "IDENTITY_NOT_MEMBER", address: addressOf(w.stranger) });
    const direct = chain.tx(w.brandAdmin, "identity", "defineRole", { name: "qa", description: "" });
    const votes = await app.inject(post(direct));
    expect(votes.statusCode).toBe(403);
    expect(votes.json()).toMatchObject({ code: "POLICY_APPROVALS_REQUIRED" });
  });

  it("admits an allowed transaction (202) and in a batch reports each denial on its own", async () => {
    const allowed = chain.tx(w.brandOperator, "token", "createAsset", createAsset("OK"));
    const res = await app.inject(post(allowed));
    expect(res.statusCode).toBe(202);
    const batch = await app.inject(
      post({
        txs: [
          chain.tx(w.brandOperator, "token", "createAsset", createAsset("OK2")),
          chain.tx(w.stranger, "token", "createAsset", createAsset("Y")),
        ],
      }),
    );
    expect(batch.statusCode).toBe(200);
    expect(batch.json().results).toMatchObject([
      { accepted: true },
      { accepted: false, error: { code: "IDENTITY_NOT_MEMBER" } },
    ]);
  });
});
