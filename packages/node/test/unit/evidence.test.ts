import {
  addressOf,
  type Genesis,
  generateKeyPair,
  type KeyPair,
  type SignedTx,
  type SignedVote,
  signTx,
  signVote,
  txHash,
  type VoteBody,
} from "@weft/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { buildGenesisState } from "../../src/app/genesis-state.js";
import { createTestChain, type TestChain } from "../support/chain.js";

const A = "a".repeat(64);
const B = "b".repeat(64);

describe("evidence module", () => {
  let chain: TestChain;
  /** Keys changed by each committed block. */
  let changes: string[][];
  beforeEach(async () => {
    chain = await createTestChain();
    changes = [];
    chain.app.onCommit((executed) => changes.push(executed.write.stateChanges.map(([key]) => key)));
  });
  afterEach(async () => {
    await chain.close();
  });

  const vote = (key: KeyPair, blockHash: string | null, overrides: Partial<VoteBody> = {}): SignedVote =>
    signVote(key, {
      type: "prevote",
      chainId: chain.genesis.chainId,
      height: 1,
      round: 0,
      blockHash,
      timestamp: 1_700_000_000_500,
      ...overrides,
    });

  const evidenceTx = (signer: KeyPair, a: unknown, b: unknown): SignedTx =>
    signTx(
      {
        chainId: chain.genesis.chainId,
        signer: { alg: signer.alg, publicKey: signer.publicKey },
        sequence: chain.app.nextSequence(addressOf(signer)),
        expiresAt: 1_000_000,
        module: "evidence",
        method: "submit",
        args: { a, b } as unknown as SignedTx["body"]["args"],
      },
      signer,
    );

  /** Submits one evidence transaction in its own block and returns its committed status. */
  const submit = async (a: unknown, b: unknown, signer = chain.alice) => {
    const tx = evidenceTx(signer, a, b);
    const [outcome] = await chain.submit(tx);
    expect(outcome?.accepted).toBe(true);
    await chain.produceBlock();
    return chain.service.getTx(txHash(tx))!;
  };

  const failure = async (a: unknown, b: unknown) => {
    const status = await submit(a, b);
    expect(status.receipt?.status).toBe("failed");
    // Only the sender's sequence moved: the evidence namespace is untouched.
    expect(changes.at(-1)).toEqual([`auth/sequence/${addressOf(chain.alice)}`]);
    return status.receipt?.error?.code;
  };

  const record = (validator: string, height: number | string, round: number | string, type: string) =>
    chain.service.query("evidence", "get", { validator, height, round, type }).value;

  it("records a double sign with a canonical record, an index entry and an event", async () => {
    const v = addressOf(chain.validator);
    const a = vote(chain.validator, A);
    const b = vote(chain.validator, B, { timestamp: 1_700_000_000_900 });
    const status = await submit(b, a);
    expect(status.receipt?.status).toBe("ok");
    expect(status.events).toHaveLength(1);
    expect(status.events?.[0]).toMatchObject({
      module: "evidence",
      type: "DoubleSign",
      attributes: { validator: v, height: 1, round: 0, type: "prevote", reportedBy: addressOf(chain.alice) },
    });
    const expected = {
      validator: v,
      height: 1,
      round: 0,
      type: "prevote",
      votes: [a, b],
      reportedBy: addressOf(chain.alice),
      reportedAt: 1,
    };
    expect(chain.service.getState(`evidence/${v}/1/0/prevote`).value).toEqual(expected);
    expect(record(v, "1", "0", "prevote")).toEqual(expected); // query parameters as HTTP sends them
    expect(record(v, 1, 0, "prevote")).toEqual(expected);
    expect(record(v, 1, 0, "precommit")).toBeNull();
    expect(chain.service.query("evidence", "list", { validator: v }).value).toEqual([
      { height: 1, round: 0, type: "prevote" },
    ]);
    expect(chain.service.query("evidence", "list", { validator: addressOf(chain.bob) }).value).toEqual([]);
  });

  it("lists a validator's offences in height, round, type order and puts nil votes first", async () => {
    const v = addressOf(chain.validator);
    await chain.produceBlock();
    await chain.produceBlock();
    const at = (height: number, round: number, type: VoteBody["type"]) => ({ height, round, type });
    for (const ref of [
      at(2, 1, "prevote"),
      at(1, 3, "precommit"),
      at(2, 0, "precommit"),
      at(1, 3, "prevote"),
    ]) {
      expect(
        (await submit(vote(chain.validator, A, ref), vote(chain.validator, null, ref))).receipt?.status,
      ).toBe("ok");
      expect(
        (record(v, ref.height, ref.round, ref.type) as unknown as { votes: SignedVote[] }).votes.map(
          (x) => x.blockHash,
        ),
      ).toEqual([null, A]);
    }
    expect(chain.service.query("evidence", "list", { validator: v }).value).toEqual([
      at(1, 3, "precommit"),
      at(1, 3, "prevote"),
      at(2, 0, "precommit"),
      at(2, 1, "prevote"),
    ]);
  });

  it("produces the same record and state root whichever order the votes come in", async () => {
    const keys = [chain.validator, chain.alice, chain.bob];
    const other = await createTestChain({ keys });
    try {
      const a = vote(chain.validator, A);
      const b = vote(chain.validator, B);
      const tx = evidenceTx(chain.alice, b, a); // the same sequence on both chains
      await submit(a, b);
      await other.submit(tx);
      await other.produceBlock();
      expect(other.service.getTx(txHash(tx))?.receipt?.status).toBe("ok");
      const key = `evidence/${addressOf(chain.validator)}/1/0/prevote`;
      expect(other.service.getState(key).value).toEqual(chain.service.getState(key).value);
      expect(other.store.head()?.stateRoot).toBe(chain.store.head()?.stateRoot);
    } finally {
      await other.close();
    }
  });

  it("refuses a double sign already recorded, in either order or with other timestamps", async () => {
    const a = vote(chain.validator, A);
    const b = vote(chain.validator, B);
    await submit(a, b);
    expect(await failure(a, b)).toBe("EVIDENCE_DUPLICATE");
    expect(await failure(b, a)).toBe("EVIDENCE_DUPLICATE");
    expect(await failure(vote(chain.validator, null), vote(chain.validator, B, { timestamp: 5 }))).toBe(
      "EVIDENCE_DUPLICATE",
    );
  });

  it("refuses votes that are not an equivocation", async () => {
    await chain.produceBlock();
    const v = chain.validator;
    const cases: [SignedVote, SignedVote, string][] = [
      [vote(v, A), vote(v, A, { timestamp: 1 }), "blockHash"],
      [vote(v, null), vote(v, null), "blockHash"],
      [vote(v, A), vote(v, B, { height: 2 }), "height"],
      [vote(v, A), vote(v, B, { round: 1 }), "round"],
      [vote(v, A), vote(v, B, { type: "precommit" }), "type"],
      [vote(v, A), vote(chain.alice, B), "validator"],
    ];
    for (const [a, b, field] of cases) {
      const status = await submit(a, b);
      expect(status.receipt?.error?.code, field).toBe("EVIDENCE_NOT_EQUIVOCATION");
      expect(status.receipt?.error?.message, field).toContain(field);
      expect(changes.at(-1)).toEqual([`auth/sequence/${addressOf(chain.alice)}`]);
    }
  });

  it("refuses votes of an account that is not a validator", async () => {
    expect(await failure(vote(chain.bob, A), vote(chain.bob, B))).toBe("EVIDENCE_UNKNOWN_VALIDATOR");
  });

  it("refuses bad signatures", async () => {
    const a = vote(chain.validator, A);
    const b = vote(chain.validator, B);
    const flipped = { ...b, signature: (b.signature[0] === "0" ? "1" : "0") + b.signature.slice(1) };
    expect(await failure(a, flipped)).toBe("EVIDENCE_BAD_SIGNATURE");
    expect(await failure({ ...a, signature: b.signature }, b)).toBe("EVIDENCE_BAD_SIGNATURE");
    // Signed by someone else in the validator's name.
    const forged = { ...vote(chain.alice, B), validator: addressOf(chain.validator) };
    expect(await failure(a, forged)).toBe("EVIDENCE_BAD_SIGNATURE");
    // The timestamp is signed too.
    expect(await failure(a, { ...b, timestamp: b.timestamp + 1 })).toBe("EVIDENCE_BAD_SIGNATURE");
    expect(record(addressOf(chain.validator), 1, 0, "prevote")).toBeNull();
  });

  it("refuses votes above the current height", async () => {
    const ref = { height: 2 };
    expect(await failure(vote(chain.validator, A, ref), vote(chain.validator, B, ref))).toBe(
      "EVIDENCE_FUTURE_HEIGHT",
    );
  });

  it("refuses votes for another chain", async () => {
    const ref = { chainId: "other-chain" };
    expect(await failure(vote(chain.validator, A, ref), vote(chain.validator, B, ref))).toBe(
      "EVIDENCE_WRONG_CHAIN",
    );
    expect(await failure(vote(chain.validator, A), vote(chain.validator, B, ref))).toBe(
      "EVIDENCE_WRONG_CHAIN",
    );
  });

  it("refuses malformed votes at admission", async () => {
    const a = vote(chain.validator, A);
    const b = vote(chain.validator, B);
    for (const bad of [
      { ...b, extra: 1 },
      { ...b, blockHash: "abc" },
      { ...b, height: 0 },
      { ...b, type: "proposal" },
      { ...b, signature: undefined },
    ]) {
      const [outcome] = await chain.submit(evidenceTx(chain.alice, a, bad));
      expect(outcome && !outcome.accepted && outcome.error.code).toBe("APP_INVALID_ARGS");
    }
    expect(chain.app.mempool.size).toBe(0);
  });
});

describe("evidence module genesis", () => {
  const genesisWith = (appState: Genesis["appState"]): Genesis => {
    const key = generateKeyPair();
    return {
      chainId: "weft-test",
      genesisTime: 1,
      validators: [
        {
          address: addressOf(key),
          publicKey: { alg: key.alg, publicKey: key.publicKey },
          power: 1,
          name: "v",
        },
      ],
      params: { maxBlockBytes: 1 << 20, maxBlockTxs: 100, maxTxBytes: 1 << 16 },
      appState,
    };
  };
  let chain: TestChain;
  beforeEach(async () => {
    chain = await createTestChain();
  });
  afterEach(async () => {
    await chain.close();
  });

  it("needs no genesis state and accepts an empty one", () => {
    const token = { assets: [], balances: [] };
    const without = buildGenesisState(genesisWith({ token }), chain.registry);
    const empty = buildGenesisState(genesisWith({ token, evidence: {} }), chain.registry);
    expect(empty.stateRoot).toBe(without.stateRoot);
    expect(() => buildGenesisState(genesisWith({ token, evidence: { x: 1 } }), chain.registry)).toThrow(
      expect.objectContaining({ code: "APP_INVALID_ARGS" }),
    );
  });
});
