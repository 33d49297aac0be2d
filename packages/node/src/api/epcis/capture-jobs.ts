import { randomBytes } from "node:crypto";
import type { WeftError } from "@weft/core";
import type { FastifyBaseLogger } from "fastify";
import type { Database } from "lmdb";
import type { Submission } from "../../app/tx-submitter.js";
import type { NodeEvent, NodeService } from "../../service.js";
import type { CaptureChunk, CaptureErrorBehaviour, CapturePlan, EventProblem } from "./capture-plan.js";
import { problemBase } from "./capture-plan.js";

export type CaptureTxStatus = "queued" | "pending" | "committed" | "failed" | "cancelled";

/** One `trace.capture` transaction of a job. */
export interface CaptureJobTx {
  /** Set once submitted. */
  hash?: string;
  status: CaptureTxStatus;
  /** Positions of its events in the captured document, and their ledger ids. */
  eventIndexes: number[];
  eventIDs: string[];
  height?: number;
  error?: { code: string; message: string };
}

/** A problem of a capture job: an event refused before submission, or a transaction that failed. */
export type JobProblem =
  | EventProblem
  | (ReturnType<typeof problemBase> & { detail: string; [k: string]: unknown });

/** The capture job resource (`GET /epcis/capture/{captureID}`), as EPCIS 2.0 §12 defines it plus ledger detail. */
export interface CaptureJob {
  captureID: string;
  createdAt: string;
  finishedAt?: string;
  /** True until every transaction is committed, failed or cancelled. */
  running: boolean;
  /** False as soon as one error occurred. */
  success: boolean;
  captureErrorBehaviour: CaptureErrorBehaviour;
  /** RFC 7807 problems: refused events, failed transactions. */
  errors: JobProblem[];
  /** Events in the captured document; events committed so far. */
  eventCount: number;
  capturedEventCount: number;
  txs: CaptureJobTx[];
  /** The authenticated member who asked for the capture (recorded on chain with each event). */
  submittedBy?: SubmittedBy;
}

/** A member of the node's organisation, as `trace.capture` records it. */
export interface SubmittedBy {
  org: string;
  id: string;
}

export interface CaptureJobsDeps {
  service: NodeService;
  submit(document: string, submittedBy?: SubmittedBy): Promise<Submission>;
  jobs: Database<CaptureJob, string>;
  now(): number;
  maxJobs: number;
  log: FastifyBaseLogger;
  /** How often pending transactions are looked up (to notice ones dropped from the mempool). */
  sweepMs?: number;
  /** Resolves once the trace index covers `height`, so a finished job's events are queryable. */
  whenIndexed?(height: number): Promise<void>;
}

interface TxOutcome {
  status: "committed" | "failed";
  height?: number;
  error?: { code: string; message: string };
}

/**
 * Capture jobs: each runs a plan's transactions, records every step in the node-local repository
 * `x-epcis-capture-jobs` (LMDB) and reports to waiters. `rollback` submits one transaction at a
 * time and waits for its commit before the next, stopping at the first failure; `proceed` submits
 * all and waits for all.
 */
export class CaptureJobs {
  /** Event ids of transactions not yet committed or failed (duplicate checks count them). */
  private readonly inFlight = new Set<string>();
  private readonly txWaiters = new Map<string, (outcome: TxOutcome) => void>();
  private readonly jobWaiters = new Map<string, Set<(job: CaptureJob) => void>>();
  private readonly live = new Map<string, CaptureJob>();
  private unsubscribe: () => void = () => {};
  private sweeper: NodeJS.Timeout | undefined;
  private stopped = false;
  /** Submissions and writes under way: `stop` waits for them so nothing touches a closed store. */
  private readonly busy = new Set<Promise<unknown>>();

  constructor(private readonly deps: CaptureJobsDeps) {}

  /** Subscribes to commits and resumes the jobs a restart interrupted. */
  start(): void {
    this.unsubscribe = this.deps.service.subscribe((event) => this.onNodeEvent(event));
    this.sweeper = setInterval(() => this.sweep(), this.deps.sweepMs ?? 1000);
    this.sweeper.unref();
    for (const { value: job } of this.deps.jobs.getRange({})) {
      if (job.running) this.resume(job);
    }
  }

  /**
   * Stops tracking and waits for submissions under way to be recorded. Jobs still running stay
   * `running` in the repository; the next start resumes them.
   */
  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe();
    if (this.sweeper) clearInterval(this.sweeper);
    await Promise.allSettled([...this.busy]);
  }

  /** Runs `work` unless stopping; `stop` waits for it. */
  private async step<T>(work: () => Promise<T>): Promise<T | undefined> {
    if (this.stopped) return undefined;
    const p = work();
    this.busy.add(p);
    try {
      return await p;
    } finally {
      this.busy.delete(p);
    }
  }

  isInFlight(eventId: string): boolean {
    return this.inFlight.has(eventId);
  }

  get(captureID: string): CaptureJob | undefined {
    return this.live.get(captureID) ?? this.deps.jobs.get(captureID);
  }

  /** Jobs newest first, `perPage` of them after `after` (a captureID). */
  list(perPage: number, after?: string): { jobs: CaptureJob[]; next?: string } {
    const jobs: CaptureJob[] = [];
    for (const { key, value } of this.deps.jobs.getRange({
      reverse: true,
      ...(after === undefined ? {} : { start: after }),
    })) {
      if (key === after) continue;
      const job = this.live.get(key) ?? value;
      if (jobs.length === perPage) return { jobs, next: jobs[jobs.length - 1]?.captureID as string };
      jobs.push(job);
    }
    return { jobs };
  }

  /** Records a new job for `plan` and starts it; resolves once the job is stored. */
  async create(
    plan: CapturePlan,
    behaviour: CaptureErrorBehaviour,
    submittedBy?: SubmittedBy,
  ): Promise<CaptureJob> {
    const createdAt = this.deps.now();
    const job: CaptureJob = {
      captureID: newCaptureId(createdAt),
      createdAt: new Date(createdAt).toISOString(),
      running: true,
      success: plan.refused.length === 0,
      captureErrorBehaviour: behaviour,
      errors: [...plan.refused],
      eventCount: plan.eventCount,
      capturedEventCount: 0,
      txs: plan.chunks.map((c) => ({ status: "queued", eventIndexes: c.indexes, eventIDs: c.eventIds })),
      ...(submittedBy ? { submittedBy } : {}),
    };
    for (const chunk of plan.chunks) for (const id of chunk.eventIds) this.inFlight.add(id);
    this.live.set(job.captureID, job);
    await this.save(job);
    await this.prune();
    void this.run(job, plan.chunks).catch((e: unknown) => {
      if (this.stopped) return;
      this.deps.log.error({ err: e, captureID: job.captureID }, "capture job failed unexpectedly");
      this.fail(job, "ImplementationException", 500, "the capture job stopped on an internal error");
      void this.finish(job).catch(() => {});
    });
    return job;
  }

  /** Resolves with the job once it has finished, or as it is after `timeoutMs`. */
  waitFor(captureID: string, timeoutMs: number): Promise<CaptureJob | undefined> {
    const job = this.get(captureID);
    if (!job?.running) return Promise.resolve(job);
    return new Promise((resolve) => {
      const set = this.jobWaiters.get(captureID) ?? new Set();
      this.jobWaiters.set(captureID, set);
      const done = (j: CaptureJob) => {
        clearTimeout(timer);
        set.delete(done);
        resolve(j);
      };
      const timer = setTimeout(() => done(this.get(captureID) ?? job), timeoutMs);
      set.add(done);
    });
  }

  private async run(job: CaptureJob, chunks: readonly CaptureChunk[]): Promise<void> {
    const waits: Promise<void>[] = [];
    for (const [i, chunk] of chunks.entries()) {
      const tx = job.txs[i] as CaptureJobTx;
      if (this.stopped) break;
      if (job.captureErrorBehaviour === "rollback" && !job.success) {
        this.cancelFrom(job, i);
        break;
      }
      const submitted = await this.step(async () => {
        const submission = await this.deps.submit(chunk.document, job.submittedBy);
        if (submission.accepted) {
          tx.hash = submission.hash;
          tx.status = "pending";
        } else this.txFailed(job, tx, errorOf(submission.error));
        await this.save(job);
        return submission.accepted;
      });
      if (submitted === undefined) return;
      if (!submitted) {
        if (job.captureErrorBehaviour === "rollback") {
          this.cancelFrom(job, i + 1);
          break;
        }
        continue;
      }
      const wait = this.track(job, tx);
      if (job.captureErrorBehaviour === "rollback") await wait;
      else waits.push(wait);
    }
    await Promise.all(waits);
    if (!this.stopped) await this.finish(job);
  }

  /** Resolves when the transaction is committed or known failed; updates the job. */
  private track(job: CaptureJob, tx: CaptureJobTx): Promise<void> {
    const hash = tx.hash as string;
    return new Promise<TxOutcome>((resolve) => {
      this.txWaiters.set(hash, resolve);
      this.sweepOne(hash);
    }).then(async (outcome) => {
      if (this.stopped) return;
      if (outcome.status === "committed") {
        if (outcome.height !== undefined) {
          tx.height = outcome.height;
          await this.deps.whenIndexed?.(outcome.height);
        }
        tx.status = "committed";
        job.capturedEventCount += tx.eventIDs.length;
        for (const id of tx.eventIDs) this.inFlight.delete(id);
      } else {
        if (outcome.height !== undefined) tx.height = outcome.height;
        this.txFailed(job, tx, outcome.error ?? { code: "TX_FAILED", message: "the transaction failed" });
      }
      await this.save(job);
    });
  }

  private txFailed(job: CaptureJob, tx: CaptureJobTx, error: { code: string; message: string }): void {
    tx.status = "failed";
    tx.error = error;
    for (const id of tx.eventIDs) this.inFlight.delete(id);
    const [exception, status] = exceptionFor(error.code);
    job.success = false;
    job.errors.push({
      ...problemBase(exception, status),
      detail: `transaction ${tx.hash ?? "(not admitted)"} with events ${describeIndexes(tx.eventIndexes)} failed: ${error.message}`,
      code: error.code,
      ...(tx.hash ? { txHash: tx.hash } : {}),
      eventIndexes: tx.eventIndexes,
    });
  }

  private cancelFrom(job: CaptureJob, from: number): void {
    for (const tx of job.txs.slice(from)) {
      if (tx.status !== "queued") continue;
      tx.status = "cancelled";
      for (const id of tx.eventIDs) this.inFlight.delete(id);
    }
  }

  private fail(job: CaptureJob, exception: string, status: number, detail: string): void {
    job.success = false;
    job.errors.push({ ...problemBase(exception, status), detail });
    for (const tx of job.txs) {
      if (tx.status === "queued") tx.status = "cancelled";
      if (tx.status !== "committed") for (const id of tx.eventIDs) this.inFlight.delete(id);
    }
  }

  private async finish(job: CaptureJob): Promise<void> {
    job.running = false;
    job.finishedAt = new Date(this.deps.now()).toISOString();
    await this.save(job);
    this.live.delete(job.captureID);
    const waiters = this.jobWaiters.get(job.captureID);
    this.jobWaiters.delete(job.captureID);
    for (const w of waiters ?? []) w(job);
  }

  /** A job found running at start: its unsubmitted transactions are lost (their text was in memory). */
  private resume(job: CaptureJob): void {
    this.live.set(job.captureID, job);
    const waits: Promise<void>[] = [];
    let lost = false;
    for (const tx of job.txs) {
      if (tx.status === "queued") {
        tx.status = "cancelled";
        lost = true;
      } else if (tx.status === "pending" && tx.hash) {
        for (const id of tx.eventIDs) this.inFlight.add(id);
        waits.push(this.track(job, tx));
      }
    }
    if (lost) {
      job.success = false;
      job.errors.push({
        ...problemBase("ImplementationException", 500),
        detail:
          "the node restarted before every transaction of this capture was submitted; the rest were not captured",
      });
    }
    void Promise.all(waits).then(() => (this.stopped ? undefined : this.finish(job)));
  }

  private onNodeEvent(event: NodeEvent): void {
    if (event.type !== "tx") return;
    const waiter = this.txWaiters.get(event.hash);
    if (!waiter) return;
    this.txWaiters.delete(event.hash);
    waiter(
      event.status === "ok"
        ? { status: "committed", height: event.height }
        : {
            status: "failed",
            height: event.height,
            error: event.error ?? { code: "TX_FAILED", message: "failed" },
          },
    );
  }

  private sweep(): void {
    for (const hash of [...this.txWaiters.keys()]) this.sweepOne(hash);
  }

  /** Settles a tracked transaction that was committed meanwhile or left the mempool uncommitted. */
  private sweepOne(hash: string): void {
    const waiter = this.txWaiters.get(hash);
    if (!waiter || this.stopped) return;
    let status: ReturnType<NodeService["getTx"]>;
    try {
      status = this.deps.service.getTx(hash);
    } catch {
      return;
    }
    if (status?.status === "pending") return;
    this.txWaiters.delete(hash);
    if (status === undefined) {
      waiter({
        status: "failed",
        error: {
          code: "TX_DROPPED",
          message: "the transaction left the mempool without being committed (it expired or was evicted)",
        },
      });
    } else if (status.receipt?.status === "failed") {
      waiter({
        status: "failed",
        ...(status.height === undefined ? {} : { height: status.height }),
        error: status.receipt.error ?? { code: "TX_FAILED", message: "failed" },
      });
    } else {
      waiter({ status: "committed", ...(status.height === undefined ? {} : { height: status.height }) });
    }
  }

  private async save(job: CaptureJob): Promise<void> {
    if (this.stopped && this.busy.size === 0) return;
    await this.deps.jobs.put(job.captureID, job);
  }

  /** Keeps at most `maxJobs`: deletes the oldest finished ones. */
  private async prune(): Promise<void> {
    const count = this.deps.jobs.getCount();
    if (count <= this.deps.maxJobs) return;
    let excess = count - this.deps.maxJobs;
    for (const { key, value } of this.deps.jobs.getRange({})) {
      if (excess <= 0) break;
      if (value.running) continue;
      await this.deps.jobs.remove(key);
      excess--;
    }
  }
}

/** Time-ordered ids: a key range over the repository lists jobs by creation time. */
function newCaptureId(now: number): string {
  return `${now.toString(36).padStart(9, "0")}${randomBytes(6).toString("hex")}`;
}

function errorOf(error: WeftError): { code: string; message: string } {
  return { code: error.code, message: error.message };
}

/** The EPCIS exception a failed transaction's error code stands for. */
function exceptionFor(code: string): [string, number] {
  if (/DUPLICATE|ALREADY/.test(code)) return ["ResourceAlreadyExistsException", 409];
  if (code === "NODE_MEMPOOL_FULL" || code === "NODE_STOPPED") return ["ImplementationException", 503];
  if (/^(EPCIS_|TRACE_|ID_|APP_INVALID_ARGS|TX_TOO_LARGE)/.test(code)) return ["ValidationException", 400];
  // EPCIS 2.0 reports a refusal by access control as SecurityException.
  if (/^(POLICY_|IDENTITY_|AUTH_)/.test(code)) return ["SecurityException", 403];
  return ["ImplementationException", 500];
}

function describeIndexes(indexes: readonly number[]): string {
  if (indexes.length === 0) return "(none)";
  const first = indexes[0] as number;
  const last = indexes[indexes.length - 1] as number;
  return indexes.length === last - first + 1 ? `${first}..${last}` : indexes.join(", ");
}
