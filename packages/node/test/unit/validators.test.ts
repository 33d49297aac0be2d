import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Type } from "@sinclair/typebox";
import {
  addressOf,
  blockHash,
  type CanonicalValue,
  type CommitCertificate,
  defaultChainParams,
  type Genesis,
  generateKeyPair,
  genesisHash,
  type KeyPair,
  medianCommitTime,
  type ProofError,
  parseJson,
  type SignedTx,
  signPrecommit,
  signTx,
  txHash as txHashOf,
  type Validator,
  validatorSetHash,
  verifyProof,
} from "@weft/core";
import { pino } from "pino";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { Application } from "../../src/app/application.js";
import { buildGenesisState } from "../../src/app/genesis-state.js";
import { defineMethod, type Module } from "../../src/app/module.js";
import { ModuleRegistry } from "../../src/app/registry.js";
import { auditChain } from "../../src/audit/audit.js";
import { rebuildChain } from "../../src/audit/rebuild.js";
import { Mempool } from "../../src/mempool/mempool.js";
import { defaultMempoolOptions } from "../../src/mempool/options.js";
import { SignatureVerifier } from "../../src/mempool/verifier.js";
import { createMetrics } from "../../src/metrics/metrics.js";
import { govModule } from "../../src/modules/gov/module.js";
import { validatorsModule } from "../../src/modules/validators/module.js";
import { LocalNodeService } from "../../src/service-impl.js";
import { ChainStore } from "../../src/storage/chain-store.js";

/**
 * Stands in for governance: runs validators.update through ctx.invoke, i.e. via "governance".
 * These chains have no identity module, so no authorizer judges the nested call.
 */
export const govStandIn: Module = {
  name: "govtest",
  methods: {
    update: defineMethod({
      description: "test only: validators.update as if a proposal passed",
      args: Type.Unknown(),
      execute(ctx, args) {
        ctx.invoke([{ module: "validators", method: "update", args: args as CanonicalValue }], [ctx.sender]);
      },
    }),
    run: defineMethod({
      description: "test only: any call as if a proposal passed",
      args: Type.Object({ module: Type.String(), method: Type.String(), args: Type.Unknown() }),
      execute(ctx, call) {
        ctx.invoke([{ ...call, args: call.args as CanonicalValue }], [ctx.sender]);
      },
    }),
  },
  queries: {},
};

const validatorOf = (name: string, key: KeyPair, power = 10): Validator => ({
  address: addressOf(key),
  publicKey: { alg: key.alg, publicKey: key.publicKey },
  power,
  name,
});
const change = (name: string, key: KeyPair, power: number) => ({
  name,
  publicKey: { alg: key.alg, publicKey: key.publicKey },
  power,
});

/** A chain on LMDB whose blocks are certified by every validator of their height's set. */
class MultiChain {
  readonly dir = mkdtempSync(join(tmpdir(), "weft-vals-"));
  readonly keys = new Map<string, KeyPair>();
  readonly registry = new ModuleRegistry([validatorsModule, govModule, govStandIn]);
  store!: ChainStore;
  app!: Application;
  service!: LocalNodeService;
  private sequence = 0;

  constructor(
    readonly genesis: Genesis,
    keys: KeyPair[],
    readonly sender: KeyPair,
  ) {
    for (const k of keys) this.keys.set(addressOf(k), k);
  }

  async open(): Promise<void> {
    this.store = ChainStore.open({ dataDir: join(this.dir, "data") });
    await this.store.commitGenesis(
      genesisHash(this.genesis),
      this.genesis.genesisTime,
      buildGenesisState(this.genesis, this.registry),
    );
    this.app = new Application(this.genesis, this.registry, this.store, new Mempool(defaultMempoolOptions));
    this.service = new LocalNodeService(
      this.genesis,
      this.app,
      this.store,
      createMetrics({ defaultMetrics: false }),
      pino({ level: "silent" }),
      new SignatureVerifier(0),
    );
  }

  tx(module: string, method: string, args: unknown): SignedTx {
    return signTx(
      {
        chainId: this.genesis.chainId,
        signer: { alg: this.sender.alg, publicKey: this.sender.publicKey },
        sequence: this.sequence++,
        expiresAt: 1_000_000,
        module,
        method,
        args: args as { [key: string]: CanonicalValue },
      },
      this.sender,
    );
  }

  /** Builds the next block (proposer: the first of its set), checks it as a peer would, commits it. */
  async block(txs: SignedTx[] = [], proposer?: string): Promise<number> {
    if (txs.length > 0) {
      const outcomes = await this.service.submitTxs(txs);
      for (const o of outcomes) expect(o.accepted).toBe(true);
    }
    const head = this.app.lastCommitted();
    const height = head.height + 1;
    const set = this.app.validatorsAt(height);
    const time =
      head.commit === null
        ? this.genesis.genesisTime
        : medianCommitTime(head.commit, this.app.validatorsAt(height - 1));
    const block = this.app.prepareProposal({
      height,
      time,
      proposer: proposer ?? (set[0] as Validator).address,
      lastCommit: head.commit,
    });
    const problem = this.app.proposalProblem(block);
    if (problem) throw new Error(problem);
    const hash = blockHash(block.header);
    const commit: CommitCertificate = {
      chainId: this.genesis.chainId,
      height,
      round: 0,
      blockHash: hash,
      signatures: set.map((v) =>
        signPrecommit(this.keys.get(v.address) as KeyPair, {
          chainId: this.genesis.chainId,
          height,
          round: 0,
          blockHash: hash,
          timestamp: time + 1000,
        }),
      ),
    };
    await this.app.commitBlock(block, commit);
    return height;
  }

  errorOf(tx: SignedTx): string | undefined {
    const loc = this.store.getTxLocation(txHashOf(tx));
    if (!loc) throw new Error("transaction not committed");
    return this.store.getResult(loc.height, loc.index)?.receipt.error?.code;
  }

  state(key: string): CanonicalValue | undefined {
    const bytes = this.store.getState(key);
    return bytes === undefined ? undefined : (parseJson(bytes) as CanonicalValue);
  }

  async close(): Promise<void> {
    await this.store.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

const failure = (bundle: unknown, genesis: Genesis): { code: string; part: string } => {
  try {
    verifyProof(bundle, genesis);
  } catch (e) {
    const err = e as ProofError;
    return { code: err.code, part: err.type.part };
  }
  return { code: "VALID", part: "" };
};
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

describe("validators module", () => {
  const [v1, v2, v3, sender] = [
    generateKeyPair(),
    generateKeyPair("p256"),
    generateKeyPair(),
    generateKeyPair(),
  ];
  const genesis: Genesis = {
    chainId: "weft-vals",
    genesisTime: 1_700_000_000_000,
    validators: [validatorOf("v1", v1 as KeyPair), validatorOf("v2", v2 as KeyPair)],
    params: { ...defaultChainParams },
    appState: {},
  };
  let chain: MultiChain;
  beforeEach(async () => {
    chain = new MultiChain(genesis, [v1, v2, v3] as KeyPair[], sender as KeyPair);
    await chain.open();
  });
  afterEach(async () => {
    await chain.close();
  });

  it("refuses a direct transaction: validators.update is governance only", async () => {
    const tx = chain.tx("validators", "update", { changes: [change("v3", v3 as KeyPair, 10)] });
    await chain.block([tx]);
    expect(chain.errorOf(tx)).toBe("VALIDATORS_GOVERNANCE_ONLY");
    expect(chain.state("validators/pending/000000000003")).toBeUndefined();
  });

  it("checks heights, keys, powers, duplicates, removals and emptiness with typed errors", async () => {
    await chain.block(); // height 1; the next transactions run at height 2
    const smallOrder = { alg: "ed25519", publicKey: `01${"00".repeat(31)}` };
    const cases: [unknown, string][] = [
      [{ changes: [change("v3", v3 as KeyPair, 10)], effectiveHeight: 3 }, "VALIDATORS_BAD_HEIGHT"],
      [{ changes: [{ name: "x", publicKey: smallOrder, power: 10 }] }, "VALIDATORS_BAD_KEY"],
      [{ changes: [change("v3", v3 as KeyPair, -1)] }, "VALIDATORS_BAD_POWER"],
      [{ changes: [change("v3", v3 as KeyPair, 2_000_000_000)] }, "VALIDATORS_BAD_POWER"],
      [
        { changes: [change("v3", v3 as KeyPair, 10), change("v3b", v3 as KeyPair, 5)] },
        "VALIDATORS_DUPLICATE",
      ],
      [{ changes: [change("v3", v3 as KeyPair, 0)] }, "VALIDATORS_NOT_IN_SET"],
      [{ changes: [change("v1", v1 as KeyPair, 0), change("v2", v2 as KeyPair, 0)] }, "VALIDATORS_EMPTY_SET"],
    ];
    const txs = cases.map(([args]) => chain.tx("govtest", "update", args));
    await chain.block(txs);
    expect(txs.map((tx) => chain.errorOf(tx))).toEqual(cases.map(([, code]) => code));
    expect(chain.state("validators/scheduled")).toBeUndefined();

    // A later change already scheduled would silently undo an earlier one computed before it.
    const later = chain.tx("govtest", "update", {
      changes: [change("v3", v3 as KeyPair, 10)],
      effectiveHeight: 9,
    });
    const earlier = chain.tx("govtest", "update", {
      changes: [change("v3", v3 as KeyPair, 5)],
      effectiveHeight: 6,
    });
    await chain.block([later, earlier]);
    expect(chain.errorOf(later)).toBeUndefined();
    expect(chain.errorOf(earlier)).toBe("VALIDATORS_LATER_CHANGE");
  });

  it("schedules a set for effectiveHeight, switches at that height, and later removes a validator", async () => {
    await chain.block(); // 1
    const add = chain.tx("govtest", "update", { changes: [change("v3", v3 as KeyPair, 10)] });
    const h = await chain.block([add]); // 2: effective 4 by default
    expect(chain.errorOf(add)).toBeUndefined();
    const pending = chain.state("validators/pending/000000000004") as unknown as Validator[];
    expect(pending.map((v) => v.name).sort()).toEqual(["v1", "v2", "v3"]);
    expect(chain.service.query("validators", "pending", { height: "4" }).value).toEqual(pending);
    const scheduled = chain.store.getResult(h, 0)?.events.map((e) => e.entry.type);
    expect(scheduled).toEqual(["ValidatorSetScheduled"]);

    await chain.block(); // 3: its endBlock makes the pending set the set of 4
    expect(chain.state("validators/set")).toEqual(pending);
    expect(chain.state("validators/pending/000000000004")).toBeUndefined();
    expect(chain.app.validatorsAt(3)).toEqual(genesis.validators);
    expect(chain.app.validatorsAt(4)).toEqual(pending);
    expect(chain.store.getBlock(3)?.header.validatorSetHash).toBe(validatorSetHash(genesis.validators));

    await chain.block(); // 4, certified by three validators
    expect(chain.store.getBlock(4)?.header.validatorSetHash).toBe(validatorSetHash(pending));
    expect(chain.store.getCommit(4)?.signatures.map((s) => s.validator)).toContain(addressOf(v3 as KeyPair));

    const remove = chain.tx("govtest", "update", {
      changes: [change("v1", v1 as KeyPair, 0)],
      effectiveHeight: 7,
    });
    await chain.block([remove]); // 5
    await chain.block(); // 6
    await chain.block(); // 7: v1 is out
    const last = chain.app.validatorsAt(7);
    expect(last.map((v) => v.name).sort()).toEqual(["v2", "v3"]);
    expect(chain.store.getCommit(7)?.signatures.map((s) => s.validator)).not.toContain(
      addressOf(v1 as KeyPair),
    );
    expect(chain.state("validators/changes")).toEqual([4, 7]);

    // A removed validator can no longer propose.
    const head = chain.app.lastCommitted();
    const block = chain.app.prepareProposal({
      height: 8,
      time: medianCommitTime(head.commit as CommitCertificate, last),
      proposer: addressOf(v1 as KeyPair),
      lastCommit: head.commit,
    });
    expect(chain.app.proposalProblem(block)).toMatch(/header.proposer is not a validator/);
  });

  it("takes block limits from gov/params once governance sets them", async () => {
    expect(chain.app.params()).toEqual(defaultChainParams);
    const params = { maxBlockBytes: 1_048_576, maxBlockTxs: 2, maxTxBytes: 700, timeoutProposeMs: 500 };
    const set = chain.tx("govtest", "run", { module: "gov", method: "setParams", args: { params } });
    await chain.block([set]);
    expect(chain.errorOf(set)).toBeUndefined();
    expect(chain.app.params()).toEqual(params);
    const small = [0, 1, 2].map(() => chain.tx("govtest", "update", { changes: [] }));
    const first = small[0] as SignedTx;
    const big = signTx({ ...first.body, args: { changes: [], pad: "x".repeat(400) } }, chain.sender);
    const [refused] = await chain.service.submitTxs([big]);
    expect(refused).toMatchObject({ accepted: false, error: { code: "TX_TOO_LARGE" } });
    const h = await chain.block(small);
    expect(chain.store.getBlock(h)?.txs).toHaveLength(2);
  });

  it("tx and state proofs carry the set changes, verify offline, and fail when a change is altered", async () => {
    const before = chain.tx("govtest", "update", { changes: [change("v3", v3 as KeyPair, 10)] });
    await chain.block([before]); // 1 → effective 3
    await chain.block(); // 2
    const remove = chain.tx("govtest", "update", { changes: [change("v1", v1 as KeyPair, 0)] });
    await chain.block([remove]); // 3 → effective 5
    await chain.block(); // 4
    const after = chain.tx("govtest", "update", { changes: [change("v2", v2 as KeyPair, 20)] });
    await chain.block([after]); // 5
    await chain.block(); // 6 (its certificate is the head's)

    const old = chain.service.proveTx(txHashOf(before));
    expect(old.validatorSetChanges).toBeUndefined();
    expect(verifyProof(old, genesis).height).toBe(1);

    const bundle = chain.service.proveTx(txHashOf(after));
    expect(bundle.validatorSetChanges?.map((c) => c.header.height)).toEqual([2, 4]);
    expect(verifyProof(clone(bundle), genesis)).toMatchObject({ height: 5 });
    const state = chain.service.proveState("validators/set");
    expect(verifyProof(clone(state), genesis)).toMatchObject({ height: 6 });

    const powered = clone(bundle);
    (powered.validatorSetChanges?.[1]?.set[0] as Validator).power = 1_000;
    expect(failure(powered, genesis)).toEqual({ code: "PROOF_BAD_VALIDATOR_CHANGE", part: "validators" });
    const signature = clone(bundle);
    const sig = signature.validatorSetChanges?.[0]?.commit.signatures[0];
    if (sig) sig.signature = `${sig.signature[0] === "0" ? "1" : "0"}${sig.signature.slice(1)}`;
    expect(failure(signature, genesis).code).toBe("PROOF_BAD_VALIDATOR_CHANGE");
    const reordered = clone(bundle);
    reordered.validatorSetChanges?.reverse();
    expect(failure(reordered, genesis).code).toBe("PROOF_BAD_VALIDATOR_CHANGE");
    const dropped = clone(bundle);
    dropped.validatorSetChanges?.pop();
    expect(failure(dropped, genesis).code).toBe("PROOF_WRONG_VALIDATOR_SET");
    const none = clone(bundle);
    delete none.validatorSetChanges;
    expect(failure(none, genesis)).toEqual({ code: "PROOF_WRONG_VALIDATOR_SET", part: "header" });

    const report = await auditChain(chain.store, genesis, chain.registry);
    expect(report).toMatchObject({ ok: true, blocks: 6 });
    const root = chain.store.head()?.stateRoot;
    const rebuilt = await rebuildChain(chain.store, genesis, chain.registry);
    expect(rebuilt.stateRoot).toBe(root);
  });
});
