/**
 * The primitive operations core needs, implemented twice: with node:crypto (fast, OpenSSL) in
 * Node.js and with @noble (pure JS) everywhere else. `#crypto-backend` resolves to the right one
 * through the package's "imports" conditions, so browser bundles never see node:crypto.
 */
export interface CryptoBackend {
  readonly name: string;
  sha256(data: Uint8Array): Uint8Array;
  ed25519Sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array;
  ed25519Verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
  /** ECDSA P-256 over SHA-256(message); signature is 64-byte r||s (IEEE P1363). */
  p256Sign(message: Uint8Array, secretKey: Uint8Array): Uint8Array;
  p256Verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean;
  randomBytes(length: number): Uint8Array;
}
