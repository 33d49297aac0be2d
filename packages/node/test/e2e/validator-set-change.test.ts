import { join } from "node:path";
import { Type } from "@sinclair/typebox";
import {
  addressOf,
  type CanonicalValue,
  type KeyPair,
  type ProofError,
  type SignedTx,
  signTx,
  type TxProofBundle,
  type Validator,
  verifyProof,
} from "@weft/core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineMethod, type Module } from "../../src/app/module.js";
import { ModuleRegistry } from "../../src/app/registry.js";
import { auditChain } from "../../src/audit/audit.js";
import { homePaths, readKeyFile } from "../../src/config/home.js";
import { defaultModules } from "../../src/modules/index.js";
import { ChainStore } from "../../src/storage/chain-store.js";
import { createTestNetwork, type TestNetwork, until } from "../support/network.js";

/**
 * Stands in for a decided proposal: runs validators.update through ctx.invoke ("governance").
 * The chain is open (no appState.identity), so no policy judges the nested call.
 */
const govStandIn: Module = {
  name: "govtest",
  methods: {
    update: defineMethod({
      description: "test only: validators.update as if a proposal passed",
      args: Type.Unknown(),
      execute(ctx, args) {
        ctx.invoke([{ module: "validators", method: "update", args: args as CanonicalValue }], [ctx.sender]);
      },
    }),
  },
  queries: {},
};
const modules = [...defaultModules, govStandIn];

describe("validator set changes by governance on a live network", () => {
  let net: TestNetwork;
  let node4Key: KeyPair;
  let node0Key: KeyPair;
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
  const running = () => net.nodes.filter((n) => n !== undefined);
  const submit = async (t: SignedTx, via = 1) => {
    const [outcome] = await net.nodes[via]!.service.submitTxs([t]);
    expect(outcome?.accepted).toBe(true);
    return outcome!.hash!;
  };
  const committedEverywhere = (hash: string) =>
    until(`${hash.slice(0, 8)} committed on every node`, () =>
      running().every((n) => n.store.getTxLocation(hash) !== undefined),
    );
  /** Transfers keep blocks coming while the test waits for heights (a few per second). */
  let lastTransfer = 0;
  const keepBusy = () => {
    if (Date.now() - lastTransfer < 300) return;
    lastTransfer = Date.now();
    void submit(transfer()).catch(() => undefined);
  };
  const transfer = () =>
    tx(net.accounts.alice!, "token", "transfer", {
      asset: "WEFT",
      to: addressOf(net.accounts.bob!),
      amount: "1",
    });
  const signersAt = (h: number) => net.nodes[1]!.store.getCommit(h)?.signatures.map((s) => s.validator) ?? [];
  const headOf = (i: number) => net.nodes[i]!.store.head()?.height ?? 0;

  beforeAll(async () => {
    net = await createTestNetwork(5, {
      nonValidators: 1,
      modules,
      genesis: (g) => {
        const { identity: _identity, ...appState } = g.appState;
        return { ...g, appState };
      },
    });
    node4Key = readKeyFile(homePaths(join(net.root, "org5")).nodeKey);
    node0Key = readKeyFile(homePaths(join(net.root, "org1")).nodeKey);
    for (const i of [0, 1, 2, 3, 4]) await net.start(i);
  }, 90_000);
  afterAll(async () => {
    await net?.close();
  });

  it("runs a fifth node that is not a validator: it connects and follows the chain", async () => {
    expect(net.report.genesis.validators).toHaveLength(4);
    expect(net.report.genesis.validators.map((v) => v.address)).not.toContain(addressOf(node4Key));
    await until("fifth node connected", () => (net.nodes[4]?.p2p?.connectedPeers().length ?? 0) >= 4);
    await committedEverywhere(await submit(transfer()));
  }, 60_000);

  it("adds the fifth node's key: from the effective height it signs blocks", async () => {
    const add = tx(net.accounts.bob!, "govtest", "update", {
      changes: [
        {
          name: "org5-validator",
          publicKey: { alg: node4Key.alg, publicKey: node4Key.publicKey },
          power: 10,
        },
      ],
    });
    const hash = await submit(add);
    await committedEverywhere(hash);
    const loc = net.nodes[1]!.store.getTxLocation(hash)!;
    expect(net.nodes[1]!.store.getResult(loc.height, loc.index)?.receipt.error).toBeUndefined();
    const at = loc.height;
    const effective = at + 2;
    const fifth = addressOf(node4Key);
    let signed = 0;
    await until(
      "the fifth node's precommit in a certificate",
      () => {
        for (let h = effective; h <= headOf(1); h++) if (signersAt(h).includes(fifth)) signed = h;
        if (signed === 0) keepBusy();
        return signed > 0;
      },
      45_000,
    );
    expect(signed).toBeGreaterThanOrEqual(effective);
    for (let h = 1; h < effective; h++) expect(signersAt(h)).not.toContain(fifth);
    const set = net.nodes[4]!.service.query("validators", "set", {}).value as unknown as Validator[];
    expect(set.map((v) => v.address)).toContain(fifth);
  }, 60_000);

  it("removes the first node: its signatures stop counting and the chain keeps committing", async () => {
    const remove = tx(net.accounts.bob!, "govtest", "update", {
      changes: [{ name: "org1", publicKey: { alg: node0Key.alg, publicKey: node0Key.publicKey }, power: 0 }],
    });
    const hash = await submit(remove);
    await committedEverywhere(hash);
    const effective = net.nodes[1]!.store.getTxLocation(hash)!.height + 2;
    const first = addressOf(node0Key);
    await until(
      "four blocks past the removal",
      () => {
        if (headOf(1) < effective + 4) keepBusy();
        return headOf(1) >= effective + 4;
      },
      45_000,
    );
    for (let h = effective; h <= effective + 4; h++) {
      expect(signersAt(h).length).toBeGreaterThanOrEqual(3);
      expect(signersAt(h)).not.toContain(first);
    }
    // The removed node still follows the chain.
    await until("the removed node follows", () => headOf(0) >= effective + 4);
  }, 60_000);

  it("proves a transaction after both changes offline, and refuses an altered change", async () => {
    const hash = await submit(transfer());
    await committedEverywhere(hash);
    const at = net.nodes[2]!.store.getTxLocation(hash)!.height;
    await until("the transaction's block is certified", () => headOf(2) > at);
    const bundle = net.nodes[2]!.service.proveTx(hash);
    expect(bundle.validatorSetChanges).toHaveLength(2);
    expect(verifyProof(JSON.parse(JSON.stringify(bundle)), net.report.genesis).height).toBe(at);
    const forged = JSON.parse(JSON.stringify(bundle)) as TxProofBundle;
    forged.validatorSetChanges![0]!.set[0]!.power += 1;
    let code = "VALID";
    try {
      verifyProof(forged, net.report.genesis);
    } catch (e) {
      code = (e as ProofError).code;
    }
    expect(code).toBe("PROOF_BAD_VALIDATOR_CHANGE");
  }, 60_000);

  it("restarts a validator after the changes: it rebuilds its engine from the current set", async () => {
    await net.stop(3);
    await net.start(3);
    const from = headOf(1);
    const fourth = net.report.orgs[3]!.validator;
    await until(
      "the restarted node signs again",
      () => {
        for (let h = from + 1; h <= headOf(1); h++) if (signersAt(h).includes(fourth)) return true;
        keepBusy();
        return false;
      },
      45_000,
    );
    await until("the restarted node is at the head", () => headOf(3) >= from);
  }, 60_000);

  it("passes audit over the whole chain, both changes included", async () => {
    const dataDir = homePaths(join(net.root, "org2")).data;
    await net.stop(1);
    const store = ChainStore.open({ dataDir });
    try {
      const report = await auditChain(store, net.report.genesis, new ModuleRegistry(modules));
      expect(report.failure).toBeUndefined();
      expect(report.ok).toBe(true);
    } finally {
      await store.close();
    }
  }, 60_000);
});
