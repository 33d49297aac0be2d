import { join } from "node:path";
import { addressOf, type Genesis, genesisHash, type KeyPair, type SignedVote } from "@weft/core";
import { createP2PHost, type NetworkConfig, type P2PHost, type TlsIdentity } from "@weft/p2p";
import type { FastifyInstance } from "fastify";
import { type Logger, pino } from "pino";
import type { ReadGroup } from "./api/auth/options.js";
import { createApiServer } from "./api/server.js";
import { Application } from "./app/application.js";
import { buildGenesisState } from "./app/genesis-state.js";
import type { Module } from "./app/module.js";
import { ModuleRegistry } from "./app/registry.js";
import { TxSubmitter } from "./app/tx-submitter.js";
import { BftDriver } from "./consensus/bft-driver.js";
import type { WalRecordOf } from "./consensus/bft-ports.js";
import { PrivValidator } from "./consensus/privval.js";
import { SoloDriver } from "./consensus/solo-driver.js";
import { openWal } from "./consensus/wal.js";
import { NodeError } from "./errors.js";
import { MempoolGossip } from "./mempool/gossip.js";
import { Mempool } from "./mempool/mempool.js";
import { SignatureVerifier } from "./mempool/verifier.js";
import { createMetrics, type Metrics } from "./metrics/metrics.js";
import { defaultModules } from "./modules/index.js";
import type { TraceReaderWithLinks } from "./modules/trace/api.js";
import { LmdbTraceReader, TraceIndexer } from "./modules/trace/reader.js";
import type { IdentityFiles } from "./net/identity-watcher.js";
import { createNodeIdentity } from "./net/node-identity.js";
import { type NodeOptions, type NodeOptionsInput, resolveNodeOptions } from "./options.js";
import { LocalNodeService } from "./service-impl.js";
import { ChainStore } from "./storage/chain-store.js";

/** Blocks a transaction signed by the node itself stays valid (then it expires from the mempool). */
const OWN_TX_LIFETIME_BLOCKS = 1_000;

export interface WeftNode {
  readonly options: NodeOptions;
  readonly service: LocalNodeService;
  readonly store: ChainStore;
  readonly metrics: Metrics;
  readonly log: Logger;
  /** The BFT driver, when this node runs Tendermint (undefined for the solo engine). */
  readonly consensus: BftDriver | undefined;
  /** The peer-to-peer host, when this node runs Tendermint. */
  readonly p2p: P2PHost | undefined;
  /** EPCIS events, queries and genealogy from the trace module's node-local indexes. */
  readonly trace: TraceReaderWithLinks;
  /** The API's base URL once `start` has bound it. */
  url: string | undefined;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface CreateNodeParams {
  genesis: Genesis;
  validatorKey: KeyPair;
  options: NodeOptionsInput;
  modules?: readonly Module[];
  logger?: Logger;
  /** The peer book and this node's TLS identity; required by the Tendermint engine. */
  network?: NodeNetwork;
}

export interface NodeNetwork {
  config: NetworkConfig;
  /** This node's id in the peer book (the CN of its TLS certificate). */
  nodeId: string;
  identity: TlsIdentity;
  /** Where `identity` was read from: a rotated certificate there is picked up while running. */
  identityFiles?: IdentityFiles;
  /** Reload the certificate on SIGHUP too (a node that owns its process: `weft start`). */
  reloadOnSighup?: boolean;
}

/** Opens storage (writing the genesis state on first start) and wires mempool, engine and API. */
export async function createNode(params: CreateNodeParams): Promise<WeftNode> {
  const options = resolveNodeOptions(params.options);
  const base = params.logger ?? pino({ level: options.log.level, base: { chain: params.genesis.chainId } });
  // Several nodes may share one process (weft dev --orgs): every line names its node.
  const log = params.network ? base.child({ node: params.network.nodeId }) : base;
  const { genesis, validatorKey } = params;
  // A node outside the genesis set may run Tendermint: it follows the chain and signs from the
  // height governance adds its key (validators.update). The solo engine needs the validator.
  const engine = resolveEngine(options.consensus.engine, params.network);
  if (!genesis.validators.some((v) => v.address === addressOf(validatorKey))) {
    if (engine === "solo")
      throw new NodeError({ code: "NODE_BAD_CONFIG", message: "the node key is not a validator in genesis" });
    log.info(
      { address: addressOf(validatorKey) },
      "the node key is not in the genesis validator set: this node follows until governance adds it",
    );
  }
  const registry = new ModuleRegistry(params.modules ?? defaultModules);
  const store = ChainStore.open(options.storage);
  try {
    await openChain(store, genesis, registry);
  } catch (e) {
    await store.close();
    throw e;
  }
  const metrics = createMetrics();
  const mempool = new Mempool(options.mempool);
  const app = new Application(genesis, registry, store, mempool);
  // Catches up in the background (failures are logged and retried at the next block).
  const traceIndexer = new TraceIndexer(store, log.child({ module: "trace" }));
  // Catches up from stored blocks in the background; a failure is logged by the indexer and
  // retried at the next block, so the rejection needs no second handler here.
  traceIndexer.start(app).catch(() => {});
  const verifier = new SignatureVerifier(options.mempool.verifyThreads);
  const service = new LocalNodeService(genesis, app, store, metrics, log, verifier);
  // The node's own transactions (EPCIS captures through its API, double-sign evidence): one
  // submitter per key, so their sequence numbers never clash.
  const submitter = new TxSubmitter(service, validatorKey, OWN_TX_LIFETIME_BLOCKS);
  let bft: { driver: BftDriver; host: P2PHost; gossip: MempoolGossip; closeWal(): void } | undefined;
  let solo: SoloDriver | undefined;
  if (engine === "tendermint") {
    bft = createBft(submitter, params, options, app, service, metrics, log, store);
    const { driver, gossip, host } = bft;
    service.consensusStatus = () =>
      driver.status(host.stats().peers.map((p) => ({ id: p.id, connected: p.connected })));
    service.onAdmitted = (txs, source) => {
      if (source === "client") gossip.relay(txs);
      driver.notify();
    };
  } else {
    const driver = new SoloDriver(
      app,
      genesis,
      validatorKey,
      options.consensus,
      log.child({ module: "consensus" }),
    );
    solo = driver;
    service.onAdmitted = () => driver.notify();
  }
  // Peer book from the on-chain registry, certificate reloads and expiry warnings.
  const identity = createNodeIdentity({
    store,
    chainId: genesis.chainId,
    options: options.identity,
    metrics,
    log,
    ...(bft && params.network
      ? {
          p2p: {
            host: bft.host,
            self: params.network.nodeId,
            ...(params.network.identityFiles ? { files: params.network.identityFiles } : {}),
            sighup: params.network.reloadOnSighup === true,
          },
        }
      : {}),
  });
  app.onCommit((executed) =>
    identity.committed(
      executed.block.header.height,
      executed.write.stateChanges.map(([key]) => key),
    ),
  );
  let api: FastifyInstance | undefined;

  const node: WeftNode = {
    options,
    service,
    store,
    metrics,
    log,
    consensus: bft?.driver,
    p2p: bft?.host,
    trace: new LmdbTraceReader(traceIndexer),
    url: undefined,
    async start() {
      // The consortium's public reads from network.json (names checked by the API).
      const networkReads = params.network?.config.access?.publicReads as ReadGroup[] | undefined;
      const server = await createApiServer(service, options.api, {
        metrics,
        logger: log.child({ module: "api" }),
        // EPCIS captures through this node's API are signed with its validator key for now.
        epcis: {
          trace: node.trace,
          captureKey: validatorKey,
          submitter,
          openRepository: (name) => store.openRepository(name),
          options: { ...options.epcis, verify: options.verify },
        },
        certificates: identity.certificates,
        // Tokens of the node's own org may act through it: the org is the node key's or node id's.
        auth: {
          nodeAddress: addressOf(validatorKey),
          ...(params.network ? { nodeId: params.network.nodeId } : {}),
          ...(networkReads ? { networkPublicReads: networkReads } : {}),
        },
      });
      api = server;
      const address = await server.listen({ host: options.api.host, port: options.api.port });
      node.url = address.replace("[::1]", "127.0.0.1");
      identity.start();
      if (bft) {
        await bft.host.start();
        bft.gossip.start();
        await bft.driver.start();
      }
      solo?.start();
      log.info({ url: node.url, height: store.head()?.height, engine }, "node started");
    },
    async stop() {
      identity.stop();
      await api?.close();
      await solo?.stop();
      if (bft) {
        bft.gossip.stop();
        await bft.driver.stop();
        await bft.host.stop();
        bft.closeWal();
      }
      await verifier.close();
      await traceIndexer.close();
      await store.close();
      log.info("node stopped");
    },
  };
  return node;
}

async function openChain(store: ChainStore, genesis: Genesis, registry: ModuleRegistry): Promise<void> {
  const expected = genesisHash(genesis);
  const stored = store.genesisHash();
  if (stored !== undefined && stored !== expected) {
    throw new NodeError({
      code: "NODE_BAD_CONFIG",
      message: `the data folder belongs to genesis ${stored}, not ${expected}`,
    });
  }
  if (stored === undefined) {
    const state = buildGenesisState(genesis, registry);
    await store.commitGenesis(expected, genesis.genesisTime, { ...state });
  }
}

function resolveEngine(
  engine: NodeOptions["consensus"]["engine"],
  network: NodeNetwork | undefined,
): "solo" | "tendermint" {
  if (engine === "tendermint" && !network) {
    throw new NodeError({
      code: "NODE_BAD_CONFIG",
      message: "the tendermint engine needs a network (network.json and this node's TLS identity)",
    });
  }
  if (engine === "auto") return network ? "tendermint" : "solo";
  return engine;
}

/** The BFT engine with its WAL, double-sign guard, mutual-TLS host, block sync and gossip. */
function createBft(
  submitter: TxSubmitter,
  params: CreateNodeParams,
  options: NodeOptions,
  app: Application,
  service: LocalNodeService,
  metrics: Metrics,
  log: Logger,
  store: ChainStore,
) {
  const network = params.network as NodeNetwork;
  const { genesis, validatorKey } = params;
  const host = createP2PHost({
    self: network.nodeId,
    network: network.config,
    identity: network.identity,
    chainId: genesis.chainId,
    genesisHash: store.genesisHash() ?? genesisHash(genesis),
    options: options.p2p,
    log: log.child({ module: "p2p" }),
  });
  const consensusDir = join(options.storage.dataDir, "consensus");
  const { records, wal } = openWal(join(consensusDir, "wal"), log.child({ module: "wal" }));
  const self = addressOf(validatorKey);
  const reportEquivocation = (a: SignedVote, b: SignedVote) => {
    submitter.submit("evidence", "submit", { a: { ...a }, b: { ...b } }).then(
      (outcome) => {
        if (!outcome.accepted) log.warn({ error: outcome.error.message }, "evidence transaction refused");
      },
      (e: unknown) => log.error({ err: e }, "submitting evidence failed"),
    );
  };
  const driver = new BftDriver({
    app,
    genesis,
    self,
    signer: new PrivValidator(validatorKey, consensusDir),
    wal,
    walRecords: records as WalRecordOf[],
    network: host,
    options: options.consensus,
    metrics,
    log: log.child({ module: "consensus" }),
    onEquivocation: reportEquivocation,
  });
  const gossip = new MempoolGossip(host, service, metrics, log.child({ module: "mempool" }));
  return { driver, host, gossip, closeWal: () => wal.close() };
}
