import { afterEach, describe, expect, it, vi } from "vitest";
import { createClient, type NodeEvent, SdkError, type WebSocketLike } from "../../src/index.js";
import { header } from "./fixtures.js";

/** Enough of a WebSocket to drive the SDK: tests push frames and lifecycle events into it. */
class FakeSocket implements WebSocketLike {
  static last: FakeSocket | undefined;
  binaryType = "blob";
  readonly listeners = new Map<string, ((event: object) => void)[]>();
  closed: { code?: number; reason?: string } | undefined;

  constructor(readonly url: string) {
    FakeSocket.last = this;
  }

  addEventListener(type: string, listener: (event: object) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close(code?: number, reason?: string): void {
    this.closed = { code, reason };
  }

  emit(type: string, event: object = {}): void {
    for (const l of this.listeners.get(type) ?? []) l(event);
  }
}

afterEach(() => {
  vi.unstubAllGlobals();
  FakeSocket.last = undefined;
});

describe("client.subscribe", () => {
  it("connects to /v1/events with the filters and hands over decoded events", () => {
    const client = createClient({ url: "https://node.example:8443/base/", WebSocket: FakeSocket });
    const received: NodeEvent[] = [];
    const errors: SdkError[] = [];
    const close = client.subscribe((e) => received.push(e), {
      types: ["block", "event"],
      module: "token",
      onError: (e) => errors.push(e),
    });
    const socket = FakeSocket.last!;
    const url = new URL(socket.url);
    expect(`${url.protocol}//${url.host}${url.pathname}`).toBe("wss://node.example:8443/base/v1/events");
    expect(url.searchParams.get("types")).toBe("block,event");
    expect(url.searchParams.get("module")).toBe("token");
    expect(socket.binaryType).toBe("arraybuffer");

    const block: NodeEvent = { type: "block", header: header(3), hash: "22".repeat(32) };
    const tx: NodeEvent = { type: "tx", hash: "33".repeat(32), height: 3, index: 0, status: "ok" };
    socket.emit("message", { data: JSON.stringify(block) });
    socket.emit("message", { data: new TextEncoder().encode(JSON.stringify(tx)).buffer });
    socket.emit("message", { data: "not json" });
    socket.emit("message", { data: JSON.stringify({ type: "mystery" }) });
    expect(received).toEqual([block, tx]);
    expect(errors.map((e) => e.code)).toEqual(["SDK_BAD_RESPONSE", "SDK_BAD_RESPONSE"]);

    close();
    close();
    expect(socket.closed?.code).toBe(1000);
    // Errors caused by our own close are not reported.
    socket.emit("error");
    expect(errors).toHaveLength(2);
  });

  it("reports connection failures and the end of the stream", () => {
    const client = createClient({ url: "http://127.0.0.1:8080", WebSocket: FakeSocket });
    const errors: string[] = [];
    const closes: { code: number; reason: string }[] = [];
    client.subscribe(() => {}, { onError: (e) => errors.push(e.code), onClose: (c) => closes.push(c) });
    expect(FakeSocket.last?.url).toBe("ws://127.0.0.1:8080/v1/events");
    FakeSocket.last?.emit("error");
    FakeSocket.last?.emit("close", { code: 1011, reason: "node stopping" });
    expect(errors).toEqual(["SDK_NETWORK"]);
    expect(closes).toEqual([{ code: 1011, reason: "node stopping" }]);
  });

  it("uses the global WebSocket when none is given, and says so when there is none", () => {
    vi.stubGlobal("WebSocket", FakeSocket);
    createClient({ url: "http://127.0.0.1:8080" }).subscribe(() => {});
    expect(FakeSocket.last?.url).toBe("ws://127.0.0.1:8080/v1/events");

    vi.stubGlobal("WebSocket", undefined);
    const client = createClient({ url: "http://127.0.0.1:8080" });
    expect(() => client.subscribe(() => {})).toThrow(SdkError);
    try {
      client.subscribe(() => {});
    } catch (e) {
      expect((e as SdkError).code).toBe("SDK_NO_WEBSOCKET");
    }
  });
});
