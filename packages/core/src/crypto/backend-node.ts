import {
  createPrivateKey,
  createPublicKey,
  hash,
  type KeyObject,
  randomBytes,
  sign,
  verify,
} from "node:crypto";
import type { CryptoBackend } from "./backend.js";

// DER prefixes that turn raw key bytes into SPKI / PKCS#8 documents OpenSSL accepts.
const ED25519_SPKI = Buffer.from("302a300506032b6570032100", "hex");
const ED25519_PKCS8 = Buffer.from("302e020100300506032b657004220420", "hex");
const P256_SPKI_COMPRESSED = Buffer.from("3039301306072a8648ce3d020106082a8648ce3d030107032200", "hex");
const P256_PKCS8 = Buffer.from(
  "3041020100301306072a8648ce3d020106082a8648ce3d030107042730250201010420",
  "hex",
);

// Parsing a key into an OpenSSL object costs more than a verification; keep recent ones.
const CACHE_LIMIT = 50_000;
const keyCache = new Map<string, KeyObject>();

function cached(tag: string, raw: Uint8Array, make: () => KeyObject): KeyObject {
  const id = tag + Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength).toString("base64");
  let key = keyCache.get(id);
  if (key === undefined) {
    key = make();
    if (keyCache.size >= CACHE_LIMIT) keyCache.delete(keyCache.keys().next().value as string);
    keyCache.set(id, key);
  }
  return key;
}

const edPublic = (raw: Uint8Array) =>
  cached("e", raw, () =>
    createPublicKey({ key: Buffer.concat([ED25519_SPKI, raw]), format: "der", type: "spki" }),
  );
const edPrivate = (raw: Uint8Array) =>
  cached("E", raw, () =>
    createPrivateKey({ key: Buffer.concat([ED25519_PKCS8, raw]), format: "der", type: "pkcs8" }),
  );
const p256Public = (raw: Uint8Array) =>
  cached("p", raw, () =>
    createPublicKey({ key: Buffer.concat([P256_SPKI_COMPRESSED, raw]), format: "der", type: "spki" }),
  );
const p256Private = (raw: Uint8Array) =>
  cached("P", raw, () =>
    createPrivateKey({ key: Buffer.concat([P256_PKCS8, raw]), format: "der", type: "pkcs8" }),
  );

const u8 = (b: Buffer) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength);

export const backend: CryptoBackend = {
  name: "node:crypto",
  // One-shot hashing skips the Hash object: markedly faster for the many small Merkle inputs.
  sha256: (data) => u8(hash("sha256", data, "buffer") as unknown as Buffer),
  ed25519Sign: (message, secretKey) => u8(sign(null, message, edPrivate(secretKey))),
  ed25519Verify: (signature, message, publicKey) => {
    try {
      return verify(null, message, edPublic(publicKey), signature);
    } catch {
      return false;
    }
  },
  p256Sign: (message, secretKey) =>
    u8(sign("sha256", message, { key: p256Private(secretKey), dsaEncoding: "ieee-p1363" })),
  p256Verify: (signature, message, publicKey) => {
    try {
      return verify("sha256", message, { key: p256Public(publicKey), dsaEncoding: "ieee-p1363" }, signature);
    } catch {
      return false;
    }
  },
  randomBytes: (length) => u8(randomBytes(length)),
};
