/**
 * Item status: per canonical identifier, the latest value of each status field, each stamped with
 * the (eventTime, seq) of the event that set it, so events captured late (out of eventTime order)
 * still give the status of the latest event in time. Error-declared events are folded out by
 * recomputing the identifiers they named.
 */
import type { ItemStatus } from "./api.js";
import type { EventFacts, Role } from "./facts.js";
import { eventIdOf } from "./ids.js";
import { before, type Stamp, type Stamped, type StatusRow } from "./index-keys.js";

const newer = (current: Stamp | undefined, at: Stamp): boolean =>
  current === undefined || before(current, at);

/**
 * Applies one event to the status of identifier `id`, named with `roles` in it (`touch`: a child
 * that an aggregation DELETE without childEPCs took out of its parent `parentOfTouch`).
 */
export function applyEvent(
  row: StatusRow,
  facts: EventFacts,
  hex: string,
  seq: number,
  roles: ReadonlySet<Role | "touch">,
  container?: { id: string; lookup: StatusLookup },
): StatusRow {
  const at: Stamp = { t: facts.eventTimeMs, s: seq };
  const stamp = <V>(v: V): Stamped<V> => ({ v, t: at.t, s: at.s });
  let out: StatusRow = { ...row };
  const touchOnly = roles.size === 1 && roles.has("touch");
  if (!touchOnly) {
    if (newer(out.l, at))
      out.l = stamp([hex, facts.eventTime, facts.bizStep ?? null, facts.disposition ?? null]);
    const commissions =
      (facts.type === "ObjectEvent" && facts.action === "ADD" && (roles.has("epc") || roles.has("qty"))) ||
      (facts.type === "TransformationEvent" && (roles.has("output") || roles.has("outqty")));
    if (commissions && (out.c === undefined || before(at, out.c))) out.c = stamp([hex, facts.eventTime]);
    if (facts.disposition !== undefined && newer(out.disp, at)) out.disp = stamp(facts.disposition);
    if (facts.persistentSet.length > 0 || facts.persistentUnset.length > 0) {
      const pd = { ...(out.pd ?? {}) };
      for (const [list, on] of [
        [facts.persistentSet, true],
        [facts.persistentUnset, false],
      ] as const) {
        for (const d of list) if (newer(pd[d], at)) pd[d] = stamp(on);
      }
      out.pd = pd;
    }
    if (facts.owningParty !== undefined && newer(out.own, at)) out.own = stamp(facts.owningParty);
    if (facts.possessingParty !== undefined && newer(out.pos, at)) out.pos = stamp(facts.possessingParty);
    if (facts.bizLocation !== undefined && newer(out.loc, at)) out.loc = stamp(facts.bizLocation);
    if (facts.readPoint !== undefined && newer(out.rp, at)) out.rp = stamp(facts.readPoint);
  }
  if (facts.type === "AggregationEvent" && newer(out.par, at)) {
    const parent = facts.ids.find((x) => x.role === "parent")?.id;
    const child = roles.has("epc") || roles.has("qty");
    let next: string | null | undefined;
    if (child && parent !== undefined) next = facts.action === "DELETE" ? null : parent;
    else if (roles.has("touch") && parent !== undefined && out.par?.v === parent) next = null;
    if (next !== undefined) {
      // Leaving a container: keep what the item inherited from it while inside.
      const current = out.par?.v;
      if (container && current && current !== next)
        out = { ...out, ...effectiveFields(out, container.lookup, container.id, at) };
      out.par = stamp(next);
    }
  }
  return out;
}

/** Reads a status row (undefined when the identifier was never named). */
export type StatusLookup = (id: string) => StatusRow | undefined;

const MAX_CONTAINER_DEPTH = 16;
const INHERITED = ["disp", "own", "pos", "loc", "rp"] as const;
export type InheritedFields = Pick<StatusRow, (typeof INHERITED)[number]>;

/**
 * The status fields of an item, completed from its containers: what happened to a container (up
 * the chain of parents) after the item went in and after the item's own latest value counts for
 * the item — a shipping event that names only the pallet moves every carton and item on it.
 * `until`: only container events before that stamp (the item leaving its container).
 */
export function effectiveFields(
  row: StatusRow,
  lookup: StatusLookup,
  self: string,
  until?: Stamp,
): InheritedFields {
  const eff: InheritedFields = {};
  for (const f of INHERITED) if (row[f] !== undefined) eff[f] = row[f] as Stamped<string>;
  const seen = new Set([self]);
  let inner: StatusRow = row;
  for (let depth = 0; depth < MAX_CONTAINER_DEPTH; depth++) {
    const parent = inner.par?.v;
    if (parent === undefined || parent === null || seen.has(parent)) break;
    seen.add(parent);
    const prow = lookup(parent);
    if (prow === undefined) break;
    const since = inner.par as Stamp;
    for (const f of INHERITED) {
      const theirs = prow[f];
      if (theirs === undefined || !before(since, theirs) || (until !== undefined && !before(theirs, until)))
        continue;
      if (newer(eff[f], theirs)) eff[f] = theirs;
    }
    inner = prow;
  }
  return eff;
}

/** The contract's view of an identifier's status, container fields included (`effectiveFields`). */
export function itemStatusOf(id: string, lookup: StatusLookup): ItemStatus | undefined {
  const row = lookup(id);
  if (row === undefined) return undefined;
  const eff = effectiveFields(row, lookup, id);
  const status: ItemStatus = {
    id,
    commissioned: row.c ? { eventId: eventIdOf(row.c.v[0]), eventTime: row.c.v[1] } : null,
    lastEvent: row.l
      ? {
          eventId: eventIdOf(row.l.v[0]),
          eventTime: row.l.v[1],
          ...(row.l.v[2] === null ? {} : { bizStep: row.l.v[2] }),
          ...(row.l.v[3] === null ? {} : { disposition: row.l.v[3] }),
        }
      : null,
    persistentDispositions: Object.entries(row.pd ?? {})
      .filter(([, s]) => s.v)
      .map(([d]) => d)
      .sort(),
  };
  if (eff.disp) status.disposition = eff.disp.v;
  if (eff.own || eff.pos) {
    status.custodian = {
      ...(eff.own ? { owningParty: eff.own.v } : {}),
      ...(eff.pos ? { possessingParty: eff.pos.v } : {}),
    };
  }
  if (eff.loc) status.bizLocation = eff.loc.v;
  if (eff.rp) status.readPoint = eff.rp.v;
  if (row.par?.v) status.parent = row.par.v;
  return status;
}
