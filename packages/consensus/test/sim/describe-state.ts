import type { SimNode } from "./node.js";

/** A compact dump of a process's engine state, for reading a failing seed. */
export function describeNode(node: SimNode): string {
  const s = node.state;
  const head =
    `${node.label} ${node.up ? "up" : "down"} h${s.height} r${s.round} ${s.step}` +
    ` locked ${s.lockedValue ?? "-"}@${s.lockedRound} valid ${s.validValue ?? "-"}@${s.validRound}` +
    ` committed ${node.lastCommitted}`;
  const rounds = Object.keys(s.rounds)
    .map(Number)
    .sort((a, b) => a - b)
    .map((r) => {
      const round = s.rounds[r]!;
      const votes = (box: Record<string, { value: string | null }>) =>
        Object.entries(box)
          .map(([v, x]) => `${v}:${x.value ?? "nil"}`)
          .join(" ");
      const proposals = Object.values(round.proposals)
        .map((p) => `${p.value}@vr${p.validRound}`)
        .join(" ");
      return `    r${r} proposals [${proposals}] prevotes [${votes(round.prevotes)}] precommits [${votes(round.precommits)}]`;
    });
  return [head, ...rounds].join("\n");
}
