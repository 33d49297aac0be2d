import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { crc32 } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openWal, type WalLogger, type WalRecord } from "../../src/consensus/wal.js";
import { decodeWal, encodeWalRecord, FRAME_HEADER_BYTES } from "../../src/consensus/wal-record.js";

const vote = (height: number, round: number, extra: Record<string, unknown> = {}): WalRecord => ({
  height,
  kind: "vote",
  round,
  vote: { type: "prevote", blockHash: null, nested: [1, "two", { three: true }] },
  ...extra,
});

describe("consensus WAL", () => {
  let dir: string;
  let warnings: { details: Record<string, unknown>; message: string }[];
  const log: WalLogger = { warn: (details, message) => warnings.push({ details, message }) };
  const file = () => join(dir, "wal.log");
  /** What a node restarting now would replay. */
  const replay = (): WalRecord[] => {
    const { records, wal } = openWal(dir, log);
    wal.close();
    return records;
  };

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "weft-wal-"));
    warnings = [];
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  /** Writes `records` in one batch and closes the log; returns each frame's [start, end). */
  const writeRecords = (records: WalRecord[]): [number, number][] => {
    const { wal } = openWal(dir, log);
    for (const r of records) wal.append(r);
    wal.sync();
    wal.close();
    let start = 0;
    return records.map((r) => {
      const end = start + encodeWalRecord(r).length;
      const span: [number, number] = [start, end];
      start = end;
      return span;
    });
  };

  it("creates the folder and an empty log", () => {
    const nested = join(dir, "a", "b");
    const { records, wal } = openWal(nested, log);
    wal.close();
    expect(records).toEqual([]);
    expect(existsSync(join(nested, "wal.log"))).toBe(true);
    expect(warnings).toEqual([]);
  });

  it("returns synced records in order after reopening", () => {
    const written = [vote(3, 0), vote(3, 1, { kind: "proposal" }), vote(3, 1), vote(3, 2)];
    writeRecords(written);
    const records = replay();
    expect(records).toEqual(written);
    expect(warnings).toEqual([]);
  });

  it("makes nothing durable before sync", () => {
    const first = openWal(dir, log).wal;
    first.append(vote(1, 0));
    // A crash now: another reader sees an empty log.
    expect(replay()).toEqual([]);
    first.sync();
    expect(replay()).toEqual([vote(1, 0)]);
    first.close();
  });

  it("cuts a torn last record at every byte offset and keeps the records before it", () => {
    const written = [vote(7, 0), vote(7, 1), vote(7, 2, { big: "x".repeat(300) })];
    const spans = writeRecords(written);
    const full = readFileSync(file());
    const [start, end] = spans[2]!;
    for (let cut = start + 1; cut < end; cut++) {
      writeFileSync(file(), full.subarray(0, cut));
      warnings = [];
      const records = replay();
      expect(records, `cut at ${cut}`).toEqual(written.slice(0, 2));
      expect(warnings).toHaveLength(1);
      expect(statSync(file()).size).toBe(start);
    }
  });

  it("drops a corrupted middle record and everything after it, whichever byte flips", () => {
    const written = [vote(9, 0), vote(9, 1), vote(9, 2)];
    const spans = writeRecords(written);
    const full = readFileSync(file());
    const [start, end] = spans[1]!;
    for (let at = start; at < end; at++) {
      const damaged = Buffer.from(full);
      damaged[at] = damaged[at]! ^ 0x20;
      writeFileSync(file(), damaged);
      warnings = [];
      const records = replay();
      expect(records, `flip at ${at}`).toEqual(written.slice(0, 1));
      expect(warnings).toHaveLength(1);
      expect(statSync(file()).size).toBe(start);
    }
  });

  it("drops a frame whose CRC matches but whose payload is not a record", () => {
    const frame = (text: string) => {
      const payload = Buffer.from(text, "utf8");
      const header = Buffer.alloc(FRAME_HEADER_BYTES);
      header.writeUInt32BE(payload.length, 0);
      header.writeUInt32BE(crc32(payload), 4);
      return Buffer.concat([header, payload]);
    };
    for (const bad of [
      "{not json",
      "[1,2]",
      '{"height":1}',
      '{"height":-1,"kind":"x"}',
      '{"height":1.5,"kind":"x"}',
    ]) {
      writeFileSync(
        file(),
        Buffer.concat([encodeWalRecord(vote(2, 0)), frame(bad), encodeWalRecord(vote(2, 1))]),
      );
      const records = replay();
      expect(records, bad).toEqual([vote(2, 0)]);
    }
  });

  it("cuts a zero-filled tail", () => {
    writeRecords([vote(4, 0)]);
    const size = statSync(file()).size;
    writeFileSync(file(), Buffer.concat([readFileSync(file()), Buffer.alloc(4096)]));
    const records = replay();
    expect(records).toEqual([vote(4, 0)]);
    expect(statSync(file()).size).toBe(size);
  });

  it("appends after a reopen, including after a truncated tail", () => {
    writeRecords([vote(5, 0), vote(5, 1)]);
    const full = readFileSync(file());
    writeFileSync(file(), full.subarray(0, full.length - 3));
    const reopened = openWal(dir, log);
    expect(reopened.records).toEqual([vote(5, 0)]);
    reopened.wal.append(vote(5, 1, { retried: true }));
    reopened.wal.append(vote(5, 2));
    reopened.wal.sync();
    reopened.wal.close();
    const records = replay();
    expect(records).toEqual([vote(5, 0), vote(5, 1, { retried: true }), vote(5, 2)]);
  });

  it("rotation keeps only the current height", () => {
    const { wal } = openWal(dir, log);
    wal.append(vote(1, 0));
    wal.append(vote(1, 1));
    wal.sync();
    wal.startHeight(2);
    wal.append(vote(2, 0));
    wal.sync();
    wal.startHeight(3);
    wal.append(vote(3, 0));
    wal.append(vote(3, 1));
    wal.sync();
    wal.close();
    const onDisk = decodeWal(readFileSync(file()));
    expect(onDisk.frames.map((f) => f.record)).toEqual([vote(3, 0), vote(3, 1)]);
    expect(replay()).toEqual([vote(3, 0), vote(3, 1)]);
    expect(existsSync(join(dir, "wal.log.tmp"))).toBe(false);
  });

  it("rotation keeps buffered records of the new height and makes them durable", () => {
    const { wal } = openWal(dir, log);
    wal.append(vote(1, 0));
    wal.sync();
    wal.append(vote(2, 0)); // an input of the next height arrived before the commit finished
    wal.startHeight(2);
    expect(replay()).toEqual([vote(2, 0)]);
    wal.append(vote(2, 1));
    wal.sync();
    wal.close();
    expect(replay()).toEqual([vote(2, 0), vote(2, 1)]);
  });

  it("returns only the highest height when older records were never rotated away", () => {
    writeRecords([vote(1, 0), vote(2, 0), vote(1, 5), vote(2, 1)]);
    const { records, wal } = openWal(dir, log);
    expect(records).toEqual([vote(2, 0), vote(2, 1)]);
    wal.startHeight(2);
    wal.close();
    expect(decodeWal(readFileSync(file())).frames.map((f) => f.record)).toEqual([vote(2, 0), vote(2, 1)]);
  });

  it("ignores a temp file left by an interrupted rotation", () => {
    writeRecords([vote(6, 0)]);
    writeFileSync(join(dir, "wal.log.tmp"), encodeWalRecord(vote(6, 9)).subarray(0, 5));
    const records = replay();
    expect(records).toEqual([vote(6, 0)]);
    expect(existsSync(join(dir, "wal.log.tmp"))).toBe(false);
  });

  it("refuses use after close and records without an integer height", () => {
    const { wal } = openWal(dir, log);
    expect(() => wal.append({ height: 1.5, kind: "vote" })).toThrow(
      expect.objectContaining({ code: "WAL_INVALID_RECORD" }),
    );
    wal.close();
    wal.close();
    expect(() => wal.append(vote(1, 0))).toThrow(expect.objectContaining({ code: "WAL_CLOSED" }));
    expect(() => wal.sync()).toThrow(expect.objectContaining({ code: "WAL_CLOSED" }));
  });
});
