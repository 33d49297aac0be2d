import {
  createState,
  freshHeight,
  type Input,
  type Output,
  proposer,
  step,
  type TendermintState,
  type TimeoutKind,
} from "@weft/consensus";
import {
  type Block,
  blockHash,
  type CommitCertificate,
  type ConsensusStatus,
  type DecodedTx,
  type Genesis,
  medianCommitTime,
  type SignedProposal,
  type SignedVote,
  txHash,
  type Validator,
  validatorSetHash,
  verifyCommit,
  verifyProposal,
  verifyVote,
} from "@weft/core";
import type { Logger } from "pino";
import type { Application } from "../app/application.js";
import type { Metrics } from "../metrics/metrics.js";
import type { PeerNetwork } from "../net/peer-network.js";
import type { ConsensusSigner, WalLike, WalRecordOf } from "./bft-ports.js";
import { BlockSync } from "./block-sync.js";
import { HeightMessages } from "./height-messages.js";
import {
  type CompactProposalMessage,
  type ConsensusMessage,
  consensusMessageProblem,
  type ProposalMessage,
  type VoteMessage,
} from "./messages.js";
import type { ConsensusOptions } from "./options.js";

type Work =
  | { kind: "message"; peer: string | null; message: ConsensusMessage }
  | { kind: "timeout"; height: number; round: number; timeout: TimeoutKind }
  | { kind: "value"; height: number; round: number; block: Block }
  | { kind: "start"; height: number }
  | { kind: "apply"; peer: string; items: { block: Block; commit: CommitCertificate }[]; done: () => void };

/** At most this many messages for the next height are kept while this node finishes the current one. */
const MAX_FUTURE_MESSAGES = 512;

export interface BftDriverParams {
  app: Application;
  genesis: Genesis;
  /** This validator's address. */
  self: string;
  signer: ConsensusSigner;
  wal: WalLike;
  /** Records read from the WAL at start (the current height's inputs and own signatures). */
  walRecords: readonly WalRecordOf[];
  network: PeerNetwork;
  options: ConsensusOptions;
  metrics: Metrics;
  log: Logger;
  /** Called once per detected double-sign, with the two conflicting signed votes. */
  onEquivocation?: (a: SignedVote, b: SignedVote) => void;
  now?: () => number;
}

/**
 * Runs the Tendermint state machine of @weft/consensus against the network, the WAL, the
 * double-sign guard and the application. Work is processed one item at a time in arrival
 * order; each item is written to the WAL, the engine steps, the WAL is synced, and only then
 * do its outputs (signed votes, proposals) leave the node. A decision is committed before the
 * next item is looked at, so everything here runs on a consistent head.
 */
export class BftDriver {
  private engine: TendermintState;
  private messages: HeightMessages;
  private readonly validity = new Map<string, boolean>();
  /** Blocks of compact proposals already asked for in full at this height. */
  private readonly requested = new Set<string>();
  private readonly queue: Work[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly future: ConsensusMessage[] = [];
  private draining = false;
  private stopped = false;
  private replaying = false;
  private heard = false;
  private waitingForWork = false;
  private lastCommitAt = 0;
  /** When this height started and how long proposals took to check, for the commit log line. */
  private phase = { startedAt: 0, proposalAt: 0, checkMs: 0 };
  private progressMark = "";
  private regossipTimer: NodeJS.Timeout | undefined;
  private drainDone: Promise<void> = Promise.resolve();
  readonly sync: BlockSync;
  private readonly now: () => number;
  private readonly chainId: string;
  private readonly names = new Map<string, string>();
  /** The validator set of the height being decided (from state; governance may change it). */
  private validators: readonly Validator[] = [];
  /** Validator set hash and timeouts the engine config was built from. */
  private configKey = "";

  constructor(private readonly p: BftDriverParams) {
    this.now = p.now ?? Date.now;
    this.chainId = p.genesis.chainId;
    const height = p.app.lastCommitted().height + 1;
    this.engine = this.engineFor(height, undefined);
    this.messages = new HeightMessages(height);
    this.sync = new BlockSync({
      network: p.network,
      app: p.app,
      log: p.log.child({ module: "sync" }),
      metrics: p.metrics,
      statusIntervalMs: p.options.statusIntervalMs,
      apply: (peer, items) => new Promise<void>((done) => this.enqueue({ kind: "apply", peer, items, done })),
    });
  }

  get height(): number {
    return this.engine.height;
  }

  /**
   * A fresh engine for `height`: its validator set and the timeouts (`gov/params` over node
   * options) come from the state after height - 1. The config is rebuilt only when they
   * differ from the previous height's. A node outside the set follows silently (the engine
   * never asks it to vote or propose) and starts signing at the height its key enters the set.
   */
  private engineFor(height: number, previous: TendermintState | undefined): TendermintState {
    const set = this.p.app.validatorsAt(height);
    const o = this.p.options;
    const params = this.p.app.params();
    const proposeMs = params.timeoutProposeMs ?? o.timeoutProposeMs;
    const voteMs = params.timeoutVoteMs ?? o.timeoutVoteMs;
    const deltaMs = params.timeoutDeltaMs ?? o.timeoutDeltaMs;
    const key = `${validatorSetHash(set)}/${proposeMs}/${voteMs}/${deltaMs}`;
    const wasMember = this.validators.some((v) => v.address === this.p.self);
    const isMember = set.some((v) => v.address === this.p.self);
    this.validators = set;
    for (const v of set) this.names.set(v.address, v.name || v.address.slice(0, 8));
    if (previous && key === this.configKey) return freshHeight(previous.config, height);
    if (!previous || wasMember !== isMember) {
      this.p.log.info(
        { height, validators: set.length, member: isMember },
        isMember
          ? "this node is a validator at this height: it votes and proposes"
          : "this node is not in the validator set at this height: it follows and signs nothing",
      );
    }
    this.configKey = key;
    return createState({
      height,
      validators: set.map((v) => ({ address: v.address, power: v.power })),
      self: this.p.self,
      isValid: (value) => this.validity.get(value) === true,
      timeouts: {
        propose: { baseMs: proposeMs, deltaMs },
        prevote: { baseMs: voteMs, deltaMs },
        precommit: { baseMs: voteMs, deltaMs },
      },
    });
  }

  get round(): number {
    return this.engine.round;
  }

  /** The height being decided, its round and step, and each peer's connection and announced height. */
  status(peers: { id: string; connected: boolean }[]): ConsensusStatus {
    const heights = this.sync.peerHeights();
    return {
      engine: "tendermint",
      height: this.engine.height,
      round: this.engine.round,
      step: this.engine.step,
      peers: peers.map((p) => ({ ...p, height: heights[p.id] ?? null })),
    };
  }

  /** Replays the WAL of the current height, then joins the network. */
  async start(): Promise<void> {
    const { network, metrics } = this.p;
    // Messages arriving during the replay wait in the queue.
    this.draining = true;
    network.on("consensus", (peer, message) => {
      const problem = consensusMessageProblem(message);
      if (problem) return void this.refuse(peer, "malformed", `malformed consensus message (${problem})`);
      this.enqueue({ kind: "message", peer, message: message as ConsensusMessage });
    });
    network.onPeerEvent((e) => {
      metrics.peers.set(network.connectedPeers().length);
      if (e.type === "connected") this.resendHeightTo(e.peerId);
    });
    try {
      await this.replayWal();
    } finally {
      this.draining = false;
    }
    this.sync.start();
    this.regossipTimer = setInterval(() => this.regossipIfStuck(), this.p.options.regossipIntervalMs);
    if (!this.engine.started) this.scheduleStart();
    if (this.queue.length > 0) this.drainDone = this.drain();
  }

  /** A transaction reached the mempool: a height waiting for work may start. */
  notify(): void {
    if (this.waitingForWork) this.enqueue({ kind: "start", height: this.engine.height });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    clearInterval(this.regossipTimer);
    this.sync.stop();
    await this.drainDone;
  }

  // ---- the work loop -------------------------------------------------------------------------

  private enqueue(work: Work, first = false): void {
    if (this.stopped) {
      if (work.kind === "apply") work.done();
      return;
    }
    if (first) this.queue.unshift(work);
    else this.queue.push(work);
    if (!this.draining) this.drainDone = this.drain();
  }

  private async drain(): Promise<void> {
    this.draining = true;
    try {
      while (this.queue.length > 0 && !this.stopped) {
        const work = this.queue.shift() as Work;
        if (work.kind === "apply") {
          await this.applySynced(work);
          continue;
        }
        const outputs = this.accept(work);
        if (outputs.length === 0) continue;
        // The inputs behind these outputs are durable before anything is signed or sent.
        this.p.wal.sync();
        await this.perform(outputs);
      }
    } catch (e) {
      this.p.log.fatal({ err: e }, "consensus stopped");
      this.stopped = true;
      throw e;
    } finally {
      this.draining = false;
    }
  }

  /** Checks one item, records it in the WAL and steps the engine. Returns the engine's outputs. */
  private accept(work: Exclude<Work, { kind: "apply" }>): Output[] {
    const s = this.engine;
    switch (work.kind) {
      case "message":
        switch (work.message.type) {
          case "proposal":
            return this.acceptProposal(work.peer, work.message);
          case "compact-proposal":
            return this.acceptCompactProposal(work.peer, work.message);
          case "get-proposal-block":
            this.sendProposalBlock(work.peer, work.message.height, work.message.blockHash);
            return [];
          case "vote":
            return this.acceptVote(work.peer, work.message);
        }
        return [];
      case "timeout":
        if (work.height !== s.height || work.round !== s.round) return [];
        this.record({ kind: "timeout", height: s.height, round: work.round, timeout: work.timeout });
        return this.stepEngine({
          type: "timeout",
          kind: work.timeout,
          height: work.height,
          round: work.round,
        });
      case "value": {
        if (work.height !== s.height || work.round !== s.round) return [];
        const hash = blockHash(work.block.header);
        this.messages.blocks.set(hash, work.block);
        this.validity.set(hash, true);
        this.record({ kind: "value", height: s.height, round: work.round, block: work.block });
        return this.stepEngine({ type: "proposal-value", value: hash });
      }
      case "start":
        if (work.height !== s.height || s.started) return [];
        this.waitingForWork = false;
        this.phase = { startedAt: this.now(), proposalAt: 0, checkMs: 0 };
        this.record({ kind: "start", height: s.height });
        return this.stepEngine({ type: "start-height" });
    }
  }

  /** Signature, proposer and block hash of a proposal; false (after logging) when it must be ignored. */
  private proposalAcceptable(
    peer: string | null,
    p: SignedProposal,
    header: Block["header"],
    message: ConsensusMessage,
  ): boolean {
    if (!this.sameHeight(peer, p, message)) return false;
    const expected = proposer(this.engine.config.validators, p.height, p.round);
    if (p.proposer !== expected) {
      this.drop(
        peer,
        "wrong-proposer",
        `proposal from ${this.name(p.proposer)}, not the proposer of round ${p.round}`,
      );
      return false;
    }
    if (!verifyProposal(p, this.validators)) {
      this.refuse(peer, "bad-signature", `proposal for ${p.height}/${p.round} has an invalid signature`);
      return false;
    }
    if (blockHash(header) !== p.blockHash) {
      this.refuse(peer, "bad-block", "proposal carries a block with a different hash");
      return false;
    }
    return true;
  }

  /**
   * A proposal naming its transactions by hash: rebuilt from this node's mempool, where each was
   * already decoded and signature-checked. If any is missing, the full block is fetched instead.
   */
  private acceptCompactProposal(peer: string | null, m: CompactProposalMessage): Output[] {
    const p = m.proposal;
    if (!this.proposalAcceptable(peer, p, m.header, m)) return [];
    const known = this.messages.blocks.get(p.blockHash);
    if (known) return this.acceptProposal(peer, { type: "proposal", proposal: p, block: known });
    const decoded: DecodedTx[] = [];
    for (const hash of m.txHashes) {
      const d = this.p.app.mempool.get(hash);
      if (!d) {
        if (peer !== null && !this.requested.has(p.blockHash)) {
          this.requested.add(p.blockHash);
          this.p.network.send(peer, "consensus", {
            type: "get-proposal-block",
            height: p.height,
            blockHash: p.blockHash,
          });
        }
        return [];
      }
      decoded.push(d);
    }
    const block: Block = { header: m.header, txs: decoded.map((d) => d.tx), lastCommit: m.lastCommit };
    return this.acceptProposal(peer, { type: "proposal", proposal: p, block }, decoded);
  }

  private sendProposalBlock(peer: string | null, height: number, hash: string): void {
    if (peer === null || height !== this.messages.height) return;
    const block = this.messages.blocks.get(hash);
    const proposal = [...this.messages.proposals.values()].flat().find((x) => x.blockHash === hash);
    if (block && proposal) this.p.network.send(peer, "consensus", { type: "proposal", proposal, block });
  }

  private acceptProposal(peer: string | null, m: ProposalMessage, decoded?: DecodedTx[]): Output[] {
    const { proposal: p, block } = m;
    if (!decoded && !this.proposalAcceptable(peer, p, block.header, m)) return [];
    if (!this.messages.addProposal(p, block)) return [];
    this.noteHeard();
    if (!this.validity.has(p.blockHash)) {
      const checkStart = this.now();
      const problem = this.p.app.proposalProblem(block, decoded);
      this.phase.checkMs += this.now() - checkStart;
      this.phase.proposalAt ||= this.now();
      this.validity.set(p.blockHash, problem === undefined);
      if (problem) {
        this.p.log.warn(
          { height: p.height, round: p.round, proposer: this.name(p.proposer), reason: problem },
          "invalid proposal: this node will prevote nil",
        );
      }
    }
    this.relay(peer, this.compact(p, block));
    this.record({ kind: "proposal", height: p.height, proposal: p, block });
    return this.stepEngine({
      type: "proposal",
      proposal: {
        height: p.height,
        round: p.round,
        value: p.blockHash,
        validRound: p.validRound,
        proposer: p.proposer,
      },
    });
  }

  private acceptVote(peer: string | null, { vote: v }: VoteMessage): Output[] {
    if (!this.sameHeight(peer, v, { type: "vote", vote: v })) return [];
    if (!verifyVote(v, this.validators))
      return this.refuse(peer, "bad-signature", `${v.type} from ${v.validator} does not verify`);
    const added = this.messages.addVote(v);
    if (added.status !== "new") return [];
    this.noteHeard();
    this.relay(peer, { type: "vote", vote: v });
    if (added.conflict) this.equivocation(added.conflict, v);
    this.record({ kind: "vote", height: v.height, vote: v });
    return this.stepEngine({
      type: "vote",
      vote: { type: v.type, height: v.height, round: v.round, value: v.blockHash, validator: v.validator },
    });
  }

  /** Messages for this height pass; the next height's are kept for later; others are dropped. */
  private sameHeight(
    peer: string | null,
    m: { chainId: string; height: number },
    message: ConsensusMessage,
  ): boolean {
    if (m.chainId !== this.chainId) {
      this.refuse(peer, "wrong-chain", `message for chain ${m.chainId}`);
      return false;
    }
    if (m.height === this.engine.height) return true;
    if (m.height === this.engine.height + 1 && this.future.length < MAX_FUTURE_MESSAGES)
      this.future.push(message);
    else if (m.height > this.engine.height + 1) this.sync.peerAhead(peer, m.height - 1);
    return false;
  }

  private stepEngine(input: Input): Output[] {
    const before = this.engine.round;
    const { state, outputs } = step(this.engine, input);
    this.engine = state;
    if (state.height === this.messages.height && state.round > before) this.roundChanged(before, state.round);
    return outputs;
  }

  private record(r: WalRecordOf): void {
    if (!this.replaying) this.p.wal.append(r);
  }

  // ---- outputs --------------------------------------------------------------------------------

  private async perform(outputs: Output[]): Promise<void> {
    for (const out of outputs) {
      switch (out.type) {
        case "broadcast-vote":
          this.castVote(out.vote.type, out.vote.round, out.vote.value);
          break;
        case "broadcast-proposal":
          this.castProposal(out.proposal.round, out.proposal.value, out.proposal.validRound);
          break;
        case "schedule-timeout":
          if (!this.replaying) this.armTimeout(out.kind, out.height, out.round, out.durationMs);
          break;
        case "request-value":
          if (!this.replaying) this.buildProposal(out.height, out.round);
          break;
        case "decide":
          await this.commitDecision(
            out.height,
            out.round,
            out.value,
            out.precommits.map((v) => v.validator),
          );
          break;
        case "evidence":
          // Detected on the signed messages in HeightMessages, where the signatures are.
          break;
      }
    }
  }

  private castVote(type: SignedVote["type"], round: number, value: string | null): void {
    const height = this.messages.height;
    let vote = this.messages.vote(type, round, this.p.self, value);
    if (!vote) {
      const block = value === null ? undefined : this.messages.blocks.get(value);
      // A precommit's timestamp becomes BFT time: keep it after the block's own time.
      const timestamp = Math.max(this.now(), block ? block.header.time + 1 : 0);
      try {
        vote = this.p.signer.signVote({
          type,
          chainId: this.chainId,
          height,
          round,
          blockHash: value,
          timestamp,
        });
      } catch (e) {
        this.p.log.error({ err: e, height, round, type }, "refused to sign a vote");
        return;
      }
      this.messages.addVote(vote);
      // The double-sign guard made the signature durable; the WAL copy (synced with the next
      // batch) only spares a restarted node from asking for it again.
      this.p.wal.append({ kind: "own-vote", height, vote });
    }
    this.p.network.broadcast("consensus", { type: "vote", vote });
  }

  private castProposal(round: number, value: string, validRound: number): void {
    const height = this.messages.height;
    const block = this.messages.blocks.get(value);
    if (!block) {
      this.p.log.error({ height, round }, "the engine proposed a block this node does not hold");
      return;
    }
    let proposal = this.messages.proposals.get(round)?.find((x) => x.proposer === this.p.self);
    if (!proposal) {
      try {
        proposal = this.p.signer.signProposal({
          type: "proposal",
          chainId: this.chainId,
          height,
          round,
          blockHash: value,
          validRound,
        });
      } catch (e) {
        this.p.log.error({ err: e, height, round }, "refused to sign a proposal");
        return;
      }
      this.messages.addProposal(proposal, block);
      this.p.wal.append({ kind: "own-proposal", height, proposal, block });
    }
    this.p.network.broadcast("consensus", this.compact(proposal, block));
  }

  /** Peers hold the transactions already (mempool gossip): send hashes, not the transactions. */
  private compact(proposal: SignedProposal, block: Block): CompactProposalMessage {
    const txHashes = this.p.app.txHashesOf(proposal.blockHash) ?? block.txs.map((tx) => txHash(tx));
    return {
      type: "compact-proposal",
      proposal,
      header: block.header,
      lastCommit: block.lastCommit,
      txHashes,
    };
  }

  private buildProposal(height: number, round: number): void {
    const head = this.p.app.lastCommitted();
    const lastCommit = head.commit;
    const time =
      lastCommit === null
        ? this.p.genesis.genesisTime
        : medianCommitTime(lastCommit, this.p.app.validatorsAt(height - 1));
    const buildStart = this.now();
    const block = this.p.app.prepareProposal({ height, time, proposer: this.p.self, lastCommit });
    this.phase.checkMs += this.now() - buildStart;
    this.phase.proposalAt ||= this.now();
    this.enqueue({ kind: "value", height, round, block }, true);
  }

  private armTimeout(kind: TimeoutKind, height: number, round: number, ms: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.enqueue({ kind: "timeout", height, round, timeout: kind });
    }, ms);
    this.timers.add(timer);
  }

  // ---- commits ---------------------------------------------------------------------------------

  private async commitDecision(
    height: number,
    round: number,
    value: string,
    signers: string[],
  ): Promise<void> {
    const block = this.messages.blocks.get(value);
    if (!block) throw new Error(`decided block ${value} at height ${height} is not held`);
    const commit = this.messages.certificate(this.chainId, round, value, signers);
    const started = this.now();
    await this.p.app.commitBlock(block, commit);
    const signed = new Set(signers);
    for (const v of this.validators) {
      if (!signed.has(v.address))
        this.p.metrics.consensusMissingVotes.inc({ validator: this.name(v.address) });
    }
    const ph = this.phase;
    this.p.log.debug(
      {
        height,
        round,
        txs: block.txs.length,
        heightMs: ph.startedAt ? started - ph.startedAt : null,
        proposalAfterMs: ph.proposalAt ? ph.proposalAt - ph.startedAt : null,
        checkMs: ph.checkMs,
        commitMs: this.now() - started,
      },
      "block decided and committed",
    );
    this.afterCommit(height);
  }

  /** Blocks from a peer that is ahead: each certificate is verified, each block re-executed. */
  private async applySynced(work: Extract<Work, { kind: "apply" }>): Promise<void> {
    try {
      for (const { block, commit } of work.items) {
        const height = block.header.height;
        if (height < this.engine.height) continue;
        if (height > this.engine.height) break;
        const hash = blockHash(block.header);
        try {
          verifyCommit(commit, { chainId: this.chainId, height, blockHash: hash }, this.validators);
        } catch (e) {
          this.refuse(work.peer, "bad-commit", `synced block ${height}: ${(e as Error).message}`);
          return;
        }
        const problem = this.p.app.proposalProblem(block);
        if (problem) {
          this.refuse(work.peer, "bad-block", `synced block ${height}: ${problem}`);
          return;
        }
        await this.p.app.commitBlock(block, commit);
        this.p.metrics.syncedBlocks.inc();
        this.afterCommit(height);
      }
    } finally {
      work.done();
    }
  }

  private afterCommit(height: number): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    // After a decision the engine is already at height + 1 with the old config; rebuild it
    // when governance changed the set or the timeouts for the new height.
    this.engine = this.engineFor(height + 1, this.engine);
    this.messages = new HeightMessages(height + 1);
    this.validity.clear();
    this.requested.clear();
    this.heard = false;
    this.lastCommitAt = this.now();
    this.p.wal.startHeight(height + 1);
    this.p.metrics.consensusRound.set(0);
    this.sync.committed(height);
    const next = this.future.splice(0);
    for (const message of next.reverse()) this.enqueue({ kind: "message", peer: null, message }, true);
    this.scheduleStart();
  }

  /** Starts the next height after the commit timeout, once there is work (or peers have started). */
  private scheduleStart(): void {
    const height = this.engine.height;
    const wait = Math.max(0, this.lastCommitAt + this.p.options.commitTimeoutMs - this.now());
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (height !== this.engine.height || this.engine.started) return;
      if (this.p.options.emptyBlocks || this.heard || this.p.app.mempool.size > 0) {
        this.enqueue({ kind: "start", height });
        return;
      }
      this.waitingForWork = true;
      this.armStartAnyway(height);
    }, wait);
    this.timers.add(timer);
  }

  private armStartAnyway(height: number): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.enqueue({ kind: "start", height });
    }, this.p.options.emptyBlockIntervalMs);
    this.timers.add(timer);
  }

  private noteHeard(): void {
    this.heard = true;
    if (this.waitingForWork) this.enqueue({ kind: "start", height: this.engine.height });
  }

  // ---- recovery and gossip ---------------------------------------------------------------------

  /**
   * Rebuilds the engine of the current height from the WAL: own signatures first (so replayed
   * outputs reuse them instead of signing again), then every input in order. Outputs are
   * re-sent; timers and block building resume from the replayed state afterwards.
   */
  private async replayWal(): Promise<void> {
    const height = this.engine.height;
    const records = this.p.walRecords.filter((r) => r.height === height);
    if (records.length === 0) return;
    this.replaying = true;
    const pending: Output[] = [];
    for (const r of records) {
      if (r.kind === "own-vote") this.messages.addVote(r.vote);
      if (r.kind === "own-proposal") this.messages.addProposal(r.proposal, r.block);
    }
    for (const r of records) {
      switch (r.kind) {
        case "proposal":
          pending.push(
            ...this.acceptProposal(null, { type: "proposal", proposal: r.proposal, block: r.block }),
          );
          break;
        case "vote":
          pending.push(...this.acceptVote(null, { type: "vote", vote: r.vote }));
          break;
        case "timeout":
          pending.push(...this.accept({ kind: "timeout", height, round: r.round, timeout: r.timeout }));
          break;
        case "value":
          pending.push(...this.accept({ kind: "value", height, round: r.round, block: r.block }));
          break;
        case "start":
          pending.push(...this.accept({ kind: "start", height }));
          break;
      }
    }
    this.p.log.info(
      { height, round: this.engine.round, step: this.engine.step, records: records.length },
      "consensus state replayed from the WAL",
    );
    // Decisions found in the WAL are committed by the normal path; sends and signatures reuse
    // what was signed before the crash (the double-sign guard refuses anything else).
    try {
      await this.perform(pending);
    } finally {
      this.replaying = false;
    }
    this.resumeAfterReplay();
  }

  /** Re-arms the timers the replayed state had armed, and rebuilds a proposal still owed. */
  private resumeAfterReplay(): void {
    const s = this.engine;
    if (!s.started || s.height !== this.messages.height) return;
    const t = s.config.timeouts;
    const r = s.rounds[s.round];
    const after = (kind: TimeoutKind) => t[kind].baseMs + s.round * t[kind].deltaMs;
    if (s.step === "propose") this.armTimeout("propose", s.height, s.round, after("propose"));
    if (r?.prevoteTimeoutScheduled) this.armTimeout("prevote", s.height, s.round, after("prevote"));
    if (r?.precommitTimeoutScheduled) this.armTimeout("precommit", s.height, s.round, after("precommit"));
    if (s.awaitingValue) this.buildProposal(s.height, s.round);
  }

  /**
   * Passes a first-seen message on to the other peers. Tendermint's liveness assumes every
   * message an honest node receives reaches all honest nodes: a Byzantine validator that shows a
   * vote to only some of them must not split the rest. Duplicates are not relayed again.
   */
  private relay(from: string | null, message: ConsensusMessage): void {
    if (from === null || this.replaying) return;
    for (const peer of this.p.network.connectedPeers()) {
      if (peer !== from) this.p.network.send(peer, "consensus", message);
    }
  }

  private resendHeightTo(peer: string): void {
    const m = this.messages;
    for (const [, list] of m.proposals) {
      for (const proposal of list) {
        const block = m.blocks.get(proposal.blockHash);
        if (block) this.p.network.send(peer, "consensus", this.compact(proposal, block));
      }
    }
    for (const vote of m.allVotes()) this.p.network.send(peer, "consensus", { type: "vote", vote });
  }

  /** Connections can drop messages; while a height is stuck, re-send what this node said in it. */
  private regossipIfStuck(): void {
    const mark = `${this.engine.height}/${this.engine.round}/${this.engine.step}`;
    if (mark !== this.progressMark || !this.engine.started) {
      this.progressMark = mark;
      return;
    }
    const round = this.engine.round;
    for (const proposal of this.messages.proposals.get(round) ?? []) {
      const block = this.messages.blocks.get(proposal.blockHash);
      if (block) this.p.network.broadcast("consensus", this.compact(proposal, block));
    }
    for (const vote of this.messages.votesOf(this.p.self)) {
      if (vote.round === round) this.p.network.broadcast("consensus", { type: "vote", vote });
    }
  }

  // ---- diagnostics --------------------------------------------------------------------------

  private roundChanged(from: number, to: number): void {
    const m = this.p.metrics;
    m.consensusRoundChanges.inc(to - from);
    m.consensusRound.set(to);
    const summary = this.messages.roundSummary(from);
    const named = (votes: Record<string, string>) =>
      Object.fromEntries(this.validators.map((v) => [this.name(v.address), votes[v.address] ?? "missing"]));
    this.p.log.warn(
      {
        height: this.engine.height,
        failedRound: from,
        round: to,
        proposer: this.name(proposer(this.engine.config.validators, this.engine.height, from)),
        proposal: summary.proposal ? summary.proposal.slice(0, 12) : "none received",
        prevotes: named(summary.prevotes),
        precommits: named(summary.precommits),
      },
      "round failed; moving to the next round",
    );
  }

  private equivocation(a: SignedVote, b: SignedVote): void {
    this.p.metrics.consensusEquivocations.inc({ validator: this.name(a.validator) });
    this.p.log.error(
      {
        validator: this.name(a.validator),
        height: a.height,
        round: a.round,
        type: a.type,
        a: a.blockHash,
        b: b.blockHash,
      },
      "double-signing detected",
    );
    if (!this.replaying) this.p.onEquivocation?.(a, b);
  }

  private name(address: string): string {
    return this.names.get(address) ?? address;
  }

  private drop(peer: string | null, reason: string, message: string): Output[] {
    this.p.metrics.consensusInvalidMessages.inc({ reason });
    this.p.log.warn({ peer, reason }, message);
    return [];
  }

  /** A message no honest peer sends: logged, counted, and the peer disconnected. */
  private refuse(peer: string | null, reason: string, message: string): Output[] {
    this.drop(peer, reason, message);
    if (peer !== null) this.p.network.penalize(peer, message);
    return [];
  }
}
