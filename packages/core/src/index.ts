export * from "./errors.js";
export * from "./encoding/bytes.js";
export * from "./encoding/canonical.js";
export * from "./crypto/hash.js";
export * from "./crypto/keys.js";
