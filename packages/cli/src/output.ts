import { describeError } from "./errors.js";

/** Where text goes; process.stdout and process.stderr, or buffers in tests. */
export interface TextSink {
  write(text: string): unknown;
}

/**
 * All printing goes through here so `--json` is honoured everywhere: results go to stdout as
 * JSON or as human lines, notes are human-only, and errors are one line on stderr.
 */
export class Output {
  constructor(
    readonly json: boolean,
    private readonly stdout: TextSink,
    private readonly stderr: TextSink,
  ) {}

  /** A command's result: `data` as JSON, or the lines `human` renders. */
  result<T>(data: T, human: (data: T) => string | readonly string[]): void {
    this.#print(data, human, 2);
  }

  /** Like `result`, for long-running commands: one JSON object per line, as the node's logs. */
  record<T>(data: T, human: (data: T) => string | readonly string[]): void {
    this.#print(data, human, 0);
  }

  #print<T>(data: T, human: (data: T) => string | readonly string[], indent: number): void {
    if (this.json) {
      this.stdout.write(`${toJson(data, indent)}\n`);
      return;
    }
    const lines = human(data);
    this.stdout.write(`${typeof lines === "string" ? lines : lines.join("\n")}\n`);
  }

  /** Human-only text on stdout (hints, progress); silent under --json. */
  note(...lines: string[]): void {
    if (!this.json) this.stdout.write(`${lines.join("\n")}\n`);
  }

  /** `error: <CODE>: message` on stderr; the stack only when debugging. */
  error(e: unknown, debug = false): void {
    const { code, message } = describeError(e);
    this.stderr.write(`error: ${code}: ${message}\n`);
    if (debug && e instanceof Error && e.stack) this.stderr.write(`${e.stack}\n`);
  }
}

/** Pretty JSON; bigints (never sent by the node, but cheap to allow) as strings. */
export function toJson(value: unknown, indent = 2): string {
  return JSON.stringify(value, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v), indent);
}
