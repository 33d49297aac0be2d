import { type CanonicalValue, type Genesis, parseJson, type Validator } from "@weft/core";
import type { ModuleState } from "../../app/module.js";

/** Module-relative keys. `set` holds the set of the NEXT height: state after block h has set(h+1). */
export const SET = "set";
/** Effective heights of every change applied so far, ascending (for proof bundles). */
export const CHANGES = "changes";
export const pendingKey = (height: number | string) => `pending/${String(height).padStart(12, "0")}`;
/** Effective heights of the pending sets, ascending (a module state has no key scan). */
export const SCHEDULED = "scheduled";

/** Full state key of the set, for node code that reads state outside a module. */
export const VALIDATOR_SET_KEY = `validators/${SET}`;
export const VALIDATOR_CHANGES_KEY = `validators/${CHANGES}`;

type Getter = (key: string) => Uint8Array | CanonicalValue | undefined;

function read(get: Getter, key: string): CanonicalValue | undefined {
  const raw = get(key);
  return raw instanceof Uint8Array ? (parseJson(raw) as CanonicalValue) : raw;
}

/**
 * The validator set that state (read by full key, as stored bytes or values) says signs the
 * next block: `validators/set`, or the genesis set while no change was ever applied.
 */
export function validatorSetFor(get: Getter, genesis: Genesis): readonly Validator[] {
  const set = read(get, VALIDATOR_SET_KEY);
  return set === undefined ? genesis.validators : (set as unknown as Validator[]);
}

/** Effective heights of the changes applied in this state (ascending). */
export function validatorChangesIn(get: Getter): number[] {
  return (read(get, VALIDATOR_CHANGES_KEY) as number[] | undefined) ?? [];
}

/** Sorted by address: the order validatorSetHash uses, so equal sets are stored identically. */
export function sortValidators(set: readonly Validator[]): Validator[] {
  return [...set].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
}

/** Typed accessors over the module namespace. */
export class ValidatorStore {
  constructor(
    private readonly state: ModuleState,
    /** The set in force when no change was applied yet (the genesis set). */
    private readonly initial: readonly Validator[],
  ) {}

  /** The set of the next height (what this block's state says so far). */
  current(): readonly Validator[] {
    return (this.state.get(SET) as unknown as Validator[] | undefined) ?? this.initial;
  }

  pending(height: number): Validator[] | undefined {
    return this.state.get(pendingKey(height)) as unknown as Validator[] | undefined;
  }

  /** Effective heights of the pending sets, ascending. */
  scheduled(): number[] {
    return (this.state.get(SCHEDULED) as number[] | undefined) ?? [];
  }

  putPending(height: number, set: readonly Validator[]): void {
    this.state.set(pendingKey(height), set as unknown as CanonicalValue);
    const heights = new Set([...this.scheduled(), height]);
    this.state.set(
      SCHEDULED,
      [...heights].sort((a, b) => a - b),
    );
  }

  /** Makes the pending set of `height` the set and records the change height. */
  apply(height: number): Validator[] | undefined {
    const next = this.pending(height);
    if (!next) return undefined;
    this.state.delete(pendingKey(height));
    const rest = this.scheduled().filter((h) => h !== height);
    if (rest.length === 0) this.state.delete(SCHEDULED);
    else this.state.set(SCHEDULED, rest);
    this.state.set(SET, next as unknown as CanonicalValue);
    const changes = (this.state.get(CHANGES) as number[] | undefined) ?? [];
    this.state.set(CHANGES, [...changes, height]);
    return next;
  }
}
