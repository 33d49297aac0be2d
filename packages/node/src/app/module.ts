import type { Static, TSchema } from "@sinclair/typebox";
import type { CanonicalValue, ChainEvent, PublicKeyInfo, Validator } from "@weft/core";

/** A module's view of state: keys are relative to the module's namespace ("token/…"). */
export interface ModuleState {
  get(key: string): CanonicalValue | undefined;
  set(key: string, value: CanonicalValue): void;
  delete(key: string): void;
}

/** Read-only state by full key ("identity/org/acme"): what policies and resource facts may read. */
export interface StateView {
  get(key: string): CanonicalValue | undefined;
}

/** A module method call: what a transaction or a governance decision asks for. */
export interface Call {
  module: string;
  method: string;
  args: CanonicalValue;
}

/**
 * What an action touches, in domain terms, for policies to judge; the identity module maps
 * them to organisations (a GLN to the organisation that owns it, an address to its member).
 */
export interface ResourceFacts {
  /** Accounts owning what the action affects (an asset's issuer, an escrow's buyer). */
  owners?: string[];
  /** GS1 locations the action records for (SGLN/GLN EPC URIs or Digital Link URIs). */
  locations?: string[];
  /** Device ids the action speaks for (EPCIS sensorMetadata deviceID). */
  devices?: string[];
  /** Organisations the action affects directly (by registry name). */
  orgs?: string[];
}

/**
 * How a call came: a transaction's own call; a call invoked by a module while executing a
 * transaction (a decided proposal, an escrow funding its hold); or a call a module's end-of-block
 * logic makes as its own account (an escrow releasing funds when its conditions are met).
 */
export type CallVia = "tx" | "governance" | "block";

/** What an authorizer sees before a call executes; it throws a typed error to deny it. */
export interface AuthorizeContext {
  readonly chainId: string;
  readonly height: number;
  readonly time: number;
  /** The transaction's signer address. */
  readonly sender: string;
  /**
   * Who approved this call: `[sender]` for a direct transaction, the yes-voters of the
   * proposal for a call executed by governance.
   */
  readonly approvers: readonly string[];
  readonly via: CallVia;
  readonly call: Call;
  readonly facts: ResourceFacts;
  /** Values are shared with the block's cache: read them, never mutate them. */
  readonly state: StateView;
}

/** What a transaction's execution may see: no clock but block time, no randomness, no I/O. */
export interface TxContext {
  readonly chainId: string;
  readonly height: number;
  /** BFT time of the block, ms. */
  readonly time: number;
  readonly sender: string;
  /** null for a call a module makes at the end of a block (no transaction, no signer). */
  readonly signer: PublicKeyInfo | null;
  /** The transaction's hash; "" for a call a module makes at the end of a block. */
  readonly txHash: string;
  /** The chain's validator set (the genesis set: it does not change yet). */
  readonly validators: readonly Validator[];
  readonly state: ModuleState;
  /** `[sender]` for a direct transaction; the yes-voters when governance executes the call. */
  readonly approvers: readonly string[];
  /**
   * "governance" when a decided proposal (or another module, inside a transaction) runs the
   * call; "block" when a module's end-of-block logic does. Some methods allow only one way.
   */
  readonly via: CallVia;
  /** Read-only view of every module's state, by full key. */
  readonly view: StateView;
  emit(type: string, attributes: { [key: string]: CanonicalValue }): void;
  /**
   * Runs other modules' methods on behalf of `approvers` (each authorized against them), with
   * `sender` = this module's account (`moduleAccount(module)`), in one
   * nested layer, all or nothing: on failure their writes and events are discarded and the
   * first error is thrown.
   */
  invoke(calls: readonly Call[], approvers: readonly string[]): void;
}

/** An event of one of the block's successful transactions, with where it sits in the log. */
export interface BlockTxEvent {
  readonly txHash: string;
  readonly txIndex: number;
  /** The transaction's signer. */
  readonly sender: string;
  /** The event's position in the chain log (its inclusion proof's leaf). */
  readonly logIndex: number;
  readonly event: ChainEvent;
}

export interface BlockContext {
  readonly chainId: string;
  readonly height: number;
  readonly time: number;
  readonly state: ModuleState;
  /** Read-only view of every module's state, by full key. */
  readonly view: StateView;
  /** Every event the block's successful transactions emitted, in block order. */
  readonly txEvents: readonly BlockTxEvent[];
  emit(type: string, attributes: { [key: string]: CanonicalValue }): void;
  /**
   * Runs other modules' methods as this module's own account (`moduleAccount(module)`), with
   * `via: "block"`, in one layer, all or nothing: on failure their writes and events are
   * discarded and the first error is thrown. Policies do not judge these calls (they are the
   * module's on-chain rules, agreed when the module's own transactions were authorized); the
   * called method still checks its own rules (a hold's controller, balances).
   */
  invoke(calls: readonly Call[]): void;
}

export interface GenesisContext {
  readonly chainId: string;
  readonly state: ModuleState;
}

export interface MethodDefinition {
  readonly args: TSchema;
  readonly description: string;
  /**
   * Checks that need no chain state (parsing, validating a document), run at admission so a
   * transaction that can never succeed does not enter the mempool. Must be a pure function of
   * the arguments; a module may cache its work for `execute`, which still runs every check.
   */
  precheck?(args: unknown): void;
  /** What the call touches, for policies; absent means no facts beyond the sender. Read-only: never mutate what `state` returns. */
  resource?(state: StateView, args: unknown, sender: string): ResourceFacts;
  /** Throws a WeftError to fail the transaction; nothing it wrote is kept then. */
  execute(ctx: TxContext, args: unknown): void;
}

export interface QueryDefinition {
  readonly params: TSchema;
  readonly description: string;
  /** The module-relative state key holding the answer; the API proves that key. */
  key(params: unknown): string;
  /** Value to report when the key is absent (e.g. "0" for a balance). */
  readonly absent?: CanonicalValue;
}

/** One shape for every module: token now; identity, governance, trace, escrow… later. */
export interface Module {
  readonly name: string;
  readonly methods: Readonly<Record<string, MethodDefinition>>;
  readonly queries: Readonly<Record<string, QueryDefinition>>;
  readonly genesisSchema?: TSchema;
  initGenesis?(ctx: GenesisContext, appState: unknown): void;
  /** Runs after the block's transactions, in module registration order. */
  endBlock?(ctx: BlockContext): void;
  /** A module that judges every call (identity: policies as data) throws a typed error to deny. */
  authorize?(ctx: AuthorizeContext): void;
}

/** Keeps the args type of a method tied to its schema without `any` in the module table. */
export function defineMethod<S extends TSchema>(def: {
  args: S;
  description: string;
  precheck?(args: Static<S>): void;
  resource?(state: StateView, args: Static<S>, sender: string): ResourceFacts;
  execute(ctx: TxContext, args: Static<S>): void;
}): MethodDefinition {
  return def as MethodDefinition;
}

export function defineQuery<S extends TSchema>(def: {
  params: S;
  description: string;
  key(params: Static<S>): string;
  absent?: CanonicalValue;
}): QueryDefinition {
  return def as QueryDefinition;
}
