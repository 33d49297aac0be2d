import { TypeCompiler } from "@sinclair/typebox/compiler";
import { addressOf, validatePublicKey } from "../crypto/keys.js";
import { parseJson } from "../encoding/canonical.js";
import { WeftError } from "../errors.js";
import { GenesisSchema } from "./schema.js";
import type { ChainParams, Genesis } from "./types.js";

export class GenesisError extends WeftError<{ code: "GENESIS_INVALID"; message: string }> {}

export const defaultChainParams: ChainParams = {
  maxBlockBytes: 8 * 1024 * 1024,
  maxBlockTxs: 10_000,
  maxTxBytes: 64 * 1024,
};

const checkGenesis = TypeCompiler.Compile(GenesisSchema);

/** Parses and checks a genesis document: shape, keys, addresses, unique validators. */
export function parseGenesis(input: string | Uint8Array | unknown): Genesis {
  let value: unknown;
  try {
    value = typeof input === "string" || input instanceof Uint8Array ? parseJson(input) : input;
  } catch (e) {
    throw new GenesisError({
      code: "GENESIS_INVALID",
      message: `genesis is not JSON: ${(e as Error).message}`,
    });
  }
  if (!checkGenesis.Check(value)) {
    const first = checkGenesis.Errors(value).First();
    throw new GenesisError({
      code: "GENESIS_INVALID",
      message: `genesis ${first ? `${first.path || "/"}: ${first.message}` : "is malformed"}`,
    });
  }
  const genesis = value as Genesis;
  const seen = new Set<string>();
  for (const v of genesis.validators) {
    try {
      validatePublicKey(v.publicKey);
    } catch (e) {
      throw new GenesisError({
        code: "GENESIS_INVALID",
        message: `validator ${v.name}: ${(e as Error).message}`,
      });
    }
    if (addressOf(v.publicKey) !== v.address) {
      throw new GenesisError({
        code: "GENESIS_INVALID",
        message: `validator ${v.name}: address does not match its key`,
      });
    }
    if (seen.has(v.address))
      throw new GenesisError({ code: "GENESIS_INVALID", message: `validator ${v.address} listed twice` });
    seen.add(v.address);
  }
  return genesis;
}
