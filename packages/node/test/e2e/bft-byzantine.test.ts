import { join } from "node:path";
import { addressOf, bytesToHex, genesisHash, type KeyPair, signVote } from "@weft/core";
import { createP2PHost, type P2PHost, type PeerEvent } from "@weft/p2p";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { homePaths, readGenesis, readKeyFile, readNodeNetwork } from "../../src/index.js";
import { createTestNetwork, type TestNetwork, until } from "../support/network.js";
import { signedTransfers } from "../support/transfers.js";

/**
 * Three honest organisations and a fourth whose node is replaced by a hostile peer holding its
 * real TLS identity and validator key: it double-signs, then sends garbage and forged votes.
 * The honest three keep committing, record the double-signing on chain, and cut the peer off.
 */
describe("a Byzantine validator among four organisations", () => {
  let net: TestNetwork;
  let evil: P2PHost;
  let evilKey: KeyPair;
  const evilEvents: PeerEvent[] = [];

  beforeAll(async () => {
    net = await createTestNetwork(4);
    await Promise.all([0, 1, 2].map((i) => net.start(i)));
    const home = join(net.root, "org4");
    const network = readNodeNetwork(home)!;
    const genesis = readGenesis(homePaths(home).genesis);
    evilKey = readKeyFile(homePaths(home).nodeKey);
    evil = createP2PHost({
      self: network.nodeId,
      network: network.config,
      identity: network.identity,
      chainId: genesis.chainId,
      genesisHash: genesisHash(genesis),
      options: { host: "127.0.0.1", reconnectInitialMs: 50, reconnectMaxMs: 200 },
      log: pino({ level: "silent" }),
    });
    evil.onPeerEvent((e) => evilEvents.push(e));
    await evil.start();
    await until("the hostile peer is connected to all three", () => evil.connectedPeers().length === 3);
  });
  afterAll(async () => {
    await evil?.stop();
    await net?.close();
  });

  const honest = () => [0, 1, 2].map((i) => net.nodes[i]!);

  it("keeps committing with three honest validators", async () => {
    const [tx] = signedTransfers({
      chainId: "weft-test",
      asset: "WEFT",
      senders: [net.accounts.alice!],
      perSender: 1,
      recipients: [addressOf(net.accounts.bob!)],
      amount: () => "5",
    });
    const [outcome] = await honest()[0]!.service.submitTxs([tx]);
    expect(outcome?.accepted).toBe(true);
    await until("committed everywhere", () => honest().every((n) => n.store.getTxLocation(outcome!.hash!)));
  });

  it("detects double-signing and records it on chain as evidence", async () => {
    const node = honest()[0]!;
    const height = node.consensus!.height;
    const round = node.consensus!.round;
    const vote = (fill: string) =>
      signVote(evilKey, {
        type: "prevote",
        chainId: "weft-test",
        height,
        round,
        blockHash: fill.repeat(64),
        timestamp: Date.now(),
      });
    evil.broadcast("consensus", { type: "vote", vote: vote("a") });
    evil.broadcast("consensus", { type: "vote", vote: vote("b") });
    const validator = addressOf(evilKey);
    await until(
      "the evidence is committed",
      () => (node.service.query("evidence", "list", { validator }).value as unknown[]).length > 0,
    );
    const [record] = node.service.query("evidence", "list", { validator }).value as {
      height: number;
      type: string;
    }[];
    expect(record).toMatchObject({ height, type: "prevote" });
    const metrics = await node.metrics.registry.getSingleMetricAsString("weft_consensus_equivocations_total");
    expect(metrics).toContain('validator="org4"');
  });

  it("disconnects a peer that sends a forged vote, and keeps serving the others", async () => {
    const node = honest()[1]!;
    const forged = {
      ...signVote(evilKey, {
        type: "precommit",
        chainId: "weft-test",
        height: node.consensus!.height,
        round: 0,
        blockHash: null,
        timestamp: Date.now(),
      }),
    };
    forged.signature = bytesToHex(new Uint8Array(64).fill(7));
    const before = evilEvents.filter((e) => e.type === "disconnected").length;
    evil.send("org2-node", "consensus", { type: "vote", vote: forged });
    await until(
      "org2 drops the forger",
      () => evilEvents.filter((e) => e.type === "disconnected").length > before,
    );
    expect(evil.connectedPeers()).not.toContain("org2-node");
    const invalid = await node.metrics.registry.getSingleMetricAsString(
      "weft_consensus_invalid_messages_total",
    );
    expect(invalid).toContain('reason="bad-signature"');
  });

  it("disconnects a peer that sends malformed consensus messages", async () => {
    const before = evilEvents.filter((e) => e.type === "disconnected").length;
    evil.send("org3-node", "consensus", { type: "vote", vote: { height: "x" } });
    await until(
      "org3 drops the sender",
      () => evilEvents.filter((e) => e.type === "disconnected").length > before,
    );
    const node = honest()[2]!;
    const invalid = await node.metrics.registry.getSingleMetricAsString(
      "weft_consensus_invalid_messages_total",
    );
    expect(invalid).toContain('reason="malformed"');
    // Honest nodes still commit after all of this.
    const [tx] = signedTransfers({
      chainId: "weft-test",
      asset: "WEFT",
      senders: [net.accounts.bob!],
      perSender: 1,
      recipients: [addressOf(net.accounts.alice!)],
      amount: () => "1",
    });
    const [outcome] = await node.service.submitTxs([tx]);
    await until("still committing", () => honest().every((n) => n.store.getTxLocation(outcome!.hash!)));
  });
});
