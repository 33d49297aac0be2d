import type { CanonicalValue, SignedVote, VoteKind } from "@weft/core";
import type { ModuleState } from "../../app/module.js";

/** One proven double sign, the same whichever order its votes were submitted in. */
export interface DoubleSignRecord {
  validator: string;
  height: number;
  round: number;
  type: VoteKind;
  /** Sorted by blockHash, nil first. */
  votes: [SignedVote, SignedVote];
  reportedBy: string;
  /** Height of the block that recorded it. */
  reportedAt: number;
}

/** Where a validator's offences are, in (height, round, type) order. */
export interface DoubleSignRef {
  height: number;
  round: number;
  type: VoteKind;
}

export const recordKey = (
  validator: string,
  height: number | string,
  round: number | string,
  type: VoteKind,
) => `${validator}/${height}/${round}/${type}`;
/** Addresses are hex, so "index/…" never collides with a record key. */
export const indexKey = (validator: string) => `index/${validator}`;

/** Typed accessors over the evidence namespace. */
export class EvidenceStore {
  constructor(private readonly state: ModuleState) {}

  has(ref: DoubleSignRef & { validator: string }): boolean {
    return this.state.get(recordKey(ref.validator, ref.height, ref.round, ref.type)) !== undefined;
  }

  put(record: DoubleSignRecord): void {
    const { validator, height, round, type } = record;
    this.state.set(recordKey(validator, height, round, type), record as unknown as CanonicalValue);
    const refs = (this.state.get(indexKey(validator)) as DoubleSignRef[] | undefined) ?? [];
    const next = [...refs, { height, round, type }].sort(compareRefs);
    this.state.set(indexKey(validator), next as unknown as CanonicalValue);
  }
}

function compareRefs(a: DoubleSignRef, b: DoubleSignRef): number {
  return a.height - b.height || a.round - b.round || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0);
}
