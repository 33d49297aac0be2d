import type { TendermintState, Vote } from "../../src/index.js";
import { getOrCreate } from "./maps.js";
import { heightOf, type Message, messageKey, roundOf } from "./messages.js";
import { chance, pick, shuffled } from "./prng.js";

/**
 * The Byzantine validator (f = 1): its engine runs the honest code so it keeps pace with the
 * protocol, and a strategy decides what each honest node actually receives from it. Strategies
 * are omniscient: they read the honest nodes' states to tell each one what it wants to hear.
 */
export interface AttackContext {
  readonly now: number;
  readonly rand: () => number;
  /** The Byzantine validator's address, which it may sign anything with. */
  readonly address: string;
  /** Honest node indices. */
  readonly targets: readonly number[];
  view(node: number): TendermintState;
  /** Puts any message on the wire to one node, optionally later. */
  send(to: number, msg: Message, delayMs?: number): void;
}

export interface Attacker {
  readonly name: StrategyName;
  /** The Byzantine engine wants to broadcast `msg`. */
  onBroadcast(msg: Message, ctx: AttackContext): void;
  /** A message delivered to the Byzantine node. */
  onReceive(msg: Message, ctx: AttackContext): void;
}

export const STRATEGIES = [
  "honest",
  "silent",
  "withhold",
  "split-brain",
  "double-vote",
  "amnesia",
  "replay",
  "mixed",
] as const;
export type StrategyName = (typeof STRATEGIES)[number];

export function createAttacker(name: StrategyName): Attacker {
  switch (name) {
    case "honest":
      return { name, onBroadcast: sendToAll, onReceive: () => {} };
    case "silent":
      return { name, onBroadcast: () => {}, onReceive: () => {} };
    case "withhold":
      return withhold();
    case "split-brain":
      return splitBrain(true);
    case "double-vote":
      return splitBrain(false);
    case "amnesia":
      return amnesia();
    case "replay":
      return replay();
    case "mixed":
      return mixed();
  }
}

function sendToAll(msg: Message, ctx: AttackContext): void {
  for (const to of ctx.targets) ctx.send(to, msg);
}

const roundKey = (msg: Message) => `${heightOf(msg)}/${roundOf(msg)}`;

/** Per (height, round), only a random subset of honest nodes hears anything from it. */
function withhold(): Attacker {
  const audience = new Map<string, number[]>();
  return {
    name: "withhold",
    onBroadcast(msg, ctx) {
      const key = roundKey(msg);
      const chosen = getOrCreate(audience, key, () => ctx.targets.filter(() => chance(ctx.rand, 0.5)));
      for (const to of chosen) ctx.send(to, msg);
    },
    onReceive() {},
  };
}

/**
 * Equivocates to split the honest nodes. As proposer (when `proposals`), one side gets the real
 * value and the other a different one (sometimes invalid). Every vote is rewritten per recipient
 * to back whatever that recipient backs, so each side believes the Byzantine node is with it.
 */
function splitBrain(proposals: boolean): Attacker {
  const sides = new Map<string, Set<number>>();
  const shown = new Map<string, string>();
  const sideB = (msg: Message, ctx: AttackContext) => {
    const key = roundKey(msg);
    let side = sides.get(key);
    if (!side) {
      const order = shuffled(ctx.rand, ctx.targets);
      side = new Set(order.slice(0, 1 + Math.floor(ctx.rand() * (order.length - 1))));
      sides.set(key, side);
    }
    return side;
  };
  return {
    name: proposals ? "split-brain" : "double-vote",
    onBroadcast(msg, ctx) {
      if (msg.type === "proposal") {
        const p = msg.proposal;
        const other = chance(ctx.rand, 0.25) ? `invalid:${p.value}` : `${p.value}'`;
        const b = proposals ? sideB(msg, ctx) : new Set<number>();
        for (const to of ctx.targets) {
          const value = b.has(to) ? other : p.value;
          shown.set(`${roundKey(msg)}/${to}`, value);
          const validRound = value === p.value ? p.validRound : -1;
          ctx.send(to, { type: "proposal", proposal: { ...p, value, validRound } });
        }
        return;
      }
      for (const to of ctx.targets) {
        const value = favoured(ctx.view(to), msg.vote, shown.get(`${roundKey(msg)}/${to}`));
        ctx.send(to, { type: "vote", vote: { ...msg.vote, value } });
      }
    },
    onReceive() {},
  };
}

/** The value `receiver` is most likely to count toward its own choice in the vote's round. */
function favoured(receiver: TendermintState, vote: Vote, shownToIt: string | undefined): string | null {
  if (receiver.height !== vote.height) return vote.value;
  const r = receiver.rounds[vote.round];
  const self = receiver.config.self;
  const own = (vote.type === "precommit" ? r?.precommits[self]?.value : null) ?? r?.prevotes[self]?.value;
  if (own) return own;
  if (shownToIt) return shownToIt;
  const held = Object.keys(r?.proposals ?? {}).sort();
  return held.find((v) => v !== vote.value) ?? held[0] ?? vote.value;
}

/**
 * Ignores its locks: the moment it sees any proposal it prevotes and precommits it to everyone,
 * on top of the votes its engine casts, so it double-votes whenever values compete.
 */
function amnesia(): Attacker {
  const done = new Set<string>();
  return {
    name: "amnesia",
    onBroadcast: sendToAll,
    onReceive(msg, ctx) {
      if (msg.type !== "proposal") return;
      const p = msg.proposal;
      const key = `${p.height}/${p.round}/${p.value}`;
      if (done.has(key)) return;
      done.add(key);
      for (const type of ["prevote", "precommit"] as const) {
        const vote: Vote = { type, height: p.height, round: p.round, value: p.value, validator: ctx.address };
        sendToAll({ type: "vote", vote }, ctx);
      }
    },
  };
}

/**
 * Behaves, but also re-sends old messages (its own and others') from earlier rounds and heights
 * to random nodes at random later times, and re-signs its own old-round votes for other values.
 */
function replay(): Attacker {
  const seen: Message[] = [];
  const keep = (msg: Message) => {
    seen.push(msg);
    if (seen.length > 300) seen.splice(0, 100);
  };
  return {
    name: "replay",
    onBroadcast(msg, ctx) {
      sendToAll(msg, ctx);
      keep(msg);
      for (let i = 0; i < 3 && seen.length > 0; i++) {
        const old = pick(ctx.rand, seen);
        if (roundOf(old) >= roundOf(msg) && heightOf(old) >= heightOf(msg)) continue;
        ctx.send(pick(ctx.rand, ctx.targets), old, Math.floor(ctx.rand() * 2000));
      }
      if (msg.type === "vote" && msg.vote.round > 0 && chance(ctx.rand, 0.5)) {
        const others = seen.filter(
          (m) => m.type === "proposal" && heightOf(m) === msg.vote.height && roundOf(m) < msg.vote.round,
        );
        const source = others.length > 0 ? pick(ctx.rand, others) : undefined;
        if (source?.type === "proposal") {
          const vote: Vote = { ...msg.vote, round: source.proposal.round, value: source.proposal.value };
          ctx.send(pick(ctx.rand, ctx.targets), { type: "vote", vote }, Math.floor(ctx.rand() * 500));
        }
      }
    },
    onReceive(msg) {
      keep(msg);
    },
  };
}

/** A fresh strategy choice for every (height, round). */
function mixed(): Attacker {
  const pool = (
    ["honest", "silent", "withhold", "split-brain", "double-vote", "amnesia", "replay"] as const
  ).map(createAttacker);
  const chosen = new Map<string, Attacker>();
  const forRound = (msg: Message, ctx: AttackContext) =>
    getOrCreate(chosen, roundKey(msg), () => pick(ctx.rand, pool));
  const received = new Set<string>();
  return {
    name: "mixed",
    onBroadcast: (msg, ctx) => forRound(msg, ctx).onBroadcast(msg, ctx),
    onReceive(msg, ctx) {
      const key = messageKey(msg);
      if (received.has(key)) return;
      received.add(key);
      forRound(msg, ctx).onReceive(msg, ctx);
    },
  };
}
