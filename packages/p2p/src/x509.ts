/**
 * The one place @peculiar/x509 is loaded and given Node's WebCrypto. Its dependency-injection
 * container (tsyringe) needs the Reflect metadata API, which `reflect-metadata` provides.
 */
import "reflect-metadata";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";

x509.cryptoProvider.set(webcrypto as Crypto);

export { x509 };
