import { MerkleError } from "./errors.js";

export const LOG_HASH_SIZE = 32;

/** Sizes stay below 2^53 so plain number arithmetic (not 32-bit bit operators) is exact. */
export function checkSize(size: number, what: string): void {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new MerkleError({
      code: "MERKLE_LOG_INVALID_SIZE",
      message: `${what} ${size} is not a non-negative safe integer`,
    });
  }
}

export function checkIndex(index: number, size: number): void {
  if (!Number.isSafeInteger(index) || index < 0 || index >= size) {
    throw new MerkleError({
      code: "MERKLE_LOG_INDEX_OUT_OF_RANGE",
      message: `leaf index ${index} is outside a tree of size ${size}`,
    });
  }
}

export function checkHash(hash: Uint8Array, what: string): void {
  if (!(hash instanceof Uint8Array) || hash.length !== LOG_HASH_SIZE) {
    throw new MerkleError({
      code: "MERKLE_LOG_INVALID_HASH",
      message: `${what} is not ${LOG_HASH_SIZE} bytes`,
    });
  }
}
