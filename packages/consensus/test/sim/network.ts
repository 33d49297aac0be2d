import { heightOf, type Message, roundOf } from "./messages.js";
import { between } from "./prng.js";

/**
 * "live": consensus traffic (broadcasts and gossip relays). "sync": catch-up of a height the
 * sender has already committed, served to a peer that lags or restarted. "status": a peer's
 * announcement of its height (Tendermint's NewRoundStep), which is what reveals a lagging peer.
 */
export type Channel = "live" | "sync" | "status";

/** What the network does with one transmission: arrive (once, or twice if duplicated), retry later, or lose it. */
export type Route = { kind: "deliver"; delays: number[] } | { kind: "retry"; at: number } | { kind: "drop" };

export interface Network {
  /** `msg` is null for a status announcement. */
  route(from: number, to: number, msg: Message | null, channel: Channel, now: number): Route;
  describe(): string;
}

/** A partition in force during [fromMs, untilMs): nodes talk only within their group. */
export interface PartitionPeriod {
  fromMs: number;
  untilMs: number;
  /** Group id per node index. */
  groups: number[];
}

export interface RandomNetworkParams {
  /** Global stabilisation time: from here on no loss, no partition, delay at most maxDelayMs. */
  gstMs: number;
  partitions: PartitionPeriod[];
  dropP: number;
  dupP: number;
  minDelayMs: number;
  maxDelayMs: number;
}

/**
 * Before GST: random delay (hence reordering), loss, duplication and partitions. Lost messages are
 * offered again by the sender's gossip layer, after a retry interval or when the partition heals,
 * so after GST every message arrives within a bounded delay, which is what liveness assumes.
 */
export class RandomNetwork implements Network {
  constructor(
    private readonly rand: () => number,
    readonly params: RandomNetworkParams,
  ) {}

  route(from: number, to: number, _msg: Message | null, _channel: Channel, now: number): Route {
    const p = this.params;
    for (const cut of p.partitions) {
      if (now >= cut.fromMs && now < cut.untilMs && cut.groups[from] !== cut.groups[to]) {
        return { kind: "retry", at: cut.untilMs + between(this.rand, 0, 50) };
      }
    }
    if (now < p.gstMs && this.rand() < p.dropP)
      return { kind: "retry", at: now + between(this.rand, 50, 300) };
    const delays = [between(this.rand, p.minDelayMs, p.maxDelayMs)];
    if (this.rand() < p.dupP) delays.push(between(this.rand, p.minDelayMs, p.maxDelayMs));
    return { kind: "deliver", delays };
  }

  describe(): string {
    const p = this.params;
    const cuts = p.partitions.map((c) => `[${c.fromMs}-${c.untilMs}ms ${c.groups.join("")}]`).join(" ");
    return (
      `gst ${p.gstMs}ms, delay ${p.minDelayMs}-${p.maxDelayMs}ms, drop ${p.dropP.toFixed(2)}, ` +
      `dup ${p.dupP.toFixed(2)}, partitions ${cuts || "none"}`
    );
  }
}

/**
 * The Twins network: in each scripted (height, round) the nodes are split into groups, and until
 * `healAtMs` a message of that round crosses no group boundary. Twins drops such messages for
 * good; here they arrive after the heal instead, which is still an adversarial schedule (safety
 * must survive any) but keeps the eventual delivery Tendermint's liveness rests on: its prevote
 * and precommit timers only start once 2f+1 votes are in. Unscripted rounds are connected.
 * Status announcements and catch-up of committed heights are outside the rounds' partitions,
 * like block sync.
 */
export class RoundPartitionedNetwork implements Network {
  constructor(
    private readonly rand: () => number,
    /** Group id per node index, or undefined when (height, round) is connected. */
    private readonly groupsOf: (height: number, round: number) => readonly number[] | undefined,
    private readonly healAtMs: number,
    private readonly maxDelayMs: number,
  ) {}

  route(from: number, to: number, msg: Message | null, channel: Channel, now: number): Route {
    if (channel === "live" && msg && now < this.healAtMs) {
      const groups = this.groupsOf(heightOf(msg), roundOf(msg));
      if (groups && groups[from] !== groups[to]) {
        return { kind: "retry", at: this.healAtMs + between(this.rand, 0, this.maxDelayMs) };
      }
    }
    return { kind: "deliver", delays: [between(this.rand, 1, this.maxDelayMs)] };
  }

  describe(): string {
    return `round-partitioned until ${this.healAtMs}ms, delay 1-${this.maxDelayMs}ms`;
  }
}
