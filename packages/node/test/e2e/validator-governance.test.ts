import { join } from "node:path";
import type { TendermintState } from "@weft/consensus";
import { addressOf, type CanonicalValue, type KeyPair, type SignedTx, signTx } from "@weft/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { homePaths, readKeyFile } from "../../src/config/home.js";
import { createTestNetwork, type TestNetwork, until } from "../support/network.js";

/**
 * The whole path on a permissioned chain (`weft init --orgs` genesis): an organisation's admin
 * proposes validators.update, the admins of enough organisations vote, the proposal executes
 * via governance, and the new node signs from the effective height.
 */
describe("validator set change through a real governance proposal", () => {
  let net: TestNetwork;
  const sequences = new Map<string, number>();
  const tx = (key: KeyPair, module: string, method: string, args: unknown): SignedTx => {
    const address = addressOf(key);
    const sequence = sequences.get(address) ?? 0;
    sequences.set(address, sequence + 1);
    return signTx(
      {
        chainId: "weft-test",
        signer: { alg: key.alg, publicKey: key.publicKey },
        sequence,
        expiresAt: 1_000_000,
        module,
        method,
        args: args as { [key: string]: CanonicalValue },
      },
      key,
    );
  };
  const submit = async (t: SignedTx) => {
    const [outcome] = await net.nodes[0]!.service.submitTxs([t]);
    expect(outcome, JSON.stringify(outcome)).toMatchObject({ accepted: true });
    return outcome!.hash!;
  };
  const committed = (hash: string) =>
    until(`${hash.slice(0, 8)} committed`, () => net.nodes[0]!.store.getTxLocation(hash) !== undefined);

  beforeAll(async () => {
    net = await createTestNetwork(5, { nonValidators: 1 });
    for (const i of [0, 1, 2, 3, 4]) await net.start(i);
  }, 90_000);
  afterAll(async () => {
    await net?.close();
  });

  it("adds the fifth organisation's node once four of five organisations' admins approve", async () => {
    const fifthKey = readKeyFile(homePaths(join(net.root, "org5")).nodeKey);
    const admins = net.report.orgs.map((o) => o.admin);
    const propose = tx(admins[0]!, "gov", "propose", {
      title: "org5 joins the validators; faster proposals",
      actions: [
        {
          module: "validators",
          method: "update",
          args: {
            changes: [
              { name: "org5", publicKey: { alg: fifthKey.alg, publicKey: fifthKey.publicKey }, power: 10 },
            ],
          },
        },
        {
          module: "gov",
          method: "setParams",
          args: {
            params: {
              maxBlockBytes: 8 * 1024 * 1024,
              maxBlockTxs: 10_000,
              maxTxBytes: 64 * 1024,
              timeoutProposeMs: 900,
              timeoutVoteMs: 300,
              timeoutDeltaMs: 200,
            },
          },
        },
      ],
    });
    await committed(await submit(propose));
    let last = "";
    for (const i of [1, 2, 3]) {
      last = await submit(tx(admins[i]!, "gov", "vote", { id: 1, approve: true }));
      await committed(last);
    }
    const proposal = net.nodes[0]!.service.query("gov", "proposal", { id: 1 }).value as {
      status: string;
      error?: unknown;
    };
    expect(proposal.error).toBeUndefined();
    expect(proposal.status).toBe("executed");
    const effective = net.nodes[0]!.store.getTxLocation(last)!.height + 2;
    const fifth = addressOf(fifthKey);
    const alice = net.accounts.alice!;
    let lastTransfer = 0;
    const signedAt = () => {
      const head = net.nodes[1]!.store.head()?.height ?? 0;
      for (let h = effective; h <= head; h++)
        if (net.nodes[1]!.store.getCommit(h)?.signatures.some((s) => s.validator === fifth)) return h;
      return 0;
    };
    await until(
      "the fifth node's precommit in a certificate",
      () => {
        if (signedAt() > 0) return true;
        // Transfers keep blocks coming while waiting (a few per second).
        if (Date.now() - lastTransfer < 300) return false;
        lastTransfer = Date.now();
        void net.nodes[1]!.service.submitTxs([
          tx(alice, "token", "transfer", { asset: "WEFT", to: addressOf(net.accounts.bob!), amount: "1" }),
        ]);
        return false;
      },
      45_000,
    );
    expect(net.nodes[4]!.service.query("validators", "set", {}).value).toHaveLength(5);
    // The engines of later heights run with the timeouts governance set, over node options.
    const engine = (net.nodes[2]!.consensus as unknown as { engine: TendermintState }).engine;
    expect(engine.config.timeouts.propose).toEqual({ baseMs: 900, deltaMs: 200 });
    expect(engine.config.validators).toHaveLength(5);
  }, 90_000);
});
