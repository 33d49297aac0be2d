import {
  closeSync,
  existsSync,
  fdatasyncSync,
  fsyncSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  writeSync,
} from "node:fs";
import { join } from "node:path";
import { decodeWal, encodeWalRecord, WalError, type WalRecord } from "./wal-record.js";

export type { WalRecord } from "./wal-record.js";
export { WalError, type WalErrorCode } from "./wal-record.js";

/** The one logger method the WAL needs (a pino Logger fits). */
export interface WalLogger {
  warn(details: Record<string, unknown>, message: string): void;
}

/**
 * The consensus write-ahead log. Inputs are appended, then made durable together by `sync`
 * before any output they caused leaves the node; after a crash they are replayed.
 */
export interface ConsensusWal {
  /** Buffers one record; nothing is durable until `sync`. */
  append(record: WalRecord): void;
  /** Writes the buffered records in order and fsyncs them. */
  sync(): void;
  /** Height `height` begins: records of earlier heights are dropped from the log. */
  startHeight(height: number): void;
  /** Syncs what is buffered and closes the file; later calls other than `close` throw. */
  close(): void;
}

const LOG_FILE = "wal.log";
const TEMP_FILE = "wal.log.tmp";

/**
 * Opens (or creates) the WAL in `dir` and returns the records of the highest height it holds.
 * A torn or corrupt tail — what kill -9 mid-write leaves — is cut off and logged, never thrown.
 */
export function openWal(dir: string, log: WalLogger): { records: WalRecord[]; wal: ConsensusWal } {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, LOG_FILE);
  // A rotation interrupted before its rename: the old log is still whole, the copy is not needed.
  rmSync(join(dir, TEMP_FILE), { force: true });

  const existed = existsSync(path);
  const bytes = existed ? readFileSync(path) : new Uint8Array(0);
  const decoded = decodeWal(bytes);
  if (decoded.validLength < bytes.length) {
    log.warn(
      {
        path,
        problem: decoded.problem,
        keptBytes: decoded.validLength,
        droppedBytes: bytes.length - decoded.validLength,
        keptRecords: decoded.frames.length,
      },
      "consensus WAL has a torn or corrupt tail; truncating it",
    );
    const fd = openSync(path, "r+");
    try {
      ftruncateSync(fd, decoded.validLength);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  }
  const fd = openSync(path, "a");
  if (!existed) fsyncDir(dir);

  let start = 0;
  const frames = decoded.frames.map(({ record, end }) => {
    const frame = { height: record.height, bytes: bytes.subarray(start, end) };
    start = end;
    return frame;
  });
  const top = decoded.frames.reduce((max, f) => Math.max(max, f.record.height), -1);
  const records = decoded.frames.map((f) => f.record).filter((r) => r.height === top);
  return { records, wal: new FileWal(dir, fd, frames) };
}

interface Frame {
  height: number;
  bytes: Uint8Array;
}

class FileWal implements ConsensusWal {
  private pending: Frame[] = [];
  private status: "open" | "closed" | "failed" = "open";

  constructor(
    private readonly dir: string,
    private fd: number,
    /** The frames in the file now, so rotation can rewrite the ones it keeps without reading. */
    private durable: Frame[],
  ) {}

  append(record: WalRecord): void {
    this.ensureOpen();
    this.pending.push({ height: record.height, bytes: encodeWalRecord(record) });
  }

  sync(): void {
    this.ensureOpen();
    if (this.pending.length === 0) return;
    this.guard(() => {
      writeAll(this.fd, Buffer.concat(this.pending.map((f) => f.bytes)));
      // fdatasync: the appended bytes and the file length, without the timestamps fsync adds.
      fdatasyncSync(this.fd);
    });
    this.durable.push(...this.pending);
    this.pending = [];
  }

  startHeight(height: number): void {
    this.sync();
    const kept = this.durable.filter((f) => f.height >= height);
    if (kept.length === this.durable.length) return;
    // Write the kept records to a new file and rename it over the log: a crash at any point
    // leaves either the old log or the new one, both whole.
    const path = join(this.dir, LOG_FILE);
    const temp = join(this.dir, TEMP_FILE);
    this.guard(() => {
      const tempFd = openSync(temp, "w");
      try {
        writeAll(tempFd, Buffer.concat(kept.map((f) => f.bytes)));
        fsyncSync(tempFd);
      } finally {
        closeSync(tempFd);
      }
      renameSync(temp, path);
      fsyncDir(this.dir);
      closeSync(this.fd);
      this.fd = openSync(path, "a");
    });
    this.durable = kept;
  }

  close(): void {
    if (this.status !== "open") return;
    this.sync(); // on failure the file is already closed and marked failed
    this.status = "closed";
    closeSync(this.fd);
  }

  private ensureOpen(): void {
    if (this.status === "open") return;
    throw new WalError({
      code: "WAL_CLOSED",
      message:
        this.status === "failed"
          ? "the consensus WAL failed to write and was closed"
          : "the consensus WAL is closed",
    });
  }

  /** After a failed write or fsync the file's contents are unknown: refuse everything after it. */
  private guard(io: () => void): void {
    try {
      io();
    } catch (e) {
      this.status = "failed";
      try {
        closeSync(this.fd);
      } catch {
        // already unusable
      }
      throw e;
    }
  }
}

function writeAll(fd: number, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
}

/** Makes a file's creation or rename durable. */
function fsyncDir(dir: string): void {
  const fd = openSync(dir, "r");
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
