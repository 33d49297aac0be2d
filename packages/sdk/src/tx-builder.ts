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
  /** Default "fungible"; an "nft" asset has 0 decimals and counts tokens. */
  kind?: "fungible" | "nft";
  /** Who may burn: "holders" (default, each its own), "issuer" (only the issuer, its own), "none". */
  burn?: "holders" | "issuer" | "none";
}

export interface HoldParams {
  asset: string;
  amount: bigint | string;
  holdId: string;
  /** Block time (ms) after which anyone may cancel the hold. */
  expiresAt?: number;
  /** May release the hold back to its owner. */
  beneficiary?: string;
  /** Alone may release or cancel the hold before it expires (the owner gives that up). */
  controller?: string;
}

export interface ReleaseHoldParams {
  holdId: string;
  to: string;
  /** Default: all of it. */
  amount?: bigint | string;
}

export interface NftMetadata {
  uri?: string;
  hash?: string;
}

export interface MintNftParams {
  asset: string;
  tokenId: string;
  to: string;
  metadata?: NftMetadata;
}

export interface TransferNftParams {
  asset: string;
  tokenId: string;
  to: string;
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
    if (p.kind !== undefined) args.kind = p.kind;
    if (p.burn !== undefined) args.burn = p.burn;
    return { module: "token", method: "createAsset", args };
  },
  /** Closes minting for good (issuer only): the supply is final. */
  closeMint(p: { asset: string }): TxCall {
    return { module: "token", method: "closeMint", args: { asset: p.asset } };
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
  hold(p: HoldParams): TxCall {
    const args: TxCall["args"] = { asset: p.asset, amount: toAmount(p.amount), holdId: p.holdId };
    if (p.beneficiary !== undefined) args.beneficiary = address(p.beneficiary, "beneficiary");
    if (p.controller !== undefined) args.controller = address(p.controller, "controller");
    if (p.expiresAt !== undefined) {
      if (!Number.isSafeInteger(p.expiresAt) || p.expiresAt < 0) {
        throw new SdkError({
          code: "SDK_INVALID_ARGUMENT",
          message: "expiresAt must be a block time in ms",
          field: "expiresAt",
        });
      }
      args.expiresAt = p.expiresAt;
    }
    return { module: "token", method: "hold", args };
  },
  releaseHold(p: ReleaseHoldParams): TxCall {
    const args: TxCall["args"] = { holdId: p.holdId, to: address(p.to, "to") };
    if (p.amount !== undefined) args.amount = toAmount(p.amount);
    return { module: "token", method: "releaseHold", args };
  },
  cancelHold(p: { holdId: string }): TxCall {
    return { module: "token", method: "cancelHold", args: { holdId: p.holdId } };
  },
  mintNft(p: MintNftParams): TxCall {
    const args: TxCall["args"] = { asset: p.asset, tokenId: p.tokenId, to: address(p.to, "to") };
    if (p.metadata !== undefined) {
      const metadata: { [key: string]: string } = {};
      if (p.metadata.uri !== undefined) metadata.uri = p.metadata.uri;
      if (p.metadata.hash !== undefined) metadata.hash = p.metadata.hash;
      args.metadata = metadata;
    }
    return { module: "token", method: "mintNft", args };
  },
  transferNft(p: TransferNftParams): TxCall {
    return {
      module: "token",
      method: "transferNft",
      args: { asset: p.asset, tokenId: p.tokenId, to: address(p.to, "to") },
    };
  },
  burnNft(p: { asset: string; tokenId: string }): TxCall {
    return { module: "token", method: "burnNft", args: { asset: p.asset, tokenId: p.tokenId } };
  },
};

/** Signed token transactions: `tokenTx.transfer(envelope, { asset, to, amount })`. */
export const tokenTx = {
  createAsset: (env: TxEnvelope, p: CreateAssetParams): SignedTx =>
    buildTx({ ...env, ...tokenCall.createAsset(p) }),
  mint: (env: TxEnvelope, p: MintParams): SignedTx => buildTx({ ...env, ...tokenCall.mint(p) }),
  burn: (env: TxEnvelope, p: BurnParams): SignedTx => buildTx({ ...env, ...tokenCall.burn(p) }),
  closeMint: (env: TxEnvelope, p: { asset: string }): SignedTx =>
    buildTx({ ...env, ...tokenCall.closeMint(p) }),
  transfer: (env: TxEnvelope, p: TransferParams): SignedTx => buildTx({ ...env, ...tokenCall.transfer(p) }),
  hold: (env: TxEnvelope, p: HoldParams): SignedTx => buildTx({ ...env, ...tokenCall.hold(p) }),
  releaseHold: (env: TxEnvelope, p: ReleaseHoldParams): SignedTx =>
    buildTx({ ...env, ...tokenCall.releaseHold(p) }),
  cancelHold: (env: TxEnvelope, p: { holdId: string }): SignedTx =>
    buildTx({ ...env, ...tokenCall.cancelHold(p) }),
  mintNft: (env: TxEnvelope, p: MintNftParams): SignedTx => buildTx({ ...env, ...tokenCall.mintNft(p) }),
  transferNft: (env: TxEnvelope, p: TransferNftParams): SignedTx =>
    buildTx({ ...env, ...tokenCall.transferNft(p) }),
  burnNft: (env: TxEnvelope, p: { asset: string; tokenId: string }): SignedTx =>
    buildTx({ ...env, ...tokenCall.burnNft(p) }),
};
