import {
  addressOf,
  KEY_ALGORITHMS,
  type KeyAlgorithm,
  type KeyPair,
  keyPairFromSecret,
  parseJson,
} from "@weft/core";
import { SdkError } from "./errors.js";

export const KEY_FILE_TYPE = "weft-key/v1";

/** A key file's content: a KeyPair (usable as a signer as is) plus what identifies it. */
export interface KeyFile extends KeyPair {
  type: typeof KEY_FILE_TYPE;
  address: string;
}

export function toKeyFile(key: KeyPair): KeyFile {
  const derived = keyPairFromSecret(key.alg, key.secretKey);
  if (derived.publicKey !== key.publicKey) {
    throw new SdkError({ code: "SDK_KEYFILE_MISMATCH", message: "publicKey does not belong to secretKey" });
  }
  return {
    type: KEY_FILE_TYPE,
    alg: key.alg,
    publicKey: key.publicKey,
    secretKey: key.secretKey,
    address: addressOf(key),
  };
}

export function formatKeyFile(key: KeyPair): string {
  return `${JSON.stringify(toKeyFile(key), null, 2)}\n`;
}

/**
 * Parses and checks a key file: the shape, and that the public key and address are the ones
 * the secret derives (a hand-edited or swapped field would otherwise sign as someone else).
 */
export function parseKeyFile(text: string, source = "key file"): KeyFile {
  let value: unknown;
  try {
    value = parseJson(text);
  } catch (e) {
    throw invalid(source, (e as Error).message);
  }
  if (value === null || typeof value !== "object" || Array.isArray(value))
    throw invalid(source, "not a JSON object");
  const v = value as Record<string, unknown>;
  if (v.type !== KEY_FILE_TYPE) throw invalid(source, `type must be "${KEY_FILE_TYPE}"`);
  if (!KEY_ALGORITHMS.includes(v.alg as KeyAlgorithm))
    throw invalid(source, `alg must be one of ${KEY_ALGORITHMS.join(", ")}`);
  for (const field of ["publicKey", "secretKey", "address"]) {
    if (typeof v[field] !== "string") throw invalid(source, `${field} must be a string`);
  }
  if (!/^[0-9a-f]{64}$/.test(v.secretKey as string))
    throw invalid(source, "secretKey must be 32 bytes of lowercase hex");
  const key = keyPairFromSecret(v.alg as KeyAlgorithm, v.secretKey as string);
  if (key.publicKey !== v.publicKey) {
    throw new SdkError({
      code: "SDK_KEYFILE_MISMATCH",
      message: `${source}: publicKey does not belong to secretKey`,
      source,
    });
  }
  if (addressOf(key) !== v.address) {
    throw new SdkError({
      code: "SDK_KEYFILE_MISMATCH",
      message: `${source}: address does not belong to the key`,
      source,
    });
  }
  return { type: KEY_FILE_TYPE, ...key, address: v.address as string };
}

function invalid(source: string, reason: string): SdkError {
  return new SdkError({ code: "SDK_KEYFILE_INVALID", message: `${source}: ${reason}`, source });
}
