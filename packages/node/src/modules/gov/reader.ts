import type { CanonicalValue } from "@weft/core";
import { NEXT_ID_KEY, OPEN_QUEUE_KEY, type Proposal, type ProposalStatus, proposalKey } from "./state.js";

/** Reads committed state by full key ("gov/proposal/…"). */
export type StateGetter = (key: string) => CanonicalValue | undefined;

export interface ProposalPage {
  proposals: Proposal[];
  /** Pass as `before` for the next (older) page; absent when there is none. */
  next?: number;
}

/** How many proposals one listing looks at when filtering by a decided status. */
const MAX_SCAN = 2_000;

const full = (key: string) => `gov/${key}`;

/**
 * Node-side listing of proposals, newest first. Open ones come from the expiry queue (one key);
 * for other statuses it walks ids downwards, at most MAX_SCAN per page, and says where to go on.
 */
export function listProposals(
  get: StateGetter,
  query: { status?: ProposalStatus; limit: number; before?: number },
): ProposalPage {
  const read = (id: number) => get(full(proposalKey(id))) as Proposal | undefined;
  const top = ((get(full(NEXT_ID_KEY)) as number | undefined) ?? 1) - 1;
  const start = Math.min(top, (query.before ?? top + 1) - 1);
  if (query.status === "open") {
    const queue = (get(full(OPEN_QUEUE_KEY)) as string[] | undefined) ?? [];
    const ids = queue
      .map((entry) => Number(entry.split("/")[1]))
      .filter((id) => id <= start)
      .sort((a, b) => b - a);
    const page = ids.slice(0, query.limit);
    const proposals = page.map(read).filter((p): p is Proposal => p !== undefined);
    const last = page.at(-1);
    return ids.length > page.length && last !== undefined ? { proposals, next: last } : { proposals };
  }
  const proposals: Proposal[] = [];
  let id = start;
  for (let scanned = 0; id >= 1 && proposals.length < query.limit && scanned < MAX_SCAN; id--, scanned++) {
    const p = read(id);
    if (p && (query.status === undefined || p.status === query.status)) proposals.push(p);
  }
  return id >= 1 ? { proposals, next: id + 1 } : { proposals };
}
