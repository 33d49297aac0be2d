import { mkdirSync } from "node:fs";
import {
  type Block,
  type CommitCertificate,
  canonicalBytes,
  hexToBytes,
  type LogNodeStore,
  parseJson,
  type StateNodeStore,
} from "@weft/core";
import { type Database, type Key, open, type RootDatabase } from "lmdb";
import { NodeError } from "../errors.js";
import { defaultStorageOptions, type StorageOptions } from "./options.js";
import type { BlockWrite, ChainHead, StateSource, StoredResult } from "./types.js";

type Bytes = Uint8Array;
const DELETED = new Uint8Array(0);
/** Parsed blocks kept by `getBlock` (oldest parsed dropped first). */
const PARSED_BLOCK_CACHE = 8;

/**
 * The node's storage: namespaced repositories over one LMDB environment. Blocks and their
 * certificates are append-only; everything else (state, history, Merkle nodes, indexes) is
 * derived from blocks and can be rebuilt. A block and all it derives commit in one transaction,
 * so after a crash the store holds either all of a block or none of it.
 */
export class ChainStore implements StateSource {
  private readonly root: RootDatabase;
  /** height → canonical block bytes */
  readonly blocks: Database<Bytes, number>;
  /** height → canonical bytes of the certificate that committed that height */
  readonly commits: Database<Bytes, number>;
  /** tx hash → [height, index] */
  private readonly txIndex: Database<[number, number], string>;
  /** [height, index] → canonical bytes of StoredResult */
  readonly results: Database<Bytes, [number, number]>;
  /** [module, height, logIndex] → event type: events by module and block */
  private readonly eventIndex: Database<string, [string, number, number]>;
  /** key → current value (canonical JSON bytes) */
  readonly state: Database<Bytes, string>;
  /** [key, height] → value written at that height (empty bytes: deleted) */
  private readonly stateHistory: Database<Bytes, [string, number]>;
  /** node hash → node encoding (content-addressed, so every old root stays readable) */
  readonly stateNodeDb: Database<Bytes, Bytes>;
  /** [level, index] → hash of the complete log subtree */
  readonly logNodeDb: Database<Bytes, [number, number]>;
  private readonly meta: Database<unknown, string>;
  private cachedHead: ChainHead | undefined;
  private readonly parsedBlocks = new Map<number, Block>();

  readonly stateNodes: StateNodeStore;
  readonly logNodes: LogNodeStore;

  private constructor(options: StorageOptions) {
    mkdirSync(options.dataDir, { recursive: true });
    this.root = open({ path: options.dataDir, mapSize: options.mapSizeBytes, maxDbs: 64 });
    const bin = { encoding: "binary" as const };
    this.blocks = this.root.openDB({ name: "blocks", ...bin });
    this.commits = this.root.openDB({ name: "commits", ...bin });
    this.txIndex = this.root.openDB({ name: "tx-index" });
    this.results = this.root.openDB({ name: "results", ...bin });
    this.eventIndex = this.root.openDB({ name: "event-index" });
    this.state = this.root.openDB({ name: "state", ...bin });
    this.stateHistory = this.root.openDB({ name: "state-history", ...bin });
    this.stateNodeDb = this.root.openDB({ name: "state-nodes", ...bin, keyEncoding: "binary" });
    this.logNodeDb = this.root.openDB({ name: "log-nodes", ...bin });
    this.meta = this.root.openDB({ name: "meta" });
    const nodes = this.stateNodeDb;
    this.stateNodes = { getNode: (hash) => nodes.get(hash) };
    const logDb = this.logNodeDb;
    this.logNodes = {
      getNode: (level, index) => logDb.get([level, index]),
      putNode: () => {
        throw new NodeError({
          code: "NODE_INVALID_ARGUMENT",
          message: "committed log is written only with a block",
        });
      },
    };
  }

  /**
   * A node-local derived repository (a module's query indexes, say) in the same environment,
   * named `x-<name>`. Not part of the state root: its owner rebuilds it from committed blocks.
   */
  openRepository<V = unknown, K extends Key = Key>(name: string): Database<V, K> {
    if (!/^[a-z][a-z0-9-]{0,40}$/.test(name)) {
      throw new NodeError({ code: "NODE_INVALID_ARGUMENT", message: `bad repository name ${name}` });
    }
    return this.root.openDB<V, K>({ name: `x-${name}` });
  }

  static open(options: Partial<StorageOptions> & { dataDir: string }): ChainStore {
    return new ChainStore({ ...defaultStorageOptions, ...options });
  }

  async close(): Promise<void> {
    await this.root.close();
  }

  genesisHash(): string | undefined {
    return this.meta.get("genesisHash") as string | undefined;
  }

  head(): ChainHead | undefined {
    this.cachedHead ??= this.meta.get("head") as ChainHead | undefined;
    return this.cachedHead;
  }

  getBlockBytes(height: number): Bytes | undefined {
    return this.blocks.get(height);
  }

  /**
   * The parsed block at `height`. Committed blocks never change, so the last few parsed are kept:
   * reads of several transactions of one block (API, proofs, indexers) parse it once. Callers
   * must not modify the returned object.
   */
  getBlock(height: number): Block | undefined {
    const cached = this.parsedBlocks.get(height);
    if (cached) return cached;
    const bytes = this.blocks.get(height);
    if (bytes === undefined) return undefined;
    const block = parseJson(bytes) as Block;
    this.parsedBlocks.set(height, block);
    if (this.parsedBlocks.size > PARSED_BLOCK_CACHE) {
      this.parsedBlocks.delete(this.parsedBlocks.keys().next().value as number);
    }
    return block;
  }

  getCommit(height: number): CommitCertificate | undefined {
    const bytes = this.commits.get(height);
    return bytes === undefined ? undefined : (parseJson(bytes) as CommitCertificate);
  }

  getTxLocation(hash: string): { height: number; index: number } | undefined {
    const loc = this.txIndex.get(hash);
    return loc === undefined ? undefined : { height: loc[0], index: loc[1] };
  }

  getResult(height: number, index: number): StoredResult | undefined {
    const bytes = this.results.get([height, index]);
    return bytes === undefined ? undefined : (parseJson(bytes) as StoredResult);
  }

  /** Event log positions of a module, optionally within a height range (inclusive). */
  eventPositions(
    module: string,
    fromHeight = 0,
    toHeight = Number.MAX_SAFE_INTEGER,
  ): { height: number; logIndex: number; type: string }[] {
    const out: { height: number; logIndex: number; type: string }[] = [];
    for (const { key, value } of this.eventIndex.getRange({
      start: [module, fromHeight, 0],
      end: [module, toHeight + 1, 0],
    })) {
      out.push({ height: key[1], logIndex: key[2], type: value });
    }
    return out;
  }

  getState(key: string): Bytes | undefined {
    return this.state.get(key);
  }

  /** The value of `key` as it was after block `height` (undefined if absent then). */
  getStateAt(key: string, height: number): Bytes | undefined {
    for (const { value } of this.stateHistory.getRange({
      start: [key, height],
      end: [key, -1],
      reverse: true,
      limit: 1,
    })) {
      return value.length === 0 ? undefined : value;
    }
    return undefined;
  }

  /** The raw history record of `key` written at exactly `height` (empty bytes: deleted then). */
  stateHistoryAt(key: string, height: number): Bytes | undefined {
    return this.stateHistory.get([key, height]);
  }

  /** The height of the block that last wrote `key`. */
  lastWriteHeight(key: string): number | undefined {
    for (const { key: k } of this.stateHistory.getRange({
      start: [key, Number.MAX_SAFE_INTEGER],
      end: [key, -1],
      reverse: true,
      limit: 1,
    })) {
      return k[1];
    }
    return undefined;
  }

  /** Current state entries in key order; with `prefix`, only the keys starting with it. */
  *stateEntries(prefix?: string): Iterable<[string, Bytes]> {
    const range = prefix === undefined ? {} : { start: prefix };
    for (const { key, value } of this.state.getRange(range)) {
      if (prefix !== undefined && !key.startsWith(prefix)) return;
      yield [key, value];
    }
  }

  /** Stores the genesis state as height 0. */
  async commitGenesis(
    genesisHash: string,
    time: number,
    write: Pick<BlockWrite, "stateChanges" | "stateNodes" | "stateRoot">,
  ): Promise<void> {
    const head: ChainHead = {
      height: 0,
      blockHash: genesisHash,
      stateRoot: write.stateRoot,
      logSize: 0,
      time,
      commit: null,
    };
    await this.root.transaction(() => {
      this.writeState(0, write.stateChanges, write.stateNodes);
      this.meta.put("genesisHash", genesisHash);
      this.meta.put("head", head);
    });
    this.cachedHead = head;
  }

  /** Makes a block and everything derived from it durable in one LMDB transaction. */
  async commitBlock(w: BlockWrite): Promise<void> {
    const head = headOf(w);
    const expected = (this.head()?.height ?? -1) + 1;
    if (w.height !== expected) {
      throw new NodeError({
        code: "NODE_INVALID_ARGUMENT",
        message: `cannot commit height ${w.height}, expected ${expected}`,
      });
    }
    await this.root.transaction(() => {
      this.blocks.put(w.height, w.blockBytes);
      this.commits.put(w.height, canonicalBytes(w.commit));
      this.writeDerived(w);
      this.meta.put("head", head);
    });
    this.cachedHead = head;
  }

  /**
   * Writes what re-execution derives from an already-stored block (used by rebuild); the
   * block and certificate themselves are left as they are.
   */
  async writeReplayed(w: BlockWrite): Promise<void> {
    const head = headOf(w);
    await this.root.transaction(() => {
      this.writeDerived(w);
      this.meta.put("head", head);
    });
    this.cachedHead = head;
  }

  /** Drops every derived repository (state, history, Merkle nodes, indexes) for a rebuild. */
  async clearDerived(): Promise<void> {
    await this.root.transaction(() => {
      for (const db of [
        this.txIndex,
        this.results,
        this.eventIndex,
        this.state,
        this.stateHistory,
        this.stateNodeDb,
        this.logNodeDb,
      ]) {
        db.clearSync();
      }
      this.meta.remove("head");
      this.meta.remove("genesisHash");
    });
    this.cachedHead = undefined;
  }

  private writeDerived(w: BlockWrite): void {
    for (let i = 0; i < w.txHashes.length; i++) this.txIndex.put(w.txHashes[i] as string, [w.height, i]);
    w.results.forEach((result, index) => {
      this.results.put([w.height, index], w.resultBytes[index] as Bytes);
      for (const e of result.events)
        this.eventIndex.put([e.entry.module, w.height, e.logIndex], e.entry.type);
    });
    for (const e of w.blockEvents) this.eventIndex.put([e.entry.module, w.height, e.logIndex], e.entry.type);
    this.writeState(w.height, w.stateChanges, w.stateNodes);
    for (const [level, index, hash] of w.logNodes) this.logNodeDb.put([level, index], hash);
  }

  private writeState(height: number, changes: [string, Bytes | null][], nodes: Map<string, Bytes>): void {
    for (const [key, value] of changes) {
      if (value === null) this.state.remove(key);
      else this.state.put(key, value);
      this.stateHistory.put([key, height], value ?? DELETED);
    }
    for (const [hash, node] of nodes) this.stateNodeDb.put(hexToBytes(hash), node);
  }
}

function headOf(w: BlockWrite): ChainHead {
  const { height, blockHash, stateRoot, logSize, time, commit } = w;
  return { height, blockHash, stateRoot, logSize, time, commit };
}
