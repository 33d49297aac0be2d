/**
 * Genealogy over the edge index: breadth-first, depth-limited and cycle-safe (every identifier is
 * visited once). Transformations are stored through hub nodes and expanded here, so an input
 * reaches every output of its transformation (and of every event sharing its transformationID) in
 * one step. Edges of events declared erroneous (errorDeclaration) are skipped.
 */
import type { ItemStatus, Lineage, LineageDirection, LineageEdge, Recall } from "./api.js";
import { INSTANCE_ROLES, idKey, keyValue } from "./facts.js";
import { eventIdOf } from "./ids.js";
import { type EdgeRow, HIGH, isHub, MAX_T, MIN_T, type TraceDbs } from "./index-keys.js";
import { itemStatusOf } from "./status.js";

export const DEFAULT_MAX_DEPTH = 32;
export const DEFAULT_MAX_NODES = 100_000;
const RECALL_MAX_DEPTH = 64;

const KINDS: Record<string, LineageEdge["kind"]> = {
  a: "aggregation",
  s: "association",
  t: "transformation",
};

export class Genealogy {
  constructor(private readonly dbs: TraceDbs) {}

  private declaredCache = new Map<string, boolean>();

  private declared(hex: string): boolean {
    let d = this.declaredCache.get(hex);
    if (d === undefined) {
      d = false;
      for (const _ of this.dbs.index.getKeys({ start: ["decl", hex], end: ["decl", hex, MAX_T], limit: 1 }))
        d = true;
      // Declarations only ever appear; cache per call (the Genealogy is rebuilt per query).
      this.declaredCache.set(hex, d);
    }
    return d;
  }

  /** Neighbours of `node` one step in direction `dir` ("d" downstream, "u" upstream). */
  private *step(node: string, dir: "d" | "u"): Generator<{ next: string; kind: string; hex: string }> {
    for (const { key, value } of this.dbs.edges.getRange({ start: [dir, node], end: [dir, node, HIGH] })) {
      const next = key[2] as string;
      const [kind, hex] = value as EdgeRow;
      if (this.declared(hex)) continue;
      if (!isHub(next)) {
        yield { next, kind, hex };
        continue;
      }
      for (const { key: k2, value: v2 } of this.dbs.edges.getRange({
        start: [dir, next],
        end: [dir, next, HIGH],
      })) {
        const [kind2, hex2] = v2 as EdgeRow;
        if (this.declared(hex2)) continue;
        yield { next: k2[2] as string, kind: kind2, hex: hex2 };
      }
    }
  }

  lineage(
    identifier: string,
    direction: LineageDirection,
    options: { maxDepth?: number; maxNodes?: number } = {},
  ): Lineage {
    const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    const maxNodes = options.maxNodes ?? DEFAULT_MAX_NODES;
    const root = keyValue(idKey(identifier));
    const dir = direction === "downstream" ? "d" : "u";
    const depth = new Map<string, number>([[root, 0]]);
    const queue = [root];
    const edges: LineageEdge[] = [];
    const edgeSeen = new Set<string>();
    let truncated = false;
    for (let i = 0; i < queue.length; i++) {
      const node = queue[i] as string;
      const d = depth.get(node) as number;
      if (d >= maxDepth) continue;
      for (const { next, kind, hex } of this.step(node, dir)) {
        if (next === node) continue;
        const [from, to] = dir === "d" ? [node, next] : [next, node];
        const eventId = eventIdOf(hex);
        const k = `${from} ${to} ${hex}`;
        if (!depth.has(next)) {
          if (depth.size >= maxNodes) {
            truncated = true;
            continue;
          }
          depth.set(next, d + 1);
          queue.push(next);
        }
        if (!edgeSeen.has(k)) {
          edgeSeen.add(k);
          edges.push({ from, to, eventId, kind: KINDS[kind] ?? "aggregation" });
        }
      }
    }
    const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    return {
      root,
      direction,
      nodes: [...depth]
        .map(([id, d]) => ({ id, depth: d }))
        .sort((a, b) => a.depth - b.depth || cmp(a.id, b.id)),
      edges: edges.sort((a, b) => cmp(a.from, b.from) || cmp(a.to, b.to) || cmp(a.eventId, b.eventId)),
      ...(truncated ? { truncated } : {}),
    };
  }

  /** Named in an instance role (epcList, childEPCs, parentID, input/output EPC lists). */
  isInstance(id: string): boolean {
    for (const kind of INSTANCE_ROLES)
      for (const _ of this.dbs.index.getKeys({ start: [kind, id, MIN_T], end: [kind, id, MAX_T], limit: 1 }))
        return true;
    return false;
  }

  /** Input of a transformation that is not declared erroneous. */
  isConsumed(id: string): boolean {
    for (const kind of ["input", "inqty"]) {
      for (const key of this.dbs.index.getKeys({ start: [kind, id, MIN_T], end: [kind, id, MAX_T] })) {
        const row = this.dbs.events.get(key[3] as number);
        if (row !== undefined && row.d !== 1 && !this.declared(row.i)) return true;
      }
    }
    return false;
  }

  /**
   * Every finished item downstream of `identifier` (a lot, a class, an item): identifiers named at
   * instance level, not consumed by a transformation, and not a container of other instance-level
   * items reached (cartons and pallets carry the items; a container of only lot quantities is
   * itself what is affected). Each comes with its current status.
   */
  recall(identifier: string): Recall {
    const lin = this.lineage(identifier, "downstream", { maxDepth: RECALL_MAX_DEPTH });
    const containers = new Set<string>();
    const instance = new Map<string, boolean>();
    const isInstance = (id: string) => {
      let v = instance.get(id);
      if (v === undefined) {
        v = this.isInstance(id);
        instance.set(id, v);
      }
      return v;
    };
    for (const e of lin.edges) if (e.kind !== "transformation" && isInstance(e.from)) containers.add(e.to);
    const lookup = (id: string) => this.dbs.status.get(id);
    const items: ItemStatus[] = [];
    for (const { id } of lin.nodes) {
      if (isHub(id) || containers.has(id) || !isInstance(id) || this.isConsumed(id)) continue;
      items.push(
        itemStatusOf(id, lookup) ?? { id, commissioned: null, lastEvent: null, persistentDispositions: [] },
      );
    }
    items.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return { source: lin.root, items };
  }
}
