import {
  addressOf,
  appendLeaf,
  type BlockHeader,
  blockHash,
  bytesToHex,
  type ChainEvent,
  canonicalBytes,
  emptyStateRoot,
  type Genesis,
  generateKeyPair,
  genesisHash,
  inclusionProof,
  leafHash,
  logRoot,
  MemoryLogStore,
  MemoryStateNodeStore,
  proofToHex,
  proveState,
  type SignedTx,
  signPrecommit,
  type TxProofBundle,
  type TxReceipt,
  txHash,
  updateStateTree,
  utf8,
  validatorSetHash,
  ZERO_HASH,
} from "@weft/core";
import { afterEach, describe, expect, it } from "vitest";
import {
  buildTx,
  createClient,
  deliveryMilestone,
  type EscrowRecord,
  type EscrowView,
  escrowCall,
  escrowTx,
  glnLocation,
  gs1CheckDigit,
  type OpenEscrowParams,
  ProofError,
  type SdkError,
  verifyEscrowView,
  verifyTxSignature,
} from "../../src/index.js";
import { type FakeNode, startFakeNode } from "./fake-node.js";

const SELLER = "cd".repeat(20);
const ARBITER = "ef".repeat(20);
const INSPECTOR = "12".repeat(20);
const T0 = 1_700_000_000_000;
const DAY = 86_400_000;
const SSCC = "urn:epc:id:sscc:9520002.0000004711";

function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return (e as SdkError).code;
  }
  return undefined;
}

function fieldOf(fn: () => unknown): unknown {
  try {
    fn();
  } catch (e) {
    return (e as SdkError).type.field;
  }
  return undefined;
}

const dap = (extra: Partial<OpenEscrowParams> = {}): OpenEscrowParams => ({
  id: "PO-4711",
  seller: SELLER,
  asset: "WEFT",
  amount: 100_000n,
  shipment: [SSCC],
  milestones: [deliveryMilestone({ deliverTo: "9520001000010", dueBy: T0 + 3 * DAY })],
  deadline: new Date(T0 + 14 * DAY),
  ...extra,
});

describe("escrow calls", () => {
  it("open: canonical args, times as ms, a GLN as its Digital Link", () => {
    const call = escrowCall.open(
      dap({ penalties: { latePerDayBps: 200, lateCapBps: 1000 }, arbiter: ARBITER, incoterm: "DAP" }),
    );
    expect(call).toEqual({
      module: "escrow",
      method: "open",
      args: {
        id: "PO-4711",
        seller: SELLER,
        asset: "WEFT",
        amount: "100000",
        shipment: [SSCC],
        milestones: [
          {
            name: "delivered",
            shareBps: 10_000,
            conditions: [
              { event: { bizStep: "receiving", bizLocation: "https://id.gs1.org/414/9520001000010" } },
            ],
            dueBy: T0 + 3 * DAY,
          },
        ],
        deadline: T0 + 14 * DAY,
        penalties: { latePerDayBps: 200, lateCapBps: 1000 },
        arbiter: ARBITER,
        incoterm: "DAP",
      },
    });
  });

  it("open: every kind of condition, several milestones, quality and excursion penalty", () => {
    const terms = dap({
      shipment: [SSCC, "urn:epcglobal:cbv:bt:9520001000010:PO-4711"],
      milestones: [
        {
          name: "shipped",
          shareBps: 3000,
          conditions: [{ document: { type: "desadv", id: "urn:epcglobal:cbv:bt:9520002000019:D-1" } }],
        },
        {
          name: "accepted",
          shareBps: 7000,
          dueBy: T0 + DAY,
          conditions: [
            {
              event: {
                eventType: "ObjectEvent",
                action: "OBSERVE",
                bizStep: "urn:epcglobal:cbv:bizstep:receiving",
                bizLocation: "urn:epc:id:sgln:9520001.00001.0",
                readPoint: undefined,
              },
            },
            { attestations: { claim: "inspected", k: 1, from: [INSPECTOR, ARBITER] } },
          ],
        },
      ],
      quality: { onAlarm: "penalty" },
      penalties: { excursionBps: 500 },
    });
    const { args } = escrowCall.open(terms);
    expect(args.milestones).toEqual([
      {
        name: "shipped",
        shareBps: 3000,
        conditions: [{ document: { type: "desadv", id: "urn:epcglobal:cbv:bt:9520002000019:D-1" } }],
      },
      {
        name: "accepted",
        shareBps: 7000,
        dueBy: T0 + DAY,
        conditions: [
          {
            event: {
              eventType: "ObjectEvent",
              action: "OBSERVE",
              bizStep: "urn:epcglobal:cbv:bizstep:receiving",
              bizLocation: "urn:epc:id:sgln:9520001.00001.0",
            },
          },
          { attestations: { claim: "inspected", k: 1, from: [INSPECTOR, ARBITER] } },
        ],
      },
    ]);
    expect(args.quality).toEqual({ onAlarm: "penalty" });
    expect(args.penalties).toEqual({ excursionBps: 500 });
    // The signed body carries exactly the call.s args.
    const tx = escrowTx.open(envelope(), terms);
    expect(verifyTxSignature(tx)).toBe(true);
    expect(tx.body.args).toEqual(args);
  });

  it("attest, dispute, resolve and cancel", () => {
    const env = envelope();
    expect(escrowTx.attest(env, { id: "PO-1", claim: "inspected" }).body).toMatchObject({
      module: "escrow",
      method: "attest",
      args: { id: "PO-1", claim: "inspected" },
    });
    expect(escrowCall.dispute({ id: "PO-1", reason: "pallet 3 wet" }).args).toEqual({
      id: "PO-1",
      reason: "pallet 3 wet",
    });
    expect(escrowCall.resolve({ id: "PO-1", sellerBps: 5000, note: "half" }).args).toEqual({
      id: "PO-1",
      sellerBps: 5000,
      note: "half",
    });
    expect(escrowCall.resolve({ id: "PO-1", resume: true }).args).toEqual({ id: "PO-1", resume: true });
    expect(escrowTx.cancel(env, { id: "PO-1" }).body.method).toBe("cancel");
    expect(escrowTx.resolve(env, { id: "PO-1", sellerBps: 0 }).body.args).toEqual({
      id: "PO-1",
      sellerBps: 0,
    });
  });

  it("refuses what the module would refuse, naming the field", () => {
    const cases: [Partial<OpenEscrowParams>, string][] = [
      [{ id: "PO 1" }, "id"],
      [{ seller: "nope" }, "seller"],
      [{ asset: "" }, "asset"],
      [{ shipment: [] }, "shipment"],
      [{ shipment: [SSCC, SSCC] }, "shipment"],
      [{ shipment: Array.from({ length: 17 }, (_, i) => `urn:x:${i}`) }, "shipment"],
      [{ shipment: ["x".repeat(513)] }, "shipment[0]"],
      [{ milestones: [] }, "milestones"],
      [
        { milestones: [{ ...deliveryMilestone({ deliverTo: "9520001000010" }), shareBps: 9999 }] },
        "milestones",
      ],
      [
        { milestones: [{ name: "a b", shareBps: 10_000, conditions: [{ event: { bizStep: "x" } }] }] },
        "milestones[0].name",
      ],
      [{ milestones: [{ name: "m", shareBps: 10_000, conditions: [] }] }, "milestones[0].conditions"],
      [
        { milestones: [{ name: "m", shareBps: 10_000, conditions: [{ event: {} }] }] },
        "milestones[0].conditions[0].event",
      ],
      [
        { milestones: [{ name: "m", shareBps: 10_000, conditions: [{ event: { bizstep: "x" } as never }] }] },
        "milestones[0].conditions[0].event.bizstep",
      ],
      [
        {
          milestones: [
            {
              name: "m",
              shareBps: 10_000,
              conditions: [{ attestations: { claim: "c", k: 2, from: [INSPECTOR] } }],
            },
          ],
        },
        "milestones[0].conditions[0].attestations.k",
      ],
      [
        {
          milestones: [
            {
              name: "m",
              shareBps: 10_000,
              conditions: [{ attestations: { claim: "c", k: 1, from: [INSPECTOR, INSPECTOR] } }],
            },
          ],
        },
        "milestones[0].conditions[0].attestations.from",
      ],
      [
        {
          milestones: [
            { name: "m", shareBps: 5000, conditions: [{ document: { type: "inv" } }] },
            { name: "m", shareBps: 5000, conditions: [{ document: { type: "inv" } }] },
          ],
        },
        "milestones",
      ],
      [
        { milestones: [deliveryMilestone({ deliverTo: "9520001000010", dueBy: T0 + 15 * DAY })] },
        "milestones[0].dueBy",
      ],
      [{ deadline: -1 }, "deadline"],
      [{ deadline: 1.5 }, "deadline"],
      [{ penalties: { lateCapBps: 100 } }, "penalties.lateCapBps"],
      [{ penalties: { latePerDayBps: 10_001 } }, "penalties.latePerDayBps"],
      [{ quality: { onAlarm: "penalty" } }, "penalties.excursionBps"],
      [{ arbiter: SELLER }, "arbiter"],
      [
        {
          amount: 3n,
          milestones: [
            { name: "a", shareBps: 1000, conditions: [{ document: { type: "inv" } }] },
            { name: "b", shareBps: 9000, conditions: [{ document: { type: "inv" } }] },
          ],
        },
        "milestones[0].shareBps",
      ],
      [{ incoterm: "dap" }, "incoterm"],
    ];
    for (const [extra, field] of cases) {
      expect({ extra, field: fieldOf(() => escrowCall.open(dap(extra))) }).toEqual({ extra, field });
      expect(codeOf(() => escrowCall.open(dap(extra)))).toBe("SDK_INVALID_ARGUMENT");
    }
    expect(codeOf(() => escrowCall.open(dap({ amount: 0n })))).toBe("SDK_INVALID_AMOUNT");
    expect(codeOf(() => escrowCall.open(dap({ amount: "-5" })))).toBe("SDK_INVALID_AMOUNT");
    expect(codeOf(() => escrowCall.resolve({ id: "x" }))).toBe("SDK_INVALID_ARGUMENT");
    expect(codeOf(() => escrowCall.resolve({ id: "x", sellerBps: 1, resume: true }))).toBe(
      "SDK_INVALID_ARGUMENT",
    );
    expect(codeOf(() => escrowCall.resolve({ id: "x", sellerBps: 10_001 }))).toBe("SDK_INVALID_ARGUMENT");
    expect(codeOf(() => escrowCall.dispute({ id: "x", reason: "" }))).toBe("SDK_INVALID_ARGUMENT");
    expect(codeOf(() => escrowCall.attest({ id: "x", claim: "in spected" }))).toBe("SDK_INVALID_ARGUMENT");
  });
});

describe("locations", () => {
  it("computes GS1 check digits and turns a GLN into its Digital Link", () => {
    expect(gs1CheckDigit("952000100001")).toBe("0");
    expect(gs1CheckDigit("952000200001")).toBe("9");
    // A known GTIN-13 (GS1 General Specifications example).
    expect(gs1CheckDigit("629104150021")).toBe("3");
    expect(glnLocation("9520002000019")).toBe("https://id.gs1.org/414/9520002000019");
    expect(glnLocation("urn:epc:id:sgln:9520002.00001.0")).toBe("urn:epc:id:sgln:9520002.00001.0");
    expect(glnLocation("https://example.com/414/9520002000019/254/7")).toBe(
      "https://example.com/414/9520002000019/254/7",
    );
  });

  it("refuses a wrong check digit, a wrong length and what is no location", () => {
    expect(codeOf(() => glnLocation("9520002000015"))).toBe("SDK_INVALID_ARGUMENT");
    expect(codeOf(() => glnLocation("https://id.gs1.org/414/9520002000015"))).toBe("SDK_INVALID_ARGUMENT");
    expect(codeOf(() => glnLocation("952000200001"))).toBe("SDK_INVALID_ARGUMENT");
    expect(codeOf(() => glnLocation("dock 4"))).toBe("SDK_INVALID_ARGUMENT");
  });
});

describe("client.escrow", () => {
  let node: FakeNode | undefined;
  afterEach(async () => {
    await node?.close();
    node = undefined;
  });

  it("reads GET /v1/escrows/{id}, escaping the id", async () => {
    const { view } = escrowViewFixture();
    node = await startFakeNode({ "GET /v1/escrows/PO%3A1": { body: view } });
    const client = createClient({ url: node.url });
    expect(await client.escrow("PO:1")).toEqual(view);
    expect(node.requests.map((r) => r.path)).toEqual(["/v1/escrows/PO%3A1"]);
  });
});

describe("verifyEscrowView", () => {
  it("accepts a real answer: the escrow's state proof and its records' transaction proofs", () => {
    const { view, genesis } = escrowViewFixture();
    const verified = verifyEscrowView(view, genesis);
    expect(verified.state).toMatchObject({ kind: "weft.proof.state/v1", height: 1 });
    expect(verified.records.map((r) => r.kind)).toEqual(["weft.proof.tx/v1", "weft.proof.tx/v1"]);
  });

  it("refuses an answer whose escrow is not the proven one", () => {
    const { view, genesis } = escrowViewFixture();
    const edited = structuredClone(view);
    edited.escrow.status = "refunded";
    expect(errorOf(() => verifyEscrowView(edited, genesis))).toMatchObject({ code: "PROOF_RECORD_MISMATCH" });
    const moved = structuredClone(view);
    moved.height = 2;
    expect(errorOf(() => verifyEscrowView(moved, genesis))).toMatchObject({ code: "PROOF_RECORD_MISMATCH" });
  });

  it("refuses a missing record, a record's proof of another transaction, or of another event", () => {
    const { view, genesis } = escrowViewFixture();
    const missing = { ...view, records: view.records.slice(0, 1) };
    expect(errorOf(() => verifyEscrowView(missing, genesis))).toMatchObject({
      code: "PROOF_RECORD_MISMATCH",
      message: expect.stringContaining("no proof"),
    });
    const swapped = structuredClone(view);
    (swapped.records[1] as EscrowView["records"][number]).proof = structuredClone(
      view.records[0]?.proof as TxProofBundle,
    );
    expect(errorOf(() => verifyEscrowView(swapped, genesis))).toMatchObject({
      code: "PROOF_RECORD_MISMATCH",
    });
    const otherEvent = structuredClone(view);
    (otherEvent.records[1] as EscrowView["records"][number]).eventId = "ni:///sha-256;00?ver=CBV2.0";
    expect(errorOf(() => verifyEscrowView(otherEvent, genesis))).toMatchObject({
      code: "PROOF_RECORD_MISMATCH",
    });
  });

  it("refuses a forged proof and another chain's genesis", () => {
    const { view, genesis } = escrowViewFixture();
    const forged = structuredClone(view);
    const event = forged.records[1]?.proof.events[0]?.entry as ChainEvent;
    event.attributes = { ...event.attributes, capturedBy: SELLER };
    expect(errorOf(() => verifyEscrowView(forged, genesis))).toBeInstanceOf(ProofError);
    const other = escrowViewFixture().genesis;
    expect(errorOf(() => verifyEscrowView(view, other))).toMatchObject({ code: "PROOF_WRONG_GENESIS" });
  });
});

function envelope() {
  return { chainId: "escrow-chain", signer: generateKeyPair(), sequence: 0, expiresAt: 50 };
}

function errorOf(fn: () => unknown): { code?: string; message?: string } {
  try {
    fn();
  } catch (e) {
    return e as ProofError;
  }
  throw new Error("expected a failure");
}

/**
 * A one-validator chain whose block 1 opens an escrow and captures the receiving event that
 * settles it, as GET /v1/escrows/{id} would answer: real proofs of the state key and both txs.
 */
function escrowViewFixture(): { genesis: Genesis; view: EscrowView } {
  const validator = generateKeyPair();
  const buyer = generateKeyPair();
  const carrier = generateKeyPair();
  const chainId = "escrow-chain";
  const genesis: Genesis = {
    chainId,
    genesisTime: T0,
    validators: [
      {
        address: addressOf(validator),
        publicKey: { alg: "ed25519", publicKey: validator.publicKey },
        power: 10,
        name: "v1",
      },
    ],
    params: { maxBlockBytes: 1_000_000, maxBlockTxs: 1000, maxTxBytes: 65_536 },
    appState: {},
  };
  const env = (signer: typeof buyer) => ({ chainId, signer, sequence: 0, expiresAt: 50 });
  const open = escrowTx.open(env(buyer), dap());
  const capture = buildTx({
    ...env(carrier),
    module: "trace",
    method: "capture",
    args: { document: "{}" },
  });
  const eventId = "ni:///sha-256;ab?ver=CBV2.0";
  const [openHash, captureHash] = [txHash(open), txHash(capture)];
  const entries: (TxReceipt | ChainEvent)[] = [];
  const receipt = (tx: SignedTx, index: number, eventCount: number): TxReceipt => ({
    kind: "receipt",
    chainId,
    height: 1,
    index,
    txHash: txHash(tx),
    status: "ok",
    eventCount,
  });
  const event = (
    txIndex: number,
    index: number,
    module: string,
    type: string,
    attributes: ChainEvent["attributes"],
  ) => ({ kind: "event", chainId, height: 1, txIndex, index, module, type, attributes }) as ChainEvent;
  entries.push(receipt(open, 0, 1), event(0, 0, "escrow", "Opened", { escrowId: "PO-4711" }));
  entries.push(receipt(capture, 1, 1), event(1, 0, "trace", "EventCaptured", { eventId, event: "{}" }));
  const log = new MemoryLogStore();
  let size = 0;
  for (const entry of entries) size = appendLeaf(log, size, leafHash(canonicalBytes(entry)));

  const record: EscrowRecord = {
    id: "PO-4711",
    buyer: addressOf(buyer),
    seller: SELLER,
    asset: "WEFT",
    amount: "100000",
    holdId: "escrow:PO-4711",
    shipment: ["https://id.gs1.org/00/095200020000047113"],
    milestones: [
      {
        name: "delivered",
        shareBps: 10_000,
        amount: "100000",
        dueBy: null,
        conditions: [
          { event: { bizStep: "receiving", bizLocation: "https://id.gs1.org/414/9520001000010" } },
        ],
        satisfied: [{ height: 1, txHash: captureHash, logIndex: 3, eventId }],
        status: "released",
        closedAt: 1,
        toSeller: "100000",
        toBuyer: "0",
        penaltyBps: 0,
      },
    ],
    deadline: T0 + 14 * DAY,
    penalties: { latePerDayBps: 0, lateCapBps: 10_000, excursionBps: 0 },
    onAlarm: "hold",
    arbiter: null,
    incoterm: null,
    status: "settled",
    openedAt: 1,
    openTx: openHash,
    excursion: null,
    disputes: 0,
    pending: null,
    history: [{ height: 1, time: T0 + 1000, kind: "opened", by: addressOf(buyer) }],
  };
  const key = "escrow/escrow/PO-4711";
  const states = new MemoryStateNodeStore();
  const update = updateStateTree(states, emptyStateRoot(), [
    { key: utf8(key), value: canonicalBytes(record as never) },
  ]);
  states.putNodes(update.newNodes);

  const header: BlockHeader = {
    version: 1,
    chainId,
    height: 1,
    time: T0 + 1000,
    previousBlockHash: genesisHash(genesis),
    lastCommitHash: ZERO_HASH,
    proposer: addressOf(validator),
    validatorSetHash: validatorSetHash(genesis.validators),
    txRoot: ZERO_HASH,
    txCount: 2,
    stateRoot: bytesToHex(update.root),
    logRoot: bytesToHex(logRoot(log, size)),
    logSize: size,
  };
  const hash = blockHash(header);
  const commit = {
    chainId,
    height: 1,
    round: 0,
    blockHash: hash,
    signatures: [
      signPrecommit(validator, { chainId, height: 1, round: 0, blockHash: hash, timestamp: T0 + 1000 }),
    ],
  };
  const logged = (i: number) => ({
    entry: entries[i] as never,
    logIndex: i,
    path: proofToHex(inclusionProof(log, i, size)),
  });
  const txProof = (tx: SignedTx, at: number): TxProofBundle => ({
    kind: "weft.proof.tx/v1",
    chainId,
    genesisHash: genesisHash(genesis),
    tx,
    receipt: logged(at),
    events: [logged(at + 1)],
    header,
    commit,
  });
  const view: EscrowView = {
    height: 1,
    escrow: record,
    proof: {
      kind: "weft.proof.state/v1",
      chainId,
      genesisHash: genesisHash(genesis),
      key,
      value: record as never,
      proof: proveState(states, update.root, utf8(key)),
      header,
      commit,
    },
    why: ["height 1: opened"],
    records: [
      { height: 1, txHash: openHash, proof: txProof(open, 0) },
      { height: 1, txHash: captureHash, logIndex: 3, eventId, proof: txProof(capture, 2) },
    ],
  };
  return { genesis, view };
}
