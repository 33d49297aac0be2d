import type { NodeEvent, NodeEventType } from "./api-types.js";
import { SdkError } from "./errors.js";

/** The part of the WebSocket API the SDK uses: met by browsers, Node 22+ and the `ws` package. */
export interface WebSocketLike {
  binaryType: string;
  addEventListener(type: string, listener: (event: object) => void): void;
  close(code?: number, reason?: string): void;
}

export type WebSocketFactory = new (url: string) => WebSocketLike;

export interface SubscribeOptions {
  /** Default: every type. */
  types?: NodeEventType[];
  /** Only chain events emitted by this module (e.g. "token"). */
  module?: string;
  /** Connection failures and undecodable messages; never called after the close function ran. */
  onError?: (error: SdkError) => void;
  /** The stream ended (the SDK does not reconnect: subscribe again to resume). */
  onClose?: (info: { code: number; reason: string }) => void;
}

const EVENT_TYPES: ReadonlySet<string> = new Set<NodeEventType>(["block", "tx", "event"]);
const decoder = new TextDecoder();

export function resolveWebSocket(explicit: WebSocketFactory | undefined): WebSocketFactory {
  if (explicit) return explicit;
  const global = (globalThis as { WebSocket?: WebSocketFactory }).WebSocket;
  if (typeof global !== "function") {
    throw new SdkError({
      code: "SDK_NO_WEBSOCKET",
      message:
        "no global WebSocket here (Node < 22): pass one, e.g. createClient({ WebSocket }) from the ws package",
    });
  }
  return global;
}

/** Opens `/v1/events` and feeds each decoded NodeEvent to `handler`. Returns the close function. */
export function openEventStream(
  baseUrl: string,
  Socket: WebSocketFactory,
  handler: (event: NodeEvent) => void,
  opts: SubscribeOptions = {},
): () => void {
  const params = new URLSearchParams();
  if (opts.types?.length) params.set("types", opts.types.join(","));
  if (opts.module) params.set("module", opts.module);
  const query = params.toString();
  const url = `${baseUrl.replace(/^http/, "ws")}/v1/events${query ? `?${query}` : ""}`;
  const socket = new Socket(url);
  socket.binaryType = "arraybuffer";
  let closedByCaller = false;
  const fail = (message: string) => {
    if (!closedByCaller) opts.onError?.(new SdkError({ code: "SDK_NETWORK", message, url }));
  };

  socket.addEventListener("message", (msg) => {
    const event = decodeEvent((msg as { data?: unknown }).data);
    if (event) handler(event);
    else if (!closedByCaller) {
      opts.onError?.(new SdkError({ code: "SDK_BAD_RESPONSE", message: "undecodable event message", url }));
    }
  });
  socket.addEventListener("error", () => fail(`event stream ${url} failed`));
  socket.addEventListener("close", (ev) => {
    const { code, reason } = ev as { code?: unknown; reason?: unknown };
    opts.onClose?.({
      code: typeof code === "number" ? code : 1006,
      reason: typeof reason === "string" ? reason : "",
    });
  });
  return () => {
    if (closedByCaller) return;
    closedByCaller = true;
    socket.close(1000, "closed by client");
  };
}

function decodeEvent(data: unknown): NodeEvent | undefined {
  let text: string;
  if (typeof data === "string") text = data;
  else if (data instanceof ArrayBuffer) text = decoder.decode(data);
  else if (ArrayBuffer.isView(data)) text = decoder.decode(data);
  else return undefined;
  try {
    const value: unknown = JSON.parse(text);
    const type = (value as { type?: unknown } | null)?.type;
    return typeof type === "string" && EVENT_TYPES.has(type) ? (value as NodeEvent) : undefined;
  } catch {
    return undefined;
  }
}
