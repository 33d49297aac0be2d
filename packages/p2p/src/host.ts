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
import type {
  NetworkUpdate,
  P2PHost,
  P2PHostParams,
  P2PStats,
  PeerCertificate,
  PeerCounters,
} from "./host-api.js";
import {
  allCaCerts,
  findNode,
  type NetworkConfig,
  orgCaCerts,
  parseNetworkConfig,
} from "./network-config.js";
import { defaultP2POptions, type P2POptions } from "./options.js";
import { authenticatePeer, buildPeerBook, type KnownPeer, type PeerBook } from "./peer-book.js";
import { type ConnectionEvents, PeerConnection } from "./peer-connection.js";
import { type CertificateInfo, certificateInfo, isIssuedBy } from "./pki.js";
import { Redialer } from "./redialer.js";
import { safely } from "./safely.js";
import {
  CHANNELS,
  type ChannelName,
  type Logged,
  type PeerEvent,
  type PeerHandler,
  type TlsIdentity,
} from "./types.js";

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
  #network: NetworkConfig;
  #book: PeerBook;
  /** False once an update left this node out of the peer book: it then talks to no one. */
  #listed = true;
  readonly #bootstrapSelf: KnownPeer;
  #identity: TlsIdentity;
  #identityInfo: CertificateInfo;
  #clientContext: tls.SecureContext;
  readonly #hello: Hello;
  readonly #helloFrame: Buffer;
  readonly #events: ConnectionEvents;
  readonly #redialer: Redialer;
  readonly #handlers: Record<ChannelName, PeerHandler[]> = { consensus: [], mempool: [], sync: [] };
  readonly #peerEventHandlers: ((e: PeerEvent) => void)[] = [];
  /** Open (hello exchanged) connections, one per peer. */
  readonly #connections = new Map<string, PeerConnection>();
  /** The certificate each connection's peer presented (for stats and re-checks). */
  readonly #certificates = new WeakMap<PeerConnection, CertificateInfo>();
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
    this.#bootstrapSelf = this.#book.peers.get(this.#self) as KnownPeer;
    this.#identity = params.identity;
    this.#identityInfo = checkIdentity(params.self, params.identity, this.#network);
    if (params.chainId !== this.#network.chainId) {
      throw new P2PError({
        code: "P2P_BAD_IDENTITY",
        message: `chain ${params.chainId} differs from the network config's ${this.#network.chainId}`,
        self: params.self,
      });
    }
    this.#clientContext = secureContext(params.self, params.identity, this.#network);
    this.#hello = {
      type: HELLO_TYPE,
      chainId: params.chainId,
      genesisHash: params.genesisHash,
      nodeId: this.#self,
    };
    this.#helloFrame = encodeFrame(HANDSHAKE_CHANNEL, this.#hello, HANDSHAKE_MAX_BYTES);
    this.#syncCounters();
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
      ...this.#contextOptions(),
      requestCert: true,
      // Checked in #admit instead, which names why (expired, unknown CA...) before anything is sent.
      rejectUnauthorized: false,
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
    // The current book's entry for this node, else the one it was created with (it may have been removed).
    const port = this.#opts.port ?? (this.#book.peers.get(this.#self) ?? this.#bootstrapSelf).port;
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
    for (const id of this.#book.peers.keys()) if (this.#self < id) this.#dial(id);
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
      identity: certificateView(this.#identityInfo),
      listed: this.#listed,
      peers: [...this.#counters].map(([id, c]) => {
        const conn = this.#connections.get(id);
        const cert = conn && this.#certificates.get(conn);
        return {
          id,
          connected: conn !== undefined,
          ...c,
          ...(cert ? { certificate: certificateView(cert) } : {}),
        };
      }),
      rejected: Object.fromEntries(this.#rejected),
    };
  }

  updateNetwork(update: NetworkUpdate): void {
    if (this.#state === "stopped") return;
    const { revoked = [], ...config } = update;
    const network = parseNetworkConfig(config, { allowEmpty: true });
    if (network.chainId !== this.#network.chainId) {
      throw new P2PError({
        code: "P2P_BAD_NETWORK_CONFIG",
        message: `network update for chain ${network.chainId}, not ${this.#network.chainId}`,
      });
    }
    const before = new Set(this.#book.peers.keys());
    const book = buildPeerBook(network, revoked);
    const own = findNode(network, this.#self);
    const wasListed = this.#listed;
    this.#network = network;
    this.#book = book;
    this.#listed = own !== undefined;
    this.#applyContexts();
    this.#syncCounters();
    if (!this.#listed && wasListed) {
      this.#log.error(
        { self: this.#self },
        "this node is no longer in the network (its organisation or node entry was removed): it closes every peer connection, and peers refuse it",
      );
    } else if (own && !orgCaCerts(own.org).some((ca) => isIssuedBy(this.#identity.certPem, ca))) {
      this.#log.error(
        { self: this.#self, org: own.org.name },
        "this node's certificate is not issued by any CA its organisation now lists: peers will refuse new connections",
      );
    }
    for (const conn of [...this.#connections.values(), ...this.#handshaking]) {
      const refusal = this.#recheck(conn);
      if (!refusal) continue;
      this.#reject(refusal.code, refusal.detail, { peer: conn.peerId, direction: conn.direction });
      conn.close(`${refusal.code}: ${refusal.detail}`);
    }
    for (const id of before) if (!book.peers.has(id)) this.#redialer.forget(id);
    const added = [...book.peers.keys()].filter((id) => !before.has(id) && id !== this.#self);
    const removed = [...before].filter((id) => !book.peers.has(id) && id !== this.#self);
    if (this.#state === "running" && this.#listed) {
      for (const id of book.peers.keys()) if (this.#self < id) this.#dial(id);
    }
    this.#log.info(
      { added, removed, peers: book.peers.size - (this.#listed ? 1 : 0), revoked: book.revoked.size },
      "peer book updated",
    );
  }

  reloadIdentity(identity: TlsIdentity, opts: { reconnect?: boolean } = {}): void {
    const info = checkIdentity(this.#self, identity, this.#network);
    this.#clientContext = secureContext(this.#self, identity, this.#network);
    const previous = this.#identityInfo;
    this.#identity = identity;
    this.#identityInfo = info;
    this.#server?.setSecureContext(this.#contextOptions());
    this.#log.info(
      {
        from: previous.fingerprint,
        to: info.fingerprint,
        notAfter: info.notAfter.toISOString(),
        reconnect: opts.reconnect === true,
      },
      "TLS identity reloaded",
    );
    if (!opts.reconnect) return;
    // The lower id of each pair redials at once (its backoff was reset by the last success).
    for (const conn of [...this.#connections.values()]) conn.close("reconnecting with a new TLS identity");
  }

  /** Why an already authenticated connection may no longer stay, after a peer book update. */
  #recheck(conn: PeerConnection): { code: RejectCode; detail: string } | undefined {
    if (!this.#listed) return { code: "P2P_REMOVED", detail: `${this.#self} is no longer in the network` };
    const auth = authenticatePeer(conn.socket.getPeerCertificate().raw, this.#book, this.#self, conn.peerId);
    if (auth.ok) return undefined;
    if (auth.code === "P2P_UNKNOWN_PEER")
      return { code: "P2P_REMOVED", detail: `${conn.peerId} is no longer in the network` };
    return auth;
  }

  /** Own key and certificate and the trust roots: every organisation's CA certificates. */
  #contextOptions(): tls.SecureContextOptions {
    return {
      cert: this.#identity.certPem,
      key: this.#identity.keyPem,
      // Never undefined: that would mean the system's public roots.
      ca: allCaCerts(this.#network),
      minVersion: TLS_VERSION,
      maxVersion: TLS_VERSION,
    };
  }

  #applyContexts(): void {
    this.#clientContext = secureContext(this.#self, this.#identity, this.#network);
    this.#server?.setSecureContext(this.#contextOptions());
  }

  /** One counter set per configured peer; a removed peer's counters go with it. */
  #syncCounters(): void {
    for (const id of this.#book.peers.keys()) {
      if (id !== this.#self && !this.#counters.has(id)) {
        this.#counters.set(id, { bytesIn: 0, bytesOut: 0, framesIn: 0, framesOut: 0, framesDropped: 0 });
      }
    }
    for (const id of [...this.#counters.keys()]) if (!this.#book.peers.has(id)) this.#counters.delete(id);
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
    const peer = this.#book.peers.get(peerId);
    if (!peer || !this.#listed) return; // left the peer book while a redial was pending
    const banned = this.#banRemaining(peerId);
    if (banned > 0) {
      this.#redialer.retry(peerId, banned);
      return;
    }
    this.#dialing.add(peerId);
    const socket = tls.connect({
      host: peer.host,
      port: peer.port,
      secureContext: this.#clientContext,
      // Checked in #admit (chain, validity, revocation, and that it is the dialed node's).
      rejectUnauthorized: false,
      // Hosts may be IPs, so names are not checked: #admit pins the certificate to the dialed node id.
      checkServerIdentity: () => undefined,
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
        if (this.#state === "running" && this.#listed && this.#book.peers.has(peerId))
          this.#redialer.retry(peerId);
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
    const { peerId, certificate } = admitted;
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
    this.#certificates.set(conn, certificate);
    this.#handshaking.add(conn);
    conn.start();
  }

  /** The configured peer this socket authenticates as, or why it may not connect. */
  #admit(
    socket: tls.TLSSocket,
    direction: "inbound" | "outbound",
    dialed: string | undefined,
  ): { peerId: string; certificate: CertificateInfo } | { code: RejectCode; detail: string; peer?: string } {
    if (!this.#listed) return { code: "P2P_REMOVED", detail: `${this.#self} is no longer in the network` };
    if (!socket.authorized) return tlsRefusal(socket, dialed);
    const auth = authenticatePeer(socket.getPeerCertificate().raw, this.#book, this.#self, dialed);
    if (!auth.ok) return auth;
    const peerId = auth.peer.id;
    if (direction === "inbound") {
      if (!(peerId < this.#self))
        return { code: "P2P_WRONG_DIRECTION", detail: `${this.#self} dials ${peerId}`, peer: peerId };
      const banned = this.#banRemaining(peerId);
      if (banned > 0) return { code: "P2P_BANNED", detail: `banned for another ${banned} ms`, peer: peerId };
    }
    return { peerId, certificate: auth.certificate };
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

const badIdentity = (self: string, message: string): P2PError =>
  new P2PError({ code: "P2P_BAD_IDENTITY", message, self });

/**
 * Fails fast on an identity peers would refuse anyway: another node's certificate, or one no CA
 * of this node's organisation issued. Skipped for the issuer when the node is not listed.
 */
function checkIdentity(self: string, identity: TlsIdentity, network: NetworkConfig): CertificateInfo {
  const own = findNode(network, self);
  if (!own) throw badIdentity(self, `node ${self} is not in the network config`);
  let info: CertificateInfo;
  try {
    info = certificateInfo(identity.certPem);
  } catch (e) {
    throw badIdentity(self, `own certificate: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (info.subjectCN !== self)
    throw badIdentity(self, `own certificate is for ${info.subjectCN}, not ${self}`);
  if (!orgCaCerts(own.org).some((ca) => isIssuedBy(identity.certPem, ca))) {
    throw badIdentity(self, `own certificate was not issued by ${own.org.name}'s CA`);
  }
  secureContext(self, identity, network); // the key must match the certificate
  return info;
}

/** The client TLS context: own key and certificate, every organisation's CAs as trust roots. */
function secureContext(self: string, identity: TlsIdentity, network: NetworkConfig): tls.SecureContext {
  try {
    return tls.createSecureContext({
      cert: identity.certPem,
      key: identity.keyPem,
      ca: allCaCerts(network),
      minVersion: TLS_VERSION,
      maxVersion: TLS_VERSION,
    });
  } catch (e) {
    throw badIdentity(
      self,
      `own key/certificate unusable for TLS: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
}

/** Why TLS did not authorize the peer's certificate, with a code for the common cases. */
function tlsRefusal(
  socket: tls.TLSSocket,
  dialed: string | undefined,
): { code: RejectCode; detail: string; peer?: string } {
  const error = String(socket.authorizationError);
  // Unverified, so only for the log: who the certificate claims to be.
  const cn = socket.getPeerCertificate().subject?.CN;
  const peer = dialed ?? (typeof cn === "string" ? cn : undefined);
  const named = peer === undefined ? {} : { peer };
  if (error === "CERT_HAS_EXPIRED")
    return { code: "P2P_CERT_EXPIRED", detail: "peer certificate has expired", ...named };
  if (error === "CERT_NOT_YET_VALID")
    return { code: "P2P_CERT_NOT_YET_VALID", detail: "peer certificate is not yet valid", ...named };
  return { code: "P2P_TLS_FAILED", detail: error, ...named };
}

function certificateView(info: CertificateInfo): PeerCertificate {
  return {
    subject: info.subjectCN,
    org: info.org,
    fingerprint: info.fingerprint,
    notBefore: info.notBefore.getTime(),
    notAfter: info.notAfter.getTime(),
  };
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
