import {
  ADDRESS_PATTERN,
  assertCanonicalValue,
  type CanonicalValue,
  canonicalString,
  decodeTx,
  type KeyPair,
  type SignedTx,
  signTx,
  type TxBody,
} from "@weft/core";
import { toAmount } from "./amount.js";
import { SdkError } from "./errors.js";

/** What a transaction does: the part of the body an application chooses. */
export interface TxCall {
  module: string;
  method: string;
  args: { [key: string]: CanonicalValue };
}

/** Everything else a body needs: who signs, on which chain, at which sequence, until when. */
export interface TxEnvelope {
  chainId: string;
  signer: KeyPair;
  sequence: number;
  expiresAt: number;
  memo?: string;
}

export type BuildTxInput = TxEnvelope & TxCall;

/**
 * Builds and signs a transaction. The result is checked the way a node decodes it (shape,
 * identifiers, size, signer key), so a malformed call fails here with a TxError, not remotely.
 */
export function buildTx(input: BuildTxInput): SignedTx {
  try {
    assertCanonicalValue(input.args, "args");
  } catch (e) {
    throw new SdkError({ code: "SDK_INVALID_ARGUMENT", message: (e as Error).message });
  }
  // Copy the public half only: the secret must never end up in a body.
  const body: TxBody = {
    chainId: input.chainId,
    signer: { alg: input.signer.alg, publicKey: input.signer.publicKey },
    sequence: input.sequence,
    expiresAt: input.expiresAt,
    module: input.module,
    method: input.method,
    // A copy, so later changes to the caller's object cannot diverge from what was signed.
    args: JSON.parse(canonicalString(input.args)),
  };
  if (input.memo !== undefined) body.memo = input.memo;
  const tx = signTx(body, input.signer);
  decodeTx(tx);
  return tx;
}

const ADDRESS = new RegExp(ADDRESS_PATTERN);

function address(value: string, field: string): string {
  if (typeof value !== "string" || !ADDRESS.test(value)) {
    throw new SdkError({
      code: "SDK_INVALID_ARGUMENT",
      message: `${field} must be a 40-character hex address`,
      field,
    });
  }
  return value;
}

export interface CreateAssetParams {
  asset: string;
  name: string;
  decimals: number;
  maxSupply?: bigint | string;
}

export interface MintParams {
  asset: string;
  to: string;
  amount: bigint | string;
}

export interface BurnParams {
  asset: string;
  amount: bigint | string;
}

export interface TransferParams {
  asset: string;
  to: string;
  amount: bigint | string;
}

/** Calls of the token module, for `client.send` or `buildTx`. Amounts become canonical strings. */
export const tokenCall = {
  createAsset(p: CreateAssetParams): TxCall {
    if (!Number.isSafeInteger(p.decimals) || p.decimals < 0) {
      throw new SdkError({
        code: "SDK_INVALID_ARGUMENT",
        message: "decimals must be a non-negative integer",
      });
    }
    const args: TxCall["args"] = { asset: p.asset, name: p.name, decimals: p.decimals };
    if (p.maxSupply !== undefined) args.maxSupply = toAmount(p.maxSupply, "maxSupply");
    return { module: "token", method: "createAsset", args };
  },
  mint(p: MintParams): TxCall {
    return {
      module: "token",
      method: "mint",
      args: { asset: p.asset, to: address(p.to, "to"), amount: toAmount(p.amount) },
    };
  },
  burn(p: BurnParams): TxCall {
    return { module: "token", method: "burn", args: { asset: p.asset, amount: toAmount(p.amount) } };
  },
  transfer(p: TransferParams): TxCall {
    return {
      module: "token",
      method: "transfer",
      args: { asset: p.asset, to: address(p.to, "to"), amount: toAmount(p.amount) },
    };
  },
};

/** Signed token transactions: `tokenTx.transfer(envelope, { asset, to, amount })`. */
export const tokenTx = {
  createAsset: (env: TxEnvelope, p: CreateAssetParams): SignedTx =>
    buildTx({ ...env, ...tokenCall.createAsset(p) }),
  mint: (env: TxEnvelope, p: MintParams): SignedTx => buildTx({ ...env, ...tokenCall.mint(p) }),
  burn: (env: TxEnvelope, p: BurnParams): SignedTx => buildTx({ ...env, ...tokenCall.burn(p) }),
  transfer: (env: TxEnvelope, p: TransferParams): SignedTx => buildTx({ ...env, ...tokenCall.transfer(p) }),
};
