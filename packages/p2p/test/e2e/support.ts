import { once } from "node:events";
import { createServer } from "node:net";
import * as tls from "node:tls";
import { type Logger, pino } from "pino";
import {
  type CaMaterial,
  createOrgCa,
  encodeFrame,
  HANDSHAKE_CHANNEL,
  HELLO_TYPE,
  issueNodeCertificate,
  type NetworkConfig,
  type TlsIdentity,
} from "../../src/index.js";

export const CHAIN_ID = "weft-p2p-test";
export const GENESIS = "ab".repeat(32);

export interface LogEntry {
  level: number;
  msg: string;
  [field: string]: unknown;
}

/** A real pino logger whose JSON lines are kept for assertions. */
export function captureLog(): { log: Logger; entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const log = pino(
    { level: "debug", base: undefined },
    { write: (line: string) => entries.push(JSON.parse(line)) },
  );
  return { log, entries };
}

/** A port nothing listens on right now (bind 0, read it, release it). */
export async function freePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  server.close();
  await once(server, "close");
  return port;
}

export async function waitFor(what: string, condition: () => boolean, timeoutMs = 5_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

export async function sleep(ms: number): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, ms));
}

export interface Fixture {
  cas: Record<string, CaMaterial>;
  ids: Record<string, TlsIdentity>;
  network: NetworkConfig;
  ports: Record<string, number>;
}

/**
 * Organisations and the nodes each may run. `layout` maps org → node ids; every node gets a
 * certificate from its own organisation's CA and a free port on 127.0.0.1.
 */
export async function buildFixture(layout: Record<string, string[]>): Promise<Fixture> {
  const cas: Record<string, CaMaterial> = {};
  const ids: Record<string, TlsIdentity> = {};
  const ports: Record<string, number> = {};
  for (const [org, nodes] of Object.entries(layout)) {
    cas[org] = await createOrgCa(org);
    for (const id of nodes) {
      ids[id] = await issueNodeCertificate(cas[org], { nodeId: id, org, hosts: ["127.0.0.1"] });
      ports[id] = await freePort();
    }
  }
  const network: NetworkConfig = {
    type: "weft-network/v1",
    chainId: CHAIN_ID,
    orgs: Object.entries(layout).map(([name, nodes]) => ({
      name,
      caCert: cas[name]!.certPem,
      nodes: nodes.map((id) => ({ id, host: "127.0.0.1", port: ports[id]! })),
    })),
  };
  return { cas, ids, network, ports };
}

/** A hand-driven peer: TLS client with the given certificate, resolved once TLS is up. */
export async function rawPeer(
  port: number,
  identity: TlsIdentity,
  ca: string[],
  extra: tls.ConnectionOptions = {},
): Promise<tls.TLSSocket> {
  const socket = tls.connect({
    host: "127.0.0.1",
    port,
    cert: identity.certPem,
    key: identity.keyPem,
    ca,
    checkServerIdentity: () => undefined,
    ...extra,
  });
  socket.on("error", () => undefined);
  socket.resume(); // keep reading (and discarding) so the peer's close is noticed
  await once(socket, "secureConnect");
  return socket;
}

export function helloFrame(nodeId: string, genesisHash = GENESIS): Buffer {
  return encodeFrame(HANDSHAKE_CHANNEL, { type: HELLO_TYPE, chainId: CHAIN_ID, genesisHash, nodeId });
}

export function closed(socket: tls.TLSSocket): Promise<unknown> {
  return socket.closed ? Promise.resolve() : once(socket, "close");
}
