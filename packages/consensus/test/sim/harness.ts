import { createState, type Input, type Output, step, type TendermintState } from "../../src/index.js";
import { equivocate } from "./byzantine.js";
import { EventQueue } from "./event-queue.js";
import { between, mulberry32, shuffled } from "./prng.js";

/**
 * A deterministic network of Tendermint machines: a virtual clock, a seeded PRNG for delays,
 * drops, duplicates and reordering, and a partition that heals at `healAt`. Lost messages are
 * re-sent by a gossip layer after a retry interval (as peers re-gossip what a peer lacks), and a
 * message for a height the receiver has not reached is held until it gets there. With
 * `byzantine`, the last node equivocates (see byzantine.ts).
 */
export interface Decision {
  value: string;
  round: number;
  at: number;
}

export interface SimResult {
  healAt: number;
  /** decisions[node][height] */
  decisions: Record<number, Decision>[];
  proposed: Set<string>;
  /** Highest round any node had reached in each height when the partition healed. */
  roundAtHeal: Record<number, number>;
  /** Validators named in evidence that honest nodes reported. */
  accused: Set<string>;
  /** Index of the equivocating node, or -1. */
  byzantine: number;
  endAt: number;
  /** Final machine states, for diagnosing a failing seed. */
  final: TendermintState[];
}

type Event =
  | { kind: "deliver"; to: number; from: number; input: Input }
  | { kind: "local"; to: number; input: Input; relay?: boolean };

const TIMEOUTS = {
  propose: { baseMs: 400, deltaMs: 100 },
  prevote: { baseMs: 200, deltaMs: 100 },
  precommit: { baseMs: 200, deltaMs: 100 },
};

export interface SimOptions {
  seed: number;
  n: number;
  heights: number;
  maxTimeMs: number;
  byzantine: boolean;
}

export function simulate({ seed, n, heights, maxTimeMs, byzantine }: SimOptions): SimResult {
  const rand = mulberry32(seed);
  const names = Array.from({ length: n }, (_, i) => `val${i}`);
  const validators = names.map((address) => ({ address, power: 1 }));
  const healAt = between(rand, 500, 3000);
  const groupA = new Set(shuffled(rand, names).slice(0, between(rand, 1, n - 1)));
  const dropP = rand() * 0.3;
  const dupP = rand() * 0.2;
  const maxDelay = between(rand, 5, 150);

  const nodes: TendermintState[] = names.map((self) =>
    createState({ height: 1, validators, self, isValid: () => true, timeouts: TIMEOUTS }),
  );
  const held: Input[][] = names.map(() => []);
  const relayed: Set<string>[] = names.map(() => new Set());
  const result: SimResult = {
    healAt,
    decisions: names.map(() => ({})),
    proposed: new Set(),
    roundAtHeal: {},
    accused: new Set(),
    byzantine: byzantine ? n - 1 : -1,
    endAt: 0,
    final: [],
  };
  const queue = new EventQueue<Event>();
  let now = 0;
  let healed = false;

  const cut = (a: number, b: number) => now < healAt && groupA.has(names[a]!) !== groupA.has(names[b]!);
  const broadcast = (from: number, input: Input) => {
    for (let to = 0; to < n; to++) {
      if (to === from) continue;
      const sent = from === result.byzantine ? equivocate(input, to, nodes[to]!) : input;
      if (sent.type === "proposal") result.proposed.add(sent.proposal.value);
      queue.push(now, { kind: "deliver", to, from, input: sent });
    }
  };

  const apply = (i: number, input: Input) => {
    const h = heightOf(input);
    if (h !== undefined && h > nodes[i]!.height) {
      held[i]!.push(input);
      return;
    }
    if (h !== undefined && h < nodes[i]!.height) return;
    const before = nodes[i]!.height;
    const r = step(nodes[i]!, input);
    nodes[i] = r.state;
    for (const o of r.outputs) handle(i, o);
    if (nodes[i]!.height !== before) {
      const ready = held[i]!.filter((x) => heightOf(x) === nodes[i]!.height);
      held[i] = held[i]!.filter((x) => !ready.includes(x));
      for (const x of ready) apply(i, x);
    }
  };

  const handle = (i: number, o: Output) => {
    switch (o.type) {
      case "broadcast-proposal":
        broadcast(i, { type: "proposal", proposal: o.proposal });
        break;
      case "broadcast-vote":
        broadcast(i, { type: "vote", vote: o.vote });
        break;
      case "schedule-timeout":
        queue.push(now + o.durationMs, {
          kind: "local",
          to: i,
          input: { type: "timeout", kind: o.kind, height: o.height, round: o.round },
        });
        break;
      case "request-value":
        apply(i, { type: "proposal-value", value: `h${o.height}.r${o.round}.${names[i]}` });
        break;
      case "decide":
        result.decisions[i]![o.height] = { value: o.value, round: o.round, at: now };
        if (o.height < heights)
          queue.push(now + between(rand, 0, 30), { kind: "local", to: i, input: { type: "start-height" } });
        break;
      case "evidence":
        result.accused.add(o.a.validator);
        break;
    }
  };

  const deliver = (ev: Extract<Event, { kind: "deliver" }>) => {
    const { to, from } = ev;
    if (cut(from, to) || rand() < dropP) {
      // Lost: the gossip layer offers it again later (and keeps trying across the partition).
      queue.push(now + between(rand, 50, 300), ev);
      return;
    }
    if (rand() < dupP) queue.push(now + between(rand, 0, maxDelay), { kind: "local", to, input: ev.input });
    queue.push(now + between(rand, 0, maxDelay), { kind: "local", to, input: ev.input, relay: true });
  };

  for (let i = 0; i < n; i++)
    queue.push(between(rand, 0, 20), { kind: "local", to: i, input: { type: "start-height" } });

  let ev = queue.pop();
  while (ev && ev.at <= maxTimeMs) {
    now = ev.at;
    if (!healed && now >= healAt) {
      healed = true;
      for (const s of nodes)
        result.roundAtHeal[s.height] = Math.max(result.roundAtHeal[s.height] ?? 0, s.round);
    }
    const e = ev.event;
    if (e.kind === "deliver") deliver(e);
    else {
      // Honest nodes relay each message once, as gossip does: an equivocator's two faces meet.
      const key = JSON.stringify(e.input);
      if (e.relay && e.to !== result.byzantine && !relayed[e.to]!.has(key)) {
        relayed[e.to]!.add(key);
        broadcast(e.to, e.input);
      }
      apply(e.to, e.input);
    }
    if (result.decisions.every((d, i) => i === result.byzantine || Object.keys(d).length === heights)) break;
    ev = queue.pop();
  }
  result.endAt = now;
  result.final = nodes;
  return result;
}

function heightOf(input: Input): number | undefined {
  if (input.type === "proposal") return input.proposal.height;
  if (input.type === "vote") return input.vote.height;
  if (input.type === "timeout") return input.height;
  return undefined;
}
