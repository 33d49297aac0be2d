import {
  addressOf,
  type CanonicalValue,
  type Validator,
  validatePublicKey,
  validatorSetHash,
} from "@weft/core";
import { defineMethod, defineQuery, type Module } from "../../app/module.js";
import { ValidatorsError } from "./errors.js";
import { PendingParamsSchema, SetParamsSchema, UpdateArgsSchema } from "./schema.js";
import { pendingKey, SET, sortValidators, ValidatorStore } from "./state.js";

/** The limits of core's ValidatorSchema (genesis and proof bundles carry sets in that shape). */
const MAX_POWER = 1_000_000_000;
const MAX_VALIDATORS = 1000;

const summary = (set: readonly Validator[]): CanonicalValue =>
  set.map((v) => ({ address: v.address, name: v.name, power: v.power }));

const update = defineMethod({
  description:
    "Schedule a new validator set: add (new key), re-weight or remove (power 0) validators from effectiveHeight on (default and minimum: the current height + 2). Governance only.",
  args: UpdateArgsSchema,
  execute(ctx, args) {
    if (ctx.via !== "governance") {
      throw new ValidatorsError({
        code: "VALIDATORS_GOVERNANCE_ONLY",
        message: "validators.update runs only as a decided governance proposal",
      });
    }
    const effectiveHeight = args.effectiveHeight ?? ctx.height + 2;
    // Two heights ahead: the block after this one is already being agreed by the current set.
    if (effectiveHeight < ctx.height + 2) {
      throw new ValidatorsError({
        code: "VALIDATORS_BAD_HEIGHT",
        message: `effectiveHeight ${effectiveHeight} must be at least ${ctx.height + 2}`,
        effectiveHeight,
      });
    }
    const store = new ValidatorStore(ctx.state, ctx.validators);
    const scheduled = store.scheduled();
    const later = scheduled.find((h) => h > effectiveHeight);
    if (later !== undefined) {
      // A later pending set was computed from an older base and would silently undo this one.
      throw new ValidatorsError({
        code: "VALIDATORS_LATER_CHANGE",
        message: `a validator set change is already scheduled for height ${later}`,
        scheduledHeight: later,
      });
    }
    const baseHeight = scheduled.filter((h) => h <= effectiveHeight).at(-1);
    const base = (baseHeight !== undefined ? store.pending(baseHeight) : undefined) ?? store.current();
    const next = applyChanges(base, args.changes);
    store.putPending(effectiveHeight, next);
    ctx.emit("ValidatorSetScheduled", {
      effectiveHeight,
      validatorSetHash: validatorSetHash(next),
      validators: summary(next),
      approvers: [...ctx.approvers],
    });
  },
});

/** The new full set, sorted by address; throws on a key, power, duplicate or emptiness problem. */
export function applyChanges(
  base: readonly Validator[],
  changes: readonly { name: string; publicKey: Validator["publicKey"]; power: number }[],
): Validator[] {
  const byAddress = new Map(base.map((v) => [v.address, v]));
  const seen = new Set<string>();
  for (const [i, c] of changes.entries()) {
    try {
      validatePublicKey(c.publicKey);
    } catch (e) {
      throw new ValidatorsError({
        code: "VALIDATORS_BAD_KEY",
        message: `changes[${i}].publicKey: ${(e as Error).message}`,
        index: i,
      });
    }
    if (!Number.isSafeInteger(c.power) || c.power < 0 || c.power > MAX_POWER) {
      throw new ValidatorsError({
        code: "VALIDATORS_BAD_POWER",
        message: `changes[${i}].power must be an integer from 0 (remove) to ${MAX_POWER}`,
        index: i,
      });
    }
    const address = addressOf(c.publicKey);
    if (seen.has(address)) {
      throw new ValidatorsError({
        code: "VALIDATORS_DUPLICATE",
        message: `validator ${address} appears twice in changes`,
        address,
      });
    }
    seen.add(address);
    if (c.power === 0) {
      if (!byAddress.delete(address)) {
        throw new ValidatorsError({
          code: "VALIDATORS_NOT_IN_SET",
          message: `validator ${address} is not in the set and cannot be removed`,
          address,
        });
      }
      continue;
    }
    byAddress.set(address, {
      address,
      publicKey: { alg: c.publicKey.alg, publicKey: c.publicKey.publicKey },
      power: c.power,
      name: c.name,
    });
  }
  const next = sortValidators([...byAddress.values()]);
  if (next.length === 0) {
    throw new ValidatorsError({
      code: "VALIDATORS_EMPTY_SET",
      message: "the change would leave no validator",
    });
  }
  if (next.length > MAX_VALIDATORS) {
    throw new ValidatorsError({
      code: "VALIDATORS_TOO_MANY",
      message: `the set would have ${next.length} validators; at most ${MAX_VALIDATORS}`,
    });
  }
  return next;
}

export const validatorsModule: Module = {
  name: "validators",
  methods: { update },
  queries: {
    set: defineQuery({
      description: "The validator set of the next height (null: the genesis set, no change applied yet).",
      params: SetParamsSchema,
      key: () => SET,
    }),
    pending: defineQuery({
      description: "The full validator set scheduled to take effect at a height (null if none).",
      params: PendingParamsSchema,
      key: (p) => pendingKey(p.height),
    }),
  },
  endBlock(ctx) {
    // The genesis set is never needed here: apply only reads the pending set.
    const next = new ValidatorStore(ctx.state, []).apply(ctx.height + 1);
    if (!next) return;
    ctx.emit("ValidatorSetChanged", {
      height: ctx.height + 1,
      validatorSetHash: validatorSetHash(next),
      validators: summary(next),
    });
  },
};
