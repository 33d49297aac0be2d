import type { SignedTx, TxStatus } from "@weft/core";
import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import type { EpcisDeps, EpcisOptionsInput } from "../../src/api/epcis/context.js";
import type { SimpleEventQuery, TraceReader } from "../../src/modules/trace/api.js";
import {
  aggregationEvent,
  EPCIS_CONTEXT,
  epcisDocument,
  G,
  type Json,
  K,
  objectEvent,
  transformationEvent,
} from "../support/epcis.js";
import { createEpcisApi, createTraceChain, type TraceChain } from "../support/epcis-chain.js";
import { buildApi } from "./support/api.js";

const PROBLEM = /^application\/problem\+json/;
const JSON_TYPE = { "content-type": "application/json" };

interface Env {
  tc: TraceChain;
  app: FastifyInstance;
  /** Queries the trace module received (through the API). */
  queries: SimpleEventQuery[];
  /** Commits one block and waits until the trace index has it. */
  block(): Promise<void>;
  /** Produces blocks until the capture job has finished; returns it. */
  settle(location: string): Promise<Json>;
  capture(doc: string, behaviour?: string): Promise<{ status: number; body: Json; location: string }>;
}

const envs: Env[] = [];
afterEach(async () => {
  for (const env of envs.splice(0)) {
    await env.app.close();
    // LMDB resets its read transaction on a timer after each read: let it run before closing.
    await new Promise((resolve) => setTimeout(resolve, 5));
    await env.tc.close();
  }
});

async function setup(options: EpcisOptionsInput = {}, extra: Partial<EpcisDeps> = {}): Promise<Env> {
  const tc = await createTraceChain();
  const queries: SimpleEventQuery[] = [];
  const spy: TraceReader = Object.create(tc.reader) as TraceReader;
  spy.queryEvents = (query, page) => {
    queries.push(query);
    return tc.reader.queryEvents(query, page);
  };
  const app = await createEpcisApi(tc, { trace: spy, options, ...extra });
  await app.ready();
  const block = async () => {
    await tc.chain.produceBlock();
    await tc.indexer.whenIndexed();
  };
  const env: Env = {
    tc,
    app,
    queries,
    block,
    async settle(location) {
      const path = new URL(location).pathname;
      for (let i = 0; i < 200; i++) {
        await new Promise((resolve) => setTimeout(resolve, 5));
        const job = (await app.inject(path)).json() as Json;
        if (job.running === false) return job;
        if ((job.txs as Json[]).some((t) => t.status === "pending")) await block();
      }
      throw new Error("capture job did not finish");
    },
    async capture(doc, behaviour) {
      const res = await app.inject({
        method: "POST",
        url: "/epcis/capture",
        payload: doc,
        headers: { ...JSON_TYPE, ...(behaviour ? { "GS1-Capture-Error-Behaviour": behaviour } : {}) },
      });
      return { status: res.statusCode, body: res.json(), location: res.headers.location as string };
    },
  };
  envs.push(env);
  return env;
}

const commission = (n: number, fields: Json = {}) =>
  objectEvent({
    action: "ADD",
    epcList: [G.jacket(n)],
    bizStep: "commissioning",
    disposition: "active",
    ...fields,
  });
const shipping = (n: number) =>
  objectEvent({
    epcList: [G.jacket(n)],
    bizStep: "shipping",
    disposition: "in_transit",
    readPoint: { id: G.factoryDock },
  });

const eventsOf = (body: Json) =>
  ((body.epcisBody as Json).queryResults as { resultsBody: { eventList: Json[] } }).resultsBody.eventList;

describe("POST /epcis/capture", () => {
  it("answers 202 with a capture job that runs to success once the transaction commits", async () => {
    const env = await setup();
    const res = await env.capture(epcisDocument([commission(1), commission(2), shipping(1)]));
    expect(res.status).toBe(202);
    expect(res.location).toMatch(/\/epcis\/capture\/[0-9a-z]+$/);
    expect(res.body).toMatchObject({
      running: true,
      success: true,
      captureErrorBehaviour: "rollback",
      eventCount: 3,
      capturedEventCount: 0,
      errors: [],
    });
    const job = await env.settle(res.location);
    expect(job).toMatchObject({ running: false, success: true, capturedEventCount: 3, errors: [] });
    const [tx] = job.txs as Json[];
    expect(tx).toMatchObject({ status: "committed", height: 1, eventIndexes: [0, 1, 2] });
    expect(tx?.hash).toMatch(/^[0-9a-f]{64}$/);
    // The transaction is the node's own trace.capture, signed with its capture key.
    const committed = env.tc.chain.service.getTx(tx?.hash as string);
    expect(committed?.receipt?.status).toBe("ok");
    expect(committed?.tx.body).toMatchObject({ module: "trace", method: "capture" });
    expect(committed?.tx.body.signer.publicKey).toBe(env.tc.chain.validator.publicKey);
    // The events are queryable under the ids the job reported.
    const query = await env.app.inject("/epcis/events?EQ_bizStep=commissioning");
    const ids = eventsOf(query.json()).map((e) => (e["weft:ledger"] as Json).eventId);
    expect(ids).toEqual(((tx as Json).eventIDs as string[]).slice(0, 2));
    // The job is listed.
    const list = await env.app.inject("/epcis/capture");
    expect(list.json()).toHaveLength(1);
  });

  it("sends the EPCIS headers and OPTIONS describes the capture limits", async () => {
    const env = await setup({ captureLimit: 7, captureFileSizeLimit: 100_000 });
    const res = await env.app.inject({
      method: "POST",
      url: "/epcis/capture",
      payload: epcisDocument([commission(1)]),
      headers: JSON_TYPE,
    });
    expect(res.headers).toMatchObject({
      "gs1-epcis-version": "2.0",
      "gs1-cbv-version": "2.0",
      "gs1-capture-error-behaviour": "rollback",
      "gs1-epcis-capture-limit": "7",
      "gs1-epcis-capture-file-size-limit": "100000",
    });
    const options = await env.app.inject({ method: "OPTIONS", url: "/epcis/capture" });
    expect(options.statusCode).toBe(204);
    expect(options.headers).toMatchObject({
      allow: "OPTIONS, GET, POST",
      "gs1-epcis-capture-limit": "7",
      "gs1-capture-error-behaviour": "rollback, proceed",
    });
  });

  it("refuses an invalid document with 400 ValidationException naming each path and submits nothing", async () => {
    const env = await setup();
    const doc = epcisDocument([
      commission(1),
      commission(2, { action: "JUMP" }),
      commission(3, { bizStep: 42 }),
    ]);
    const res = await env.capture(doc);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      type: "epcisException:ValidationException",
      status: 400,
      instance: "/epcis/capture",
    });
    const paths = (res.body.problems as { path: string }[]).map((p) => p.path);
    expect(paths).toContain("epcisBody.eventList[1].action");
    expect(paths.some((p) => p.startsWith("epcisBody.eventList[2].bizStep"))).toBe(true);
    expect(env.tc.chain.app.mempool.size).toBe(0);
    expect((await env.app.inject("/epcis/capture")).json()).toEqual([]);
  });

  it("refuses a bad envelope even with proceed, and malformed JSON, an empty body and other media types", async () => {
    const env = await setup();
    const noContext = JSON.stringify({
      ...JSON.parse(epcisDocument([commission(1)])),
      "@context": undefined,
    });
    const res = await env.capture(noContext, "proceed");
    expect(res.status).toBe(400);
    expect(res.body.problems).toContainEqual(expect.objectContaining({ path: "@context" }));
    const malformed = await env.capture('{"type": "EPCISDocument",');
    expect(malformed).toMatchObject({ status: 400, body: { type: "epcisException:ValidationException" } });
    expect(String(malformed.body.detail)).toMatch(/not JSON/);
    const empty = await env.app.inject({
      method: "POST",
      url: "/epcis/capture",
      payload: "",
      headers: JSON_TYPE,
    });
    expect(empty.statusCode).toBe(400);
    const text = await env.app.inject({
      method: "POST",
      url: "/epcis/capture",
      payload: "hello",
      headers: { "content-type": "text/plain" },
    });
    expect(text.statusCode).toBe(415);
    expect(text.json()).toMatchObject({ type: "epcisException:ImplementationException", status: 415 });
    expect(text.headers["content-type"]).toMatch(PROBLEM);
    const poison = await env.capture('{"__proto__": {"x": 1}}');
    expect(poison.status).toBe(400);
    const behaviour = await env.capture(epcisDocument([commission(1)]), "sometimes");
    expect(behaviour).toMatchObject({ status: 400, body: { type: "epcisException:ValidationException" } });
    expect(env.tc.chain.app.mempool.size).toBe(0);
  });

  it("accepts application/ld+json", async () => {
    const env = await setup();
    const res = await env.app.inject({
      method: "POST",
      url: "/epcis/capture",
      payload: epcisDocument([commission(1)]),
      headers: { "content-type": "application/ld+json" },
    });
    expect(res.statusCode).toBe(202);
  });

  it("rollback: an event already on the ledger is 409 ResourceAlreadyExistsException and nothing is submitted", async () => {
    const env = await setup();
    const first = commission(1);
    await env.tc.capture(epcisDocument([first]));
    const res = await env.capture(epcisDocument([commission(2), first]));
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({
      type: "epcisException:ResourceAlreadyExistsException",
      events: [{ eventIndex: 1 }],
    });
    expect(env.tc.chain.app.mempool.size).toBe(0);
    // The same event twice in one document is a validation problem.
    const twice = await env.capture(
      epcisDocument([commission(3), commission(3)].map((e, i) => (i ? { ...e } : e))),
    );
    expect(twice.status).toBe(202); // two distinct event times: different events
    const same = commission(4);
    const dup = await env.capture(epcisDocument([same, same]));
    expect(dup.status).toBe(400);
    expect(dup.body.problems).toContainEqual(
      expect.objectContaining({
        path: "epcisBody.eventList[1]",
        message: "same event as epcisBody.eventList[0]",
      }),
    );
  });

  it("an event being captured by a running job counts as a duplicate", async () => {
    const env = await setup();
    const doc = epcisDocument([commission(1)]);
    expect((await env.capture(doc)).status).toBe(202);
    const again = await env.capture(doc);
    expect(again.status).toBe(409);
  });

  it("proceed: valid events are captured, invalid and duplicate ones reported in the job", async () => {
    const env = await setup();
    const known = commission(1);
    await env.tc.capture(epcisDocument([known]));
    const res = await env.capture(
      epcisDocument([
        commission(2),
        commission(3, { disposition: "no_such_disposition_value" }),
        known,
        shipping(2),
      ]),
      "proceed",
    );
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ captureErrorBehaviour: "proceed", success: false, running: true });
    const job = await env.settle(res.location);
    expect(job).toMatchObject({ running: false, success: false, eventCount: 4, capturedEventCount: 2 });
    const errors = job.errors as Json[];
    expect(errors.map((e) => [e.eventIndex, e.type])).toEqual([
      [1, "epcisException:ValidationException"],
      [2, "epcisException:ResourceAlreadyExistsException"],
    ]);
    expect(((errors[0] as Json).problems as Json[])[0]).toMatchObject({
      path: "epcisBody.eventList[1].disposition",
    });
    const all = await env.app.inject(`/epcis/events?MATCH_epc=${encodeURIComponent(G.jacket(2))}`);
    expect(eventsOf(all.json())).toHaveLength(2);
  });

  it("proceed with nothing left to capture is refused like rollback", async () => {
    const env = await setup();
    const res = await env.capture(epcisDocument([commission(1, { action: "NOPE" })]), "proceed");
    expect(res.status).toBe(400);
    expect(env.tc.chain.app.mempool.size).toBe(0);
  });

  it("refuses more events than GS1-EPCIS-Capture-Limit and bodies over the file size limit with 413", async () => {
    const env = await setup({ captureLimit: 2, captureFileSizeLimit: 4000 });
    const tooMany = await env.capture(epcisDocument([commission(1), commission(2), commission(3)]));
    expect(tooMany.status).toBe(413);
    expect(tooMany.body).toMatchObject({
      type: "epcisException:CaptureLimitExceededException",
      eventCount: 3,
      captureLimit: 2,
    });
    const big = await env.app.inject({
      method: "POST",
      url: "/epcis/capture",
      payload: epcisDocument([commission(1, { "example:note": "x".repeat(5000) })]),
      headers: JSON_TYPE,
    });
    expect(big.statusCode).toBe(413);
    expect(big.json()).toMatchObject({ type: "epcisException:CaptureLimitExceededException" });
    expect(big.headers["gs1-epcis-capture-limit"]).toBe("2");
    expect(big.headers["gs1-epcis-capture-file-size-limit"]).toBe("4000");
    expect(env.tc.chain.app.mempool.size).toBe(0);
  });

  it("splits a large document into transactions within maxTxBytes, each with the document's @context", async () => {
    const env = await setup();
    const context = [EPCIS_CONTEXT, { example: "https://ns.example.com/epcis/" }];
    const events = Array.from({ length: 70 }, (_, i) =>
      commission(i + 1, { "example:note": `${"n".repeat(2000)}`, "example:reading": 26.0 + i / 100 }),
    );
    const text = epcisDocument(events, context).replace('"example:reading":26}', '"example:reading":26.0}');
    expect(text).toContain('"example:reading":26.0}');
    const res = await env.capture(text);
    expect(res.status).toBe(202);
    const job = await env.settle(res.location);
    expect(job).toMatchObject({ success: true, capturedEventCount: 70 });
    const txs = job.txs as Json[];
    expect(txs.length).toBeGreaterThan(2);
    expect(txs.flatMap((t) => t.eventIndexes as number[])).toEqual(events.map((_, i) => i));
    const heights = txs.map((t) => t.height as number);
    expect(heights).toEqual([...heights].sort((a, b) => a - b));
    const { maxTxBytes } = env.tc.chain.genesis.params;
    for (const t of txs) {
      const tx = env.tc.chain.service.getTx(t.hash as string)?.tx;
      const document = ((tx as SignedTx).body.args as { document: string }).document;
      expect(JSON.parse(document)["@context"]).toEqual(context);
      expect(new TextEncoder().encode(JSON.stringify(tx)).length).toBeLessThanOrEqual(maxTxBytes + 200);
    }
    // Each event's exact text is kept: the decimal 26.0 was not rewritten.
    const firstDoc = (
      (env.tc.chain.service.getTx((txs[0] as Json).hash as string) as TxStatus).tx.body.args as {
        document: string;
      }
    ).document;
    expect(firstDoc.includes('"example:reading":26.0}')).toBe(true);
  });
});

describe("POST /epcis/events (one event)", () => {
  it("answers 201 with the event's Location once committed, then 409 for the same event", async () => {
    const env = await setup();
    const event = { "@context": [EPCIS_CONTEXT], ...commission(7) };
    const pending = env.app.inject({
      method: "POST",
      url: "/epcis/events",
      payload: event,
      headers: JSON_TYPE,
    });
    let done = false;
    void pending.then(() => {
      done = true;
    });
    while (!done) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      if (env.tc.chain.app.mempool.size > 0) await env.block();
    }
    const res = await pending;
    expect(res.statusCode).toBe(201);
    const location = res.headers.location as string;
    expect(location).toMatch(/\/epcis\/events\/ni%3A%2F%2F%2Fsha-256%3B[0-9a-f]{64}%3Fver%3DCBV2\.0$/);
    expect(res.json()).toMatchObject({ type: "ObjectEvent", "weft:ledger": { height: 1 } });
    const get = await env.app.inject(new URL(location).pathname);
    expect(get.statusCode).toBe(200);
    expect(eventsOf(get.json())).toHaveLength(1);
    const again = await env.app.inject({
      method: "POST",
      url: "/epcis/events",
      payload: event,
      headers: JSON_TYPE,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ type: "epcisException:ResourceAlreadyExistsException" });
  });

  it("refuses an invalid event with 400 ValidationException", async () => {
    const env = await setup();
    const res = await env.app.inject({
      method: "POST",
      url: "/epcis/events",
      payload: { ...commission(1), action: "MAYBE" },
      headers: JSON_TYPE,
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ type: "epcisException:ValidationException" });
    expect((res.json().problems as Json[]).map((p) => p.path)).toContain("@context");
  });
});

describe("GET /epcis/events", () => {
  async function withChain() {
    const env = await setup();
    await env.tc.capture(
      epcisDocument([
        commission(1),
        commission(2),
        transformationEvent({
          inputEPCList: [G.jacket(2)],
          outputEPCList: [G.repaired],
          transformationID: G.cutSew,
          bizStep: "repairing",
          bizLocation: { id: G.factory },
        }),
      ]),
    );
    await env.tc.capture(
      epcisDocument([
        aggregationEvent({
          parentID: G.carton1,
          childEPCs: [G.jacket(1)],
          bizStep: "packing",
          readPoint: { id: G.factoryLine },
        }),
        shipping(1),
        objectEvent({
          epcList: [G.pallet],
          bizStep: "sensor_reporting",
          sensorElementList: [
            { sensorMetadata: { deviceID: G.sensor }, sensorReport: [{ type: "Temperature", value: 4.5 }] },
          ],
        }),
      ]),
    );
    return env;
  }

  it("passes every SimpleEventQuery parameter to the trace module", async () => {
    const env = await withChain();
    const t0 = "2024-01-01T00:00:00Z";
    const t1 = "2030-01-01T00:00:00.000+01:00";
    const params: [string, string, keyof SimpleEventQuery, unknown][] = [
      ["eventType", "ObjectEvent|AggregationEvent", "eventTypes", ["ObjectEvent", "AggregationEvent"]],
      ["EQ_action", "ADD", "EQ_action", ["ADD"]],
      ["EQ_bizStep", "shipping|commissioning", "EQ_bizStep", ["shipping", "commissioning"]],
      ["EQ_disposition", "in_transit", "EQ_disposition", ["in_transit"]],
      ["GE_eventTime", t0, "GE_eventTime", t0],
      ["LT_eventTime", t1, "LT_eventTime", t1],
      ["GE_recordTime", t0, "GE_recordTime", t0],
      ["LT_recordTime", t1, "LT_recordTime", t1],
      ["MATCH_epc", G.jacket(1), "MATCH_epc", [G.jacket(1)]],
      ["MATCH_anyEPC", K.jacket(1), "MATCH_anyEPC", [K.jacket(1)]],
      ["MATCH_epcClass", G.fabric, "MATCH_epcClass", [G.fabric]],
      ["MATCH_anyEPCClass", G.fabric, "MATCH_anyEPCClass", [G.fabric]],
      ["MATCH_parentID", G.carton1, "MATCH_parentID", [G.carton1]],
      ["MATCH_inputEPC", G.jacket(2), "MATCH_inputEPC", [G.jacket(2)]],
      ["MATCH_outputEPC", G.repaired, "MATCH_outputEPC", [G.repaired]],
      ["EQ_bizLocation", G.factory, "EQ_bizLocation", [G.factory]],
      ["WD_bizLocation", G.factory, "WD_bizLocation", [G.factory]],
      ["EQ_readPoint", G.factoryDock, "EQ_readPoint", [G.factoryDock]],
      ["WD_readPoint", G.factory, "WD_readPoint", [G.factory]],
      ["EQ_transformationID", G.cutSew, "EQ_transformationID", [G.cutSew]],
      ["EQ_deviceID", G.sensor, "EQ_deviceID", [G.sensor]],
      ["EQ_eventID", "urn:uuid:1", "EQ_eventID", ["urn:uuid:1"]],
      ["EXISTS_errorDeclaration", "", "EXISTS_errorDeclaration", true],
      ["orderBy", "eventTime", "orderBy", "eventTime"],
      ["orderDirection", "DESC", "orderDirection", "DESC"],
      ["eventCountLimit", "5", "eventCountLimit", 5],
    ];
    for (const [name, value, field, expected] of params) {
      env.queries.length = 0;
      const res = await env.app.inject(`/epcis/events?${name}=${encodeURIComponent(value)}`);
      expect(res.statusCode, `${name}: ${res.body}`).toBe(200);
      expect(env.queries.at(-1), name).toEqual({ [field]: expected });
    }
    // Repeated parameters and | lists merge; several parameters AND together.
    env.queries.length = 0;
    await env.app.inject(
      "/epcis/events?EQ_bizStep=shipping&EQ_bizStep=packing|receiving&EXISTS_errorDeclaration=false",
    );
    expect(env.queries.at(-1)).toEqual({
      EQ_bizStep: ["shipping", "packing", "receiving"],
      EXISTS_errorDeclaration: false,
    });
  });

  it("answers what the parameters select", async () => {
    const env = await withChain();
    const q = async (query: string) =>
      eventsOf((await env.app.inject(`/epcis/events?${query}`)).json()).map((e) => e.bizStep ?? e.type);
    expect(await q("EQ_bizStep=shipping")).toEqual(["shipping"]);
    expect(await q(`MATCH_anyEPC=${encodeURIComponent(K.jacket(1))}`)).toEqual([
      "commissioning",
      "packing",
      "shipping",
    ]);
    expect(await q(`MATCH_inputEPC=${encodeURIComponent(G.jacket(2))}`)).toEqual(["repairing"]);
    expect(await q(`EQ_deviceID=${encodeURIComponent(G.sensor)}`)).toEqual(["sensor_reporting"]);
    expect(await q("eventType=AggregationEvent")).toEqual(["packing"]);
    expect(await q("EQ_bizStep=commissioning&orderDirection=DESC")).toHaveLength(2);
    const res = await env.app.inject("/epcis/events?EQ_bizStep=shipping");
    const [event] = eventsOf(res.json());
    expect(event).toMatchObject({ recordTime: expect.any(String), eventID: expect.stringMatching(/^ni:/) });
    expect(res.json()).toMatchObject({ type: "EPCISQueryDocument", schemaVersion: "2.0" });
  });

  it("pages with perPage, nextPageToken and Link rel=next", async () => {
    const env = await withChain();
    const seen: string[] = [];
    let url: string | undefined = "/epcis/events?perPage=2";
    let pages = 0;
    while (url) {
      const res = await env.app.inject(url);
      expect(res.statusCode).toBe(200);
      const events = eventsOf(res.json());
      expect(events.length).toBeLessThanOrEqual(2);
      seen.push(...events.map((e) => (e["weft:ledger"] as Json).eventId as string));
      pages++;
      const link = res.headers.link as string | undefined;
      if (!link) break;
      const m = /^<([^>]+)>; rel="next"$/.exec(link);
      expect(m, link).not.toBeNull();
      const next = new URL(m?.[1] as string);
      expect(next.searchParams.get("perPage")).toBe("2");
      expect(next.searchParams.get("nextPageToken")).toBeTruthy();
      url = next.pathname + next.search;
    }
    expect(pages).toBe(3);
    expect(new Set(seen).size).toBe(6);
    // A token continues only the query it came from.
    const first = await env.app.inject("/epcis/events?perPage=1&EQ_bizStep=commissioning");
    const token = new URL(/<([^>]+)>/.exec(first.headers.link as string)?.[1] as string).searchParams.get(
      "nextPageToken",
    );
    const other = await env.app.inject(`/epcis/events?perPage=1&EQ_bizStep=shipping&nextPageToken=${token}`);
    expect(other.statusCode).toBe(400);
    expect(other.json()).toMatchObject({ type: "epcisException:QueryParameterException" });
    const garbage = await env.app.inject("/epcis/events?nextPageToken=abc");
    expect(garbage.json()).toMatchObject({ type: "epcisException:QueryParameterException" });
  });

  it("refuses bad parameters with 400 QueryParameterException naming the parameter", async () => {
    const env = await withChain();
    const cases: [string, RegExp][] = [
      ["bogus=1", /^bogus: unknown query parameter/],
      ["EQ_quantity=5", /^EQ_quantity: this EPCIS query parameter is not supported/],
      ["GE_eventTime=yesterday", /^GE_eventTime: must be an RFC 3339 date-time/],
      ["GE_eventTime=2024-01-01T00:00:00", /^GE_eventTime/],
      ["perPage=0", /^perPage: must be an integer in 1\.\.1000/],
      ["perPage=5000", /^perPage/],
      ["eventType=SensorEvent", /^eventType: must be one of/],
      ["EQ_action=JUMP", /^EQ_action: must be one of ADD, OBSERVE, DELETE/],
      ["orderBy=bizStep", /^orderBy/],
      ["EXISTS_errorDeclaration=maybe", /^EXISTS_errorDeclaration/],
      ["MATCH_epc=urn:epc:idpat:sgtin:nope.*", /MATCH_epc/],
      ["maxEventCount=2&eventCountLimit=3", /^maxEventCount: cannot be combined/],
    ];
    for (const [query, detail] of cases) {
      const res = await env.app.inject(`/epcis/events?${query}`);
      expect(res.statusCode, query).toBe(400);
      expect(res.headers["content-type"]).toMatch(PROBLEM);
      expect(res.json(), query).toMatchObject({
        type: "epcisException:QueryParameterException",
        status: 400,
      });
      expect(res.json().detail, query).toMatch(detail);
    }
  });

  it("maxEventCount: more matching events is 413 QueryTooLargeException", async () => {
    const env = await withChain();
    const res = await env.app.inject("/epcis/events?maxEventCount=2");
    expect(res.statusCode).toBe(413);
    expect(res.json()).toMatchObject({ type: "epcisException:QueryTooLargeException" });
    expect((await env.app.inject("/epcis/events?maxEventCount=6")).statusCode).toBe(200);
  });

  it("GET /epcis/events/{id}: the event, or 404 NoSuchResourceException", async () => {
    const env = await withChain();
    const [event] = eventsOf((await env.app.inject("/epcis/events?EQ_bizStep=shipping")).json());
    const id = ((event as Json)["weft:ledger"] as Json).eventId as string;
    const res = await env.app.inject(`/epcis/events/${encodeURIComponent(id)}`);
    expect(eventsOf(res.json())).toEqual([expect.objectContaining({ bizStep: "shipping" })]);
    const missing = await env.app.inject(
      `/epcis/events/${encodeURIComponent(`ni:///sha-256;${"0".repeat(64)}?ver=CBV2.0`)}`,
    );
    expect(missing.statusCode).toBe(404);
    expect(missing.json()).toMatchObject({ type: "epcisException:NoSuchResourceException" });
    const route = await env.app.inject("/epcis/nothing-here");
    expect(route.json()).toMatchObject({ type: "epcisException:NoSuchResourceException", status: 404 });
  });

  it("answers 406 to another EPCIS or CBV version", async () => {
    const env = await setup();
    const res = await env.app.inject({ url: "/epcis/events", headers: { "GS1-EPCIS-Version": "1.2" } });
    expect(res.statusCode).toBe(406);
    expect(res.json()).toMatchObject({ type: "epcisException:ImplementationException", status: 406 });
    const cbv = await env.app.inject({ url: "/epcis/events", headers: { "GS1-CBV-Version": "2.0.1" } });
    expect(cbv.statusCode).toBe(200);
  });
});

describe("EPCIS without the trace module", () => {
  it("answers 503 ImplementationException", async () => {
    const { app } = await buildApi();
    for (const url of ["/epcis/events", "/epcis/capture", "/epcis/queries", "/verify/scans?dl=x"]) {
      const res = await app.inject(url);
      expect(res.statusCode, url).toBe(503);
    }
    const events = await app.inject("/epcis/events");
    expect(events.json()).toMatchObject({ type: "epcisException:ImplementationException", status: 503 });
  });
});
