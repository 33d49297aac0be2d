import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { checkCaptureDocument } from "@weft/epcis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareCapture } from "../../src/modules/trace/capture.js";
import { MAX_EVENTS_PER_TX } from "../../src/modules/trace/schema.js";
import { createTraceChain, type TraceChain } from "../support/epcis-chain.js";

/**
 * Smoke test of the whole pipeline on the openepcis capture documents: every document the validator
 * accepts is captured on chain, indexed and read back. Documents the validator refuses are skipped
 * (the epcis conformance test judges those).
 */
const DIR = join(import.meta.dirname, "../../../../../shared/testdata/openepcis/Capture/Documents");
const files = readdirSync(DIR)
  .filter((f) => f.endsWith(".json"))
  .sort();

describe("trace: openepcis capture documents", () => {
  let t: TraceChain;
  beforeAll(async () => {
    t = await createTraceChain();
  });
  afterAll(async () => {
    await t?.close();
  });

  const accepted = files.filter(
    (f) => checkCaptureDocument(JSON.parse(readFileSync(join(DIR, f), "utf8"))).ok,
  );

  it("the validator accepts most of them", () => {
    expect(files.length).toBeGreaterThan(30);
    expect(accepted.length).toBeGreaterThan(files.length / 2);
  });

  it.each(accepted)("%s is captured, indexed and read back", async (file) => {
    const text = readFileSync(join(DIR, file), "utf8");
    const prepared = prepareCapture(text, MAX_EVENTS_PER_TX);
    // Documents repeat each other's events: only events new to this chain are expected to pass.
    const fresh = prepared.filter((p) => (p.declaration ? true : t.reader.getEvent(p.eventId) === undefined));
    const r = await t.capture(text);
    if (fresh.length < prepared.length || new Set(prepared.map((p) => p.hex)).size < prepared.length) {
      expect(["ok", "failed"]).toContain(r.status);
      if (r.status === "failed")
        expect(["TRACE_DUPLICATE_EVENT", "TRACE_DUPLICATE_IN_TX", "TRACE_ALREADY_DECLARED"]).toContain(
          r.error?.code,
        );
      return;
    }
    expect(r, file).toEqual({ status: "ok" });
    for (const p of prepared) {
      const stored = t.reader
        .queryEvents({ EQ_eventID: [p.eventId] }, { perPage: 10 })
        .events.find((e) => (e.event.errorDeclaration !== undefined) === p.declaration);
      expect(stored?.eventJson).toBe(p.json);
      expect(stored?.event.type).toBe(p.eventType);
    }
  });
});
