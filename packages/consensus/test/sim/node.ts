import { type Input, type Output, step, type TendermintState } from "../../src/index.js";
import { getOrCreate } from "./maps.js";
import { heightOf, type Message, messageKey } from "./messages.js";

/**
 * How a crash meets the node's write path (append input to WAL → step → fsync → send outputs):
 * "clean" between inputs; "unsent" after the fsync but before the outputs left; "torn" before the
 * fsync, so the last input is lost too. Outputs leave only after the fsync, so in both mid-step
 * cases nobody ever saw them.
 */
export type CrashMode = "clean" | "unsent" | "torn";

export type Role = "honest" | "byzantine" | "twin";

export interface Commit {
  round: number;
  value: string;
}

/**
 * One validator process. Durable: the WAL (every input fed to the engine, grouped by the height
 * the engine was at), the committed chain and the message store peers are served from. Volatile,
 * lost on a crash: the engine state, timers (via `incarnation`), messages held for a future height
 * and the gossip layer's memory.
 */
export class SimNode {
  state: TendermintState;
  up = true;
  /** Bumped by every crash; timers and pending callbacks of an older incarnation are void. */
  incarnation = 0;
  pendingCrash: Exclude<CrashMode, "clean"> | null = null;
  lastCommitted = 0;
  held: Message[] = [];
  relayed = new Set<string>();
  readonly wal = new Map<number, Input[]>();
  readonly chain = new Map<number, Commit>();
  readonly store = new Map<number, Map<string, Message>>();

  constructor(
    readonly index: number,
    readonly address: string,
    readonly label: string,
    readonly role: Role,
    private readonly fresh: (height: number) => TendermintState,
  ) {
    this.state = fresh(1);
  }

  /**
   * Logs `input`, then steps. Returns the outputs to send, or null if a mid-step crash was armed:
   * the node is then down and the outputs are gone.
   */
  feed(input: Input): Output[] | null {
    const log = getOrCreate(this.wal, this.state.height, (): Input[] => []);
    log.push(input);
    const r = step(this.state, input);
    if (this.pendingCrash) {
      if (this.pendingCrash === "torn") log.pop();
      this.crash();
      return null;
    }
    this.state = r.state;
    return r.outputs;
  }

  /** The last input logged at `height` was never made durable. */
  loseLastInput(height: number): void {
    this.wal.get(height)?.pop();
  }

  commit(height: number, commit: Commit): void {
    this.chain.set(height, commit);
    this.lastCommitted = Math.max(this.lastCommitted, height);
  }

  remember(msg: Message): void {
    getOrCreate(this.store, heightOf(msg), () => new Map<string, Message>()).set(messageKey(msg), msg);
  }

  crash(): void {
    this.up = false;
    this.incarnation++;
    this.pendingCrash = null;
    this.held = [];
    this.relayed = new Set();
  }

  /**
   * What the node's WAL recovery does: a fresh engine at the first height the chain lacks, fed the
   * logged inputs of that height (and the next, should the replay itself decide). Returns every
   * output the replay produced; the caller commits its decisions and re-arms what is current.
   */
  restart(): Output[] {
    this.up = true;
    this.state = this.fresh(this.lastCommitted + 1);
    const outputs: Output[] = [];
    for (let h = this.state.height; h === this.state.height && this.wal.has(h); h++) {
      for (const input of this.wal.get(h)!) {
        const r = step(this.state, input);
        this.state = r.state;
        outputs.push(...r.outputs);
      }
    }
    return outputs;
  }
}
