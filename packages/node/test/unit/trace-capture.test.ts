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
});
