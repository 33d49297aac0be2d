import { GovError } from "./errors.js";
import type { ChainParamsOnChain } from "./state.js";

/** Bounds a chain can run with; the block limits match core's genesis params schema. */
const LIMITS = {
  maxBlockBytes: [1024, 256 * 1024 * 1024],
  maxBlockTxs: [1, 1_000_000],
  maxTxBytes: [256, 16 * 1024 * 1024],
  timeoutProposeMs: [100, 60_000],
  timeoutVoteMs: [100, 60_000],
  timeoutDeltaMs: [100, 60_000],
} as const satisfies Record<keyof ChainParamsOnChain, readonly [number, number]>;

/** Throws GOV_BAD_PARAMS unless every parameter is in bounds and a transaction fits a block. */
export function checkParams(params: ChainParamsOnChain): void {
  for (const [name, [min, max]] of Object.entries(LIMITS)) {
    const value = params[name as keyof ChainParamsOnChain];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value < min || value > max) {
      throw new GovError({
        code: "GOV_BAD_PARAMS",
        message: `${name} must be an integer from ${min} to ${max}, not ${value}`,
        param: name,
      });
    }
  }
  if (params.maxTxBytes > params.maxBlockBytes) {
    throw new GovError({
      code: "GOV_BAD_PARAMS",
      message: `maxTxBytes (${params.maxTxBytes}) must not exceed maxBlockBytes (${params.maxBlockBytes})`,
      param: "maxTxBytes",
    });
  }
}
