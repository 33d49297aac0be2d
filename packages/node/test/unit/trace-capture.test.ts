import { addressOf } from "@weft/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { prepareCapture } from "../../src/modules/trace/capture.js";
import { MAX_EVENTS_PER_TX } from "../../src/modules/trace/schema.js";
import {
  aggregationEvent,
  associationEvent,
  EPCIS_CONTEXT,
  epcisDocument,
  G,
  type Json,
  K,
  objectEvent,
  transactionEvent,
  transformationEvent,
} from "../support/epcis.js";
import { createTraceChain, type TraceChain } from "../support/epcis-chain.js";

const idsOf = (doc: string) => prepareCapture(doc, MAX_EVENTS_PER_TX).map((e) => e.eventId);

describe("trace module: capture", () => {
  let t: TraceChain;
  /** State keys written by each committed block. */
  let changes: string[][];
  beforeEach(async () => {
    t = await createTraceChain();
    changes = [];
    t.chain.app.onCommit((executed) => changes.push(executed.write.stateChanges.map(([key]) => key)));
  });
  afterEach(async () => {
    await t.close();
  });

  const stateOf = (eventId: string) => t.chain.service.query("trace", "event", { eventId }).value;

  it("captures all five EPCIS 2.0 event types with their CBV 2.0 hash as id", async () => {
    const events: Json[] = [
      objectEvent({ action: "ADD", epcList: [G.jacket(1)], bizStep: "commissioning", disposition: "active" }),
      aggregationEvent({ parentID: G.carton1, childEPCs: [G.jacket(1)], bizStep: "packing" }),
      transactionEvent({
        epcList: [G.jacket(1)],
        bizTransactionList: [{ type: "po", bizTransaction: "urn:epc:id:gdti:0614141.00001.PO-1" }],
        bizStep: "shipping",
      }),
      transformationEvent({
        inputQuantityList: [{ epcClass: G.fabric, quantity: 2.5 }],
        outputEPCList: [G.jacket(9)],
      }),
      associationEvent({
        parentID: "urn:epc:id:grai:4012345.55555.M1",
        childEPCs: [G.sensor],
        bizStep: "assembling",
      }),
    ];
    const doc = epcisDocument(events);
    const ids = idsOf(doc);
    expect(ids).toHaveLength(5);
    for (const id of ids) expect(id).toMatch(/^ni:\/\/\/sha-256;[0-9a-f]{64}\?ver=CBV2\.0$/);
    const r = await t.capture(doc);
    expect(r).toEqual({ status: "ok" });
    const sender = addressOf(t.chain.alice);
    ids.forEach((id, i) => {
      expect(stateOf(id)).toEqual({ capturedBy: sender, height: 1, anchoredOnly: false });
      const stored = t.reader.getEvent(id);
      expect(stored?.event.type).toBe(events[i]?.type);
      expect(stored?.capturedBy).toBe(sender);
      expect(stored?.height).toBe(1);
      // Self-contained: the document's context travels with the event.
      expect(stored?.event["@context"]).toEqual([
        EPCIS_CONTEXT,
        { example: "https://ns.example.com/epcis/" },
      ]);
    });
    // Decimal quantities survive (text on chain, not canonical JSON).
    const tf = t.reader.getEvent(ids[3] as string);
    expect(tf?.eventJson).toContain('"quantity":2.5');
    expect(t.reader.itemStatus(G.jacket(1))?.parent).toBe(K.carton1);
  });

  /** Only the sender's sequence moved: nothing in the trace namespace. */
  const expectNothingChanged = () =>
    expect(changes.at(-1)).toEqual([`auth/sequence/${addressOf(t.chain.alice)}`]);

  it("refuses an invalid document at admission, naming the event, path and value; execution refuses it too", async () => {
    const good = objectEvent({ epcList: [G.jacket(1)], bizStep: "shipping" });
    const bad = objectEvent({ epcList: [G.jacket(2)], bizStep: "shiping" });
    const doc = epcisDocument([good, bad]);
    const r = await t.capture(doc);
    expect(r.status).toBe("refused");
    expect(r.error?.code).toBe("TRACE_INVALID_DOCUMENT");
    expect(r.error?.message).toContain("event 1");
    expect(r.error?.message).toContain("epcisBody.eventList[1].bizStep");
    expect(r.error?.message).toContain('"shiping"');
    expect(t.chain.store.head()?.height).toBe(0);
    // A proposer that includes it anyway: a failed receipt, the whole document refused, nothing else.
    const [forced] = await t.force(t.tx(t.chain.alice, "capture", { document: doc }));
    expect(forced).toEqual({
      status: "failed",
      error: { code: "TRACE_INVALID_DOCUMENT", message: r.error?.message },
    });
    expectNothingChanged();
    expect(t.reader.queryEvents({}, { perPage: 10 }).events).toEqual([]);
    expect(t.reader.indexedHeight()).toBe(1);
  });

  it("refuses text that is not JSON, an empty event list, deep nesting, too many events, one event twice", async () => {
    const deep = epcisDocument([
      objectEvent({ epcList: [G.jacket(1)], "example:x": JSON.parse(`${"[".repeat(40)}${"]".repeat(40)}`) }),
    ]);
    const many = epcisDocument(Array.from({ length: MAX_EVENTS_PER_TX + 1 }, () => ({})));
    const twice = objectEvent({ epcList: [G.jacket(2)], bizStep: "shipping" });
    const cases: [string, string, string][] = [
      ["{not json", "TRACE_BAD_JSON", "document is not JSON"],
      [epcisDocument([]), "TRACE_EMPTY_DOCUMENT", "no events"],
      [deep, "TRACE_BAD_JSON", "nests deeper than 32"],
      [many, "TRACE_TOO_MANY_EVENTS", `${MAX_EVENTS_PER_TX + 1} events`],
      [epcisDocument([twice, { ...twice }]), "TRACE_DUPLICATE_IN_TX", "events 0 and 1"],
    ];
    for (const [document, code, text] of cases) {
      const r = await t.capture(document);
      expect(r.status, code).toBe("refused");
      expect(r.error?.code).toBe(code);
      expect(r.error?.message).toContain(text);
      const [forced] = await t.force(t.tx(t.chain.alice, "capture", { document }));
      expect(forced?.error?.code).toBe(code);
      expectNothingChanged();
    }
  });

  it("refuses an event already on chain, even with another eventID", async () => {
    const ev = objectEvent({ epcList: [G.jacket(1)], bizStep: "shipping" });
    const [id] = idsOf(epcisDocument([ev]));
    expect((await t.capture(epcisDocument([ev]))).status).toBe("ok");
    // Same content with another eventID: the CBV 2.0 hash leaves eventID out, so it is the same event.
    const again = await t.capture(
      epcisDocument([{ ...ev, eventID: "urn:uuid:6c0f5a4e-2b1d-4a36-9a1e-0c2e8a1b7f10" }]),
    );
    expect(again.error?.code).toBe("TRACE_DUPLICATE_EVENT");
    expect(again.error?.message).toContain(id);
    expectNothingChanged();
  });

  it("anchors hashes only, then accepts the disclosed document and links it to the anchor", async () => {
    const ev = objectEvent({ epcList: [G.jacket(3)], bizStep: "inspecting", disposition: "active" });
    const doc = epcisDocument([ev]);
    const [id] = idsOf(doc) as [string];
    const bob = addressOf(t.chain.bob);
    expect((await t.anchor([id], t.chain.bob)).status).toBe("ok");
    expect(stateOf(id)).toEqual({ capturedBy: bob, height: 1, anchoredOnly: true });
    expect(t.reader.getEvent(id)).toBeUndefined();
    expect(t.reader.anchorOf(id)).toMatchObject({
      eventId: id,
      anchoredBy: bob,
      height: 1,
      disclosed: false,
    });
    // Anchoring again (or anything already captured) is refused.
    const again = await t.anchor([id]);
    expect(again.error?.code).toBe("TRACE_DUPLICATE_EVENT");
    expect(again.error?.message).toContain("already anchored");
    // The document, disclosed later by anyone holding it.
    expect((await t.capture(doc)).status).toBe("ok");
    const alice = addressOf(t.chain.alice);
    expect(stateOf(id)).toEqual({
      capturedBy: alice,
      height: 3,
      anchoredOnly: false,
      anchoredBy: bob,
      anchoredAt: 1,
    });
    expect(t.reader.getEvent(id)?.anchor).toEqual({ anchoredBy: bob, height: 1 });
    expect(t.reader.anchorOf(id)?.disclosed).toBe(true);
    expect((await t.capture(doc)).error?.code).toBe("TRACE_DUPLICATE_EVENT");
    const other = id.replace(/;[0-9a-f]{4}/, ";0000");
    const dupIds = await t.anchor([other, other]);
    expect(dupIds).toMatchObject({ status: "refused", error: { code: "TRACE_DUPLICATE_IN_TX" } });
  });

  it("an anchor of a malformed id is refused at admission", async () => {
    const [outcome] = await t.chain.submit(
      t.tx(t.chain.alice, "anchor", { eventIds: ["ni:///sha-256;xyz?ver=CBV2.0"] }),
    );
    expect(outcome?.accepted).toBe(false);
    expect(outcome && !outcome.accepted ? outcome.error.code : undefined).toBe("APP_INVALID_ARGS");
  });

  it("records an errorDeclaration as a correction: the original stays, both are linked", async () => {
    const original = objectEvent({
      eventID: "urn:uuid:0b7e3b7c-9f4a-4d8e-8a55-1f1d2f3e4a5b",
      epcList: [G.jacket(1)],
      bizStep: "inspecting",
      disposition: "damaged",
    });
    const [id] = idsOf(epcisDocument([original])) as [string];
    expect((await t.capture(epcisDocument([original]))).status).toBe("ok");
    expect(t.reader.itemStatus(G.jacket(1))?.disposition).toBe("damaged");

    const correctiveId = "urn:uuid:9e2c1d0a-6b5f-4c3e-8d7a-2b1c0d9e8f7a";
    const declaration = {
      ...original,
      errorDeclaration: {
        declarationTime: "2024-03-02T10:00:00.000Z",
        reason: "incorrect_data",
        correctiveEventIDs: [correctiveId],
      },
    };
    const corrective = objectEvent({
      eventID: correctiveId,
      epcList: [G.jacket(1)],
      bizStep: "inspecting",
      disposition: "active",
    });
    const doc = epcisDocument([declaration, corrective]);
    const [declId, corrId] = idsOf(doc) as [string, string];
    expect(declId).toBe(id); // errorDeclaration is not part of the CBV 2.0 hash
    expect((await t.capture(doc)).status).toBe("ok");
    expect(t.chain.service.query("trace", "declaration", { eventId: id }).value).toEqual({
      declaredBy: addressOf(t.chain.alice),
      height: 2,
    });
    // The original stays; getEvent returns it; queries return both.
    expect(t.reader.getEvent(id)?.event.errorDeclaration).toBeUndefined();
    const both = t.reader.queryEvents({ EQ_eventID: [id] }, { perPage: 10 }).events;
    expect(both.map((e) => e.event.errorDeclaration === undefined)).toEqual([true, false]);
    const declared = t.reader.queryEvents({ EXISTS_errorDeclaration: true }, { perPage: 10 }).events;
    expect(declared.map((e) => e.eventId)).toEqual([id]);
    const c = t.reader.corrections(id);
    expect(c.declarations).toHaveLength(1);
    expect(c.correctiveEvents.map((e) => e.eventId)).toEqual([corrId]);
    expect(c.missingCorrectiveEventIDs).toEqual([]);
    expect(t.reader.corrections(corrId).corrects).toEqual([id]);
    // The erroneous event no longer counts for the item's status.
    expect(t.reader.itemStatus(G.jacket(1))?.disposition).toBe("active");
    expect(t.reader.itemStatus(G.jacket(1))?.lastEvent?.eventId).toBe(corrId);
    // One declaration per event.
    const again = await t.capture(
      epcisDocument([{ ...declaration, errorDeclaration: { declarationTime: "2024-03-03T00:00:00Z" } }]),
    );
    expect(again.error?.code).toBe("TRACE_ALREADY_DECLARED");
  });
});
