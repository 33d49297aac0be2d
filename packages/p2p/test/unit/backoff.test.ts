import { describe, expect, it } from "vitest";
import { backoffDelay } from "../../src/backoff.js";

describe("reconnect backoff", () => {
  it("doubles from the initial delay up to the cap, jittered within the upper half", () => {
    const low = (a: number) => backoffDelay(a, 250, 10_000, () => 0);
    const high = (a: number) => backoffDelay(a, 250, 10_000, () => 1);
    expect([0, 1, 2, 3, 4, 5, 6].map(high)).toEqual([250, 500, 1000, 2000, 4000, 8000, 10_000]);
    expect([0, 1, 2].map(low)).toEqual([125, 250, 500]);
    expect(high(1_000)).toBe(10_000);
    expect(low(1_000)).toBe(5_000);
  });
});
