/**
 * Which organisation a GS1 location belongs to: an SGLN/GLN (EPC URN or Digital Link, any host)
 * belongs to an org when the GLN starts with one of its GS1 Company Prefixes or is in its GLN list.
 * A prefix test rather than the URN's stated prefix: a Digital Link does not carry the prefix
 * length, and both spellings of one location must belong to the same org.
 */
import { canonicalIdentifier, identifierElements } from "@weft/epcis";
import type { Org } from "./schema.js";

const CACHE_LIMIT = 10_000;
const glnCache = new Map<string, string | null>();
const idCache = new Map<string, string>();

function remember<V>(cache: Map<string, V>, key: string, value: V): V {
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, value);
  return value;
}

/** The 13-digit GLN a location identifier names (AI 414), or null when it names none. */
export function glnOf(location: string): string | null {
  const hit = glnCache.get(location);
  if (hit !== undefined) return hit;
  let gln: string | null = null;
  try {
    const [primary] = identifierElements(location);
    if (primary?.ai === "414") gln = primary.value;
  } catch {
    gln = null;
  }
  return remember(glnCache, location, gln);
}

export function orgOwnsLocation(org: Org, location: string): boolean {
  const gln = glnOf(location);
  if (gln === null) return false;
  return org.gs1.glns.includes(gln) || org.gs1.companyPrefixes.some((prefix) => gln.startsWith(prefix));
}

/** One spelling per identifier, so a device id written as URN or Digital Link compares equal. */
export function sameIdentifier(a: string, b: string): boolean {
  return a === b || canonicalOr(a) === canonicalOr(b);
}

function canonicalOr(id: string): string {
  const hit = idCache.get(id);
  if (hit !== undefined) return hit;
  let key: string;
  try {
    key = canonicalIdentifier(id);
  } catch {
    key = id;
  }
  return remember(idCache, id, key);
}
