import { MemoryLogStore, MemoryStateNodeStore } from "@weft/core";
import type { ExecutionBase } from "../app/executor.js";
import type { BlockWrite } from "../storage/types.js";

/** A chain's derived state held in memory: what audit re-executes into, independent of storage. */
export class MemoryChain implements ExecutionBase {
  readonly state = new Map<string, Uint8Array>();
  readonly stateNodes = new MemoryStateNodeStore();
  readonly logNodes = new MemoryLogStore();

  getState(key: string): Uint8Array | undefined {
    return this.state.get(key);
  }

  apply(
    write: Pick<BlockWrite, "stateChanges" | "stateNodes"> & { logNodes?: BlockWrite["logNodes"] },
  ): void {
    for (const [key, value] of write.stateChanges) {
      if (value === null) this.state.delete(key);
      else this.state.set(key, value);
    }
    this.stateNodes.putNodes(write.stateNodes);
    for (const [level, index, hash] of write.logNodes ?? []) this.logNodes.putNode(level, index, hash);
  }
}
