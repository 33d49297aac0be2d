import { canonicalBytes } from "@weft/core";
import { describe, expect, it } from "vitest";
import { BlockState } from "../../src/app/block-state.js";

const committed = new Map<string, Uint8Array>([["identity/orgs", canonicalBytes(["org1", "org2"])]]);
const base = { getState: (key: string) => committed.get(key) };

describe("BlockState layers and reads", () => {
  it("nests layers: an inner rollback keeps the outer writes, an outer rollback drops both", () => {
    const state = new BlockState(base);
    state.beginTx();
    state.set("a", 1);
    state.beginTx();
    state.set("b", 2);
    state.rollbackTx();
    expect(state.get("b")).toBeUndefined();
    state.beginTx();
    state.set("c", 3);
    state.commitTx();
    expect([state.get("a"), state.get("c")]).toEqual([1, 3]);
    state.commitTx();
    state.beginTx();
    state.set("d", 4);
    state.rollbackTx();
    expect(state.changes().map(([k]) => k)).toEqual(["a", "c"]);
  });

  it("get copies committed objects; peek shares them read-only and sees the block's writes", () => {
    const state = new BlockState(base);
    const copy = state.get("identity/orgs") as string[];
    copy.push("mutated");
    expect(state.get("identity/orgs")).toEqual(["org1", "org2"]);
    expect(state.peek("identity/orgs")).toBe(state.peek("identity/orgs"));
    expect(state.peek("identity/orgs")).toEqual(["org1", "org2"]);
    state.beginTx();
    state.set("identity/orgs", ["org1", "org2", "org3"]);
    expect(state.peek("identity/orgs")).toEqual(["org1", "org2", "org3"]);
    state.rollbackTx();
    expect(state.peek("identity/orgs")).toEqual(["org1", "org2"]);
    state.delete("identity/orgs");
    expect(state.peek("identity/orgs")).toBeUndefined();
    expect(state.peek("missing")).toBeUndefined();
  });
});
