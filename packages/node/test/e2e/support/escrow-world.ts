/**
 * A four-organisation network for the escrow end-to-end test: org1 sells (ships from its GLN),
 * org2 buys (receives at its GLN; it issues the EUR asset in the genesis and holds a balance of
 * it), org3 carries, org4 inspects and arbitrates. Every organisation keeps its demo GS1 Company
 * Prefix (952000<i>), so the trace.capture policy lets each record only at its own locations.
 *
 * Each organisation captures EPCIS events through its own node's EPCIS REST API with its admin
 * member's bearer token, and signs escrow and token transactions as that member through its own
 * node's POST /v1/txs (the SDK client).
 */
import { addressOf, type CanonicalValue, type Genesis, type KeyPair, type PublicKeyInfo } from "@weft/core";
import {
  ApiError,
  createBearerToken,
  createClient,
  type TxCall,
  type TxStatus,
  type WeftClient,
} from "@weft/sdk";
import { createTestNetwork, type TestNetwork, until } from "../../support/network.js";
import { type DocOptions, eventDoc } from "../../unit/support/escrow-docs.js";

export const ORG = { seller: 0, buyer: 1, carrier: 2, arbiter: 3 } as const;
export type OrgIndex = 0 | 1 | 2 | 3;

export const EUR = "EUR";
/** The buyer's genesis balance, in cents. */
export const BUYER_FUNDS = 10_000_000n;

/** Locations under each organisation's demo prefix. */
export const SELLER_GLN = "urn:epc:id:sgln:9520001.00001.0";
export const BUYER_GLN = "urn:epc:id:sgln:9520002.00001.0";
/** The same place as BUYER_GLN, as the 13-digit GLN a purchase order carries. */
export const BUYER_GLN13 = "9520002000019";
export const CARRIER_HUB = "urn:epc:id:sgln:9520003.00001.0";

interface GenesisMember {
  id: string;
  publicKey: PublicKeyInfo;
}
interface GenesisOrg {
  name: string;
  members: GenesisMember[];
}

/** The genesis with EUR issued by org2's admin, who holds BUYER_FUNDS of it. */
function withBuyerFunds(genesis: Genesis): Genesis {
  const orgs = (genesis.appState.identity as unknown as { orgs: GenesisOrg[] }).orgs;
  const admin = orgs.find((o) => o.name === "org2")?.members.find((m) => m.id === "admin");
  if (!admin) throw new Error("org2 has no admin member in the genesis");
  const buyer = addressOf(admin.publicKey);
  const token = genesis.appState.token as { assets: CanonicalValue[]; balances: CanonicalValue[] };
  return {
    ...genesis,
    appState: {
      ...genesis.appState,
      token: {
        assets: [...token.assets, { id: EUR, name: "Euro", decimals: 2, issuer: buyer }],
        balances: [...token.balances, { asset: EUR, address: buyer, amount: BUYER_FUNDS.toString() }],
      },
    },
  };
}

/** A capture job as GET /epcis/capture/{captureID} answers it. */
export interface CaptureJob {
  running: boolean;
  capturedEventCount: number;
  success: boolean;
  errors: { type?: string; title?: string; detail?: string; [field: string]: unknown }[];
  txs: {
    hash?: string;
    height?: number;
    status: string;
    eventIDs: string[];
    error?: { code: string; message: string };
  }[];
}

export interface Captured {
  /** The trace.capture transaction, its height and the events' ledger ids. */
  hash: string;
  height: number;
  eventIds: string[];
}

/** A transaction's fate: committed (with its receipt) or refused at admission (HTTP status and code). */
export type Outcome =
  | { kind: "committed"; status: TxStatus }
  | { kind: "refused"; httpStatus: number; code: string };

export interface EscrowWorld {
  net: TestNetwork;
  genesis: Genesis;
  /** Each organisation's admin member: who signs and captures for it. */
  member(org: OrgIndex): KeyPair;
  address(org: OrgIndex): string;
  /** An SDK client of the organisation's own node. */
  client(org: OrgIndex): WeftClient;
  /** Signs `call` as the organisation's member and submits it to its own node; waits for the commit. */
  send(org: OrgIndex, call: TxCall): Promise<TxStatus>;
  /** Like `send`, but a refusal at admission is an outcome, not an error. */
  attempt(org: OrgIndex, call: TxCall): Promise<Outcome>;
  /** POST /epcis/capture on the organisation's node with its member's token; the finished job. */
  captureJob(org: OrgIndex, events: DocOptions[]): Promise<CaptureJob>;
  /** Like `captureJob`, for a capture that must commit (one transaction). */
  capture(org: OrgIndex, events: DocOptions[]): Promise<Captured>;
  /** The latest block time (BFT time, ms) as the organisation's node answers GET /v1/blocks/latest. */
  blockTime(org: OrgIndex): Promise<number>;
  /** The latest block time (BFT time, ms) on a node. */
  chainTime(org?: OrgIndex): number;
  /** Waits until every node committed `height`. */
  everywhere(height: number): Promise<void>;
  /** A unique, increasing EPCIS eventTime (in the past: events are recorded after the fact). */
  eventTime(): string;
  close(): Promise<void>;
}

export async function createEscrowWorld(): Promise<EscrowWorld> {
  const net = await createTestNetwork(4, { genesis: withBuyerFunds });
  await Promise.all([0, 1, 2, 3].map((i) => net.start(i)));
  await until("full mesh", () => net.nodes.every((n) => n?.p2p?.connectedPeers().length === 3));
  // Terms are written in block time: wait for the first block to have one.
  await until("first block", () =>
    net.nodes.every((n) => (n?.service.latestBlock()?.block.header.height ?? 0) >= 1),
  );
  const genesis = net.report.genesis;
  const member = (org: OrgIndex) => net.report.orgs[org]?.admin as KeyPair;
  const node = (org: OrgIndex) => {
    const n = net.nodes[org];
    if (!n) throw new Error(`org${org + 1}'s node is not running`);
    return n;
  };
  const clients = new Map<OrgIndex, WeftClient>();
  const client = (org: OrgIndex) => {
    let c = clients.get(org);
    if (!c) {
      c = createClient({ url: node(org).url as string });
      clients.set(org, c);
    }
    return c;
  };
  const token = (org: OrgIndex) =>
    createBearerToken(member(org), { memberId: "admin", chainId: genesis.chainId });
  const send = async (org: OrgIndex, call: TxCall) => {
    const status = await client(org).send(member(org), call, { wait: true, timeoutMs: 20_000 });
    if (status.status !== "committed") throw new Error(`${call.module}.${call.method} not committed in time`);
    return status;
  };
  let clock = Date.now() - 3_600_000;

  const world: EscrowWorld = {
    net,
    genesis,
    member,
    address: (org) => addressOf(member(org)),
    client,
    send,
    async attempt(org, call) {
      try {
        return { kind: "committed", status: await send(org, call) };
      } catch (e) {
        if (!(e instanceof ApiError)) throw e;
        return { kind: "refused", httpStatus: e.status, code: e.code };
      }
    },
    async captureJob(org, events) {
      const docs = events.map((o) => JSON.parse(eventDoc(o)) as { epcisBody: { eventList: unknown[] } });
      const document = docs[0] as { epcisBody: { eventList: unknown[] } };
      document.epcisBody.eventList = docs.flatMap((d) => d.epcisBody.eventList);
      const res = await fetch(`${node(org).url}/epcis/capture`, {
        method: "POST",
        headers: {
          "content-type": "application/ld+json",
          "GS1-Capture-Error-Behaviour": "rollback",
          authorization: `Bearer ${token(org)}`,
        },
        body: JSON.stringify(document),
      });
      if (res.status !== 202) throw new Error(`capture refused: ${res.status} ${await res.text()}`);
      const location = res.headers.get("location") as string;
      let job: CaptureJob;
      const deadline = Date.now() + 20_000;
      do {
        await new Promise((r) => setTimeout(r, 50));
        job = (await (await fetch(location)).json()) as CaptureJob;
      } while (job.running && Date.now() < deadline);
      return job;
    },
    async capture(org, events) {
      const job = await world.captureJob(org, events);
      const tx = job.txs[0];
      if (job.running || !job.success || job.txs.length !== 1 || !tx?.hash || tx.height === undefined) {
        throw new Error(`capture job did not commit one transaction: ${JSON.stringify(job)}`);
      }
      return { hash: tx.hash, height: tx.height, eventIds: tx.eventIDs };
    },
    blockTime: async (org) => (await client(org).latestBlock()).block.header.time,
    chainTime: (org = ORG.carrier) =>
      node(org).service.latestBlock()?.block.header.time ?? genesis.genesisTime,
    everywhere: (height) =>
      until(`height ${height} on every node`, () =>
        net.nodes.every((n) => (n?.service.latestBlock()?.block.header.height ?? 0) >= height),
      ),
    eventTime() {
      clock += 60_000;
      return new Date(clock).toISOString();
    },
    close: () => net.close(),
  };
  return world;
}
