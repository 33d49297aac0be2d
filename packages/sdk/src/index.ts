// Browser-safe entry point. Key files on disk live in "@weft/sdk/keyfile" (Node only).

// The key primitives a signer needs, so simple apps need not depend on @weft/core directly.
export {
  addressOf,
  generateKeyPair,
  isWeftError,
  type KeyAlgorithm,
  type KeyPair,
  keyPairFromSecret,
  type SignedTx,
  type TxBody,
  txHash,
  verifyTxSignature,
  WeftError,
} from "@weft/core";
export { toAmount } from "./amount.js";
export * from "./api-types.js";
export * from "./client.js";
export * from "./errors.js";
export * from "./escrow.js";
export type { SubscribeOptions, WebSocketFactory, WebSocketLike } from "./events.js";
export { parseGenesis } from "./genesis.js";
export type { FetchLike, QueryValue } from "./http.js";
export { formatKeyFile, KEY_FILE_TYPE, type KeyFile, parseKeyFile } from "./key-format.js";
export type { SendOptions } from "./sender.js";
export { type BearerTokenOptions, createBearerToken, MAX_TOKEN_TTL_SECONDS } from "./token.js";
export * from "./tx-builder.js";
export * from "./verify.js";
