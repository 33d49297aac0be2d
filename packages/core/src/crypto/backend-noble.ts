import { ed25519 } from "@noble/curves/ed25519.js";
import { p256 } from "@noble/curves/nist.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { randomBytes } from "@noble/hashes/utils.js";
import type { CryptoBackend } from "./backend.js";

export const backend: CryptoBackend = {
  name: "noble",
  sha256: (data) => sha256(data),
  ed25519Sign: (message, secretKey) => ed25519.sign(message, secretKey),
  ed25519Verify: (signature, message, publicKey) => {
    try {
      return ed25519.verify(signature, message, publicKey, { zip215: false });
    } catch {
      return false;
    }
  },
  p256Sign: (message, secretKey) => p256.sign(message, secretKey, { lowS: true }),
  p256Verify: (signature, message, publicKey) => {
    try {
      return p256.verify(signature, message, publicKey, { lowS: true });
    } catch {
      return false;
    }
  },
  randomBytes: (length) => randomBytes(length),
};
