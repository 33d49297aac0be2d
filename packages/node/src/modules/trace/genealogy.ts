/**
 * Genealogy over the edge index: breadth-first, depth-limited and cycle-safe (every identifier is
 * visited once). Large transformations are stored through hub nodes and expanded here, so an input
 * reaches every output of its transformation (and of every event sharing its transformationID) in
 * one step. Edges of events declared erroneous (errorDeclaration) are skipped.
 */
import type { ItemStatus, Lineage, LineageDirection, LineageEdge, Recall } from "./api.js";
import { INSTANCE_ROLES, idKey, keyValue } from "./facts.js";
import { eventIdOf } from "./ids.js";
import { type EdgeRow, HIGH, isHub, MAX_T, MIN_T, type StatusRow, type TraceDbs } from "./index-keys.js";
import { itemStatusOf } from "./status.js";

export const DEFAULT_MAX_DEPTH = 32;
export const DEFAULT_MAX_NODES = 100_000;
const RECALL_MAX_DEPTH = 64;

const KINDS: Record<string, LineageEdge["kind"]> = {
  a: "aggregation",
  s: "association",
  t: "transformation",
};

interface Step {
  next: string;
  kind: string;
  hex: string;
  /** Instance-level flags of this node and of `next`, as the event named them. */
  selfInstance: boolean;
  nextInstance: boolean;
}

interface Walk {
  lineage: Lineage;
  /** Instance-level identifiers among the nodes (as named by the edges that reached them). */
  instances: Set<string>;
  /** Nodes with an outgoing (downstream) transformation edge: consumed. */
  consumed: Set<string>;
  /** Nodes at the depth limit, not expanded. */
  frontier: Set<string>;
}

export class Genealogy {
  constructor(
    private readonly dbs: TraceDbs,
    private readonly isDeclared: (hex: string) => boolean,
  ) {}

  /** Neighbours of `node` one step in direction `dir` ("d" downstream, "u" upstream). */
  private *step(node: string, dir: "d" | "u"): Generator<Step> {
    const self = dir === "d" ? 2 : 3;
    const other = dir === "d" ? 3 : 2;
    for (const { key, value } of this.dbs.edges.getRange({ start: [dir, node], end: [dir, node, HIGH] })) {
      const next = key[2] as string;
      const row = value as EdgeRow;
      if (this.isDeclared(row[1])) continue;
      if (!isHub(next)) {
        yield {
          next,
          kind: row[0],
          hex: row[1],
          selfInstance: row[self] === 1,
          nextInstance: row[other] === 1,
        };
        continue;
      }
      for (const { key: k2, value: v2 } of this.dbs.edges.getRange({
        start: [dir, next],
        end: [dir, next, HIGH],
      })) {
        const row2 = v2 as EdgeRow;
        if (this.isDeclared(row2[1])) continue;
        yield {
          next: k2[2] as string,
          kind: row2[0],
          hex: row2[1],
          selfInstance: row[self] === 1,
          nextInstance: row2[other] === 1,
        };
      }
    }
  }

  private walk(
    identifier: string,
    direction: LineageDirection,
    options: { maxDepth?: number; maxNodes?: number },
  ): Walk {
    const maxDepth = options.maxDepth ?? DEFAULT_MAX_DEPTH;
    const maxNodes = options.maxNodes ?? DEFAULT_MAX_NODES;
    const root = keyValue(idKey(identifier));
    const dir = direction === "downstream" ? "d" : "u";
    const depth = new Map<string, number>([[root, 0]]);
    const queue = [root];
    const edges: LineageEdge[] = [];
    const edgeSeen = new Set<string>();
    const instances = new Set<string>();
    const consumed = new Set<string>();
    const frontier = new Set<string>();
    let truncated = false;
    for (let i = 0; i < queue.length; i++) {
      const node = queue[i] as string;
      const d = depth.get(node) as number;
      if (d >= maxDepth) {
        frontier.add(node);
        continue;
      }
      for (const s of this.step(node, dir)) {
        const { next, kind, hex } = s;
        if (next === node) continue;
        if (s.selfInstance) instances.add(node);
        if (s.nextInstance) instances.add(next);
        if (dir === "d" && kind === "t") consumed.add(node);
        const [from, to] = dir === "d" ? [node, next] : [next, node];
        if (!depth.has(next)) {
          if (depth.size >= maxNodes) {
            truncated = true;
            continue;
          }
          depth.set(next, d + 1);
          queue.push(next);
        }
        const k = `${from} ${to} ${hex}`;
        if (!edgeSeen.has(k)) {
          edgeSeen.add(k);
          edges.push({ from, to, eventId: eventIdOf(hex), kind: KINDS[kind] ?? "aggregation" });
        }
      }
    }
    const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
    const lineage: Lineage = {
      root,
      direction,
      nodes: [...depth]
        .map(([id, d]) => ({ id, depth: d }))
        .sort((a, b) => a.depth - b.depth || cmp(a.id, b.id)),
      edges: edges.sort((a, b) => cmp(a.from, b.from) || cmp(a.to, b.to) || cmp(a.eventId, b.eventId)),
      ...(truncated ? { truncated } : {}),
    };
    return { lineage, instances, consumed, frontier };
  }

  lineage(
    identifier: string,
    direction: LineageDirection,
    options: { maxDepth?: number; maxNodes?: number } = {},
  ): Lineage {
    return this.walk(identifier, direction, options).lineage;
  }

  /** Named in an instance role (epcList, childEPCs, parentID, input/output EPC lists). */
  private isInstance(id: string): boolean {
    for (const kind of INSTANCE_ROLES)
      for (const _ of this.dbs.index.getKeys({ start: [kind, id, MIN_T], end: [kind, id, MAX_T], limit: 1 }))
        return true;
    return false;
  }

  /** Input of a transformation that is not declared erroneous. */
  private isConsumed(id: string): boolean {
    for (const kind of ["input", "inqty"]) {
      for (const key of this.dbs.index.getKeys({ start: [kind, id, MIN_T], end: [kind, id, MAX_T] })) {
        const row = this.dbs.events.get(key[3] as number);
        if (row !== undefined && row.d !== 1 && !this.isDeclared(row.i)) return true;
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
    const { lineage, instances, consumed, frontier } = this.walk(identifier, "downstream", {
      maxDepth: RECALL_MAX_DEPTH,
    });
    const instance = (id: string) =>
      instances.has(id) || ((id === lineage.root || frontier.has(id)) && this.isInstance(id));
    const containers = new Set<string>();
    for (const e of lineage.edges)
      if (e.kind !== "transformation" && instances.has(e.from)) containers.add(e.to);
    const cache = new Map<string, StatusRow | undefined>();
    const lookup = (id: string) => {
      if (!cache.has(id)) cache.set(id, this.dbs.status.get(id));
      return cache.get(id);
    };
    const items: ItemStatus[] = [];
    for (const { id } of lineage.nodes) {
      if (isHub(id) || containers.has(id) || consumed.has(id) || !instance(id)) continue;
      if (frontier.has(id) && this.isConsumed(id)) continue;
      items.push(
        itemStatusOf(id, lookup) ?? { id, commissioned: null, lastEvent: null, persistentDispositions: [] },
      );
    }
    items.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    return { source: lineage.root, items };
  }
}
