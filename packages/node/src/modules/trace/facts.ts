/**
 * What the node-local indexes need from one EPCIS event ("facts"), with every identifier in one
 * canonical spelling (`canonicalIdentifier`: URN and Digital Link forms of one item, lot or location
 * meet) and every CBV value in one spelling (the bare CBV name, or the expanded private URI).
 * The indexer writes keys from these facts and queries re-derive them from stored events, so both
 * sides agree by construction.
 */
import { sha256Hex } from "@weft/core";
import {
  canonicalIdentifier,
  classifyCbvValue,
  type EpcisEvent,
  type Namespaces,
  namespacesOf,
  type VocabularyName,
} from "@weft/epcis";

/** Where an identifier appears in an event. */
export type Role =
  /** `epcList` (Object, Transaction) or `childEPCs` (Aggregation, Association). */
  | "epc"
  | "parent"
  | "input"
  | "output"
  /** A class in `quantityList` or `childQuantityList`. */
  | "qty"
  | "inqty"
  | "outqty";

export const INSTANCE_ROLES: readonly Role[] = ["epc", "parent", "input", "output"];

export interface EventFacts {
  type: string;
  action?: string;
  bizStep?: string;
  disposition?: string;
  readPoint?: string;
  bizLocation?: string;
  eventTime: string;
  eventTimeMs: number;
  /** Each identifier once per role, canonical. */
  ids: { role: Role; id: string }[];
  transformationID?: string;
  deviceIDs: string[];
  declaration: boolean;
  /** `eventID` as the document wrote it (urn:uuid:…, ni:…), if any. */
  declaredEventID?: string;
  correctiveEventIDs: string[];
  persistentSet: string[];
  persistentUnset: string[];
  /** From `destinationList`: the party the event hands ownership / possession to. */
  owningParty?: string;
  possessingParty?: string;
}

const ID_CACHE_LIMIT = 100_000;
const idCache = new Map<string, string>();

/**
 * The canonical spelling of an identifier: the constrained canonical GS1 Digital Link for GS1 keys
 * (EPC URNs, Digital Links on any host), the string as written for anything else (private URIs).
 */
export function idKey(uri: string): string {
  let key = idCache.get(uri);
  if (key !== undefined) return key;
  try {
    key = canonicalIdentifier(uri);
  } catch {
    key = uri;
  }
  if (idCache.size >= ID_CACHE_LIMIT) idCache.clear();
  idCache.set(uri, key);
  return key;
}

/** A CBV value's one spelling: the bare CBV name, else the value with a compact IRI expanded. */
export function vocabKey(vocabulary: VocabularyName, value: string, namespaces?: Namespaces): string {
  const r = classifyCbvValue(vocabulary, value, namespaces);
  if (!r.ok) return value;
  return r.value.name ?? r.value.iri;
}

/** LMDB keys are bounded (~1.9 kB): very long values are indexed as a prefix plus their hash. */
export function keyValue(value: string): string {
  return value.length <= 256 ? value : `${value.slice(0, 192)}#${sha256Hex(value)}`;
}

/** eventTime in ms (0 if unreadable: validated events always have an RFC 3339 time). */
function timeMs(text: string): number {
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? 0 : ms;
}

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
const classes = (v: unknown): string[] =>
  Array.isArray(v)
    ? v.flatMap((q) => (isObject(q) && typeof q.epcClass === "string" ? [q.epcClass] : []))
    : [];

export function eventFacts(event: EpcisEvent): EventFacts {
  const e = event as unknown as Json;
  const ns = namespacesOf(e["@context"]);
  const ids: EventFacts["ids"] = [];
  const seen = new Set<string>();
  const add = (role: Role, uris: string[]) => {
    for (const uri of uris) {
      const id = idKey(uri);
      const k = `${role} ${id}`;
      if (seen.has(k)) continue;
      seen.add(k);
      ids.push({ role, id });
    }
  };
  add("epc", strings(e.epcList));
  add("epc", strings(e.childEPCs));
  if (typeof e.parentID === "string") add("parent", [e.parentID]);
  add("input", strings(e.inputEPCList));
  add("output", strings(e.outputEPCList));
  add("qty", classes(e.quantityList));
  add("qty", classes(e.childQuantityList));
  add("inqty", classes(e.inputQuantityList));
  add("outqty", classes(e.outputQuantityList));

  const deviceIDs = new Set<string>();
  for (const element of Array.isArray(e.sensorElementList) ? e.sensorElementList : []) {
    if (!isObject(element)) continue;
    const meta = element.sensorMetadata;
    if (isObject(meta) && typeof meta.deviceID === "string") deviceIDs.add(idKey(meta.deviceID));
    for (const report of Array.isArray(element.sensorReport) ? element.sensorReport : []) {
      if (isObject(report) && typeof report.deviceID === "string") deviceIDs.add(idKey(report.deviceID));
    }
  }

  const facts: EventFacts = {
    type: event.type,
    eventTime: event.eventTime,
    eventTimeMs: timeMs(event.eventTime),
    ids,
    deviceIDs: [...deviceIDs].sort(),
    declaration: isObject(e.errorDeclaration),
    correctiveEventIDs: isObject(e.errorDeclaration) ? strings(e.errorDeclaration.correctiveEventIDs) : [],
    persistentSet: [],
    persistentUnset: [],
  };
  if (typeof e.action === "string") facts.action = e.action;
  if (typeof e.bizStep === "string") facts.bizStep = vocabKey("bizStep", e.bizStep, ns);
  if (typeof e.disposition === "string") facts.disposition = vocabKey("disposition", e.disposition, ns);
  if (isObject(e.readPoint) && typeof e.readPoint.id === "string") facts.readPoint = idKey(e.readPoint.id);
  if (isObject(e.bizLocation) && typeof e.bizLocation.id === "string")
    facts.bizLocation = idKey(e.bizLocation.id);
  if (typeof e.transformationID === "string") facts.transformationID = idKey(e.transformationID);
  if (typeof e.eventID === "string") facts.declaredEventID = e.eventID;
  if (isObject(e.persistentDisposition)) {
    facts.persistentSet = strings(e.persistentDisposition.set).map((d) => vocabKey("disposition", d, ns));
    facts.persistentUnset = strings(e.persistentDisposition.unset).map((d) => vocabKey("disposition", d, ns));
  }
  for (const d of Array.isArray(e.destinationList) ? e.destinationList : []) {
    if (!isObject(d) || typeof d.type !== "string" || typeof d.destination !== "string") continue;
    const type = vocabKey("sourceDestinationType", d.type, ns);
    if (type === "owning_party") facts.owningParty = idKey(d.destination);
    else if (type === "possessing_party") facts.possessingParty = idKey(d.destination);
  }
  return facts;
}
