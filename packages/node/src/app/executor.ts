import {
  addressOf,
  appendLeaf,
  type Block,
  type BlockHeader,
  blockHash,
  bytesToHex,
  type CanonicalValue,
  type ChainEvent,
  type CommitCertificate,
  canonicalString,
  commitHash,
  type DecodedTx,
  type Genesis,
  hexToBytes,
  type LogNodeStore,
  leafHash,
  logRoot,
  rootFromLeafHashes,
  type StateNodeStore,
  type TxReceipt,
  updateStateTree,
  utf8,
  type Validator,
  validatorSetHash,
  WeftError,
  ZERO_HASH,
} from "@weft/core";
import { validatorSetFor } from "../modules/validators/state.js";
import type { BlockWrite, StoredResult } from "../storage/types.js";
import { BlockState, type StateReader } from "./block-state.js";
import type { BlockTxEvent, Call, CallVia, MethodDefinition, StateView, TxContext } from "./module.js";
import { moduleAccount } from "./module-account.js";
import type { ModuleRegistry } from "./registry.js";

export interface ExecutionBase extends StateReader {
  readonly stateNodes: StateNodeStore;
  readonly logNodes: LogNodeStore;
}

export interface BlockInput {
  height: number;
  time: number;
  proposer: string;
  previousBlockHash: string;
  lastCommit: CommitCertificate | null;
  stateRoot: string;
  logSize: number;
}

export interface ExecutedBlock {
  block: Block;
  hash: string;
  /** canonicalBytes(block), assembled from already-encoded parts. */
  blockBytes: Uint8Array;
  write: Omit<BlockWrite, "commit" | "blockBytes" | "blockHash">;
  /** Transactions left out of the block (proposing only), with the reason. */
  dropped: { hash: string; error: WeftError }[];
}

export const sequenceKey = (address: string) => `auth/sequence/${address}`;

/** Log writes buffered until the block commits; reads fall through to committed nodes. */
class PendingLog implements LogNodeStore {
  readonly written: [number, number, Uint8Array][] = [];
  private readonly pending = new Map<string, Uint8Array>();
  constructor(private readonly base: LogNodeStore) {}
  getNode(level: number, index: number): Uint8Array | undefined {
    return this.pending.get(`${level}:${index}`) ?? this.base.getNode(level, index);
  }
  putNode(level: number, index: number, hash: Uint8Array): void {
    this.pending.set(`${level}:${index}`, hash);
    this.written.push([level, index, hash]);
  }
}

class SkipTx extends WeftError<{
  code: "TX_EXPIRED" | "TX_SEQUENCE_TOO_LOW" | "TX_SEQUENCE_TOO_HIGH" | "TX_WRONG_CHAIN";
  message: string;
}> {}

/**
 * Executes transactions deterministically into a block. With `mode: "propose"` a transaction
 * that can no longer be included (expired, stale sequence) is dropped; with "replay" (a block
 * someone else made, audit, rebuild) any such transaction makes the block invalid.
 */
export function executeBlock(
  genesis: Genesis,
  registry: ModuleRegistry,
  base: ExecutionBase,
  input: BlockInput,
  txs: readonly DecodedTx[],
  mode: "propose" | "replay",
): ExecutedBlock {
  const { chainId } = genesis;
  // The set of this height: what the state after the previous block says (validators/set).
  const validators = validatorSetFor((key) => base.getState(key), genesis);
  const state = new BlockState(base);
  const log = new PendingLog(base.logNodes);
  let logSize = input.logSize;
  // Each entry is encoded once: for its log leaf and, reused, for the stored result.
  const append = (entry: TxReceipt | ChainEvent): { index: number; text: string } => {
    const index = logSize;
    const text = canonicalString(entry);
    logSize = appendLeaf(log, logSize, leafHash(utf8(text)));
    return { index, text };
  };
  const included: DecodedTx[] = [];
  const results: StoredResult[] = [];
  const resultBytes: Uint8Array[] = [];
  const dropped: ExecutedBlock["dropped"] = [];
  const txEvents: BlockTxEvent[] = [];

  for (const decoded of txs) {
    const { tx, hash } = decoded;
    const sender = addressOf(tx.body.signer);
    try {
      checkInclusion(state, chainId, input.height, tx.body, sender);
    } catch (e) {
      if (mode === "replay" || !(e instanceof SkipTx)) throw e;
      dropped.push({ hash, error: e });
      continue;
    }
    const index = included.length;
    included.push(decoded);
    state.set(sequenceKey(sender), tx.body.sequence + 1);
    const events: ChainEvent[] = [];
    let error: { code: string; message: string } | undefined;
    state.beginTx();
    try {
      const emitFor = (module: string) => (type: string, attributes: { [key: string]: CanonicalValue }) =>
        events.push(event(chainId, input.height, index, events.length, module, type, attributes));
      const { module, method, args } = tx.body;
      runCall(
        { chainId, height: input.height, time: input.time, sender, signer: tx.body.signer, txHash: hash },
        {
          registry,
          state,
          validators,
          emitFor,
          eventCount: () => events.length,
          dropEvents: (from) => {
            events.length = from;
          },
        },
        { module, method, args },
        [sender],
        "tx",
        0,
      );
      state.commitTx();
    } catch (e) {
      state.rollbackTx();
      events.length = 0;
      // Only typed errors carry a deterministic reason; anything else is a module bug.
      error =
        e instanceof WeftError
          ? { code: e.code, message: e.message }
          : { code: "APP_PANIC", message: "module failed unexpectedly" };
    }
    const receipt: TxReceipt = {
      kind: "receipt",
      chainId,
      height: input.height,
      index,
      txHash: hash,
      status: error ? "failed" : "ok",
      ...(error ? { error } : {}),
      eventCount: events.length,
    };
    const logged = append(receipt);
    const loggedEvents = events.map((entry) => ({ entry, ...append(entry) }));
    for (const e of loggedEvents)
      txEvents.push({ txHash: hash, txIndex: index, sender, logIndex: e.index, event: e.entry });
    results.push({
      receipt,
      logIndex: logged.index,
      events: loggedEvents.map((e) => ({ entry: e.entry, logIndex: e.index })),
    });
    // canonical({events, logIndex, receipt}), keys in sorted order, from the texts just made.
    const eventsText = loggedEvents.map((e) => `{"entry":${e.text},"logIndex":${e.index}}`).join(",");
    resultBytes.push(utf8(`{"events":[${eventsText}],"logIndex":${logged.index},"receipt":${logged.text}}`));
  }

  const blockEvents: ChainEvent[] = [];
  const blockEnv: CallEnv = {
    registry,
    state,
    validators,
    emitFor: (module) => (type, attributes) =>
      blockEvents.push(event(chainId, input.height, null, blockEvents.length, module, type, attributes)),
    eventCount: () => blockEvents.length,
    dropEvents: (from) => {
      blockEvents.length = from;
    },
  };
  for (const m of registry.modules) {
    if (!m.endBlock) continue;
    const account = moduleAccount(m.name);
    const origin: CallOrigin = {
      chainId,
      height: input.height,
      time: input.time,
      sender: account,
      signer: null,
      txHash: "",
    };
    m.endBlock({
      chainId,
      height: input.height,
      time: input.time,
      state: state.scoped(m.name),
      view: { get: (key) => state.get(key) },
      txEvents,
      emit: blockEnv.emitFor(m.name),
      invoke: (calls) => invokeCalls(origin, blockEnv, calls, [account], "block", 0),
    });
  }
  const loggedBlockEvents = blockEvents.map((entry) => ({ entry, logIndex: append(entry).index }));

  const stateChanges = state.changes();
  const tree = updateStateTree(
    base.stateNodes,
    hexToBytes(input.stateRoot, 32),
    stateChanges.map(([key, value]) => ({ key: utf8(key), value })),
  );
  const txHashes = included.map((d) => d.hash);
  const header: BlockHeader = {
    version: 1,
    chainId,
    height: input.height,
    time: input.time,
    previousBlockHash: input.previousBlockHash,
    lastCommitHash: input.lastCommit ? commitHash(input.lastCommit) : ZERO_HASH,
    proposer: input.proposer,
    validatorSetHash: validatorSetHash(validators),
    txRoot: bytesToHex(rootFromLeafHashes(txHashes.map((h) => leafHash(hexToBytes(h, 32))))),
    txCount: included.length,
    stateRoot: bytesToHex(tree.root),
    logRoot: bytesToHex(logRoot(log, logSize)),
    logSize,
  };
  const block: Block = { header, txs: included.map((d) => d.tx), lastCommit: input.lastCommit };
  // canonical(block) with sorted keys (header, lastCommit, txs), reusing each transaction's encoding.
  const blockBytes = utf8(
    `{"header":${canonicalString(header)},"lastCommit":${canonicalString(input.lastCommit)},"txs":[${included.map((d) => d.canonical).join(",")}]}`,
  );
  return {
    block,
    hash: blockHash(header),
    blockBytes,
    dropped,
    write: {
      resultBytes,
      height: input.height,
      time: input.time,
      stateRoot: header.stateRoot,
      logSize,
      txHashes,
      results,
      blockEvents: loggedBlockEvents,
      stateChanges,
      stateNodes: tree.newNodes,
      logNodes: log.written,
    },
  };
}

interface CallOrigin {
  chainId: string;
  height: number;
  time: number;
  sender: string;
  signer: DecodedTx["tx"]["body"]["signer"] | null;
  txHash: string;
}

interface CallEnv {
  registry: ModuleRegistry;
  state: BlockState;
  validators: readonly Validator[];
  emitFor(module: string): TxContext["emit"];
  eventCount(): number;
  dropEvents(from: number): void;
}

/** Governance may execute a call that itself invokes one more level; deeper nesting is refused. */
const MAX_CALL_DEPTH = 2;

class CallDepthError extends WeftError<{ code: "APP_CALL_DEPTH"; message: string }> {}

/**
 * Resolves, authorizes and executes one call: every authorizer module (identity) judges it
 * against its approvers and resource facts before the method runs.
 */
function runCall(
  origin: CallOrigin,
  env: CallEnv,
  call: Call,
  approvers: readonly string[],
  via: CallVia,
  depth: number,
): void {
  executeCall(origin, env, authorizeCall(origin, env, call, approvers, via), call, approvers, via, depth);
}

function authorizeCall(
  origin: CallOrigin,
  env: CallEnv,
  call: Call,
  approvers: readonly string[],
  via: CallVia,
): MethodDefinition {
  const { registry, state } = env;
  const method = registry.method(call.module, call.method, call.args);
  // Authorizers and resource facts only read: they get the values uncopied.
  const view: StateView = { get: (key) => state.peek(key) };
  const facts = method.resource?.(view, call.args, origin.sender) ?? {};
  for (const authorizer of registry.authorizers) {
    authorizer.authorize?.({
      chainId: origin.chainId,
      height: origin.height,
      time: origin.time,
      sender: origin.sender,
      approvers,
      via,
      call,
      facts,
      state: view,
    });
  }
  return method;
}

function executeCall(
  origin: CallOrigin,
  env: CallEnv,
  method: MethodDefinition,
  call: Call,
  approvers: readonly string[],
  via: CallVia,
  depth: number,
): void {
  const { state } = env;
  method.execute(
    {
      ...origin,
      validators: env.validators,
      state: state.scoped(call.module),
      approvers,
      via,
      view: { get: (key) => state.get(key) },
      emit: env.emitFor(call.module),
      invoke: (calls, nestedApprovers) =>
        // The nested calls act as the invoking module's account, not as the transaction's signer.
        invokeCalls(
          { ...origin, sender: moduleAccount(call.module) },
          env,
          calls,
          nestedApprovers,
          "governance",
          depth + 1,
        ),
    },
    call.args,
  );
}

/** Runs a batch of calls in one layer, all or nothing; the first error is thrown. */
function invokeCalls(
  origin: CallOrigin,
  env: CallEnv,
  calls: readonly Call[],
  approvers: readonly string[],
  via: CallVia,
  depth: number,
): void {
  if (depth >= MAX_CALL_DEPTH)
    throw new CallDepthError({ code: "APP_CALL_DEPTH", message: "calls nest too deeply" });
  const { state } = env;
  const firstEvent = env.eventCount();
  state.beginTx();
  try {
    // Every call of a batch is judged against the state before any of them runs: a
    // proposal adding an organisation is decided by the organisations that voted on it.
    const methods = calls.map((c) => authorizeCall(origin, env, c, approvers, via));
    for (const [i, c] of calls.entries()) {
      executeCall(origin, env, methods[i] as MethodDefinition, c, approvers, via, depth);
    }
    state.commitTx();
  } catch (e) {
    state.rollbackTx();
    env.dropEvents(firstEvent);
    throw e;
  }
}

function checkInclusion(
  state: BlockState,
  chainId: string,
  height: number,
  body: DecodedTx["tx"]["body"],
  sender: string,
): void {
  if (body.chainId !== chainId)
    throw new SkipTx({ code: "TX_WRONG_CHAIN", message: `transaction is for chain ${body.chainId}` });
  if (body.expiresAt < height) {
    throw new SkipTx({ code: "TX_EXPIRED", message: `transaction expired at height ${body.expiresAt}` });
  }
  const expected = (state.get(sequenceKey(sender)) as number | undefined) ?? 0;
  if (body.sequence < expected) {
    throw new SkipTx({
      code: "TX_SEQUENCE_TOO_LOW",
      message: `sequence ${body.sequence} already used; next is ${expected}`,
    });
  }
  if (body.sequence > expected) {
    throw new SkipTx({
      code: "TX_SEQUENCE_TOO_HIGH",
      message: `sequence ${body.sequence} is ahead of ${expected}`,
    });
  }
}

function event(
  chainId: string,
  height: number,
  txIndex: number | null,
  index: number,
  module: string,
  type: string,
  attributes: { [key: string]: CanonicalValue },
): ChainEvent {
  return { kind: "event", chainId, height, txIndex, index, module, type, attributes };
}
