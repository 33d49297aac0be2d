import { signTx, txHash } from "@weft/core";
import { afterEach, describe, expect, it } from "vitest";
import { planCapture } from "../../src/api/epcis/capture-plan.js";
import { ledgerEventId } from "../../src/api/epcis/event-id.js";
import {
  decodePageToken,
  encodePageToken,
  parseEventQuery,
  perPageOf,
  queryScope,
} from "../../src/api/epcis/query-params.js";
import { documentLayout, documentWithEvents, eventText } from "../../src/api/epcis/raw-json.js";
import { compileSchedule, nextRun } from "../../src/api/epcis/schedule.js";
import { signBody, verifySignature } from "../../src/api/epcis/webhook.js";
import { TxSubmitter } from "../../src/app/tx-submitter.js";
import { prepareCapture } from "../../src/modules/trace/capture.js";
import { epcisDocument, G, type Json, objectEvent } from "../support/epcis.js";
import { createEpcisApi, createTraceChain, type TraceChain } from "../support/epcis-chain.js";

const chains: TraceChain[] = [];
afterEach(async () => {
  await new Promise((resolve) => setTimeout(resolve, 5));
  for (const tc of chains.splice(0)) await tc.close();
});

describe("raw JSON layout", () => {
  const text = `  {"@context" : ["https://ref.gs1.org/standards/epcis/2.0.0/epcis-context.jsonld", {"ex": "x:"}],
    "type":"EPCISDocument", "schemaVersion":"2.0","creationDate":"2024-01-01T00:00:00Z",
    "epcisBody": { "eventList" : [ {"a": "]}\\"[{", "v": 26.0, "big": 12345678901234567890},
      {"b": [1, {"c": "d"}], "e": null} , {"f": "\\u00e9"} ] },
    "sender": "urn:x" }  `;

  it("finds each event's exact text and rebuilds documents with a subset", () => {
    const layout = documentLayout(text);
    expect(layout?.events).toHaveLength(3);
    expect(layout?.members.map((m) => m.key)).toEqual([
      "@context",
      "type",
      "schemaVersion",
      "creationDate",
      "sender",
    ]);
    if (!layout) throw new Error("no layout");
    expect(eventText(text, layout, 0)).toBe('{"a": "]}\\"[{", "v": 26.0, "big": 12345678901234567890}');
    expect(eventText(text, layout, 2)).toBe('{"f": "\\u00e9"}');
    const sub = documentWithEvents(text, layout, [2, 0]);
    const parsed = JSON.parse(sub);
    expect(parsed.epcisBody.eventList).toEqual([
      { f: "é" },
      { a: ']}"[{', v: 26, big: JSON.parse("12345678901234567890") },
    ]);
    expect(parsed["@context"]).toEqual(JSON.parse(text)["@context"]);
    expect(parsed.sender).toBe("urn:x");
    expect(sub).toContain('"v": 26.0, "big": 12345678901234567890}');
    expect(JSON.parse(documentWithEvents(text, layout, [])).epcisBody.eventList).toEqual([]);
  });

  it("is undefined for documents without an event list", () => {
    expect(documentLayout("[]")).toBeUndefined();
    expect(documentLayout('{"epcisBody": {}}')).toBeUndefined();
    expect(documentLayout('{"epcisBody": {"eventList": 3}}')).toBeUndefined();
  });
});

describe("capture plan", () => {
  const deps = (known: string[] = [], maxTxBytes = 4000) => ({
    eventIdOf: ledgerEventId,
    isKnown: (id: string) => known.includes(id),
    txSize: (doc: string) => JSON.stringify({ document: doc }).length + 400,
    maxTxBytes,
    maxEventsPerTx: 3,
    captureLimit: 100,
  });
  const events = Array.from({ length: 10 }, (_, i) =>
    objectEvent({
      action: "ADD",
      epcList: [G.jacket(i)],
      bizStep: "commissioning",
      "example:n": "x".repeat(i * 40),
    }),
  );

  it("computes the ids trace.capture will record and packs events within both limits", () => {
    const doc = epcisDocument(events);
    const plan = planCapture(doc, JSON.parse(doc), "rollback", deps());
    const expectedIds = prepareCapture(doc, 1000).map((e) => e.eventId);
    expect(plan.chunks.flatMap((c) => c.eventIds)).toEqual(expectedIds);
    expect(plan.chunks.flatMap((c) => c.indexes)).toEqual(events.map((_, i) => i));
    for (const chunk of plan.chunks) {
      expect(chunk.indexes.length).toBeLessThanOrEqual(3);
      expect(deps().txSize(chunk.document)).toBeLessThanOrEqual(4000);
      // Each chunk is a capture document the module accepts, with the same ids.
      expect(prepareCapture(chunk.document, 1000).map((e) => e.eventId)).toEqual(chunk.eventIds);
    }
    // A tighter size limit gives more, smaller transactions.
    const tight = planCapture(doc, JSON.parse(doc), "rollback", deps([], 1500));
    expect(tight.chunks.length).toBeGreaterThan(plan.chunks.length);
  });

  it("an event larger than a transaction: 413 with rollback, refused alone with proceed", () => {
    const doc = epcisDocument([events[0] as Json, { ...(events[1] as Json), "example:n": "y".repeat(5000) }]);
    expect(() => planCapture(doc, JSON.parse(doc), "rollback", deps())).toThrow(
      /larger than one ledger transaction/,
    );
    const plan = planCapture(doc, JSON.parse(doc), "proceed", deps());
    expect(plan.chunks.flatMap((c) => c.indexes)).toEqual([0]);
    expect(plan.refused).toEqual([
      expect.objectContaining({
        eventIndex: 1,
        type: "epcisException:CaptureLimitExceededException",
        status: 413,
      }),
    ]);
  });

  it("an error declaration is not a duplicate of the event it corrects", () => {
    const original = events[0] as Json;
    const declaration = {
      ...original,
      errorDeclaration: { declarationTime: "2024-03-02T00:00:00Z", reason: "incorrect_data" },
    };
    const doc = epcisDocument([original, declaration]);
    const plan = planCapture(doc, JSON.parse(doc), "rollback", deps());
    expect(plan.chunks[0]?.eventIds[0]).toBe(plan.chunks[0]?.eventIds[1]);
  });
});

describe("query parameters", () => {
  it("parse URL and body forms alike", () => {
    expect(parseEventQuery({ EQ_bizStep: ["a|b", "c"], eventType: "ObjectEvent" }, true)).toEqual({
      query: { EQ_bizStep: ["a", "b", "c"], eventTypes: ["ObjectEvent"] },
    });
    expect(parseEventQuery({ EQ_bizStep: ["a|b"] }, false).query).toEqual({ EQ_bizStep: ["a|b"] });
    expect(parseEventQuery({ EXISTS_errorDeclaration: null, maxEventCount: 3 }, false)).toEqual({
      query: { EXISTS_errorDeclaration: true },
      maxEventCount: 3,
    });
    expect(() =>
      parseEventQuery({ GE_eventTime: ["2024-01-01T00:00:00Z", "2024-01-02T00:00:00Z"] }, true),
    ).toThrow(/given more than once/);
    expect(() => parseEventQuery({ EQ_bizStep: ["a||b"] }, true)).toThrow(/empty value/);
    expect(perPageOf(undefined, { defaultPerPage: 30, maxPerPage: 100 })).toBe(30);
    expect(() => perPageOf("1.5", { defaultPerPage: 30, maxPerPage: 100 })).toThrow(/perPage/);
  });

  it("bind page tokens to their query", () => {
    const scope = queryScope("events", { EQ_bizStep: ["a"] });
    const token = encodePageToken("cursor-1", scope);
    expect(decodePageToken(token, queryScope("events", { EQ_bizStep: ["a"] }))).toBe("cursor-1");
    expect(() => decodePageToken(token, queryScope("events", { EQ_bizStep: ["b"] }))).toThrow(
      /nextPageToken/,
    );
    expect(() => decodePageToken(token, queryScope("queries/x", { EQ_bizStep: ["a"] }))).toThrow(
      /nextPageToken/,
    );
    expect(() => decodePageToken("!!!", scope)).toThrow(/nextPageToken/);
  });
});

describe("schedules", () => {
  const at = (iso: string) => Date.parse(iso);

  it("run at the next matching second, fields finer than the finest given at their lowest value", () => {
    const daily = compileSchedule({ hour: "1", minute: "5" });
    expect(new Date(nextRun(daily, at("2024-03-01T00:00:00Z")) as number).toISOString()).toBe(
      "2024-03-01T01:05:00.000Z",
    );
    expect(new Date(nextRun(daily, at("2024-03-01T01:05:00Z")) as number).toISOString()).toBe(
      "2024-03-02T01:05:00.000Z",
    );
    const every30 = compileSchedule({ second: "0/30" });
    expect(new Date(nextRun(every30, at("2024-03-01T00:00:10Z")) as number).toISOString()).toBe(
      "2024-03-01T00:00:30.000Z",
    );
    const mondays = compileSchedule({ dayOfWeek: "1", hour: "[8-9]" });
    // 2024-03-01 is a Friday.
    expect(new Date(nextRun(mondays, at("2024-03-01T12:00:00Z")) as number).toISOString()).toBe(
      "2024-03-04T08:00:00.000Z",
    );
    const leap = compileSchedule({ month: "2", dayOfMonth: "29" });
    expect(new Date(nextRun(leap, at("2024-03-01T00:00:00Z")) as number).toISOString()).toBe(
      "2028-02-29T00:00:00.000Z",
    );
    expect(nextRun(compileSchedule({ month: "2", dayOfMonth: "31" }), 0)).toBeUndefined();
  });

  it("refuse values out of range and empty schedules", () => {
    expect(() => compileSchedule({})).toThrow(/at least one field/);
    expect(() => compileSchedule({ minute: "60" })).toThrow(/0\.\.59/);
    expect(() => compileSchedule({ dayOfWeek: "0" })).toThrow(/1\.\.7/);
    expect(() => compileSchedule({ hour: "x" })).toThrow(/hour/);
  });
});

describe("webhook signatures", () => {
  it("sign the exact body with HMAC-SHA256", () => {
    // RFC 4231-style known answer: HMAC-SHA256("key", "The quick brown fox jumps over the lazy dog").
    expect(signBody("The quick brown fox jumps over the lazy dog", "key")).toBe(
      "sha256=f7bc83f430538424b13298e6aa6fb143ef4d59a14946175997479dbc2d1a3cd8",
    );
    const body = '{"a":1}';
    expect(verifySignature(body, "k", signBody(body, "k"))).toBe(true);
    expect(verifySignature(body, "k", signBody(body, "k").toUpperCase())).toBe(false);
    expect(verifySignature(body, "k", undefined)).toBe(false);
  });
});

describe("transaction submitter", () => {
  it("skips a sequence held by another transaction of the same key and fills gaps", async () => {
    const tc = await createTraceChain();
    chains.push(tc);
    const { chain } = tc;
    const key = chain.validator;
    // Another part of the node (evidence) holds sequence 0 with the same key.
    const other = signTx(
      {
        chainId: chain.genesis.chainId,
        signer: { alg: key.alg, publicKey: key.publicKey },
        sequence: 0,
        expiresAt: 100,
        module: "token",
        method: "transfer",
        args: { asset: "EUR", to: "11".repeat(20), amount: "1" },
      },
      key,
    );
    expect((await chain.submit(other))[0]?.accepted).toBe(true);
    const submitter = new TxSubmitter(chain.service, key, 10);
    const doc = epcisDocument([
      objectEvent({ action: "ADD", epcList: [G.jacket(1)], bizStep: "commissioning" }),
    ]);
    const first = await submitter.submit("trace", "capture", { document: doc });
    expect(first.accepted).toBe(true);
    if (!first.accepted) return;
    expect(first.tx.body.sequence).toBe(1);
    const second = await submitter.submit("trace", "capture", {
      document: epcisDocument([
        objectEvent({ action: "ADD", epcList: [G.jacket(2)], bizStep: "commissioning" }),
      ]),
    });
    expect(second.accepted && second.tx.body.sequence).toBe(2);
    await chain.produceBlock();
    for (const hash of [txHash(other), first.hash, second.accepted ? second.hash : ""]) {
      expect(chain.service.getTx(hash)?.status).toBe("committed");
    }
    // A refused transaction does not use up its sequence.
    const bad = await submitter.submit("trace", "capture", { document: "x" });
    expect(bad.accepted).toBe(false);
    const next = await submitter.submit("trace", "capture", {
      document: epcisDocument([
        objectEvent({ action: "ADD", epcList: [G.jacket(3)], bizStep: "commissioning" }),
      ]),
    });
    expect(next.accepted && next.tx.body.sequence).toBe(3);
  });

  it("capture jobs interrupted by a restart resume tracking their transactions", async () => {
    const tc = await createTraceChain();
    chains.push(tc);
    const build = () => createEpcisApi(tc);
    const app = await build();
    await app.ready();
    const res = await app.inject({
      method: "POST",
      url: "/epcis/capture",
      payload: epcisDocument([
        objectEvent({ action: "ADD", epcList: [G.jacket(1)], bizStep: "commissioning" }),
      ]),
      headers: { "content-type": "application/json" },
    });
    const path = new URL(res.headers.location as string).pathname;
    for (let i = 0; i < 100 && tc.chain.app.mempool.size === 0; i++)
      await new Promise((r) => setTimeout(r, 5));
    await app.close();
    await tc.chain.produceBlock();
    const again = await build();
    try {
      await again.ready();
      let job: Json = {};
      for (let i = 0; i < 100; i++) {
        job = (await again.inject(path)).json();
        if (job.running === false) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      expect(job).toMatchObject({ running: false, success: true, capturedEventCount: 1 });
    } finally {
      await again.close();
    }
  });
});
