import { addressOf, type Genesis, genesisHash, type KeyPair } from "@weft/core";
import type { FastifyInstance } from "fastify";
import { type Logger, pino } from "pino";
import { createApiServer } from "./api/server.js";
import { Application } from "./app/application.js";
import { buildGenesisState } from "./app/genesis-state.js";
import type { Module } from "./app/module.js";
import { ModuleRegistry } from "./app/registry.js";
import { SoloDriver } from "./consensus/solo-driver.js";
import { NodeError } from "./errors.js";
import { Mempool } from "./mempool/mempool.js";
import { SignatureVerifier } from "./mempool/verifier.js";
import { createMetrics, type Metrics } from "./metrics/metrics.js";
import { defaultModules } from "./modules/index.js";
import { type NodeOptions, type NodeOptionsInput, resolveNodeOptions } from "./options.js";
import { LocalNodeService } from "./service-impl.js";
import { ChainStore } from "./storage/chain-store.js";

export interface WeftNode {
  readonly options: NodeOptions;
  readonly service: LocalNodeService;
  readonly store: ChainStore;
  readonly metrics: Metrics;
  readonly log: Logger;
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
}

/** Opens storage (writing the genesis state on first start) and wires mempool, engine and API. */
export async function createNode(params: CreateNodeParams): Promise<WeftNode> {
  const options = resolveNodeOptions(params.options);
  const log = params.logger ?? pino({ level: options.log.level, base: { chain: params.genesis.chainId } });
  const { genesis, validatorKey } = params;
  if (!genesis.validators.some((v) => v.address === addressOf(validatorKey))) {
    throw new NodeError({ code: "NODE_BAD_CONFIG", message: "the node key is not a validator in genesis" });
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
  const verifier = new SignatureVerifier(options.mempool.verifyThreads);
  const service = new LocalNodeService(genesis, app, store, metrics, log, verifier);
  const driver = new SoloDriver(
    app,
    genesis,
    validatorKey,
    options.consensus,
    log.child({ module: "consensus" }),
  );
  service.onAdmitted = () => driver.notify();
  let api: FastifyInstance | undefined;

  const node: WeftNode = {
    options,
    service,
    store,
    metrics,
    log,
    url: undefined,
    async start() {
      const server = await createApiServer(service, options.api, {
        metrics,
        logger: log.child({ module: "api" }),
      });
      api = server;
      const address = await server.listen({ host: options.api.host, port: options.api.port });
      node.url = address.replace("[::1]", "127.0.0.1");
      driver.start();
      log.info({ url: node.url, height: store.head()?.height }, "node started");
    },
    async stop() {
      await api?.close();
      await driver.stop();
      await verifier.close();
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
