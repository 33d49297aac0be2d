import { assertCanonicalValue, type Genesis, parseJson } from "@weft/core";
import { SdkError } from "./errors.js";

/**
 * Parses a genesis document for use as a trust anchor. Only the fields verification reads are
 * checked in depth; anything that would make hashing it fail is refused here with a typed error.
 */
export function parseGenesis(text: string): Genesis {
  let value: unknown;
  try {
    value = parseJson(text);
  } catch (e) {
    throw new SdkError({
      code: "SDK_INVALID_JSON",
      message: `genesis: ${(e as Error).message}`,
      input: "genesis",
    });
  }
  const problem = genesisProblem(value);
  if (problem) throw new SdkError({ code: "SDK_INVALID_GENESIS", message: `genesis: ${problem}` });
  return value as Genesis;
}

function genesisProblem(g: unknown): string | undefined {
  if (!isObject(g)) return "not an object";
  if (typeof g.chainId !== "string") return "chainId must be a string";
  if (!isCount(g.genesisTime)) return "genesisTime must be a non-negative integer";
  if (!Array.isArray(g.validators) || g.validators.length === 0)
    return "validators must be a non-empty array";
  for (const [i, v] of g.validators.entries()) {
    const ok =
      isObject(v) &&
      typeof v.address === "string" &&
      typeof v.name === "string" &&
      isCount(v.power) &&
      isObject(v.publicKey) &&
      typeof v.publicKey.alg === "string" &&
      typeof v.publicKey.publicKey === "string";
    if (!ok) return `validators[${i}] must have address, publicKey {alg, publicKey}, power and name`;
  }
  if (!isObject(g.params)) return "params must be an object";
  if (!isObject(g.appState)) return "appState must be an object";
  try {
    assertCanonicalValue(g);
  } catch (e) {
    return (e as Error).message;
  }
  return undefined;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === "object" && !Array.isArray(v);
}

function isCount(v: unknown): v is number {
  return typeof v === "number" && Number.isSafeInteger(v) && v >= 0;
}
