import type { CanonicalValue } from "@weft/core";
import type { Call, ModuleState, StateView } from "../../app/module.js";

export type ProposalStatus = "open" | "executed" | "rejected" | "expired" | "failed";

export interface Vote {
  voter: string;
  /** The voter's organisation when it voted; null on an open chain (no identity). */
  org: string | null;
  approve: boolean;
  height: number;
}

export interface Proposal {
  id: number;
  title: string;
  proposer: string;
  proposerOrg: string | null;
  actions: Call[];
  createdAt: number;
  /** Block time (ms) after which the proposal expires. */
  deadline: number;
  votes: Vote[];
  status: ProposalStatus;
  decidedAt?: number;
  error?: { code: string; message: string };
}

/** Chain parameters set by governance; absent = genesis params and node options. */
export interface ChainParamsOnChain {
  maxBlockBytes: number;
  maxBlockTxs: number;
  maxTxBytes: number;
  timeoutProposeMs?: number;
  timeoutVoteMs?: number;
  timeoutDeltaMs?: number;
}

const pad = (n: number, width: number) => String(n).padStart(width, "0");
export const proposalKey = (id: number | string) => `proposal/${pad(Number(id), 10)}`;
export const openKey = (deadline: number, id: number) => `open/${pad(deadline, 15)}/${pad(id, 10)}`;
export const NEXT_ID_KEY = "next-id";
export const PARAMS_KEY = "params";
/**
 * Every open proposal as "<deadline 15>/<id 10>", sorted: ModuleState has no range reads, so
 * endBlock finds what expires by reading this one key instead of scanning `open/…`.
 */
export const OPEN_QUEUE_KEY = "open-queue";

/** Typed accessors over the gov namespace. */
export class GovStore {
  constructor(private readonly state: ModuleState) {}

  nextId(): number {
    const id = (this.state.get(NEXT_ID_KEY) as number | undefined) ?? 1;
    this.state.set(NEXT_ID_KEY, id + 1);
    return id;
  }

  proposal(id: number): Proposal | undefined {
    return this.state.get(proposalKey(id)) as Proposal | undefined;
  }

  put(proposal: Proposal): void {
    this.state.set(proposalKey(proposal.id), proposal as unknown as CanonicalValue);
  }

  openQueue(): string[] {
    return (this.state.get(OPEN_QUEUE_KEY) as string[] | undefined) ?? [];
  }

  private setQueue(queue: string[]): void {
    if (queue.length === 0) this.state.delete(OPEN_QUEUE_KEY);
    else this.state.set(OPEN_QUEUE_KEY, queue);
  }

  markOpen(p: Proposal): void {
    const entry = openKey(p.deadline, p.id).slice("open/".length);
    this.state.set(openKey(p.deadline, p.id), true);
    // Ids grow and deadlines mostly do too, so the entry usually goes at the end.
    this.setQueue([...this.openQueue(), entry].sort());
  }

  markClosed(p: Proposal): void {
    this.state.delete(openKey(p.deadline, p.id));
    const entry = openKey(p.deadline, p.id).slice("open/".length);
    this.setQueue(this.openQueue().filter((e) => e !== entry));
  }

  /** Ids of open proposals whose deadline is before `time`, earliest first. */
  expiredBefore(time: number): number[] {
    const ids: number[] = [];
    for (const entry of this.openQueue()) {
      const [deadline, id] = entry.split("/");
      if (Number(deadline) >= time) break;
      ids.push(Number(id));
    }
    return ids;
  }

  params(): ChainParamsOnChain | undefined {
    return this.state.get(PARAMS_KEY) as ChainParamsOnChain | undefined;
  }

  setParams(params: ChainParamsOnChain): void {
    this.state.set(PARAMS_KEY, params as unknown as CanonicalValue);
  }
}

/** The identity module's member record, as far as governance reads it. */
interface MemberRecord {
  org: string;
  roles: string[];
  status: string;
}

/** The voter's organisation, or null when the chain has no identity or the voter no record. */
export function orgOf(view: StateView, address: string): string | null {
  const member = view.get(`identity/member/${address}`) as MemberRecord | undefined;
  return member?.org ?? null;
}

/**
 * True when every active organisation has a vote from one of its active admins: nobody is
 * left whose vote could still pass the proposal under an org-vote policy. False on an open chain.
 */
export function everyOrgVoted(view: StateView, votes: readonly Vote[]): boolean {
  const orgs = view.get("identity/orgs") as string[] | undefined;
  if (!orgs) return false;
  const voted = new Set<string>();
  for (const v of votes) {
    const member = view.get(`identity/member/${v.voter}`) as MemberRecord | undefined;
    if (member?.status === "active" && member.roles.includes("admin")) voted.add(member.org);
  }
  let active = 0;
  for (const name of orgs) {
    const org = view.get(`identity/org/${name}`) as { status?: string } | undefined;
    if (org?.status !== "active") continue;
    active++;
    if (!voted.has(name)) return false;
  }
  return active > 0;
}
