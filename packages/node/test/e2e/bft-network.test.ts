import { addressOf } from "@weft/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestNetwork, type TestNetwork, until } from "../support/network.js";
import { signedTransfers } from "../support/transfers.js";

describe("four organisations over mutual TLS", () => {
  let net: TestNetwork;
  beforeAll(async () => {
    net = await createTestNetwork(4, {
      epcis: (i) => ({ publicBaseUrl: `https://org${i + 1}.example.com` }),
    });
    await Promise.all([0, 1, 2, 3].map((i) => net.start(i)));
  });
  afterAll(async () => {
    await net?.close();
  });

  const heads = () => net.nodes.map((n) => n?.store.head());

  it("connects every node to every other", async () => {
    await until("full mesh", () => net.nodes.every((n) => n?.p2p?.connectedPeers().length === 3));
    const health = (await (await fetch(`${net.nodes[0]!.url}/healthz`)).json()) as {
      consensus: { engine: string; peers: { id: string; connected: boolean }[] };
    };
    expect(health.consensus.engine).toBe("tendermint");
    // Node options reach the EPCIS layer: resolver links use this node's configured public URL.
    const linkset = await (await fetch(`${net.nodes[1]!.url}/01/04012345543216/21/JK1`)).text();
    expect(linkset).toContain("https://org2.example.com/epcis/events?MATCH_anyEPC=");
    expect(health.consensus.peers.map((p) => [p.id, p.connected])).toEqual([
      ["org2-node", true],
      ["org3-node", true],
      ["org4-node", true],
    ]);
  });

  it("commits transfers submitted to one node on every node, with identical blocks and state", async () => {
    const alice = net.accounts.alice!;
    const bob = addressOf(net.accounts.bob!);
    const txs = signedTransfers({
      chainId: "weft-test",
      asset: "WEFT",
      senders: [alice],
      perSender: 20,
      recipients: [bob],
      amount: () => "1",
    });
    const outcomes = await net.nodes[2]!.service.submitTxs(txs);
    expect(outcomes.every((o) => o.accepted)).toBe(true);
    const last = outcomes.at(-1)!.hash!;
    await until("all nodes commit the last transfer", () =>
      net.nodes.every((n) => n?.store.getTxLocation(last) !== undefined),
    );
    const height = Math.min(...heads().map((h) => h!.height));
    for (let h = 1; h <= height; h++) {
      const hashes = new Set(net.nodes.map((n) => Buffer.from(n!.store.getBlockBytes(h)!).toString("hex")));
      expect(hashes.size).toBe(1);
    }
    await until("same head everywhere", () => new Set(heads().map((h) => h?.stateRoot)).size === 1);
    // Every block after the first carries a certificate signed by more than 2/3 of the validators.
    const block = net.nodes[0]!.store.getBlock(height)!;
    if (height > 1) expect(block.lastCommit!.signatures.length).toBeGreaterThanOrEqual(3);
  });
});
