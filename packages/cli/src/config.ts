import { existsSync, readFileSync } from "node:fs";
import { isAbsolute, join } from "node:path";
import { type NodeOptions, type NodeOptionsInput, resolveAuthOptions } from "@weft/node";
import { CliError } from "./errors.js";

/** `<home>/config.json`: any subset of NodeOptions. */
export type NodeConfig = { [K in keyof NodeOptions]?: Partial<NodeOptions[K]> };

type FieldType =
  | "string"
  | "boolean"
  | "count"
  | "port"
  | "channel-limits"
  | "api-auth"
  | "api-tls"
  | readonly string[];

export const LOG_LEVELS: readonly NodeOptions["log"]["level"][] = [
  "fatal",
  "error",
  "warn",
  "info",
  "debug",
  "trace",
  "silent",
];

// Typed against NodeOptions so a new node option fails to compile here until it is described.
const SPEC: { [K in keyof NodeOptions]: { [F in keyof NodeOptions[K]]-?: FieldType } } = {
  storage: { dataDir: "string", mapSizeBytes: "count" },
  api: {
    host: "string",
    port: "port",
    bodyLimit: "count",
    maxBatch: "count",
    waitTimeoutMs: "count",
    maxWaitTimeoutMs: "count",
    wsMaxClients: "count",
    auth: "api-auth",
    tls: "api-tls",
  },
  mempool: { maxTxs: "count", maxBytes: "count", maxSequenceGap: "count", verifyThreads: "count" },
  consensus: {
    engine: ["auto", "solo", "tendermint"],
    blockIntervalMs: "count",
    commitTimeoutMs: "count",
    emptyBlocks: "boolean",
    emptyBlockIntervalMs: "count",
    timeoutProposeMs: "count",
    timeoutVoteMs: "count",
    timeoutDeltaMs: "count",
    regossipIntervalMs: "count",
    statusIntervalMs: "count",
  },
  p2p: {
    host: "string",
    port: "port",
    maxFrameBytes: "channel-limits",
    reconnectInitialMs: "count",
    reconnectMaxMs: "count",
    handshakeTimeoutMs: "count",
    banMs: "count",
    maxQueuedBytes: "count",
  },
  epcis: {
    captureLimit: "count",
    captureFileSizeLimit: "count",
    defaultPerPage: "count",
    maxPerPage: "count",
    captureTxLifetimeBlocks: "count",
    maxCaptureJobs: "count",
    maxNamedQueries: "count",
    maxSubscriptionsPerQuery: "count",
    wsMaxStreams: "count",
    webhookTimeoutMs: "count",
    webhookAttempts: "count",
    scheduledBufferLimit: "count",
    publicBaseUrl: "string",
    pipUrlTemplate: "string",
    responderGln: "string",
  },
  verify: {
    maxTravelKmh: "count",
    minTravelKm: "count",
    travelWindowMs: "count",
    maxDistinctScanners: "count",
    scannerWindowMs: "count",
    historyLimit: "count",
  },
  identity: { certWarningDays: "count", certCheckIntervalMs: "count", certReloadDebounceMs: "count" },
  log: { level: LOG_LEVELS },
};

/** Checks a parsed config.json: unknown keys and wrong types are refused, naming the key. */
export function parseNodeConfig(value: unknown, source = "config.json"): NodeConfig {
  const bad = (message: string) =>
    new CliError({ code: "CLI_BAD_CONFIG", message: `${source}: ${message}`, exitCode: 2 });
  if (!isObject(value)) throw bad("must be a JSON object");
  for (const [section, fields] of Object.entries(value)) {
    const spec: Record<string, FieldType> | undefined = (SPEC as Record<string, Record<string, FieldType>>)[
      section
    ];
    if (!spec) throw bad(`unknown key "${section}" (known: ${Object.keys(SPEC).join(", ")})`);
    if (!isObject(fields)) throw bad(`"${section}" must be an object`);
    for (const [field, v] of Object.entries(fields)) {
      const type = spec[field];
      if (!type) throw bad(`unknown key "${section}.${field}" (known: ${Object.keys(spec).join(", ")})`);
      const problem = typeProblem(type, v);
      if (problem) throw bad(`"${section}.${field}" must be ${problem} (got ${JSON.stringify(v)})`);
    }
  }
  return value as NodeConfig;
}

function typeProblem(type: FieldType, v: unknown): string | undefined {
  if (Array.isArray(type)) return type.includes(v as string) ? undefined : `one of ${type.join(", ")}`;
  switch (type) {
    case "string":
      return typeof v === "string" && v !== "" ? undefined : "a non-empty string";
    case "boolean":
      return typeof v === "boolean" ? undefined : "true or false";
    case "count":
      return Number.isSafeInteger(v) && (v as number) >= 0 ? undefined : "a non-negative integer";
    case "port":
      return Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= 65_535
        ? undefined
        : "an integer 0..65535";
    case "channel-limits":
      return isObject(v) &&
        Object.keys(v).length === 3 &&
        ["consensus", "mempool", "sync"].every((c) => Number.isSafeInteger(v[c]) && (v[c] as number) >= 1024)
        ? undefined
        : 'an object {"consensus", "mempool", "sync"} of byte limits (each at least 1024)';
    case "api-auth":
      return authProblem(v);
    case "api-tls":
      return isObject(v) &&
        Object.keys(v).every((k) => ["cert", "key", "clientCa"].includes(k)) &&
        typeof v.cert === "string" &&
        v.cert !== "" &&
        typeof v.key === "string" &&
        v.key !== "" &&
        (v.clientCa === undefined || v.clientCa === "registry" || v.clientCa === "none")
        ? undefined
        : 'an object {cert, key, clientCa?: "registry" | "none"} (PEM file paths, relative to the home)';
  }
  return undefined;
}

const AUTH_FIELDS = ["mode", "publicReads", "org", "clockSkewSeconds", "maxTokenTtlSeconds", "writeRoles"];

function authProblem(v: unknown): string | undefined {
  const shape = `an object {${AUTH_FIELDS.join(", ")}}`;
  if (!isObject(v)) return shape;
  const unknown = Object.keys(v).filter((k) => !AUTH_FIELDS.includes(k));
  if (unknown.length > 0) return `${shape} (unknown ${unknown.join(", ")})`;
  try {
    resolveAuthOptions(v, (message) => new Error(message));
    return undefined;
  } catch (e) {
    return `valid: ${(e as Error).message}`;
  }
}

/** Reads and checks `path`; a missing file is an empty config. */
export function loadNodeConfig(path: string): NodeConfig {
  if (!existsSync(path)) return {};
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(path, "utf8"));
  } catch (e) {
    throw new CliError({ code: "CLI_BAD_CONFIG", message: `${path}: ${(e as Error).message}`, exitCode: 2 });
  }
  return parseNodeConfig(value, path);
}

/** Section-wise merge: later configs win field by field; undefined fields are ignored. */
export function mergeConfig(...configs: NodeConfig[]): NodeConfig {
  const out: Record<string, Record<string, unknown>> = {};
  for (const config of configs) {
    for (const [section, fields] of Object.entries(config)) {
      for (const [field, v] of Object.entries(fields ?? {})) {
        if (v !== undefined) out[section] = { ...out[section], [field]: v };
      }
    }
  }
  return out as NodeConfig;
}

/** The data folder: config's storage.dataDir (relative to the home) or `<home>/data`. */
export function dataDirOf(home: string, config: NodeConfig): string {
  const dir = config.storage?.dataDir ?? "data";
  return isAbsolute(dir) ? dir : join(home, dir);
}

export function nodeOptionsOf(home: string, config: NodeConfig): NodeOptionsInput {
  const options: NodeOptionsInput = {
    ...config,
    storage: { ...config.storage, dataDir: dataDirOf(home, config) },
  };
  const tls = config.api?.tls;
  if (tls) {
    // PEM file paths in config.json are relative to the home, like storage.dataDir.
    const path = (p: string) => (p.trimStart().startsWith("-----BEGIN") || isAbsolute(p) ? p : join(home, p));
    options.api = { ...config.api, tls: { ...tls, cert: path(tls.cert), key: path(tls.key) } };
  }
  return options;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}
