import { createHmac } from "node:crypto";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { EpcisOptionsInput } from "../../src/api/epcis/context.js";
import { verifySignature } from "../../src/api/epcis/webhook.js";
import { epcisDocument, G, type Json, objectEvent } from "../support/epcis.js";
import { createEpcisApi, createTraceChain, type TraceChain } from "../support/epcis-chain.js";

const JSON_TYPE = { "content-type": "application/json" };

interface Delivery {
  headers: IncomingHttpHeaders;
  body: string;
  json: Json;
}

/** A webhook receiver on 127.0.0.1 recording each POST; answers `status`. */
async function receiver(status = 200) {
  const deliveries: Delivery[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      deliveries.push({ headers: req.headers, body, json: JSON.parse(body) as Json });
      res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  servers.push(server);
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/hook`, deliveries };
}

const servers: Server[] = [];
const sockets: WebSocket[] = [];
const apps: FastifyInstance[] = [];
const chains: TraceChain[] = [];
afterEach(async () => {
  for (const s of sockets.splice(0)) s.terminate();
  for (const app of apps.splice(0)) await app.close();
  for (const s of servers.splice(0)) await new Promise((resolve) => s.close(resolve));
  await new Promise((resolve) => setTimeout(resolve, 5));
  for (const tc of chains.splice(0)) await tc.close();
});

async function api(tc: TraceChain, options: EpcisOptionsInput = {}) {
  const app = await createEpcisApi(tc, { options });
  apps.push(app);
  await app.ready();
  return app;
}

async function setup(options: EpcisOptionsInput = {}) {
  const tc = await createTraceChain();
  chains.push(tc);
  return { tc, app: await api(tc, options) };
}

const until = async (check: () => boolean, ms = 5000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};

const ship = (n: number) =>
  objectEvent({ epcList: [G.jacket(n)], bizStep: "shipping", disposition: "in_transit" });
const receive = (n: number) => objectEvent({ epcList: [G.jacket(n)], bizStep: "receiving" });
const eventsOf = (doc: Json) =>
  ((doc.epcisBody as Json).queryResults as { resultsBody: { eventList: Json[] } }).resultsBody.eventList;

async function createQuery(app: FastifyInstance, name: string, query: Json = { EQ_bizStep: ["shipping"] }) {
  const res = await app.inject({
    method: "POST",
    url: "/epcis/queries",
    payload: { name, query },
    headers: JSON_TYPE,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res;
}

describe("named queries", () => {
  it("are created, listed, read, run and deleted", async () => {
    const { tc, app } = await setup();
    await tc.capture(epcisDocument([ship(1), receive(1), ship(2)]));
    const created = await createQuery(app, "shipments");
    expect(created.headers.location).toMatch(/\/epcis\/queries\/shipments$/);
    expect(created.json()).toMatchObject({ name: "shipments", query: { EQ_bizStep: ["shipping"] } });
    const again = await app.inject({
      method: "POST",
      url: "/epcis/queries",
      payload: { name: "shipments", query: {} },
      headers: JSON_TYPE,
    });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ type: "epcisException:ResourceAlreadyExistsException" });
    await createQuery(app, "receipts", { EQ_bizStep: "receiving" });
    const list = await app.inject("/epcis/queries");
    expect(list.json().map((q: Json) => q.name)).toEqual(["receipts", "shipments"]);
    const paged = await app.inject("/epcis/queries?perPage=1");
    expect(paged.json()).toHaveLength(1);
    expect(paged.headers.link).toMatch(/nextPageToken=receipts>; rel="next"$/);
    expect((await app.inject("/epcis/queries/receipts")).json()).toMatchObject({
      name: "receipts",
      query: { EQ_bizStep: ["receiving"] },
    });
    const results = await app.inject("/epcis/queries/shipments/events?perPage=1");
    expect(results.statusCode).toBe(200);
    expect(results.json().epcisBody.queryResults.queryName).toBe("shipments");
    expect(eventsOf(results.json())).toHaveLength(1);
    const next = new URL(/<([^>]+)>/.exec(results.headers.link as string)?.[1] as string);
    expect(eventsOf((await app.inject(next.pathname + next.search)).json())).toHaveLength(1);
    expect((await app.inject({ method: "DELETE", url: "/epcis/queries/shipments" })).statusCode).toBe(204);
    const gone = await app.inject("/epcis/queries/shipments");
    expect(gone.statusCode).toBe(404);
    expect(gone.json()).toMatchObject({ type: "epcisException:NoSuchResourceException" });
    expect((await app.inject({ method: "DELETE", url: "/epcis/queries/shipments" })).statusCode).toBe(404);
  });

  it("refuse bad names and bad query parameters", async () => {
    const { app } = await setup();
    const post = (payload: Json) =>
      app.inject({ method: "POST", url: "/epcis/queries", payload, headers: JSON_TYPE });
    const badName = await post({ name: "has space", query: {} });
    expect(badName.statusCode).toBe(400);
    expect(badName.json()).toMatchObject({ type: "epcisException:ValidationException" });
    const badParam = await post({ name: "q", query: { EQ_colour: ["red"] } });
    expect(badParam.json()).toMatchObject({ type: "epcisException:QueryParameterException" });
    expect(badParam.json().detail).toMatch(/^EQ_colour/);
    const badTime = await post({ name: "q", query: { GE_eventTime: "soon" } });
    expect(badTime.json().detail).toMatch(/^GE_eventTime/);
    const notObject = await post({ name: "q", query: ["EQ_bizStep"] });
    expect(notObject.statusCode).toBe(400);
    const extra = await post({ name: "q", query: {}, colour: "red" });
    expect(extra.statusCode).toBe(400);
    expect((await app.inject("/epcis/queries/nope/events")).statusCode).toBe(404);
  });
});

describe("webhook subscriptions", () => {
  it("stream new matching events to the webhook with a verifiable GS1-Signature", async () => {
    const { tc, app } = await setup();
    const hook = await receiver();
    await createQuery(app, "shipments");
    const res = await app.inject({
      method: "POST",
      url: "/epcis/queries/shipments/subscriptions",
      payload: { dest: hook.url, signatureToken: "s3cret-token", stream: true },
      headers: JSON_TYPE,
    });
    expect(res.statusCode, res.body).toBe(201);
    const sub = res.json();
    expect(sub).toMatchObject({ queryName: "shipments", dest: hook.url, signed: true, stream: true });
    expect(res.body).not.toContain("s3cret-token");
    expect(res.headers.location).toMatch(
      new RegExp(`/epcis/queries/shipments/subscriptions/${sub.subscriptionID}$`),
    );

    await tc.capture(epcisDocument([ship(1), receive(1)]));
    await until(() => hook.deliveries.length === 1);
    await tc.capture(epcisDocument([receive(2)]));
    await tc.capture(epcisDocument([ship(2), ship(3)]));
    await until(() => hook.deliveries.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(hook.deliveries).toHaveLength(2);

    const [first, second] = hook.deliveries as [Delivery, Delivery];
    expect(eventsOf(first.json).map((e) => e.epcList)).toEqual([[G.jacket(1)]]);
    expect(eventsOf(second.json).map((e) => e.epcList)).toEqual([[G.jacket(2)], [G.jacket(3)]]);
    expect(first.json).toMatchObject({
      type: "EPCISQueryDocument",
      epcisBody: { queryResults: { queryName: "shipments", subscriptionID: sub.subscriptionID } },
    });
    for (const d of hook.deliveries) {
      // sha256=<hex HMAC-SHA256(signatureToken, body)>
      const expected = `sha256=${createHmac("sha256", "s3cret-token").update(d.body).digest("hex")}`;
      expect(d.headers["gs1-signature"]).toBe(expected);
      expect(verifySignature(d.body, "s3cret-token", d.headers["gs1-signature"] as string)).toBe(true);
      expect(verifySignature(`${d.body} `, "s3cret-token", d.headers["gs1-signature"] as string)).toBe(false);
      expect(verifySignature(d.body, "other", d.headers["gs1-signature"] as string)).toBe(false);
      expect(d.headers).toMatchObject({
        "content-type": "application/json",
        "gs1-epcis-version": "2.0",
        "gs1-subscription-id": sub.subscriptionID,
      });
    }
    const view = await app.inject(`/epcis/queries/shipments/subscriptions/${sub.subscriptionID}`);
    expect(view.json()).toMatchObject({ deliveries: { sent: 2, failed: 0 } });
    expect((await app.inject("/epcis/queries/shipments/subscriptions")).json()).toHaveLength(1);

    // Unsubscribed: no more deliveries.
    const del = await app.inject({
      method: "DELETE",
      url: `/epcis/queries/shipments/subscriptions/${sub.subscriptionID}`,
    });
    expect(del.statusCode).toBe(204);
    await tc.capture(epcisDocument([ship(4)]));
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(hook.deliveries).toHaveLength(2);
    expect(
      (await app.inject(`/epcis/queries/shipments/subscriptions/${sub.subscriptionID}`)).statusCode,
    ).toBe(404);
  });

  it("deliver unsigned without a signatureToken, count failed deliveries, and backfill from initialRecordTime", async () => {
    const { tc, app } = await setup({ webhookAttempts: 1 });
    await tc.capture(epcisDocument([ship(1)]));
    const hook = await receiver();
    const failing = await receiver(500);
    await createQuery(app, "shipments");
    const subscribe = (payload: Json) =>
      app.inject({
        method: "POST",
        url: "/epcis/queries/shipments/subscriptions",
        payload,
        headers: JSON_TYPE,
      });
    const backfilled = await subscribe({
      dest: hook.url,
      stream: true,
      initialRecordTime: "2000-01-01T00:00:00Z",
    });
    expect(backfilled.statusCode).toBe(201);
    await until(() => hook.deliveries.length === 1);
    expect(eventsOf((hook.deliveries[0] as Delivery).json).map((e) => e.epcList)).toEqual([[G.jacket(1)]]);
    expect((hook.deliveries[0] as Delivery).headers["gs1-signature"]).toBeUndefined();

    const broken = (await subscribe({ dest: failing.url, stream: true, signatureToken: "t" })).json();
    await tc.capture(epcisDocument([ship(2)]));
    await until(() => hook.deliveries.length === 2 && failing.deliveries.length === 1);
    const view = async () =>
      (await app.inject(`/epcis/queries/shipments/subscriptions/${broken.subscriptionID}`)).json();
    for (let i = 0; i < 50 && (await view()).deliveries.failed === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    expect(await view()).toMatchObject({ deliveries: { sent: 0, failed: 1, lastError: "HTTP 500" } });
  });

  it("scheduled: buffered events are delivered at the schedule, and empty reports with reportIfEmpty", async () => {
    const { tc, app } = await setup();
    const hook = await receiver();
    const empty = await receiver();
    await createQuery(app, "shipments");
    const subscribe = (payload: Json) =>
      app.inject({
        method: "POST",
        url: "/epcis/queries/shipments/subscriptions",
        payload,
        headers: JSON_TYPE,
      });
    const res = await subscribe({ dest: hook.url, schedule: { second: "*" } });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json()).toMatchObject({
      schedule: { second: "*" },
      reportIfEmpty: false,
      nextRunAt: expect.any(String),
    });
    expect(
      (await subscribe({ dest: empty.url, schedule: { second: "*" }, reportIfEmpty: true })).statusCode,
    ).toBe(201);
    await tc.capture(epcisDocument([ship(1), ship(2)]));
    await until(() => hook.deliveries.length === 1, 3000);
    expect(eventsOf((hook.deliveries[0] as Delivery).json)).toHaveLength(2);
    await until(() => empty.deliveries.some((d) => eventsOf(d.json).length === 0), 3000);
  });

  it("refuse bad subscriptions", async () => {
    const { app } = await setup();
    await createQuery(app, "shipments");
    const subscribe = (payload: Json, name = "shipments") =>
      app.inject({
        method: "POST",
        url: `/epcis/queries/${name}/subscriptions`,
        payload,
        headers: JSON_TYPE,
      });
    const neither = await subscribe({ dest: "http://127.0.0.1:1/x" });
    expect(neither.statusCode).toBe(400);
    expect(neither.json()).toMatchObject({ type: "epcisException:SubscriptionControlsException" });
    const both = await subscribe({ dest: "http://127.0.0.1:1/x", stream: true, schedule: { minute: "5" } });
    expect(both.json()).toMatchObject({ type: "epcisException:SubscriptionControlsException" });
    const schedule = await subscribe({ dest: "http://127.0.0.1:1/x", schedule: { hour: "25" } });
    expect(schedule.json()).toMatchObject({ type: "epcisException:SubscriptionControlsException" });
    expect(schedule.json().detail).toMatch(/hour/);
    const dest = await subscribe({ dest: "ftp://example.com/x", stream: true });
    expect(dest.json()).toMatchObject({ type: "epcisException:ValidationException" });
    const secretName = await subscribe({ dest: "http://127.0.0.1:1/x", secret: "x", stream: true });
    expect(secretName.statusCode).toBe(400);
    const unknown = await subscribe({ dest: "http://127.0.0.1:1/x", stream: true }, "nope");
    expect(unknown.statusCode).toBe(404);
  });

  it("survive a restart: events committed while the API was down are delivered after it", async () => {
    const { tc, app } = await setup();
    const hook = await receiver();
    await createQuery(app, "shipments");
    await app.inject({
      method: "POST",
      url: "/epcis/queries/shipments/subscriptions",
      payload: { dest: hook.url, stream: true },
      headers: JSON_TYPE,
    });
    await tc.capture(epcisDocument([ship(1)]));
    await until(() => hook.deliveries.length === 1);
    await app.close();
    apps.splice(apps.indexOf(app), 1);
    await tc.capture(epcisDocument([ship(2)]));
    await tc.capture(epcisDocument([receive(3), ship(3)]));
    await api(tc);
    await until(() => hook.deliveries.flatMap((d) => eventsOf(d.json)).length === 3);
    const delivered = hook.deliveries.flatMap((d) => eventsOf(d.json).map((e) => (e.epcList as string[])[0]));
    expect(delivered).toEqual([G.jacket(1), G.jacket(2), G.jacket(3)]);
  });
});

describe("WebSocket subscriptions", () => {
  async function listening() {
    const env = await setup();
    await env.app.listen({ host: "127.0.0.1", port: 0 });
    const { port } = env.app.server.address() as AddressInfo;
    return { ...env, base: `ws://127.0.0.1:${port}` };
  }

  it("stream each block's matching events as EPCISQueryDocuments and close when the query is deleted", async () => {
    const { tc, app, base } = await listening();
    await createQuery(app, "shipments");
    const socket = new WebSocket(`${base}/epcis/queries/shipments/events?stream=true`);
    sockets.push(socket);
    const messages: Json[] = [];
    socket.on("message", (data) => messages.push(JSON.parse(data.toString()) as Json));
    await new Promise((resolve, reject) => {
      socket.once("open", resolve);
      socket.once("error", reject);
    });
    await tc.capture(epcisDocument([ship(1), receive(1)]));
    await tc.capture(epcisDocument([ship(2)]));
    await until(() => messages.length === 2);
    expect(messages.map((m) => eventsOf(m).map((e) => e.epcList))).toEqual([
      [[G.jacket(1)]],
      [[G.jacket(2)]],
    ]);
    expect(messages[0]).toMatchObject({
      type: "EPCISQueryDocument",
      epcisBody: { queryResults: { queryName: "shipments" } },
    });
    const closed = new Promise<number>((resolve) => socket.once("close", (code) => resolve(code)));
    await app.inject({ method: "DELETE", url: "/epcis/queries/shipments" });
    expect(await closed).toBe(1000);
  });

  it("refuses an upgrade without stream or schedule, or for an unknown query, with an HTTP problem", async () => {
    const { app, base } = await listening();
    await createQuery(app, "shipments");
    const status = (url: string) =>
      new Promise<number>((resolve, reject) => {
        const socket = new WebSocket(url);
        socket.on("error", () => {});
        socket.once("unexpected-response", (req, res) => {
          resolve(res.statusCode ?? 0);
          req.destroy();
        });
        socket.once("open", () => reject(new Error("upgraded")));
      });
    expect(await status(`${base}/epcis/queries/shipments/events`)).toBe(400);
    expect(await status(`${base}/epcis/queries/nope/events?stream=true`)).toBe(404);
    expect(await status(`${base}/epcis/queries/shipments/events?stream=true&minute=5`)).toBe(400);
    // Without an upgrade, stream parameters are refused too.
    const plain = await app.inject("/epcis/queries/shipments/events?stream=true");
    expect(plain.json()).toMatchObject({ type: "epcisException:SubscriptionControlsException" });
  });
});
