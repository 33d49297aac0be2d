import { describe, expect, it } from "vitest";
import { runSeed } from "./scenarios.js";

/**
 * A requirement on the node's gossip, found by the simulation: Tendermint's liveness needs every
 * message an honest node takes in to reach all honest nodes eventually. Against a Byzantine
 * validator that withholds its votes from some nodes, gossip that only sends a node's own
 * messages (the node's BftDriver today) stalls heights for good; forwarding fixes it.
 */
describe("gossip must forward what it receives", () => {
  const withholding = (forwarding: boolean) => {
    const stalled: number[] = [];
    for (let seed = 1; seed <= 300; seed++) {
      const v = runSeed("random", seed, { random: { strategy: "withhold" }, forwarding }).violation;
      if (v) {
        expect(v.property, `seed ${seed}: ${v.message}`).toBe("liveness");
        stalled.push(seed);
      }
    }
    return stalled;
  };

  it("without forwarding, a withholding Byzantine validator stalls heights", () => {
    expect(withholding(false).length).toBeGreaterThan(0);
  });

  it("with forwarding, it does not", () => {
    expect(withholding(true)).toEqual([]);
  });
});
