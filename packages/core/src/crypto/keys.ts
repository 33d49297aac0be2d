import { ed25519 } from "@noble/curves/ed25519.js";
import { p256 } from "@noble/curves/nist.js";
import { backend } from "#crypto-backend";
import { bytesEqual, bytesToHex, hexToBytes } from "../encoding/bytes.js";
import { CryptoError } from "../errors.js";

export type KeyAlgorithm = "ed25519" | "p256";
export const KEY_ALGORITHMS: readonly KeyAlgorithm[] = ["ed25519", "p256"];

/** A public key as it travels in transactions and genesis files: algorithm plus lowercase hex. */
export interface PublicKeyInfo {
  alg: KeyAlgorithm;
  /** ed25519: 32 bytes; p256: 33-byte SEC1 compressed point (the only canonical form). */
  publicKey: string;
}

export interface KeyPair extends PublicKeyInfo {
  /** ed25519: 32-byte seed; p256: 32-byte scalar. */
  secretKey: string;
}

const PUBLIC_KEY_LENGTH: Record<KeyAlgorithm, number> = { ed25519: 32, p256: 33 };
const SIGNATURE_LENGTH = 64;

// Validation involves point decompression; remember keys already accepted.
const validKeys = new Set<string>();

function assertAlgorithm(alg: unknown): asserts alg is KeyAlgorithm {
  if (alg !== "ed25519" && alg !== "p256") {
    throw new CryptoError({
      code: "CRYPTO_UNKNOWN_ALGORITHM",
      message: `unknown key algorithm ${String(alg)}`,
    });
  }
}

/**
 * Rejects keys that would let one identity have several spellings or sign for everybody:
 * off-curve points, non-canonical encodings (Ed25519 y >= p, P-256 uncompressed), and
 * Ed25519 points of small order.
 */
export function validatePublicKey(info: PublicKeyInfo): Uint8Array {
  assertAlgorithm(info.alg);
  const id = `${info.alg}:${info.publicKey}`;
  let bytes: Uint8Array;
  try {
    bytes = hexToBytes(info.publicKey, PUBLIC_KEY_LENGTH[info.alg]);
  } catch {
    throw new CryptoError({
      code: "CRYPTO_INVALID_PUBLIC_KEY",
      message: `${info.alg} public key must be ${PUBLIC_KEY_LENGTH[info.alg]} bytes of lowercase hex`,
    });
  }
  if (validKeys.has(id)) return bytes;
  if (info.alg === "ed25519") {
    let point: ReturnType<typeof ed25519.Point.fromBytes>;
    try {
      point = ed25519.Point.fromBytes(bytes, true);
    } catch {
      throw new CryptoError({
        code: "CRYPTO_INVALID_PUBLIC_KEY",
        message: "ed25519 public key is not a curve point",
      });
    }
    if (!bytesEqual(point.toBytes(), bytes)) {
      throw new CryptoError({
        code: "CRYPTO_NON_CANONICAL_PUBLIC_KEY",
        message: "ed25519 public key is not canonically encoded",
      });
    }
    if (point.isSmallOrder()) {
      throw new CryptoError({
        code: "CRYPTO_SMALL_ORDER_PUBLIC_KEY",
        message: "ed25519 public key has small order",
      });
    }
  } else {
    if (bytes[0] !== 0x02 && bytes[0] !== 0x03) {
      throw new CryptoError({
        code: "CRYPTO_NON_CANONICAL_PUBLIC_KEY",
        message: "p256 public key must be SEC1 compressed (0x02/0x03 prefix)",
      });
    }
    try {
      p256.Point.fromBytes(bytes).assertValidity();
    } catch {
      throw new CryptoError({
        code: "CRYPTO_INVALID_PUBLIC_KEY",
        message: "p256 public key is not a curve point",
      });
    }
  }
  if (validKeys.size > 100_000) validKeys.clear();
  validKeys.add(id);
  return bytes;
}

export function generateKeyPair(alg: KeyAlgorithm = "ed25519"): KeyPair {
  assertAlgorithm(alg);
  const secret = alg === "ed25519" ? backend.randomBytes(32) : p256.utils.randomSecretKey();
  return keyPairFromSecret(alg, bytesToHex(secret));
}

export function keyPairFromSecret(alg: KeyAlgorithm, secretKey: string): KeyPair {
  assertAlgorithm(alg);
  let secret: Uint8Array;
  try {
    secret = hexToBytes(secretKey, 32);
  } catch {
    throw new CryptoError({
      code: "CRYPTO_INVALID_SECRET_KEY",
      message: "secret key must be 32 bytes of hex",
    });
  }
  const publicKey = alg === "ed25519" ? ed25519.getPublicKey(secret) : p256.getPublicKey(secret, true);
  return { alg, publicKey: bytesToHex(publicKey), secretKey };
}

export function signBytes(key: KeyPair, message: Uint8Array): string {
  const secret = hexToBytes(key.secretKey, 32);
  if (key.alg === "ed25519") return bytesToHex(backend.ed25519Sign(message, secret));
  const sig = bytesToHex(backend.p256Sign(message, secret));
  // OpenSSL may return the high-S twin; normalise so the signature is the canonical one.
  const s = BigInt(`0x${sig.slice(64)}`);
  return s <= P256_HALF_N ? sig : sig.slice(0, 64) + (P256_N - s).toString(16).padStart(64, "0");
}

/** True only for a valid signature by a valid, canonical key; never throws on bad input. */
export function verifyBytes(key: PublicKeyInfo, message: Uint8Array, signature: string): boolean {
  let pk: Uint8Array;
  let sig: Uint8Array;
  try {
    pk = validatePublicKey(key);
    sig = hexToBytes(signature, SIGNATURE_LENGTH);
  } catch {
    return false;
  }
  if (key.alg === "ed25519") return backend.ed25519Verify(sig, message, pk);
  if (!isLowS(sig)) return false; // one valid signature per message: no (r, n - s) twin
  return backend.p256Verify(sig, message, pk);
}

const P256_N = p256.Point.Fn.ORDER;
const P256_HALF_N = P256_N >> 1n;
function isLowS(sig: Uint8Array): boolean {
  const s = BigInt(`0x${bytesToHex(sig.subarray(32))}`);
  return s > 0n && s <= P256_HALF_N;
}

/** An account address: the first 20 bytes of SHA-256("weft-address:" alg ":" publicKeyHex), as hex. */
export function addressOf(key: PublicKeyInfo): string {
  assertAlgorithm(key.alg);
  const id = `${key.alg}:${key.publicKey}`;
  let address = addresses.get(id);
  if (address === undefined) {
    const digest = backend.sha256(new TextEncoder().encode(`weft-address:${id}`));
    address = bytesToHex(digest.subarray(0, 20));
    if (addresses.size >= 100_000) addresses.clear();
    addresses.set(id, address);
  }
  return address;
}

// Addresses are derived on every transaction; the same signers recur.
const addresses = new Map<string, string>();

export const ADDRESS_PATTERN = "^[0-9a-f]{40}$";
