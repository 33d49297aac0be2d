import type { FastifyBaseLogger } from "fastify";
import { TxSubmitter } from "../../app/tx-submitter.js";
import type { TraceReader } from "../../modules/trace/api.js";
import { MAX_EVENTS_PER_TX } from "../../modules/trace/schema.js";
import type { NodeService } from "../../service.js";
import { type ScanKey, ScanLog, type ScanRecord } from "../../verify/scan-log.js";
import { ItemVerifier } from "../../verify/verify.js";
import { type CaptureJob, CaptureJobs } from "./capture-jobs.js";
import { type CaptureErrorBehaviour, type CapturePlan, planCapture } from "./capture-plan.js";
import type { EpcisDeps } from "./context.js";
import { eventStateKeys, ledgerEventId } from "./event-id.js";
import type { EpcisApiOptions } from "./options.js";
import { type NamedQuery, type StoredSubscription, Subscriptions } from "./subscriptions.js";

/** Node-local repositories (LMDB, `x-<name>`; not part of the ledger). */
export const REPOSITORIES = {
  captureJobs: "epcis-capture-jobs",
  queries: "epcis-queries",
  subscriptions: "epcis-subscriptions",
  scans: "verify-scans",
} as const;

/** Everything the EPCIS, resolver and verification routes share on one node. */
export class EpcisRuntime {
  readonly trace: TraceReader;
  readonly jobs: CaptureJobs;
  readonly subscriptions: Subscriptions;
  readonly verifier: ItemVerifier;
  readonly scans: ScanLog;
  readonly submitter: TxSubmitter;
  readonly now: () => number;

  constructor(
    readonly service: NodeService,
    readonly options: EpcisApiOptions,
    deps: EpcisDeps,
    log: FastifyBaseLogger,
  ) {
    this.trace = deps.trace;
    this.now = deps.now ?? Date.now;
    this.submitter =
      deps.submitter ?? new TxSubmitter(service, deps.captureKey, options.captureTxLifetimeBlocks);
    this.jobs = new CaptureJobs({
      service,
      submit: (document, submittedBy) =>
        this.submitter.submit("trace", "capture", {
          document,
          ...(submittedBy ? { submittedBy: { org: submittedBy.org, id: submittedBy.id } } : {}),
        }),
      jobs: deps.openRepository<CaptureJob, string>(REPOSITORIES.captureJobs),
      now: this.now,
      maxJobs: options.maxCaptureJobs,
      log,
      ...(hasWhenIndexed(deps.trace) ? { whenIndexed: indexedBy(deps.trace) } : {}),
    });
    this.subscriptions = new Subscriptions({
      trace: deps.trace,
      queries: deps.openRepository<NamedQuery, string>(REPOSITORIES.queries),
      subscriptions: deps.openRepository<StoredSubscription, [string, string]>(REPOSITORIES.subscriptions),
      now: this.now,
      log,
      maxNamedQueries: options.maxNamedQueries,
      maxSubscriptionsPerQuery: options.maxSubscriptionsPerQuery,
      scheduledBufferLimit: options.scheduledBufferLimit,
      webhookTimeoutMs: options.webhookTimeoutMs,
      webhookAttempts: options.webhookAttempts,
    });
    this.scans = new ScanLog(deps.openRepository<ScanRecord, ScanKey>(REPOSITORIES.scans));
    this.verifier = new ItemVerifier({
      trace: deps.trace,
      proveTx: (hash) => service.proveTx(hash),
      scans: this.scans,
      options: options.verify,
      chainId: service.chainId,
      genesisHash: service.genesisHash,
      ...(options.responderGln ? { responderGln: options.responderGln } : {}),
      now: this.now,
    });
  }

  start(): void {
    this.jobs.start();
    this.subscriptions.start();
  }

  async stop(): Promise<void> {
    this.subscriptions.stop();
    await this.jobs.stop();
  }

  /** Checks a capture document against everything (see `planCapture`) without submitting anything. */
  plan(text: string, json: unknown, behaviour: CaptureErrorBehaviour): CapturePlan {
    return planCapture(text, json, behaviour, {
      eventIdOf: ledgerEventId,
      isKnown: (eventId, declaration) => this.isKnown(eventId, declaration),
      txSize: (document) => TxSubmitter.sizeOfBody(this.submitter.draft("trace", "capture", { document })),
      maxTxBytes: this.service.genesis.params.maxTxBytes,
      maxEventsPerTx: MAX_EVENTS_PER_TX,
      captureLimit: this.options.captureLimit,
    });
  }

  private isKnown(eventId: string, declaration: boolean): boolean {
    if (this.jobs.isInFlight(eventId)) return true;
    const keys = eventStateKeys(eventId);
    if (!keys) return false;
    if (declaration) return this.service.getState(keys.declared).value !== null;
    const record = this.service.getState(keys.event).value as { anchoredOnly?: boolean } | null;
    // An id only anchored (hash-only) is disclosed by a capture, not duplicated.
    return record !== null && record.anchoredOnly !== true;
  }
}

const indexedBy =
  (trace: { whenIndexed(height: number): Promise<void> }) =>
  (height: number): Promise<void> =>
    trace.whenIndexed(height);

/** The node's trace reader can wait for its index; a reader without that answers at once. */
function hasWhenIndexed(
  trace: EpcisDeps["trace"],
): trace is EpcisDeps["trace"] & { whenIndexed(height: number): Promise<void> } {
  return typeof (trace as { whenIndexed?: unknown }).whenIndexed === "function";
}
