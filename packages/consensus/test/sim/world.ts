import { createState, type Input, type Output, type WeightedValidator } from "../../src/index.js";
import type { AttackContext, Attacker } from "./attacker.js";
import { checkReplay, LivenessChecker, SafetyChecker, type Violation, ViolationFound } from "./checkers.js";
import { EventQueue } from "./event-queue.js";
import { describeMessage, heightOf, isValidValue, type Message, messageKey } from "./messages.js";
import type { Channel, Network } from "./network.js";
import { type CrashMode, type Role, SimNode } from "./node.js";
import { between } from "./prng.js";

export interface Participant {
  address: string;
  /** Unique per process: twins share an address but not a label. */
  label: string;
  role: Role;
}

/**
 * A crash of an honest node as it takes its `atInput`-th input (counted over its whole life), so
 * crashes always land mid-activity; it restarts `downMs` later.
 */
export interface CrashPlan {
  node: number;
  atInput: number;
  mode: CrashMode;
  downMs: number;
}

export interface WorldConfig {
  validators: readonly WeightedValidator[];
  participants: readonly Participant[];
  heights: number;
  rand: () => number;
  network: Network;
  /** Drives every participant with role "byzantine". */
  attacker?: Attacker;
  crashes?: readonly CrashPlan[];
  /** The network's global stabilisation time. */
  gstMs: number;
  /**
   * Rounds a height may take beyond the highest round an honest node had reached when the system
   * stabilised: at GST, or at the last restart if one came later.
   */
  roundBound?: number;
  maxTimeMs: number;
  trace?: (line: string) => void;
  traceMessages?: boolean;
  /** Sees the processes once the run is over (the CLI prints their engine states). */
  onEnd?: (nodes: readonly SimNode[]) => void;
  /**
   * False: honest nodes send only their own messages and never pass on others' (as the node's
   * BftDriver does today, re-sending a height only when a peer reconnects). Tendermint's liveness
   * assumes every message an honest node receives reaches all honest nodes; without forwarding a
   * Byzantine validator that shows its prevote to one honest node can lock it on a polka the
   * others never see, and the height stalls for good. Default true.
   */
  forwarding?: boolean;
  /**
   * Mutant for tests only: outputs leave before the WAL fsync, so a torn crash loses inputs whose
   * outputs were already sent. The crash checks must catch it.
   */
  mutantSendBeforeFsync?: boolean;
}

export interface RunStats {
  endMs: number;
  events: number;
  /** Highest round any honest commit happened in. */
  maxCommitRound: number;
  /** Crashes that actually happened, by how they met the write path. */
  crashes: Record<CrashMode, number>;
  restarts: number;
  /** Equivocation evidence reported by honest nodes. */
  evidence: number;
}

export interface Outcome {
  violation: Violation | null;
  stats: RunStats;
}

/** Short enough that a seed runs in milliseconds, long enough to exceed network delays after a few rounds. */
export const SIM_TIMEOUTS = {
  propose: { baseMs: 400, deltaMs: 100 },
  prevote: { baseMs: 200, deltaMs: 100 },
  precommit: { baseMs: 200, deltaMs: 100 },
};

/** A peer re-serves a committed height to the same lagging node at most this often. */
const CATCH_UP_INTERVAL_MS = 500;
/** How often a node announces its height to its peers. */
const STATUS_INTERVAL_MS = 300;

type Event =
  | { kind: "transmit"; from: number; to: number; msg: Message; channel: Channel; incarnation: number }
  | { kind: "arrive"; from: number; to: number; msg: Message }
  | { kind: "announce"; node: number }
  | { kind: "status"; from: number; to: number; height: number }
  | { kind: "input"; node: number; incarnation: number; input: Input; height: number; round?: number }
  | { kind: "restart"; node: number }
  | { kind: "gst" };

export function runWorld(config: WorldConfig): Outcome {
  return new World(config).run();
}

class World {
  private now = 0;
  private readonly stats: RunStats = {
    endMs: 0,
    events: 0,
    maxCommitRound: 0,
    crashes: { clean: 0, unsent: 0, torn: 0 },
    restarts: 0,
    evidence: 0,
  };
  private readonly queue = new EventQueue<Event>();
  private readonly nodes: SimNode[];
  private readonly honest: SimNode[];
  private readonly checker: SafetyChecker;
  private readonly liveness: LivenessChecker;
  private stabilised = false;
  private readonly inputsTaken = new Map<number, number>();
  private readonly lastCatchUp = new Map<string, number>();

  constructor(private readonly config: WorldConfig) {
    this.nodes = config.participants.map(
      (p, i) =>
        new SimNode(i, p.address, p.label, p.role, (height) =>
          createState({
            height,
            validators: config.validators,
            self: p.address,
            isValid: isValidValue,
            timeouts: SIM_TIMEOUTS,
          }),
        ),
    );
    this.honest = this.nodes.filter((n) => n.role === "honest");
    this.checker = new SafetyChecker(new Set(this.honest.map((n) => n.address)), () => this.now);
    this.liveness = new LivenessChecker(this.checker, this.honest, config.heights, config.roundBound);
  }

  run(): Outcome {
    const { config } = this;
    for (const node of this.nodes) {
      this.queue.push(between(config.rand, 0, 20), this.inputEvent(node, { type: "start-height" }, 1));
      this.queue.push(between(config.rand, 1, STATUS_INTERVAL_MS), { kind: "announce", node: node.index });
    }
    this.queue.push(config.gstMs, { kind: "gst" });
    let violation: Violation | null = null;
    try {
      for (let ev = this.queue.pop(); ev && ev.at <= config.maxTimeMs; ev = this.queue.pop()) {
        this.now = ev.at;
        this.stats.events++;
        this.dispatch(ev.event);
        if (this.liveness.allCommitted()) break;
      }
      this.liveness.check(this.now);
    } catch (e) {
      if (!(e instanceof ViolationFound)) throw e;
      violation = e.violation;
      this.trace(`VIOLATION ${violation.property}: ${violation.message}`);
    }
    config.onEnd?.(this.nodes);
    this.stats.endMs = this.now;
    for (const n of this.honest) {
      for (const c of n.chain.values())
        this.stats.maxCommitRound = Math.max(this.stats.maxCommitRound, c.round);
    }
    return { violation, stats: this.stats };
  }

  private dispatch(e: Event): void {
    switch (e.kind) {
      case "transmit":
        if (this.nodes[e.from]!.incarnation === e.incarnation) this.transmit(e.from, e.to, e.msg, e.channel);
        break;
      case "arrive":
        this.arrive(this.nodes[e.to]!, e.from, e.msg);
        break;
      case "input":
        this.onInput(e);
        break;
      case "announce":
        this.announce(this.nodes[e.node]!);
        break;
      case "status":
        if (this.nodes[e.to]!.up) this.serveCatchUp(this.nodes[e.to]!, e.from, e.height);
        break;
      case "restart":
        this.restart(this.nodes[e.node]!);
        if (this.stabilised) {
          this.liveness.stabilised(this.now);
          this.trace("restart after GST: liveness measured from here");
        }
        break;
      case "gst":
        this.stabilised = true;
        this.liveness.stabilised(this.now);
        this.trace("GST: network synchronous from here");
        break;
    }
  }

  // ---- the node's side -------------------------------------------------------------------

  private inputEvent(node: SimNode, input: Input, height: number, round?: number): Event {
    return { kind: "input", node: node.index, incarnation: node.incarnation, input, height, round };
  }

  /**
   * Timers, start-height and the application's values. Like the driver, drops the ones that are
   * void (crashed since, or the engine moved on) before they reach the WAL.
   */
  private onInput(e: Extract<Event, { kind: "input" }>): void {
    const node = this.nodes[e.node]!;
    const s = node.state;
    if (!node.up || node.incarnation !== e.incarnation || e.height !== s.height) return;
    if ((e.input.type === "timeout" || e.input.type === "proposal-value") && e.round !== s.round) return;
    if (e.input.type === "start-height" && s.started) return;
    this.feed(node, e.input);
  }

  /**
   * The driver's write path for one input: WAL append, step, fsync if there are outputs, send.
   * Returns false if the node crashed on the way.
   */
  private feed(node: SimNode, input: Input): boolean {
    const before = node.state.height;
    const crash = this.crashDue(node);
    if (crash === "clean") return false;
    const outputs = node.take(input);
    const sendFirst = this.config.mutantSendBeforeFsync === true;
    if (sendFirst) this.handle(node, outputs, false);
    if (crash === "torn") return this.crashMidStep(node, crash, input);
    if (outputs.length > 0) node.fsync();
    if (crash === "unsent") return this.crashMidStep(node, crash, input);
    if (!sendFirst) this.handle(node, outputs, false);
    if (node.state.height !== before) this.drainHeld(node);
    return true;
  }

  private crashMidStep(node: SimNode, mode: CrashMode, input: Input): false {
    node.crash();
    this.stats.crashes[mode]++;
    const what = mode === "torn" ? "before its WAL fsync" : "after its WAL fsync, before sending";
    this.trace(`${node.label} crashed on ${input.type}, ${what}`);
    return false;
  }

  private arrive(node: SimNode, from: number, msg: Message): void {
    if (!node.up) return;
    if (this.config.traceMessages)
      this.trace(`${node.label} <- ${this.nodes[from]!.label}: ${describeMessage(msg)}`);
    const h = heightOf(msg);
    if (h < node.state.height) {
      this.serveCatchUp(node, from, h);
      return;
    }
    if (node.role === "byzantine") this.config.attacker?.onReceive(msg, this.attackContext());
    if (h > node.state.height) {
      node.held.push(msg);
      // The sender is ahead, so this node lags: it is owed the heights it has not committed.
      this.serveCatchUp(this.nodes[from]!, node.index, node.state.height);
      return;
    }
    this.accept(node, msg, from);
  }

  /** A message of the node's height: duplicates of what it has seen stop here, as in the driver. */
  private accept(node: SimNode, msg: Message, from: number): void {
    const key = messageKey(msg);
    if (node.seen.has(key)) return;
    if (!this.feed(node, msg)) return;
    node.seen.add(key);
    node.remember(msg);
    this.relay(node, msg, from);
  }

  /** Messages that arrived early, once the node reaches their height. */
  private drainHeld(node: SimNode): void {
    const h = node.state.height;
    const ready = node.held.filter((m) => heightOf(m) === h);
    if (ready.length === 0) return;
    node.held = node.held.filter((m) => heightOf(m) > h);
    for (const m of ready) {
      if (!node.up || node.state.height !== h) return;
      this.accept(node, m, -1);
    }
  }

  private handle(node: SimNode, outputs: Output[], replay: boolean): void {
    const s = node.state;
    for (const o of outputs) {
      switch (o.type) {
        case "broadcast-proposal":
          this.broadcast(node, { type: "proposal", proposal: o.proposal });
          break;
        case "broadcast-vote":
          this.broadcast(node, { type: "vote", vote: o.vote });
          break;
        case "schedule-timeout":
          // After a replay only the current round's timers matter; older ones would be no-ops.
          if (!replay || (o.height === s.height && o.round === s.round)) {
            const input: Input = { type: "timeout", kind: o.kind, height: o.height, round: o.round };
            this.queue.push(this.now + o.durationMs, this.inputEvent(node, input, o.height, o.round));
          }
          break;
        case "request-value":
          if (!replay || (s.awaitingValue && o.height === s.height && o.round === s.round)) {
            // The value depends on the incarnation, as a mempool would: a value lost with a
            // torn WAL entry is not what the restarted node proposes.
            const value = `h${o.height}r${o.round}-${node.label}-i${node.incarnation}`;
            const input: Input = { type: "proposal-value", value };
            this.queue.push(
              this.now + between(this.config.rand, 0, 20),
              this.inputEvent(node, input, o.height, o.round),
            );
          }
          break;
        case "decide":
          node.commit(o.height, { round: o.round, value: o.value });
          this.trace(`${node.label} decided h${o.height} r${o.round} ${o.value}${replay ? " (replay)" : ""}`);
          this.checker.onDecide(node.label, node.address, o.height, o.round, o.value);
          if (!replay && o.height < this.config.heights) {
            const input: Input = { type: "start-height" };
            this.queue.push(
              this.now + between(this.config.rand, 0, 30),
              this.inputEvent(node, input, o.height + 1),
            );
          }
          break;
        case "evidence":
          if (node.role === "honest") this.stats.evidence++;
          this.checker.onEvidence(node.label, node.address, o.a.validator);
          break;
      }
    }
  }

  private broadcast(node: SimNode, msg: Message): void {
    if (node.role === "byzantine") {
      this.config.attacker?.onBroadcast(msg, this.attackContext());
      return;
    }
    this.checker.onSigned(node.label, msg);
    node.remember(msg);
    node.seen.add(messageKey(msg));
    for (const peer of this.nodes) if (peer !== node) this.transmit(node.index, peer.index, msg, "live");
  }

  /** Gossip: an honest node passes on each message it takes in, so an equivocator's faces meet. */
  private relay(node: SimNode, msg: Message, from: number): void {
    if (node.role === "byzantine" || this.config.forwarding === false) return;
    for (const peer of this.nodes) {
      if (peer !== node && peer.index !== from) this.transmit(node.index, peer.index, msg, "live");
    }
  }

  /** Status gossip: tells every peer this node's height, so peers ahead can serve what it lacks. */
  private announce(node: SimNode): void {
    this.queue.push(this.now + STATUS_INTERVAL_MS, { kind: "announce", node: node.index });
    if (!node.up || node.role === "byzantine") return;
    const height = node.state.height;
    for (const peer of this.nodes) {
      if (peer === node) continue;
      const route = this.config.network.route(node.index, peer.index, null, "status", this.now);
      if (route.kind === "deliver") {
        this.queue.push(this.now + route.delays[0]!, {
          kind: "status",
          from: node.index,
          to: peer.index,
          height,
        });
      }
    }
  }

  /** A peer still at a height this node committed gets what this node holds for it. */
  private serveCatchUp(node: SimNode, lagging: number, height: number): void {
    if (lagging < 0 || node.role === "byzantine" || !node.chain.has(height)) return;
    const key = `${node.index}>${lagging}@${height}`;
    const last = this.lastCatchUp.get(key);
    if (last !== undefined && this.now - last < CATCH_UP_INTERVAL_MS) return;
    this.lastCatchUp.set(key, this.now);
    for (const m of node.store.get(height)?.values() ?? []) this.transmit(node.index, lagging, m, "sync");
  }

  // ---- crash and restart -----------------------------------------------------------------

  /**
   * Counts the input the node is about to take and returns the crash planned for it, scheduling
   * the restart. A "clean" crash happens now: the input is lost in flight.
   */
  private crashDue(node: SimNode): CrashMode | null {
    const taken = (this.inputsTaken.get(node.index) ?? 0) + 1;
    this.inputsTaken.set(node.index, taken);
    const plan = this.config.crashes?.find((c) => c.node === node.index && c.atInput === taken);
    if (!plan) return null;
    this.queue.push(this.now + plan.downMs, { kind: "restart", node: node.index });
    if (plan.mode === "clean") {
      node.crash();
      this.stats.crashes.clean++;
      this.trace(`${node.label} crashed between inputs`);
    }
    return plan.mode;
  }

  private restart(node: SimNode): void {
    this.stats.restarts++;
    const from = node.lastCommitted + 1;
    const outputs = node.restart();
    this.trace(`${node.label} restarted at h${from}, replayed to h${node.state.height} r${node.state.round}`);
    checkReplay(this.checker, node, from, this.config.heights, outputs);
    this.handle(node, outputs, true);
    if (node.state.height <= this.config.heights && !node.state.started) {
      if (!this.feed(node, { type: "start-height" })) return;
    }
    // Peers and the node exchange what they hold from the node's height on, as gossip does
    // when a connection comes back; whatever was in flight or held in memory is recovered.
    for (const peer of this.nodes) {
      if (peer === node || !peer.up) continue;
      for (const [h, box] of peer.store) {
        if (h < node.state.height) continue;
        for (const m of box.values()) this.transmit(peer.index, node.index, m, "sync");
      }
      for (const [h, box] of node.store) {
        if (h < Math.min(node.state.height, peer.state.height)) continue;
        for (const m of box.values()) this.transmit(node.index, peer.index, m, "sync");
      }
    }
  }

  // ---- network ---------------------------------------------------------------------------

  private transmit(from: number, to: number, msg: Message, channel: Channel): void {
    const route = this.config.network.route(from, to, msg, channel, this.now);
    if (route.kind === "deliver") {
      for (const d of route.delays) this.queue.push(this.now + d, { kind: "arrive", from, to, msg });
    } else if (route.kind === "retry") {
      const incarnation = this.nodes[from]!.incarnation;
      this.queue.push(route.at, { kind: "transmit", from, to, msg, channel, incarnation });
    }
  }

  private attackContext(): AttackContext {
    const byzantine = this.nodes.find((n) => n.role === "byzantine")!;
    return {
      now: this.now,
      rand: this.config.rand,
      address: byzantine.address,
      targets: this.honest.map((n) => n.index),
      view: (i) => this.nodes[i]!.state,
      send: (to, msg, delayMs = 0) => {
        this.checker.onSigned(byzantine.label, msg);
        if (delayMs <= 0) this.transmit(byzantine.index, to, msg, "live");
        else {
          const e: Event = {
            kind: "transmit",
            from: byzantine.index,
            to,
            msg,
            channel: "live",
            incarnation: 0,
          };
          this.queue.push(this.now + delayMs, e);
        }
      },
    };
  }

  private trace(line: string): void {
    this.config.trace?.(`${String(this.now).padStart(6)}ms ${line}`);
  }
}
