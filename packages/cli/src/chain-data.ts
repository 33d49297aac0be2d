import { existsSync } from "node:fs";
import { ChainStore } from "@weft/node";
import { dataDirOf } from "./config.js";
import type { CliContext } from "./context.js";
import { CliError } from "./errors.js";

/** Opens the home's LMDB data directly (no node needed), runs `use`, and closes it. */
export async function withChainStore<T>(ctx: CliContext, use: (store: ChainStore) => Promise<T>): Promise<T> {
  const config = ctx.config();
  const dataDir = dataDirOf(ctx.home, config);
  const missing = () =>
    new CliError({
      code: "CLI_NO_CHAIN_DATA",
      message: `no chain data in ${dataDir} (the node creates it on its first \`weft start\`)`,
      exitCode: 1,
    });
  // ChainStore.open would create an empty store; checking first keeps a typo from leaving one behind.
  if (!existsSync(dataDir)) throw missing();
  const store = ChainStore.open({ ...config.storage, dataDir });
  try {
    if (store.genesisHash() === undefined) throw missing();
    return await use(store);
  } finally {
    await store.close();
  }
}

/** "height 4: txs: msg" → "msg": the report names height and field on its own. */
export function failureReason(failure: { height: number | null; field: string; message: string }): string {
  const prefix = `${failure.height === null ? "" : `height ${failure.height}: `}${failure.field}: `;
  return failure.message.startsWith(prefix) ? failure.message.slice(prefix.length) : failure.message;
}

export function renderFailure(
  what: string,
  failure: { height: number | null; field: string; message: string },
): string {
  const at = failure.height === null ? "" : ` at height ${failure.height},`;
  return `${what} FAILED${at} field ${failure.field}: ${failureReason(failure)}`;
}
