// Browser-safe entry point. Key files on disk live in "@weft/sdk/keyfile" (Node only).
export * from "./errors.js";
export * from "./api-types.js";
export { toAmount } from "./amount.js";
export * from "./tx-builder.js";
export type { FetchLike, QueryValue } from "./http.js";
export type { SubscribeOptions, WebSocketFactory, WebSocketLike } from "./events.js";
export type { SendOptions } from "./sender.js";
export * from "./client.js";
export { parseGenesis } from "./genesis.js";
export * from "./verify.js";
export { KEY_FILE_TYPE, type KeyFile, formatKeyFile, parseKeyFile } from "./key-format.js";
// The key primitives a signer needs, so simple apps need not depend on @weft/core directly.
export {
  type KeyAlgorithm,
  type KeyPair,
  type SignedTx,
  type TxBody,
  WeftError,
  addressOf,
  generateKeyPair,
  isWeftError,
  keyPairFromSecret,
  txHash,
  verifyTxSignature,
} from "@weft/core";
