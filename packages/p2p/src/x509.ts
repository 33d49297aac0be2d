/** The one place @peculiar/x509 is loaded (see reflect-stub.ts) and given Node's WebCrypto. */
import "./reflect-stub.js";
import { webcrypto } from "node:crypto";
import * as x509 from "@peculiar/x509";
import { removeReflectStub } from "./reflect-stub.js";

removeReflectStub();
x509.cryptoProvider.set(webcrypto as Crypto);

export { x509 };
