import {
  addressOf,
  canonicalString,
  type ProofError,
  type SignedTx,
  type StateProofBundle,
  type TxProofBundle,
  txHash,
  verifyProof,
} from "@weft/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auditChain } from "../../src/audit/audit.js";
import { rebuildChain } from "../../src/audit/rebuild.js";
import { createTestChain, type TestChain } from "../support/chain.js";

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const flipHex = (h: string) => (h[0] === "0" ? "1" : "0") + h.slice(1);

function proofFailure(bundle: unknown, chain: TestChain): { code: string; part: string } {
  try {
    verifyProof(bundle, chain.genesis);
  } catch (e) {
    const err = e as ProofError;
    return { code: err.code, part: err.type.part };
  }
  return { code: "VALID", part: "" };
}

describe("chain: blocks, proofs, audit and rebuild", () => {
  let chain: TestChain;
  let transfers: SignedTx[];
  beforeEach(async () => {
    chain = await createTestChain();
    transfers = [];
    for (let b = 0; b < 3; b++) {
      for (let i = 0; i < 5; i++) {
        const tx = chain.tx(chain.alice, "transfer", {
          asset: "EUR",
          to: addressOf(chain.bob),
          amount: String(10 + i),
        });
        transfers.push(tx);
        await chain.submit(tx);
      }
      await chain.produceBlock();
    }
  });
  afterEach(async () => {
    await chain.close();
  });

  it("hash-chains blocks with certificates, BFT time and receipts", () => {
    const b1 = chain.service.getBlock(1);
    const b2 = chain.service.getBlock(2);
    expect(b1?.block.lastCommit).toBeNull();
    expect(b1?.block.header.time).toBe(chain.genesis.genesisTime);
    expect(b2?.block.header.previousBlockHash).toBe(b1?.hash);
    expect(b2?.block.lastCommit?.blockHash).toBe(b1?.hash);
    expect(b2?.block.header.time).toBe(b1?.commit?.signatures[0]?.timestamp);
    expect(chain.service.getTx(txHash(transfers[7]!))).toMatchObject({
      status: "committed",
      height: 2,
      index: 2,
    });
    expect(chain.service.getTx(txHash(transfers[7]!))?.events?.[0]?.type).toBe("Transferred");
  });

  it("exports transaction proofs that verify offline and rejects every kind of tampering", () => {
    const bundle = chain.service.proveTx(txHash(transfers[6]!));
    expect(verifyProof(bundle, chain.genesis)).toMatchObject({ height: 2 });
    const record = clone(bundle);
    (record.receipt.entry as { status: string }).status = "failed";
    expect(proofFailure(record, chain)).toEqual({ code: "PROOF_BAD_PATH", part: "path" });
    const tx = clone(bundle);
    tx.tx.body.args.amount = "99999";
    expect(proofFailure(tx, chain).part).toBe("record");
    const path = clone(bundle);
    path.receipt.path[0] = flipHex(path.receipt.path[0]!);
    expect(proofFailure(path, chain)).toEqual({ code: "PROOF_BAD_PATH", part: "path" });
    const header = clone(bundle);
    header.header.logRoot = flipHex(header.header.logRoot);
    expect(proofFailure(header, chain)).toEqual({ code: "PROOF_BAD_COMMIT", part: "header" });
    const sig = clone(bundle);
    sig.commit.signatures[0]!.signature = flipHex(sig.commit.signatures[0]!.signature);
    expect(proofFailure(sig, chain)).toEqual({ code: "PROOF_BAD_COMMIT", part: "commit" });
    const txSig = clone(bundle);
    txSig.tx.signature = flipHex(txSig.tx.signature);
    expect(proofFailure(txSig, chain)).toEqual({ code: "PROOF_BAD_TX_SIGNATURE", part: "signature" });
    const otherGenesis = { ...chain.genesis, chainId: "other" };
    expect(() => verifyProof(bundle, otherGenesis)).toThrow(/genesis/);
    expect(proofFailure({ kind: "weft.proof.tx/v1" }, chain).code).toBe("PROOF_MALFORMED");
    const eventPath = clone(bundle) as TxProofBundle;
    eventPath.events[0]!.entry.attributes.amount = "1";
    expect(proofFailure(eventPath, chain).code).toBe("PROOF_BAD_PATH");
  });

  it("proves state values and absences against the certified state root", () => {
    const key = `token/balance/EUR/${addressOf(chain.bob)}`;
    const present = chain.service.proveState(key);
    expect(present.value).toBe(String(3 * (10 + 11 + 12 + 13 + 14)));
    expect(verifyProof(present, chain.genesis).height).toBe(3);
    const absent = chain.service.proveState(`token/balance/EUR/${"ab".repeat(20)}`);
    expect(absent.value).toBeNull();
    expect(() => verifyProof(absent, chain.genesis)).not.toThrow();
    const lie = clone(present) as StateProofBundle;
    lie.value = "1000000000";
    expect(proofFailure(lie, chain)).toEqual({ code: "PROOF_RECORD_MISMATCH", part: "record" });
    const hide = clone(present) as StateProofBundle;
    hide.value = null;
    expect(proofFailure(hide, chain).code).not.toBe("VALID");
  });

  it("passes audit, and names the height when a stored byte is flipped", async () => {
    expect(await auditChain(chain.store, chain.genesis, chain.registry)).toMatchObject({
      ok: true,
      blocks: 3,
      txs: 15,
    });
    const bytes = Buffer.from(chain.store.getBlockBytes(2)!);
    const at = bytes.indexOf('"amount":"1') + 10;
    bytes[at] = "9".charCodeAt(0);
    await chain.store.blocks.put(2, bytes);
    const report = await auditChain(chain.store, chain.genesis, chain.registry);
    expect(report.ok).toBe(false);
    expect(report.failure?.height).toBe(2);
    expect(report.failure?.field).toMatch(/txs\[\d\]/);
  });

  it("audit catches a flipped state value and a flipped header root", async () => {
    const key = `token/balance/EUR/${addressOf(chain.bob)}`;
    const value = Buffer.from(chain.store.getState(key)!);
    value[1] = value[1] === 0x31 ? 0x32 : 0x31;
    await chain.store.state.put(key, value);
    let report = await auditChain(chain.store, chain.genesis, chain.registry);
    expect(report.failure?.field).toBe(`state[${key}]`);
    expect(report.failure?.height).toBe(3);
    await chain.store.state.put(key, Buffer.from(chain.store.getStateAt(key, 3)!));
    expect((await auditChain(chain.store, chain.genesis, chain.registry)).ok).toBe(true);
    const bytes = Buffer.from(chain.store.getBlockBytes(1)!);
    const i = bytes.indexOf('"stateRoot":"') + 13;
    bytes[i] = bytes[i] === 0x61 ? 0x62 : 0x61;
    await chain.store.blocks.put(1, bytes);
    report = await auditChain(chain.store, chain.genesis, chain.registry);
    expect(report.failure?.height).toBe(1);
    expect(report.failure?.field).toBe("commit");
  });

  it("rebuilds state from blocks to the same roots, and survives a reopen", async () => {
    const before = chain.store.head();
    const balance = chain.service.getState(`token/balance/EUR/${addressOf(chain.bob)}`).value;
    await chain.store.state.put(`token/balance/EUR/${addressOf(chain.bob)}`, Buffer.from('"1"'));
    const report = await rebuildChain(chain.store, chain.genesis, chain.registry);
    expect(report).toMatchObject({ blocks: 3, txs: 15, stateRoot: before?.stateRoot });
    expect(chain.store.head()).toEqual(before);
    await chain.reopen();
    expect(chain.service.getState(`token/balance/EUR/${addressOf(chain.bob)}`).value).toBe(balance);
    expect((await auditChain(chain.store, chain.genesis, chain.registry)).ok).toBe(true);
  });

  it("rejects replayed, expired, wrong-chain, badly signed and duplicate transactions without changing anything", async () => {
    const root = chain.store.head()?.stateRoot;
    const replay = transfers[0]!;
    const bad = {
      ...chain.tx(
        chain.alice,
        "transfer",
        { asset: "EUR", to: addressOf(chain.bob), amount: "1" },
        { sequence: 15 },
      ),
    };
    bad.signature = flipHex(bad.signature);
    const outcomes = await chain.submit(
      replay,
      chain.tx(
        chain.alice,
        "transfer",
        { asset: "EUR", to: addressOf(chain.bob), amount: "1" },
        { sequence: 15, expiresAt: 3 },
      ),
      chain.tx(
        chain.alice,
        "transfer",
        { asset: "EUR", to: addressOf(chain.bob), amount: "1" },
        { sequence: 15, chainId: "other-chain" },
      ),
      bad,
    );
    expect(outcomes.map((o) => (o.accepted ? "ok" : o.error.code))).toEqual([
      "TX_DUPLICATE",
      "TX_EXPIRED",
      "TX_WRONG_CHAIN",
      "TX_BAD_SIGNATURE",
    ]);
    const stale = chain.tx(
      chain.alice,
      "transfer",
      { asset: "EUR", to: addressOf(chain.bob), amount: "2" },
      { sequence: 3 },
    );
    expect((await chain.submit(stale))[0]).toMatchObject({
      accepted: false,
      error: { type: { code: "TX_SEQUENCE_TOO_LOW" } },
    });
    const malformed = await chain.service.submitTxs([
      { body: {}, signature: "00" },
      "text",
      null,
      { ...replay, extra: 1 },
    ]);
    expect(malformed.every((o) => !o.accepted && o.error.code === "TX_MALFORMED")).toBe(true);
    expect(chain.app.mempool.size).toBe(0);
    expect(chain.store.head()?.stateRoot).toBe(root);
  });
});

describe("stored encodings", () => {
  it("stores blocks and results in exactly their canonical encoding", async () => {
    const chain = await createTestChain();
    try {
      await chain.submit(
        chain.tx(chain.alice, "transfer", { asset: "EUR", to: addressOf(chain.bob), amount: "5" }),
        chain.tx(chain.alice, "transfer", { asset: "EUR", to: addressOf(chain.bob), amount: "999999999" }),
      );
      await chain.produceBlock();
      await chain.submit(chain.tx(chain.bob, "burn", { asset: "EUR", amount: "1" }));
      await chain.produceBlock();
      for (const height of [1, 2]) {
        const bytes = chain.store.getBlockBytes(height)!;
        expect(Buffer.from(bytes).toString()).toBe(
          canonicalString(JSON.parse(Buffer.from(bytes).toString())),
        );
        const result = chain.store.results.get([height, 0])!;
        expect(Buffer.from(result).toString()).toBe(canonicalString(chain.store.getResult(height, 0)));
      }
    } finally {
      await chain.close();
    }
  });
});

describe("mempool housekeeping", () => {
  it("drops transactions that expire while their signer is idle", async () => {
    const chain = await createTestChain();
    try {
      const stuck = chain.tx(chain.bob, "burn", { asset: "EUR", amount: "1" }, { sequence: 5, expiresAt: 3 });
      expect((await chain.submit(stuck))[0]?.accepted).toBe(true); // waits for sequences 0..4 that never come
      for (let i = 0; i < 3; i++) {
        await chain.submit(
          chain.tx(chain.alice, "transfer", { asset: "EUR", to: addressOf(chain.bob), amount: "1" }),
        );
        await chain.produceBlock();
      }
      expect(chain.app.mempool.has(txHash(stuck))).toBe(true);
      expect(chain.app.mempool.pruneExpired(3)).toEqual([txHash(stuck)]);
      expect(chain.app.mempool.size).toBe(0);
    } finally {
      await chain.close();
    }
  });
});
