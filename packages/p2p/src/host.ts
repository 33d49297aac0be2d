/**
 * The peer-to-peer host: a mutual-TLS 1.3 server for peers that dial us, dialers (with backoff)
 * for the peers we dial, and the registry of open connections the channel API writes to.
 *
 * Each pair connects once: the node whose id sorts lower dials, the other accepts. A new
 * accepted connection from a connected peer replaces the old one (the peer restarted).
 */
import type { Socket } from "node:net";
import * as tls from "node:tls";
import { P2PError, type RejectCode } from "./errors.js";
import { channelId, encodeFrame, HANDSHAKE_CHANNEL, HANDSHAKE_MAX_BYTES } from "./frame.js";
import { HELLO_TYPE, type Hello } from "./handshake.js";
import type { P2PHost, P2PHostParams, P2PStats, PeerCounters } from "./host-api.js";
import { findNode, type NetworkConfig, parseNetworkConfig } from "./network-config.js";
import { defaultP2POptions, type P2POptions } from "./options.js";
import { authenticatePeer, buildPeerBook, type PeerBook } from "./peer-book.js";
import { type ConnectionEvents, PeerConnection } from "./peer-connection.js";
import { certificateInfo, isIssuedBy } from "./pki.js";
import { Redialer } from "./redialer.js";
import { safely } from "./safely.js";
import { CHANNELS, type ChannelName, type Logged, type PeerEvent, type PeerHandler } from "./types.js";

const TLS_VERSION = "TLSv1.3";
/** Protocol violations by an authenticated peer: it is banned, not just disconnected. */
const BANNABLE = new Set<RejectCode>([
  "P2P_FRAME_TOO_LARGE",
  "P2P_UNKNOWN_CHANNEL",
  "P2P_MALFORMED_FRAME",
  "P2P_UNEXPECTED_FRAME",
]);

export function createP2PHost(params: P2PHostParams): P2PHost {
  return new Host(params);
}

class Host implements P2PHost {
  readonly #self: string;
  readonly #log: Logged;
  readonly #opts: P2POptions;
  readonly #network: NetworkConfig;
  readonly #book: PeerBook;
  readonly #identity: { certPem: string; keyPem: string };
  readonly #clientContext: tls.SecureContext;
  readonly #hello: Hello;
  readonly #helloFrame: Buffer;
  readonly #events: ConnectionEvents;
  readonly #redialer: Redialer;
  readonly #handlers: Record<ChannelName, PeerHandler[]> = { consensus: [], mempool: [], sync: [] };
  readonly #peerEventHandlers: ((e: PeerEvent) => void)[] = [];
  /** Open (hello exchanged) connections, one per peer. */
  readonly #connections = new Map<string, PeerConnection>();
  readonly #handshaking = new Set<PeerConnection>();
  /** Every socket we hold, so stop() can close those still in the TLS handshake too. */
  readonly #sockets = new Set<Socket>();
  readonly #dialing = new Set<string>();
  readonly #bannedUntil = new Map<string, number>();
  readonly #counters = new Map<string, PeerCounters>();
  readonly #rejected = new Map<string, number>();
  #server: tls.Server | undefined;
  #listening: Promise<void> | undefined;
  #state: "new" | "starting" | "running" | "stopped" = "new";
  #stopping: Promise<void> | undefined;

  constructor(params: P2PHostParams) {
    this.#self = params.self;
    this.#log = params.log;
    this.#opts = checkOptions({ ...defaultP2POptions, ...params.options });
    this.#network = parseNetworkConfig(params.network);
    this.#book = buildPeerBook(this.#network);
    this.#identity = params.identity;
    this.#clientContext = checkIdentity(params, this.#network);
    this.#hello = {
      type: HELLO_TYPE,
      chainId: params.chainId,
      genesisHash: params.genesisHash,
      nodeId: this.#self,
    };
    this.#helloFrame = encodeFrame(HANDSHAKE_CHANNEL, this.#hello, HANDSHAKE_MAX_BYTES);
    for (const id of this.#book.keys()) {
      if (id !== this.#self) {
        this.#counters.set(id, { bytesIn: 0, bytesOut: 0, framesIn: 0, framesOut: 0, framesDropped: 0 });
      }
    }
    this.#redialer = new Redialer(this.#opts.reconnectInitialMs, this.#opts.reconnectMaxMs, (id) =>
      safely(this.#log, "p2p dial", () => this.#dial(id)),
    );
    this.#events = {
      open: (conn) => this.#onOpen(conn),
      frame: (conn, channel, message) => this.#onFrame(conn.peerId, channel, message),
      refused: (conn, code, detail) => this.#onRefused(conn, code, detail),
      closed: (conn, reason) => this.#onClosed(conn, reason),
    };
  }

  get listenPort(): number {
    const address = this.#server?.address();
    if (!address || typeof address === "string") {
      throw new P2PError({ code: "P2P_HOST_STATE", message: "the p2p host is not listening" });
    }
    return address.port;
  }

  async start(): Promise<void> {
    if (this.#state !== "new") {
      throw new P2PError({
        code: "P2P_HOST_STATE",
        message: `cannot start a p2p host that is ${this.#state}`,
      });
    }
    this.#state = "starting";
    const server = tls.createServer({
      cert: this.#identity.certPem,
      key: this.#identity.keyPem,
      ca: this.#network.orgs.map((org) => org.caCert),
      requestCert: true,
      rejectUnauthorized: true,
      minVersion: TLS_VERSION,
      maxVersion: TLS_VERSION,
      handshakeTimeout: this.#opts.handshakeTimeoutMs,
    });
    server.on("connection", (socket: Socket) => this.#track(socket));
    server.on("secureConnection", (socket: tls.TLSSocket) =>
      safely(this.#log, "p2p accept", () => this.#onSecure(socket, "inbound")),
    );
    server.on("tlsClientError", (err: Error, socket: tls.TLSSocket) =>
      safely(this.#log, "p2p tls error", () =>
        this.#reject("P2P_TLS_FAILED", err.message, { remote: socket.remoteAddress }),
      ),
    );
    this.#server = server;
    const port = this.#opts.port ?? this.#book.get(this.#self)!.port;
    this.#listening = new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(port, this.#opts.host, () => {
        server.off("error", reject);
        resolve();
      });
    });
    try {
      await this.#listening;
    } catch (e) {
      this.#state = "stopped";
      throw e;
    }
    server.on("error", (err) => this.#log.error({ err }, "p2p server error"));
    if (this.#state !== "starting") return; // stop() was called meanwhile and closes the server
    this.#state = "running";
    this.#log.info({ self: this.#self, host: this.#opts.host, port: this.listenPort }, "p2p listening");
    for (const id of this.#book.keys()) if (this.#self < id) this.#dial(id);
  }

  stop(): Promise<void> {
    this.#stopping ??= this.#shutdown();
    return this.#stopping;
  }

  on(channel: ChannelName, handler: PeerHandler): void {
    channelId(channel); // refuses an unknown channel name
    this.#handlers[channel].push(handler);
  }

  onPeerEvent(handler: (e: PeerEvent) => void): void {
    this.#peerEventHandlers.push(handler);
  }

  send(peerId: string, channel: ChannelName, message: unknown): boolean {
    const frame = encodeFrame(channelId(channel), message, this.#opts.maxFrameBytes[channel]);
    return this.#connections.get(peerId)?.write(frame, channel) ?? false;
  }

  broadcast(channel: ChannelName, message: unknown): void {
    const frame = encodeFrame(channelId(channel), message, this.#opts.maxFrameBytes[channel]);
    for (const conn of this.#connections.values()) conn.write(frame, channel);
  }

  connectedPeers(): string[] {
    return [...this.#connections.keys()].sort();
  }

  penalize(peerId: string, reason: string): void {
    this.#ban(peerId, "P2P_PENALIZED", reason);
  }

  stats(): P2PStats {
    return {
      peers: [...this.#counters].map(([id, c]) => ({ id, connected: this.#connections.has(id), ...c })),
      rejected: Object.fromEntries(this.#rejected),
    };
  }

  async #shutdown(): Promise<void> {
    this.#state = "stopped";
    this.#redialer.stop();
    await this.#listening?.catch(() => undefined);
    for (const conn of [...this.#connections.values(), ...this.#handshaking]) conn.close("host stopped");
    for (const socket of this.#sockets) socket.destroy();
    const server = this.#server;
    if (server?.listening) await new Promise<void>((resolve) => server.close(() => resolve()));
    this.#log.info({ self: this.#self }, "p2p stopped");
  }

  #track(socket: Socket): void {
    if (this.#state === "stopped") {
      socket.destroy();
      return;
    }
    this.#sockets.add(socket);
    socket.once("close", () => this.#sockets.delete(socket));
  }

  #dial(peerId: string): void {
    if (this.#state !== "running" || this.#connections.has(peerId) || this.#dialing.has(peerId)) return;
    const banned = this.#banRemaining(peerId);
    if (banned > 0) {
      this.#redialer.retry(peerId, banned);
      return;
    }
    const peer = this.#book.get(peerId)!;
    this.#dialing.add(peerId);
    const socket = tls.connect({
      host: peer.host,
      port: peer.port,
      secureContext: this.#clientContext,
      // Hosts may be IPs, so names are not checked: the certificate must be the dialed node's.
      checkServerIdentity: (_host, cert) => {
        if (cert.subject?.CN === peerId) return undefined;
        const detail = `dialed ${peerId}, server certificate is for ${String(cert.subject?.CN)}`;
        this.#reject("P2P_WRONG_PEER", detail, { peer: peerId });
        return new Error(detail);
      },
    });
    this.#track(socket);
    let failure: string | undefined;
    const timer = setTimeout(
      () => socket.destroy(new Error("TLS handshake timed out")),
      this.#opts.handshakeTimeoutMs,
    );
    socket.on("error", (err) => {
      failure ??= err.message;
    });
    socket.once("secureConnect", () =>
      safely(this.#log, "p2p dial", () => {
        clearTimeout(timer);
        this.#onSecure(socket, "outbound", peerId);
      }),
    );
    socket.once("close", () =>
      safely(this.#log, "p2p dial closed", () => {
        clearTimeout(timer);
        this.#dialing.delete(peerId);
        if (failure !== undefined) this.#log.debug({ peer: peerId, err: failure }, "p2p dial failed");
        if (this.#state === "running") this.#redialer.retry(peerId);
      }),
    );
  }

  /** TLS is up (chain verified against all organisation CAs); now pin the peer's identity. */
  #onSecure(socket: tls.TLSSocket, direction: "inbound" | "outbound", dialed?: string): void {
    this.#track(socket);
    socket.on("error", (err) =>
      this.#log.debug({ err: err.message, remote: socket.remoteAddress }, "p2p socket error"),
    );
    if (this.#state !== "running") {
      socket.destroy();
      return;
    }
    const admitted = this.#admit(socket, direction, dialed);
    if ("code" in admitted) {
      this.#reject(admitted.code, admitted.detail, {
        peer: admitted.peer,
        remote: socket.remoteAddress,
        direction,
      });
      socket.destroy();
      return;
    }
    const { peerId } = admitted;
    const conn = new PeerConnection(socket, peerId, direction, {
      helloFrame: this.#helloFrame,
      expectedHello: { ...this.#hello, nodeId: peerId },
      maxFrameBytes: this.#opts.maxFrameBytes,
      maxQueuedBytes: this.#opts.maxQueuedBytes,
      handshakeTimeoutMs: this.#opts.handshakeTimeoutMs,
      counters: this.#counters.get(peerId)!,
      events: this.#events,
      log: this.#log,
    });
    this.#handshaking.add(conn);
    conn.start();
  }

  /** The configured peer this socket authenticates as, or why it may not connect. */
  #admit(
    socket: tls.TLSSocket,
    direction: "inbound" | "outbound",
    dialed: string | undefined,
  ): { peerId: string } | { code: RejectCode; detail: string; peer?: string } {
    if (!socket.authorized) return { code: "P2P_TLS_FAILED", detail: String(socket.authorizationError) };
    const auth = authenticatePeer(socket.getPeerCertificate().raw, this.#book, this.#self, dialed);
    if (!auth.ok) return auth;
    const peerId = auth.peer.id;
    if (direction === "inbound") {
      if (!(peerId < this.#self))
        return { code: "P2P_WRONG_DIRECTION", detail: `${this.#self} dials ${peerId}`, peer: peerId };
      const banned = this.#banRemaining(peerId);
      if (banned > 0) return { code: "P2P_BANNED", detail: `banned for another ${banned} ms`, peer: peerId };
    }
    return { peerId };
  }

  #onOpen(conn: PeerConnection): void {
    this.#handshaking.delete(conn);
    const { peerId } = conn;
    if (this.#state !== "running" || this.#banRemaining(peerId) > 0) {
      conn.close("refused after the handshake");
      return;
    }
    this.#connections.get(peerId)?.close("replaced by a new connection from the same peer");
    this.#connections.set(peerId, conn);
    if (conn.direction === "outbound") this.#redialer.succeeded(peerId);
    this.#log.info({ peer: peerId, direction: conn.direction }, "peer connected");
    this.#emit({ type: "connected", peerId });
  }

  #onFrame(peerId: string, channel: ChannelName, message: unknown): void {
    for (const handler of this.#handlers[channel]) {
      try {
        handler(peerId, message);
      } catch (err) {
        this.#log.error({ err, peer: peerId, channel }, "p2p channel handler failed");
      }
    }
  }

  #onRefused(conn: PeerConnection, code: RejectCode, detail: string): void {
    if (BANNABLE.has(code)) {
      this.#ban(conn.peerId, code, detail);
      conn.close(`${code}: ${detail}`); // the ban closes open connections; this one may be handshaking
      return;
    }
    this.#reject(code, detail, { peer: conn.peerId, direction: conn.direction });
    conn.close(`${code}: ${detail}`);
  }

  #onClosed(conn: PeerConnection, reason: string): void {
    this.#handshaking.delete(conn);
    if (this.#connections.get(conn.peerId) !== conn) return;
    this.#connections.delete(conn.peerId);
    this.#log.info({ peer: conn.peerId, reason }, "peer disconnected");
    this.#emit({ type: "disconnected", peerId: conn.peerId, reason });
  }

  #ban(peerId: string, code: RejectCode, reason: string): void {
    if (peerId === this.#self) return;
    this.#count(code);
    this.#bannedUntil.set(peerId, Date.now() + this.#opts.banMs);
    this.#log.warn({ peer: peerId, code, reason, banMs: this.#opts.banMs }, "peer penalized");
    const closing = `banned: ${code}: ${reason}`;
    this.#connections.get(peerId)?.close(closing);
    for (const conn of [...this.#handshaking]) if (conn.peerId === peerId) conn.close(closing);
  }

  #banRemaining(peerId: string): number {
    const until = this.#bannedUntil.get(peerId);
    if (until === undefined) return 0;
    const left = until - Date.now();
    if (left <= 0) this.#bannedUntil.delete(peerId);
    return Math.max(0, left);
  }

  #reject(code: RejectCode, detail: string, context: Record<string, unknown>): void {
    this.#count(code);
    this.#log.warn({ ...context, code, detail }, "peer connection refused");
  }

  #count(code: RejectCode): void {
    this.#rejected.set(code, (this.#rejected.get(code) ?? 0) + 1);
  }

  #emit(event: PeerEvent): void {
    for (const handler of this.#peerEventHandlers) {
      try {
        handler(event);
      } catch (err) {
        this.#log.error({ err, event }, "p2p peer event handler failed");
      }
    }
  }
}

/** Fails fast on an identity peers would refuse anyway; returns the client TLS context. */
function checkIdentity(params: P2PHostParams, network: NetworkConfig): tls.SecureContext {
  const bad = (message: string): P2PError =>
    new P2PError({ code: "P2P_BAD_IDENTITY", message, self: params.self });
  const own = findNode(network, params.self);
  if (!own) throw bad(`node ${params.self} is not in the network config`);
  if (params.chainId !== network.chainId) {
    throw bad(`chain ${params.chainId} differs from the network config's ${network.chainId}`);
  }
  let cn: string;
  try {
    cn = certificateInfo(params.identity.certPem).subjectCN;
  } catch (e) {
    throw bad(`own certificate: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (cn !== params.self) throw bad(`own certificate is for ${cn}, not ${params.self}`);
  if (!isIssuedBy(params.identity.certPem, own.org.caCert)) {
    throw bad(`own certificate was not issued by ${own.org.name}'s CA`);
  }
  try {
    return tls.createSecureContext({
      cert: params.identity.certPem,
      key: params.identity.keyPem,
      ca: network.orgs.map((org) => org.caCert),
      minVersion: TLS_VERSION,
      maxVersion: TLS_VERSION,
    });
  } catch (e) {
    throw bad(`own key/certificate unusable for TLS: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function checkOptions(opts: P2POptions): P2POptions {
  const bad = (message: string): P2PError => new P2PError({ code: "P2P_BAD_OPTIONS", message });
  for (const key of ["reconnectInitialMs", "reconnectMaxMs", "handshakeTimeoutMs"] as const) {
    if (!(opts[key] > 0 && Number.isFinite(opts[key])))
      throw bad(`p2p option ${key} must be a positive number`);
  }
  if (opts.reconnectMaxMs < opts.reconnectInitialMs)
    throw bad("p2p option reconnectMaxMs is below reconnectInitialMs");
  for (const key of ["banMs", "maxQueuedBytes"] as const) {
    if (!(opts[key] >= 0 && Number.isFinite(opts[key])))
      throw bad(`p2p option ${key} must be a non-negative number`);
  }
  for (const channel of CHANNELS) {
    if (!(opts.maxFrameBytes[channel] > 0)) throw bad(`p2p option maxFrameBytes.${channel} must be positive`);
  }
  if (opts.port !== undefined && !(Number.isInteger(opts.port) && opts.port >= 0 && opts.port <= 65_535)) {
    throw bad("p2p option port must be an integer in 0..65535");
  }
  return opts;
}
