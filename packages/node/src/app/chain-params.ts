import { type CanonicalValue, type ChainParams, type Genesis, parseJson } from "@weft/core";

/** Full state key of the parameters governance sets (`gov.setParams`); absent = genesis params. */
export const GOV_PARAMS_KEY = "gov/params";

/** What `gov/params` holds: block limits, and consensus timeouts that override node options. */
export interface ChainParamsOnChain extends ChainParams {
  timeoutProposeMs?: number;
  timeoutVoteMs?: number;
  timeoutDeltaMs?: number;
}

type Getter = (key: string) => Uint8Array | CanonicalValue | undefined;

/**
 * The chain parameters a state says apply to the next block: `gov/params` over the genesis
 * params. Values that are not positive safe integers are ignored (the gov module checks them;
 * this reader must never make a block unbuildable).
 */
export function chainParamsFor(get: Getter, genesis: Genesis): ChainParamsOnChain {
  const raw = get(GOV_PARAMS_KEY);
  const stored = (raw instanceof Uint8Array ? parseJson(raw) : raw) as Record<string, unknown> | undefined;
  const params: ChainParamsOnChain = { ...genesis.params };
  if (!stored || typeof stored !== "object") return params;
  for (const field of [
    "maxBlockBytes",
    "maxBlockTxs",
    "maxTxBytes",
    "timeoutProposeMs",
    "timeoutVoteMs",
    "timeoutDeltaMs",
  ] as const) {
    const value = stored[field];
    if (typeof value === "number" && Number.isSafeInteger(value) && value > 0) params[field] = value;
  }
  return params;
}
