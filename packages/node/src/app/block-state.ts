import { type CanonicalValue, canonicalBytes, parseJson } from "@weft/core";
import type { ModuleState } from "./module.js";

export interface StateReader {
  getState(key: string): Uint8Array | undefined;
}

/**
 * Uncommitted writes of one block over committed state, with a nested layer per transaction
 * so a failed transaction is discarded whole. Values are canonical JSON bytes.
 */
export class BlockState {
  private readonly block = new Map<string, Uint8Array | null>();
  /** Nested layers: a transaction, and inside it each call governance invokes. */
  private readonly layers: Map<string, Uint8Array | null>[] = [];
  /** Parsed committed values: a block reads the same accounts and assets again and again. */
  private readonly parsed = new Map<string, CanonicalValue | undefined>();

  constructor(private readonly base: StateReader) {}

  getBytes(key: string): Uint8Array | undefined {
    for (let i = this.layers.length - 1; i >= 0; i--) {
      const layer = this.layers[i]!;
      if (layer.has(key)) return layer.get(key) ?? undefined;
    }
    if (this.block.has(key)) return this.block.get(key) ?? undefined;
    return this.base.getState(key);
  }

  private written(key: string): boolean {
    return this.block.has(key) || this.layers.some((layer) => layer.has(key));
  }

  get(key: string): CanonicalValue | undefined {
    if (!this.written(key)) {
      if (this.parsed.has(key)) return structuredCloneValue(this.parsed.get(key));
      const bytes = this.base.getState(key);
      const value = bytes === undefined ? undefined : (parseJson(bytes) as CanonicalValue);
      this.parsed.set(key, value);
      return structuredCloneValue(value);
    }
    const bytes = this.getBytes(key);
    return bytes === undefined ? undefined : (parseJson(bytes) as CanonicalValue);
  }

  /**
   * `get` without the defensive copy, for readers that never mutate what they read (authorizers
   * and resource facts run before every call; copying the registry each time cost more than the
   * policy check itself).
   */
  peek(key: string): CanonicalValue | undefined {
    if (this.written(key)) {
      const bytes = this.getBytes(key);
      return bytes === undefined ? undefined : (parseJson(bytes) as CanonicalValue);
    }
    if (!this.parsed.has(key)) {
      const bytes = this.base.getState(key);
      this.parsed.set(key, bytes === undefined ? undefined : (parseJson(bytes) as CanonicalValue));
    }
    return this.parsed.get(key);
  }

  set(key: string, value: CanonicalValue): void {
    this.top().set(key, canonicalBytes(value));
  }

  delete(key: string): void {
    this.top().set(key, null);
  }

  private top(): Map<string, Uint8Array | null> {
    return this.layers[this.layers.length - 1] ?? this.block;
  }

  /** Opens a layer (a transaction, or a nested call) that commits or rolls back whole. */
  beginTx(): void {
    this.layers.push(new Map());
  }

  commitTx(): void {
    const layer = this.layers.pop();
    if (layer) for (const [k, v] of layer) this.top().set(k, v);
  }

  rollbackTx(): void {
    this.layers.pop();
  }

  /** The block's writes sorted by key: the order never depends on execution details. */
  changes(): [string, Uint8Array | null][] {
    return [...this.block.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  }

  /** A namespaced view for one module. */
  scoped(prefix: string): ModuleState {
    return {
      get: (key) => this.get(`${prefix}/${key}`),
      set: (key, value) => this.set(`${prefix}/${key}`, value),
      delete: (key) => this.delete(`${prefix}/${key}`),
    };
  }
}

/** Modules may mutate what they read; primitives need no copy. */
function structuredCloneValue(value: CanonicalValue | undefined): CanonicalValue | undefined {
  return value === null || typeof value !== "object"
    ? value
    : (JSON.parse(JSON.stringify(value)) as CanonicalValue);
}
