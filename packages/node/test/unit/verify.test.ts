import { verifyProof } from "@weft/core";
import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import type { EpcisOptionsInput } from "../../src/api/epcis/context.js";
import { REPOSITORIES } from "../../src/api/epcis/runtime.js";
import type { ItemStatus } from "../../src/modules/trace/api.js";
import { distanceKm } from "../../src/verify/geo.js";
import { defaultVerifyOptions } from "../../src/verify/options.js";
import type { ScanRecord } from "../../src/verify/scan-log.js";
import { bareCbv, detectSignals } from "../../src/verify/signals.js";
import { gs1Date } from "../../src/verify/verify.js";
import { epcisDocument, G, type Json, K, objectEvent } from "../support/epcis.js";
import { createEpcisApi, createTraceChain, type TraceChain } from "../support/epcis-chain.js";
import { PROBLEM_JSON } from "./support/api.js";

const PARIS = { lat: 48.8566, lon: 2.3522 };
const VERSAILLES = { lat: 48.8049, lon: 2.1204 };
const LYON = { lat: 45.764, lon: 4.8357 };
const NEW_YORK = { lat: 40.7128, lon: -74.006 };
const MINUTE = 60_000;

const apps: FastifyInstance[] = [];
const chains: TraceChain[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
  await new Promise((resolve) => setTimeout(resolve, 5));
  for (const tc of chains.splice(0)) await tc.close();
});

interface Env {
  tc: TraceChain;
  app: FastifyInstance;
  clock: { now: number };
  /** Ledger ids of the captured events by label. */
  ids: Record<string, string>;
  scan(query: Record<string, string | number | boolean>): Promise<Json>;
}

async function api(tc: TraceChain, clock: { now: number }, options: EpcisOptionsInput = {}) {
  const app = await createEpcisApi(tc, { now: () => clock.now, options });
  apps.push(app);
  await app.ready();
  return app;
}

const commission = (n: number, ilmd?: Json) =>
  objectEvent({
    action: "ADD",
    epcList: [G.jacket(n)],
    bizStep: "commissioning",
    disposition: "active",
    ...(ilmd ? { ilmd } : {}),
  });

/** J1 shipped, J2 sold at retail, J3 destroyed, J4 recalled, J5 expired, J6 decommissioned. */
async function setup(options: EpcisOptionsInput = {}): Promise<Env> {
  const tc = await createTraceChain();
  chains.push(tc);
  const clock = { now: Date.parse("2025-06-01T10:00:00.000Z") };
  const labelled: [string, Json][] = [
    ["c1", commission(1, { "cbvmda:lotNumber": "LOT-A", "cbvmda:itemExpirationDate": "2030-12-31" })],
    ["c2", commission(2)],
    ["c3", commission(3)],
    ["c4", commission(4)],
    ["c5", commission(5, { "cbvmda:itemExpirationDate": "2024-01-31" })],
    ["c6", commission(6)],
    ["ship1", objectEvent({ epcList: [G.jacket(1)], bizStep: "shipping", disposition: "in_transit" })],
    ["sold2", objectEvent({ epcList: [G.jacket(2)], bizStep: "retail_selling", disposition: "retail_sold" })],
    ["destroyed3", objectEvent({ epcList: [G.jacket(3)], bizStep: "destroying", disposition: "destroyed" })],
    ["recalled4", objectEvent({ epcList: [G.jacket(4)], bizStep: "holding", disposition: "recalled" })],
    [
      "decommissioned6",
      objectEvent({
        action: "DELETE",
        epcList: [G.jacket(6)],
        bizStep: "decommissioning",
        disposition: "inactive",
      }),
    ],
  ];
  await tc.capture(epcisDocument(labelled.slice(0, 6).map(([, e]) => e)));
  await tc.capture(epcisDocument(labelled.slice(6).map(([, e]) => e)));
  const ids: Record<string, string> = {};
  for (const [label, event] of labelled) {
    const found = tc.reader.queryEvents(
      { MATCH_epc: event.epcList as string[], EQ_bizStep: [event.bizStep as string] },
      { perPage: 5 },
    );
    ids[label] = found.events[0]?.eventId as string;
  }
  const app = await api(tc, clock, options);
  return {
    tc,
    app,
    clock,
    ids,
    async scan(query) {
      const qs = Object.entries(query)
        .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
        .join("&");
      const res = await app.inject(`/verify?${qs}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as Json;
    },
  };
}

const data = (r: Json) => r.data as Json;
const signalTypes = (r: Json) => (r.signals as Json[]).map((s) => s.type);

describe("item verification", () => {
  it("verifies a genuine item with the ledger proofs of its commissioning and latest events", async () => {
    const env = await setup();
    const dl = "https://brand.example.com/01/04012345543216/10/LOT-A/21/J1?17=301231";
    const r = await env.scan({ dl, scanner: "pos-1", corrUUID: "c0ffee" });
    expect(r).toMatchObject({
      corrUUID: "c0ffee",
      verificationTimestamp: "2025-06-01T10:00:00.000Z",
      data: { verified: true },
      item: {
        digitalLink: dl,
        identifier: K.jacket(1),
        gtin: "04012345543216",
        serial: "J1",
        lot: "LOT-A",
        expiry: "2030-12-31",
      },
      signals: [],
      scan: { scannerId: "pos-1", saleChannel: false, time: "2025-06-01T10:00:00.000Z" },
    });
    expect(data(r).verificationFailureReason).toBeUndefined();
    expect(data(r).additionalInfo).toBeUndefined();
    const ledger = r.ledger as Json;
    expect(ledger).toMatchObject({
      chainId: "weft-test",
      genesisHash: env.tc.chain.service.genesisHash,
      lastDisposition: "in_transit",
      commissioning: { eventId: env.ids.c1, bizStep: "commissioning", height: 1 },
      latest: { eventId: env.ids.ship1, bizStep: "shipping", disposition: "in_transit", height: 2 },
    });
    for (const key of ["commissioning", "latest"] as const) {
      const record = ledger[key] as Json;
      const proof = record.proof as Json;
      // Offline verification against the genesis alone.
      expect(() => verifyProof(proof, env.tc.chain.genesis)).not.toThrow();
      const captured = (proof.events as Json[]).find((e) => e.logIndex === record.logIndex);
      expect(((captured as Json).entry as Json).attributes).toMatchObject({ eventId: record.eventId });
    }
    // Without proofs, the records stay.
    const light = await env.scan({ dl, scanner: "pos-1", proofs: false });
    expect((light.ledger as Json).commissioning).not.toHaveProperty("proof");
  });

  it("never commissioned: not verified, No_match_GTIN_Serial, a counterfeit signal", async () => {
    const env = await setup();
    const r = await env.scan({ dl: "https://id.gs1.org/01/04012345543216/21/J99", scanner: "app-7" });
    expect(data(r)).toEqual({ verified: false, verificationFailureReason: "No_match_GTIN_Serial" });
    expect(r.signals).toEqual([expect.objectContaining({ type: "NEVER_COMMISSIONED", kind: "counterfeit" })]);
    expect(r.ledger).toMatchObject({ commissioning: null, latest: null, lastDisposition: null });
  });

  it("a lot or expiry that does not match the commissioning ILMD is a verification failure", async () => {
    const env = await setup();
    const reason = async (dl: string) => data(await env.scan({ dl, scanner: "s" })).verificationFailureReason;
    expect(await reason("https://id.gs1.org/01/04012345543216/10/LOT-B/21/J1")).toBe(
      "No_match_GTIN_Serial_Lot",
    );
    expect(await reason("https://id.gs1.org/01/04012345543216/21/J1?17=301230")).toBe(
      "No_match_GTIN_Serial_Expiry",
    );
    expect(await reason("https://id.gs1.org/01/04012345543216/10/X/21/J1?17=301230")).toBe(
      "No_match_GTIN_Serial_Lot_Expiry",
    );
    expect(await reason("https://id.gs1.org/01/04012345543216/21/J1?17=301200")).toBeUndefined(); // DD 00: last day
  });

  it("a sold, destroyed or decommissioned item scanned again in a sale channel is a clone signal", async () => {
    const env = await setup();
    const sold = "https://id.gs1.org/01/04012345543216/21/J2";
    const home = await env.scan({ dl: sold, scanner: "consumer-app" });
    expect(home).toMatchObject({ data: { verified: true }, signals: [] });
    expect((home.ledger as Json).lastDisposition).toBe("retail_sold");
    const resale = await env.scan({ dl: sold, scanner: "reseller-intake", saleChannel: true });
    expect(data(resale)).toEqual({ verified: true, additionalInfo: "Suspect" });
    expect(resale.signals).toEqual([
      expect.objectContaining({
        type: "SCANNED_AFTER_END_OF_LIFE",
        kind: "clone",
        evidence: expect.objectContaining({
          bizStep: "retail_selling",
          disposition: "retail_sold",
          event: expect.objectContaining({ eventId: env.ids.sold2 }),
        }),
      }),
    ]);
    for (const [n, step] of [
      [3, "destroying"],
      [6, "decommissioning"],
    ] as const) {
      const r = await env.scan({ dl: K.jacket(n), scanner: "pos-9", saleChannel: true });
      expect(signalTypes(r), step).toEqual(["SCANNED_AFTER_END_OF_LIFE"]);
      expect((((r.signals as Json[])[0] as Json).evidence as Json).bizStep).toBe(step);
    }
    // A live item in a sale channel is fine.
    expect(signalTypes(await env.scan({ dl: K.jacket(1), scanner: "pos-9", saleChannel: true }))).toEqual([]);
  });

  it("reports Recalled and Expired as additional information", async () => {
    const env = await setup();
    expect(data(await env.scan({ dl: K.jacket(4), scanner: "s" }))).toEqual({
      verified: true,
      additionalInfo: "Recalled",
    });
    expect(data(await env.scan({ dl: K.jacket(5), scanner: "s" }))).toEqual({
      verified: true,
      additionalInfo: "Expired",
    });
    const expiredLink = await env.scan({ dl: `${K.jacket(2)}?17=240101`, scanner: "s" });
    expect(data(expiredLink)).toEqual({ verified: true, additionalInfo: "Expired" });
  });

  it("impossible travel between two located scans is a clone signal with its evidence", async () => {
    const env = await setup();
    const dl = K.jacket(1);
    const at = (loc: { lat: number; lon: number }, scanner: string) =>
      env.scan({ dl, scanner, lat: loc.lat, lon: loc.lon });
    const first = await at(PARIS, "paris-shop");
    expect(signalTypes(first)).toEqual([]);
    env.clock.now += 60 * MINUTE;
    const ny = await at(NEW_YORK, "ny-shop");
    expect(signalTypes(ny)).toEqual(["IMPOSSIBLE_TRAVEL"]);
    expect(data(ny)).toEqual({ verified: true, additionalInfo: "Suspect" });
    const evidence = (ny.signals as Json[])[0]?.evidence as Json;
    expect(evidence).toMatchObject({
      previousScan: { scanId: (first.scan as Json).scanId, scannerId: "paris-shop", location: PARIS },
      location: NEW_YORK,
      elapsedSeconds: 3600,
      maxTravelKmh: 900,
    });
    expect(evidence.distanceKm as number).toBeGreaterThan(5800);
    expect(evidence.distanceKm as number).toBeLessThan(5880);
    expect(evidence.speedKmh as number).toBeGreaterThan(5800);
    // Nearby (within minTravelKm) a minute later, and a plausible train ride: no signal.
    const d = await setup();
    await d.scan({ dl, scanner: "a", lat: PARIS.lat, lon: PARIS.lon });
    d.clock.now += MINUTE;
    expect(signalTypes(await d.scan({ dl, scanner: "b", lat: VERSAILLES.lat, lon: VERSAILLES.lon }))).toEqual(
      [],
    );
    d.clock.now += 3 * 60 * MINUTE;
    expect(signalTypes(await d.scan({ dl, scanner: "c", lat: LYON.lat, lon: LYON.lon }))).toEqual([]);
    // Scans without a location never count.
    expect(signalTypes(await d.scan({ dl, scanner: "d" }))).toEqual([]);
  });

  it("one serial scanned by more distinct scanners than the threshold is a clone signal", async () => {
    const env = await setup({ verify: { maxDistinctScanners: 3 } });
    const dl = K.jacket(1);
    for (const scanner of ["s1", "s2", "s1", "s3", "s3"]) {
      env.clock.now += MINUTE;
      expect(signalTypes(await env.scan({ dl, scanner }))).toEqual([]);
    }
    env.clock.now += MINUTE;
    const fourth = await env.scan({ dl, scanner: "s4" });
    expect(signalTypes(fourth)).toEqual(["MANY_SCANNERS"]);
    expect((fourth.signals as Json[])[0]?.evidence).toMatchObject({
      distinctScanners: 4,
      maxDistinctScanners: 3,
      scanners: expect.arrayContaining(["s1", "s2", "s3", "s4"]),
    });
    // Outside the window, old scanners no longer count.
    env.clock.now += defaultVerifyOptions.scannerWindowMs + MINUTE;
    expect(signalTypes(await env.scan({ dl, scanner: "s5" }))).toEqual([]);
  });

  it("logs every scan node-locally, across API restarts", async () => {
    const env = await setup({ verify: { maxDistinctScanners: 2 } });
    const dl = "https://id.gs1.org/01/04012345543216/10/LOT-A/21/J1";
    await env.scan({ dl, scanner: "s1", lat: PARIS.lat, lon: PARIS.lon, corrUUID: "u1" });
    env.clock.now += MINUTE;
    await env.app.inject({
      method: "POST",
      url: "/verify",
      payload: { digitalLink: K.jacket(1), scannerId: "s2", saleChannel: true },
      headers: { "content-type": "application/json" },
    });
    // Same item, any spelling of its identifier.
    const log = await env.app.inject(`/verify/scans?dl=${encodeURIComponent(G.jacket(1))}`);
    expect(log.statusCode).toBe(200);
    expect(log.json()).toEqual([
      expect.objectContaining({
        scannerId: "s2",
        saleChannel: true,
        verified: true,
        signals: [],
        item: K.jacket(1),
      }),
      expect.objectContaining({ scannerId: "s1", location: PARIS, corrUUID: "u1", digitalLink: dl }),
    ]);
    expect(env.tc.chain.store.openRepository(REPOSITORIES.scans).getCount()).toBe(2);
    // A new API over the same store sees the log: the third scanner is one too many.
    await env.app.close();
    apps.splice(apps.indexOf(env.app), 1);
    const app = await api(env.tc, env.clock, { verify: { maxDistinctScanners: 2 } });
    env.clock.now += MINUTE;
    const res = await app.inject(`/verify?dl=${encodeURIComponent(K.jacket(1))}&scanner=s3`);
    expect(signalTypes(res.json())).toEqual(["MANY_SCANNERS"]);
    expect((await app.inject(`/verify/scans?dl=${encodeURIComponent(K.jacket(1))}&limit=1`)).json()).toEqual([
      expect.objectContaining({ scannerId: "s3", signals: ["MANY_SCANNERS"] }),
    ]);
  });

  it("answers concurrent scans of one item one after the other", async () => {
    const env = await setup({ verify: { maxDistinctScanners: 1 } });
    const results = await Promise.all(
      ["a", "b"].map((scanner) =>
        env.app.inject(`/verify?dl=${encodeURIComponent(K.jacket(1))}&scanner=${scanner}`),
      ),
    );
    const signals = results.map((r) => signalTypes(r.json()));
    expect(signals).toEqual([[], ["MANY_SCANNERS"]]);
  });

  it("refuses bad requests with 400 problems", async () => {
    const env = await setup();
    const get = (qs: string) => env.app.inject(`/verify?${qs}`);
    const code = async (qs: string) => {
      const res = await get(qs);
      expect(res.statusCode, qs).toBe(400);
      expect(res.headers["content-type"]).toMatch(PROBLEM_JSON);
      return res.json().code as string;
    };
    const dl = encodeURIComponent(K.jacket(1));
    expect(await code(`dl=${dl}`)).toBe("API_VALIDATION");
    expect(await code(`dl=${dl}&scanner=s&lat=48.1`)).toBe("API_VALIDATION");
    expect(await code(`dl=${dl}&scanner=s&lat=91&lon=0`)).toBe("API_VALIDATION");
    expect(await code(`dl=${dl}&scanner=s&extra=1`)).toBe("API_VALIDATION");
    expect(await code(`dl=${encodeURIComponent("https://id.gs1.org/01/04012345543216")}&scanner=s`)).toBe(
      "ID_DL_QUALIFIER",
    );
    const badDigit = await get(
      `dl=${encodeURIComponent("https://id.gs1.org/01/04012345543217/21/J1")}&scanner=s`,
    );
    expect(badDigit.json()).toMatchObject({ code: "ID_CHECK_DIGIT", ai: "01", value: "04012345543217" });
    expect(await code(`dl=${encodeURIComponent(G.jacket(1))}&scanner=s`)).toMatch(/^ID_/);
    const post = await env.app.inject({
      method: "POST",
      url: "/verify",
      payload: { digitalLink: K.jacket(1) },
      headers: { "content-type": "application/json" },
    });
    expect(post.statusCode).toBe(400);
    // Nothing was logged for refused requests.
    expect(env.tc.chain.store.openRepository(REPOSITORIES.scans).getCount()).toBe(0);
  });
});

describe("signals", () => {
  const options = { ...defaultVerifyOptions, maxDistinctScanners: 2 };
  const status = (bizStep: string, disposition: string): ItemStatus => ({
    id: K.jacket(1),
    commissioned: { eventId: "e0", eventTime: "2024-01-01T00:00:00Z" },
    lastEvent: { eventId: "e1", eventTime: "2024-02-01T00:00:00Z", bizStep, disposition },
    disposition,
    persistentDispositions: [],
  });
  const scan = (time: number, extra: Partial<ScanRecord> = {}): ScanRecord => ({
    scanId: `x${time}`,
    item: K.jacket(1),
    digitalLink: K.jacket(1),
    scannerId: "s",
    time,
    saleChannel: false,
    verified: true,
    signals: [],
    ...extra,
  });

  it("reads CBV values in every spelling", () => {
    expect(bareCbv("urn:epcglobal:cbv:bizstep:retail_selling")).toBe("retail_selling");
    expect(bareCbv("https://ref.gs1.org/cbv/Disp-retail_sold")).toBe("retail_sold");
    expect(bareCbv("cbv:BizStep-destroying")).toBe("destroying");
    expect(bareCbv("recalled")).toBe("recalled");
    const sold = detectSignals(
      status("urn:epcglobal:cbv:bizstep:retail_selling", "urn:epcglobal:cbv:disp:retail_sold"),
      { scannerId: "a", time: 0, saleChannel: true },
      [],
      options,
    );
    expect(sold.map((s) => s.type)).toEqual(["SCANNED_AFTER_END_OF_LIFE"]);
  });

  it("measures distances and reads GS1 dates", () => {
    expect(distanceKm(PARIS, NEW_YORK)).toBeCloseTo(5837, -1);
    expect(distanceKm(PARIS, PARIS)).toBe(0);
    const now = Date.parse("2025-06-01T00:00:00Z");
    expect(gs1Date("301231", now)).toBe("2030-12-31");
    expect(gs1Date("240200", now)).toBe("2024-02-29");
    // GS1 General Specifications §7.12: 50 years ahead, 49 back.
    expect(gs1Date("750101", now)).toBe("2075-01-01");
    expect(gs1Date("760101", now)).toBe("1976-01-01");
    expect(gs1Date("241301", now)).toBeUndefined();
    expect(gs1Date("240230", now)).toBeUndefined();
  });

  it("a scan at the same instant far away is infinitely fast", () => {
    const t = 1_000_000;
    const signals = detectSignals(
      status("shipping", "in_transit"),
      { scannerId: "b", time: t, saleChannel: false, location: NEW_YORK },
      [scan(t, { location: PARIS })],
      options,
    );
    expect(signals.map((s) => s.type)).toEqual(["IMPOSSIBLE_TRAVEL"]);
    expect(signals[0]?.evidence).toMatchObject({ speedKmh: null, elapsedSeconds: 0 });
  });

  it("ignores scans outside the travel window", () => {
    const t = 10 * defaultVerifyOptions.travelWindowMs;
    const signals = detectSignals(
      status("shipping", "in_transit"),
      { scannerId: "b", time: t, saleChannel: false, location: NEW_YORK },
      [scan(t - defaultVerifyOptions.travelWindowMs - 1, { location: PARIS })],
      options,
    );
    expect(signals).toEqual([]);
  });
});
