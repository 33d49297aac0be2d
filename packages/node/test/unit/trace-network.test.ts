import { signTx } from "@weft/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareCapture } from "../../src/modules/trace/capture.js";
import { MAX_EVENTS_PER_TX } from "../../src/modules/trace/schema.js";
import { epcisDocument, G, garmentChain, K } from "../support/epcis.js";
import { createTestNetwork, type TestNetwork, until } from "../support/network.js";

/** `node.trace` on a four-organisation BFT network: every node indexes what any node captured. */
describe("trace on four BFT nodes", () => {
  let net: TestNetwork;
  beforeAll(async () => {
    // alice writes for org1 and captures the whole chain: org1 owns the brand's and the DC's prefixes.
    net = await createTestNetwork(4, {
      gs1: { org1: { companyPrefixes: ["4012345", "0614141"], glns: [] } },
    });
    await Promise.all([0, 1, 2, 3].map((i) => net.start(i)));
  });
  afterAll(async () => {
    await net?.close();
  });

  it("captures a garment chain through one node; every node answers the same queries and genealogy", async () => {
    const alice = net.accounts.alice as NonNullable<TestNetwork["accounts"][string]>;
    const docs = garmentChain().map((step) => epcisDocument(step.events));
    const ids = docs.flatMap((d) => prepareCapture(d, MAX_EVENTS_PER_TX).map((p) => p.eventId));
    const txs = docs.map((document, sequence) =>
      signTx(
        {
          chainId: "weft-test",
          signer: { alg: alice.alg, publicKey: alice.publicKey },
          sequence,
          expiresAt: 1_000_000,
          module: "trace",
          method: "capture",
          args: { document },
        },
        alice,
      ),
    );
    const node0 = net.nodes[0] as NonNullable<TestNetwork["nodes"][number]>;
    const outcomes = await node0.service.submitTxs(txs);
    expect(outcomes.every((o) => o.accepted)).toBe(true);
    await until("every node indexed every event", () =>
      net.nodes.every((n) => ids.every((id) => n?.trace.getEvent(id) !== undefined)),
    );
    const answers = net.nodes.map((n) => ({
      all: n?.trace
        .queryEvents({}, { perPage: 100 })
        .events.map((e) => [e.eventId, e.logIndex, e.recordTime]),
      lineage: n?.trace.lineage(G.pallet, "upstream"),
      recall: n?.trace.recall(G.fabric),
    }));
    expect(answers[0]?.all).toHaveLength(ids.length);
    expect(answers[0]?.recall?.items.map((i) => i.id)).toEqual([1, 2, 3].map(K.jacket).concat(K.repaired));
    for (const a of answers.slice(1)) expect(a).toEqual(answers[0]);
  });
});
