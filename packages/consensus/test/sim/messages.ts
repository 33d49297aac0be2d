import type { Input } from "../../src/index.js";

/** What validators send each other: the engine's proposal and vote inputs. */
export type Message = Extract<Input, { type: "proposal" | "vote" }>;

export function heightOf(m: Message): number {
  return m.type === "proposal" ? m.proposal.height : m.vote.height;
}

export function roundOf(m: Message): number {
  return m.type === "proposal" ? m.proposal.round : m.vote.round;
}

export function signerOf(m: Message): string {
  return m.type === "proposal" ? m.proposal.proposer : m.vote.validator;
}

/** Identity of a message's content, for gossip de-duplication. */
export function messageKey(m: Message): string {
  if (m.type === "proposal") {
    const p = m.proposal;
    return `P|${p.height}|${p.round}|${p.proposer}|${p.value}|${p.validRound}`;
  }
  const v = m.vote;
  return `${v.type === "prevote" ? "V" : "C"}|${v.height}|${v.round}|${v.validator}|${v.value ?? "∅"}`;
}

/** What a signer commits to with one signature slot: two messages with one slot and two contents conflict. */
export function signatureSlot(m: Message): { slot: string; content: string } {
  if (m.type === "proposal") {
    const p = m.proposal;
    return { slot: `${p.proposer} proposal h${p.height} r${p.round}`, content: `${p.value}@${p.validRound}` };
  }
  const v = m.vote;
  return { slot: `${v.validator} ${v.type} h${v.height} r${v.round}`, content: v.value ?? "nil" };
}

export function describeMessage(m: Message): string {
  if (m.type === "proposal") {
    const p = m.proposal;
    return `proposal(h${p.height} r${p.round} ${p.value} vr${p.validRound} by ${p.proposer})`;
  }
  const v = m.vote;
  return `${v.type}(h${v.height} r${v.round} ${v.value ?? "nil"} by ${v.validator})`;
}

/** Application values: honest ones are valid; a Byzantine proposer may also offer invalid ones. */
export function isValidValue(value: string): boolean {
  return !value.startsWith("invalid");
}
