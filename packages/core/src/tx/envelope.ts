import { TypeCompiler } from "@sinclair/typebox/compiler";
import { sha256Hex } from "../crypto/hash.js";
import type { PublicKeyInfo } from "../crypto/keys.js";
import { type KeyPair, signBytes, validatePublicKey, verifyBytes } from "../crypto/keys.js";
import { concatBytes, utf8 } from "../encoding/bytes.js";
import {
  assertCanonicalValue,
  type CanonicalValue,
  canonicalBytes,
  canonicalString,
} from "../encoding/canonical.js";
import { WeftError } from "../errors.js";
import { SignedTxSchema } from "./schema.js";

/** What a signer authorises. Every field is covered by the signature. */
export interface TxBody {
  chainId: string;
  signer: PublicKeyInfo;
  /** Must equal the signer's next sequence number when executed: a transaction runs at most once. */
  sequence: number;
  /** Last block height at which the transaction may be included. */
  expiresAt: number;
  module: string;
  method: string;
  args: { [key: string]: CanonicalValue };
  memo?: string;
}

export interface SignedTx {
  body: TxBody;
  /** Signature over `txSignBytes(body)`, lowercase hex (64 bytes: Ed25519, or P-256 r||s with low S). */
  signature: string;
}

export type TxErrorCode =
  | "TX_MALFORMED"
  | "TX_TOO_LARGE"
  | "TX_BAD_SIGNATURE"
  | "TX_INVALID_SIGNER_KEY"
  | "TX_WRONG_CHAIN"
  | "TX_EXPIRED"
  | "TX_SEQUENCE_TOO_LOW"
  | "TX_SEQUENCE_TOO_HIGH"
  | "TX_DUPLICATE";
export class TxError extends WeftError<{ code: TxErrorCode; message: string; [field: string]: unknown }> {}

// Domain separation: a transaction signature can never be replayed as a vote or anything else.
const TX_DOMAIN = utf8("WEFT/tx/v1\n");
export const DEFAULT_MAX_TX_BYTES = 64 * 1024;

export function txSignBytes(body: TxBody): Uint8Array {
  return concatBytes(TX_DOMAIN, canonicalBytes(body));
}

/** The transaction id: SHA-256 of the canonical body (signature excluded, so it cannot be malleated). */
export function txHash(tx: SignedTx | TxBody): string {
  const body = "body" in tx ? tx.body : tx;
  return sha256Hex(canonicalBytes(body));
}

export function signTx(body: TxBody, key: KeyPair): SignedTx {
  if (body.signer.alg !== key.alg || body.signer.publicKey !== key.publicKey) {
    throw new TxError({ code: "TX_BAD_SIGNATURE", message: "signer in the body is not the signing key" });
  }
  return { body, signature: signBytes(key, txSignBytes(body)) };
}

export function verifyTxSignature(tx: SignedTx | DecodedTx): boolean {
  if ("signBytes" in tx) return verifyBytes(tx.tx.body.signer, tx.signBytes, tx.tx.signature);
  return verifyBytes(tx.body.signer, txSignBytes(tx.body), tx.signature);
}

const checkShape = TypeCompiler.Compile(SignedTxSchema);

/** A transaction checked for shape and size, with the bytes every later step needs computed once. */
export interface DecodedTx {
  tx: SignedTx;
  hash: string;
  /** Length of the canonical encoding of the whole signed transaction: what size limits apply to. */
  size: number;
  /** The exact bytes the signature covers. */
  signBytes: Uint8Array;
  /** Canonical JSON of the signed transaction, kept so blocks embed it without encoding again. */
  canonical: string;
}

/**
 * Turns untrusted input into a SignedTx or throws a TxError naming what is wrong:
 * shape (unknown or missing fields), non-canonical values, size, signer key validity.
 * The signature itself is checked separately (`verifyTxSignature`) so callers can batch it.
 */
export function decodeTx(input: unknown, maxBytes = DEFAULT_MAX_TX_BYTES): DecodedTx {
  if (!checkShape.Check(input)) {
    const first = checkShape.Errors(input).First();
    throw new TxError({
      code: "TX_MALFORMED",
      message: first ? `${first.path || "/"}: ${first.message}` : "not a signed transaction",
      path: first?.path ?? "",
    });
  }
  const tx = input as SignedTx;
  try {
    assertCanonicalValue(tx.body.args, "args");
  } catch (e) {
    throw new TxError({ code: "TX_MALFORMED", message: (e as Error).message });
  }
  const bodyText = canonicalString(tx.body);
  const bodyBytes = utf8(bodyText);
  // {"body":<body>,"signature":"<128 hex>"}: the canonical size without encoding twice.
  const size = bodyBytes.length + 152;
  if (size > maxBytes) {
    throw new TxError({
      code: "TX_TOO_LARGE",
      message: `transaction is ${size} bytes, limit ${maxBytes}`,
      size,
      maxBytes,
    });
  }
  try {
    validatePublicKey(tx.body.signer);
  } catch (e) {
    throw new TxError({ code: "TX_INVALID_SIGNER_KEY", message: (e as Error).message });
  }
  return {
    tx,
    hash: sha256Hex(bodyBytes),
    size,
    signBytes: concatBytes(TX_DOMAIN, bodyBytes),
    canonical: `{"body":${bodyText},"signature":${JSON.stringify(tx.signature)}}`,
  };
}
