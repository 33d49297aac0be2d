import { type Input, type Output, step, type TendermintState } from "../../src/index.js";
import { getOrCreate } from "./maps.js";
import { heightOf, type Message, messageKey } from "./messages.js";

/**
 * Where a crash (kill -9) meets the node's write path, which is the BFT driver's: append the
 * input to the WAL buffer → step → fsync, only if the step has outputs → send the outputs.
 * "clean": between inputs. "torn": inside a step, before its fsync. "unsent": after the fsync,
 * before the outputs leave. Every crash loses the unsynced buffer: the inputs since the last
 * step that had outputs, which is exactly why nothing sent can depend on them.
 */
export type CrashMode = "clean" | "torn" | "unsent";

export type Role = "honest" | "byzantine" | "twin";

export interface Commit {
  round: number;
  value: string;
}

/**
 * One validator process. Durable: the fsynced WAL (engine inputs by the height the engine was
 * at), the committed chain and the message store peers are served from. Volatile, lost on a
 * crash: the engine, the WAL's unsynced buffer, timers (via `incarnation`), messages held for a
 * future height and the gossip layer's memory of what it has seen.
 */
export class SimNode {
  state: TendermintState;
  up = true;
  /** Bumped by every crash; timers and pending callbacks of an older incarnation are void. */
  incarnation = 0;
  lastCommitted = 0;
  held: Message[] = [];
  /** Messages taken in or sent by this incarnation: duplicates stop here, as in the driver. */
  seen = new Set<string>();
  readonly wal = new Map<number, Input[]>();
  readonly chain = new Map<number, Commit>();
  readonly store = new Map<number, Map<string, Message>>();
  private unsynced: { height: number; input: Input }[] = [];

  constructor(
    readonly index: number,
    readonly address: string,
    readonly label: string,
    readonly role: Role,
    private readonly fresh: (height: number) => TendermintState,
  ) {
    this.state = fresh(1);
  }

  /** Appends `input` to the WAL buffer and steps the engine. */
  take(input: Input): Output[] {
    this.unsynced.push({ height: this.state.height, input });
    const r = step(this.state, input);
    this.state = r.state;
    return r.outputs;
  }

  /** Makes the buffered inputs durable. */
  fsync(): void {
    for (const { height, input } of this.unsynced)
      getOrCreate(this.wal, height, (): Input[] => []).push(input);
    this.unsynced = [];
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
    this.unsynced = [];
    this.held = [];
    this.seen = new Set();
  }

  /**
   * What the driver's recovery does: a fresh engine at the first height the chain lacks, fed the
   * durable inputs of that height (and of the next, should the replay itself decide). Returns
   * every output the replay produced; the caller commits its decisions and re-arms what is current.
   */
  restart(): Output[] {
    this.up = true;
    this.state = this.fresh(this.lastCommitted + 1);
    const outputs: Output[] = [];
    for (let h = this.state.height; h === this.state.height && this.wal.has(h); h++) {
      for (const input of this.wal.get(h)!) {
        // As the driver's replay rebuilds the height's message set, which it serves to peers.
        if (input.type === "proposal" || input.type === "vote") {
          this.seen.add(messageKey(input));
          this.remember(input);
        }
        const r = step(this.state, input);
        this.state = r.state;
        outputs.push(...r.outputs);
      }
    }
    return outputs;
  }
}
