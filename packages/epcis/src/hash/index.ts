export { jsonLdContextMap } from "./context.js";
export {
  type DocumentEvents,
  eventHashesOfDocument,
  eventsOfDocument,
  preHashStringsOfDocument,
} from "./document.js";
export { EpcisHashError, type EpcisHashErrorCode } from "./errors.js";
export { EVENT_HASH_VERSION, eventHash, hashPreHashString, preHashString } from "./event-hash.js";
export type {
  DocumentHashOptions,
  EpcisDocumentJson,
  EpcisEventJson,
  EventHashOptions,
  JsonLdContextMap,
} from "./types.js";
