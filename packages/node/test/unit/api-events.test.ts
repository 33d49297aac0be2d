import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import WebSocket from "ws";
import type { NodeEvent } from "../../src/service.js";
import { buildApi } from "./support/api.js";

const sockets: WebSocket[] = [];
afterEach(() => {
  for (const socket of sockets.splice(0)) socket.terminate();
});

async function listening(options: Parameters<typeof buildApi>[0] = {}) {
  const api = await buildApi(options);
  await api.app.listen({ host: "127.0.0.1", port: 0 });
  const { port } = api.app.server.address() as AddressInfo;
  const connect = async (query = "") => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/v1/events${query}`);
    sockets.push(socket);
    const messages: NodeEvent[] = [];
    socket.on("message", (data) => messages.push(JSON.parse(data.toString())));
    await new Promise((resolve, reject) => {
      socket.once("open", resolve);
      socket.once("error", reject);
    });
    return { socket, messages };
  };
  return { ...api, port, connect };
}

const until = async (check: () => boolean, ms = 2000) => {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
};

describe("GET /v1/events", () => {
  it("sends every node event as JSON text", async () => {
    const { service, connect } = await listening();
    const { messages } = await connect();
    await until(() => service.listenerCount === 1);
    void service.submitTxs([service.signedTx()]);
    service.commitPending();
    await until(() => messages.length === 3);
    expect(messages.map((m) => m.type)).toEqual(["block", "tx", "event"]);
    expect(messages[0]).toMatchObject({ type: "block", header: { height: 1 } });
    expect(messages[2]).toMatchObject({ type: "event", event: { module: "token", type: "transfer" } });
  });

  it("filters by type and module", async () => {
    const { service, connect } = await listening();
    const blocks = await connect("?types=block");
    const txAndEvents = await connect("?types=tx,event&module=bank");
    await until(() => service.listenerCount === 2);
    void service.submitTxs([service.signedTx()]);
    service.commitPending();
    service.emit({
      type: "event",
      event: {
        kind: "event",
        chainId: "weft-test",
        height: 1,
        txIndex: null,
        index: 1,
        module: "bank",
        type: "x",
        attributes: {},
      },
    });
    await until(() => blocks.messages.length === 1 && txAndEvents.messages.length === 2);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(blocks.messages.map((m) => m.type)).toEqual(["block"]);
    expect(txAndEvents.messages.map((m) => m.type)).toEqual(["tx", "event"]);
    expect(txAndEvents.messages[1]).toMatchObject({ event: { module: "bank" } });
  });

  it("unsubscribes when the client goes away and tracks the client gauge", async () => {
    const { service, metrics, connect } = await listening();
    const { socket } = await connect();
    await until(() => service.listenerCount === 1);
    expect((await metrics.wsClients.get()).values[0]?.value).toBe(1);
    socket.close();
    await until(() => service.listenerCount === 0);
    expect((await metrics.wsClients.get()).values[0]?.value).toBe(0);
  });

  it("refuses a bad filter and clients over wsMaxClients before upgrading", async () => {
    const { service, port, connect } = await listening({ wsMaxClients: 1 });
    const refusal = (query: string) =>
      new Promise<{ status: number; type: string; body: string }>((resolve, reject) => {
        const socket = new WebSocket(`ws://127.0.0.1:${port}/v1/events${query}`);
        socket.once("open", () => reject(new Error("upgraded")));
        socket.on("error", () => {});
        socket.once("unexpected-response", (req, res) => {
          let body = "";
          res.on("data", (chunk: Buffer) => {
            body += chunk.toString();
          });
          res.on("end", () => {
            req.destroy();
            resolve({ status: res.statusCode ?? 0, type: String(res.headers["content-type"]), body });
          });
        });
      });
    const bad = await refusal("?types=blocks");
    expect(bad.status).toBe(400);
    expect(JSON.parse(bad.body).code).toBe("API_VALIDATION");
    await connect();
    await until(() => service.listenerCount === 1);
    const busy = await refusal("");
    expect(busy.status).toBe(503);
    expect(busy.type).toMatch(/^application\/problem\+json/);
    expect(JSON.parse(busy.body).code).toBe("API_TOO_MANY_CLIENTS");
  });

  it("closes a client that falls more than 4 MiB behind with 1013", async () => {
    const { service, connect } = await listening();
    const { socket } = await connect();
    await until(() => service.listenerCount === 1);
    const closed = new Promise<number>((resolve) => socket.once("close", (code) => resolve(code)));
    // Stop reading so the server's send buffer fills up.
    (socket as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause();
    const big = "x".repeat(256 * 1024);
    for (let i = 0; i < 200 && service.listenerCount > 0; i++) {
      service.emit({
        type: "event",
        event: {
          kind: "event",
          chainId: "weft-test",
          height: 1,
          txIndex: 0,
          index: i,
          module: "token",
          type: "t",
          attributes: { big },
        },
      });
    }
    expect(service.listenerCount).toBe(0);
    (socket as unknown as { _socket: { resume(): void } })._socket.resume();
    expect(await closed).toBe(1013);
  });
});
