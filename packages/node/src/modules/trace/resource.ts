/**
 * What a `trace.capture` touches, for identity policies: the locations it records for (every
 * readPoint and bizLocation, and each source/destination of type location) and the devices it
 * speaks for (every sensorMetadata.deviceID). Computed once per prepared document.
 */
import { namespacesOf } from "@weft/epcis";
import type { ResourceFacts } from "../../app/module.js";
import type { PreparedEvent } from "./capture.js";
import { vocabKey } from "./facts.js";

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => v !== null && typeof v === "object" && !Array.isArray(v);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

// Keyed by the prepared events array the capture cache holds: same document, same facts.
const computed = new WeakMap<readonly PreparedEvent[], ResourceFacts>();

export function captureFacts(events: readonly PreparedEvent[]): ResourceFacts {
  const hit = computed.get(events);
  if (hit) return hit;
  const locations = new Set<string>();
  const devices = new Set<string>();
  for (const ev of events) {
    const e = JSON.parse(ev.json) as Json;
    const ns = namespacesOf(e["@context"]);
    for (const field of ["readPoint", "bizLocation"]) {
      const place = e[field];
      if (isObject(place) && typeof place.id === "string") locations.add(place.id);
    }
    for (const [field, key] of [
      ["sourceList", "source"],
      ["destinationList", "destination"],
    ] as const) {
      for (const entry of list(e[field])) {
        if (!isObject(entry) || typeof entry.type !== "string" || typeof entry[key] !== "string") continue;
        if (vocabKey("sourceDestinationType", entry.type, ns) === "location")
          locations.add(entry[key] as string);
      }
    }
    for (const element of list(e.sensorElementList)) {
      const meta = isObject(element) ? element.sensorMetadata : undefined;
      if (isObject(meta) && typeof meta.deviceID === "string") devices.add(meta.deviceID);
    }
  }
  const facts: ResourceFacts = { locations: [...locations].sort(), devices: [...devices].sort() };
  computed.set(events, facts);
  return facts;
}
