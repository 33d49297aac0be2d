import {
  type Block,
  type CommitCertificate,
  isEquivocation,
  type SignedProposal,
  type SignedVote,
} from "@weft/core";

/** A validator may legitimately have several votes stored only when equivocating; cap the damage. */
const MAX_VOTES_PER_VALIDATOR_ROUND = 4;

/**
 * Every signed message of the height being decided, as received: the engine works on bare
 * values, this keeps the signatures to assemble the commit certificate, to re-send messages to
 * peers that missed them, and to prove double-signing.
 */
export class HeightMessages {
  readonly proposals = new Map<number, SignedProposal[]>();
  readonly blocks = new Map<string, Block>();
  /** `${type}/${round}/${validator}` → the distinct votes seen (more than one = equivocation). */
  private readonly votes = new Map<string, SignedVote[]>();
  private readonly reported = new Set<string>();

  constructor(readonly height: number) {}

  addProposal(p: SignedProposal, block: Block): boolean {
    const list = this.proposals.get(p.round) ?? [];
    if (list.some((x) => x.blockHash === p.blockHash)) return false;
    if (list.length >= MAX_VOTES_PER_VALIDATOR_ROUND) return false;
    list.push(p);
    this.proposals.set(p.round, list);
    this.blocks.set(p.blockHash, block);
    return true;
  }

  /**
   * Records a vote. Returns "duplicate" for one already held (any timestamp), "new" otherwise,
   * plus the earlier conflicting vote when this one proves equivocation (reported once).
   */
  addVote(v: SignedVote): { status: "new" | "duplicate" | "dropped"; conflict?: SignedVote } {
    const key = `${v.type}/${v.round}/${v.validator}`;
    const list = this.votes.get(key) ?? [];
    if (list.some((x) => x.blockHash === v.blockHash)) return { status: "duplicate" };
    if (list.length >= MAX_VOTES_PER_VALIDATOR_ROUND) return { status: "dropped" };
    const earlier = list.find((x) => isEquivocation(x, v));
    list.push(v);
    this.votes.set(key, list);
    if (earlier && !this.reported.has(key)) {
      this.reported.add(key);
      return { status: "new", conflict: earlier };
    }
    return { status: "new" };
  }

  vote(
    type: SignedVote["type"],
    round: number,
    validator: string,
    blockHash: string | null,
  ): SignedVote | undefined {
    return this.votes.get(`${type}/${round}/${validator}`)?.find((v) => v.blockHash === blockHash);
  }

  /** Every vote held, in a stable order (round, type, validator), for re-sending to a peer. */
  allVotes(): SignedVote[] {
    return [...this.votes.values()]
      .flat()
      .sort(
        (a, b) =>
          a.round - b.round ||
          (a.type < b.type ? -1 : a.type > b.type ? 1 : 0) ||
          (a.validator < b.validator ? -1 : 1),
      );
  }

  votesOf(validator: string): SignedVote[] {
    return this.allVotes().filter((v) => v.validator === validator);
  }

  /** The certificate for a decision, from the signed precommits of the deciding validators. */
  certificate(
    chainId: string,
    round: number,
    blockHash: string,
    validators: readonly string[],
  ): CommitCertificate {
    const signatures = validators.map((validator) => {
      const v = this.vote("precommit", round, validator, blockHash);
      if (!v) throw new Error(`no signed precommit from ${validator} for the decided block`);
      return { validator, timestamp: v.timestamp, signature: v.signature };
    });
    return { chainId, height: this.height, round, blockHash, signatures };
  }

  /** Who voted what in a round, for the log line that explains a failed round. */
  roundSummary(round: number): {
    proposal: string | null;
    prevotes: Record<string, string>;
    precommits: Record<string, string>;
  } {
    const summary = {
      proposal: this.proposals.get(round)?.[0]?.blockHash ?? null,
      prevotes: {} as Record<string, string>,
      precommits: {} as Record<string, string>,
    };
    for (const v of this.allVotes()) {
      if (v.round !== round) continue;
      const target = v.type === "prevote" ? summary.prevotes : summary.precommits;
      target[v.validator] = v.blockHash === null ? "nil" : v.blockHash.slice(0, 12);
    }
    return summary;
  }
}
