import type { Input, TendermintState } from "../../src/index.js";

/**
 * An omniscient equivocator: as proposer it shows half its peers a different value, and each
 * vote it casts is rewritten, per recipient, for a proposal that recipient holds in the vote's
 * round other than the one it really backs, so every honest node sees it supporting "its" value. With f = 1 of n = 4 the
 * locking rules must keep honest nodes in agreement regardless.
 */
export function equivocate(input: Input, to: number, receiver: TendermintState): Input {
  if (input.type === "proposal") {
    if (to % 2 === 0) return input;
    return { type: "proposal", proposal: { ...input.proposal, value: `${input.proposal.value}'` } };
  }
  if (input.type !== "vote") return input;
  const { vote } = input;
  const held =
    vote.height === receiver.height ? Object.keys(receiver.rounds[vote.round]?.proposals ?? {}) : [];
  const theirs = held.sort().find((v) => v !== vote.value);
  return { type: "vote", vote: { ...vote, value: theirs ?? vote.value } };
}
