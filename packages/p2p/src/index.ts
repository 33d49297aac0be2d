export * from "./errors.js";
export * from "./frame.js";
export { HELLO_TYPE, type Hello } from "./handshake.js";
export * from "./host.js";
export * from "./host-api.js";
export * from "./network-config.js";
export * from "./options.js";
export {
  type CaMaterial,
  type CertificateInfo,
  certificateInfo,
  createOrgCa,
  isIssuedBy,
  issueNodeCertificate,
  type NodeCertificateRequest,
  normalizeFingerprint,
} from "./pki.js";
export * from "./types.js";
