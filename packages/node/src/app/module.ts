import type { Static, TSchema } from "@sinclair/typebox";
import type { CanonicalValue, PublicKeyInfo, Validator } from "@weft/core";

/** A module's view of state: keys are relative to the module's namespace ("token/…"). */
export interface ModuleState {
  get(key: string): CanonicalValue | undefined;
  set(key: string, value: CanonicalValue): void;
  delete(key: string): void;
}

/** What a transaction's execution may see: no clock but block time, no randomness, no I/O. */
export interface TxContext {
  readonly chainId: string;
  readonly height: number;
  /** BFT time of the block, ms. */
  readonly time: number;
  readonly sender: string;
  readonly signer: PublicKeyInfo;
  readonly txHash: string;
  /** The chain's validator set (the genesis set: it does not change yet). */
  readonly validators: readonly Validator[];
  readonly state: ModuleState;
  emit(type: string, attributes: { [key: string]: CanonicalValue }): void;
}

export interface BlockContext {
  readonly chainId: string;
  readonly height: number;
  readonly time: number;
  readonly state: ModuleState;
  emit(type: string, attributes: { [key: string]: CanonicalValue }): void;
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
}

/** Keeps the args type of a method tied to its schema without `any` in the module table. */
export function defineMethod<S extends TSchema>(def: {
  args: S;
  description: string;
  precheck?(args: Static<S>): void;
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
