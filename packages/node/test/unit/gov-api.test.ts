import { type KeyPair, signTx } from "@weft/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiServer } from "../../src/api/server.js";
import { createMetrics } from "../../src/metrics/metrics.js";
import { createTestChain, type TestChain } from "../support/chain.js";
import { govFixture } from "./support/gov-genesis.js";

type Page = { height: number; proposals: { id: number; status: string; title: string }[]; next?: number };

describe("GET /v1/gov/proposals", () => {
  let chain: TestChain;
  let app: Awaited<ReturnType<typeof createApiServer>>;
  beforeAll(async () => {
    const fx = await govFixture(4);
    const admin = fx.admins[0] as KeyPair;
    chain = await createTestChain({
      genesis: fx.genesis,
      keys: [fx.validator, admin, fx.admins[1] as KeyPair],
    });
    const propose = (
      sequence: number,
      title: string,
      action: { module: string; method: string; args: Record<string, unknown> },
    ) =>
      signTx(
        {
          chainId: fx.genesis.chainId,
          signer: { alg: admin.alg, publicKey: admin.publicKey },
          sequence,
          expiresAt: 1_000_000,
          module: "gov",
          method: "propose",
          args: { title, actions: [action] } as never,
        },
        admin,
      );
    const params = { maxBlockBytes: 1_048_576, maxBlockTxs: 1000, maxTxBytes: 65_536 };
    const setParams = { module: "gov", method: "setParams", args: { params } };
    const outcomes = await chain.submit(
      propose(0, "first", setParams),
      propose(1, "second", setParams),
      propose(2, "third", { module: "nosuch", method: "x", args: {} }),
    );
    expect(outcomes.map((o) => o.accepted)).toEqual([true, true, true]);
    await chain.produceBlock();
    app = await createApiServer(chain.service, {}, { metrics: createMetrics({ defaultMetrics: false }) });
  });
  afterAll(async () => {
    await app?.close();
    await chain?.close();
  });

  const list = async (query: string) => {
    const res = await app.inject(`/v1/gov/proposals${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json() as Page;
  };
  const summary = (page: Page) => page.proposals.map((p) => [p.id, p.status]);

  it("lists open proposals newest first, from the expiry queue", async () => {
    const page = await list("?status=open");
    expect(page.height).toBe(1);
    expect(summary(page)).toEqual([
      [2, "open"],
      [1, "open"],
    ]);
    expect(page.next).toBeUndefined();
    expect(summary(await list("?status=open&limit=1"))).toEqual([[2, "open"]]);
    expect((await list("?status=open&limit=1")).next).toBe(2);
  });

  it("lists by any status and pages with before", async () => {
    expect(summary(await list("?status=failed"))).toEqual([[3, "failed"]]);
    const first = await list("?limit=2");
    expect(summary(first)).toEqual([
      [3, "failed"],
      [2, "open"],
    ]);
    expect(first.next).toBe(2);
    expect(summary(await list(`?before=${first.next}`))).toEqual([[1, "open"]]);
    expect(summary(await list("?status=executed"))).toEqual([]);
  });

  it("answers the module queries proposal (id as number or string) and params", () => {
    const byString = chain.service.query("gov", "proposal", { id: "2" });
    expect(byString.key).toBe("gov/proposal/0000000002");
    expect(byString.value).toMatchObject({ id: 2, title: "second", status: "open", proposerOrg: "org1" });
    expect(chain.service.query("gov", "proposal", { id: 2 }).value).toEqual(byString.value);
    expect(chain.service.query("gov", "params", {})).toMatchObject({ key: "gov/params", value: null });
  });

  it("refuses an unknown status", async () => {
    const res = await app.inject("/v1/gov/proposals?status=maybe");
    expect(res.statusCode).toBe(400);
  });
});
