import { randomUUID } from "node:crypto";
import type { FastifyBaseLogger } from "fastify";
import type { Database } from "lmdb";
import type { SimpleEventQuery, StoredEpcisEvent, TraceReader } from "../../modules/trace/api.js";
import { queryDocument } from "./documents.js";
import { EpcisError, noSuchResource } from "./errors.js";
import { type CompiledSchedule, compileSchedule, nextRun, type QuerySchedule } from "./schedule.js";
import { postDocument } from "./webhook.js";

/** A named query (`POST /epcis/queries`): a stored SimpleEventQuery. */
export interface NamedQuery {
  name: string;
  query: SimpleEventQuery;
  createdAt: string;
}

/** How far a subscription has been served: the last block whose matching events were delivered. */
export interface Watermark {
  height: number;
  /** recordTime of that block's events (or a lower bound): where a catch-up query starts. */
  recordTime: string;
}

/** A webhook subscription as stored (repository `x-epcis-subscriptions`). */
export interface StoredSubscription {
  subscriptionID: string;
  queryName: string;
  createdAt: string;
  dest: string;
  /** Client secret the deliveries are signed with; never returned by the API. */
  signatureToken?: string;
  stream?: boolean;
  schedule?: QuerySchedule;
  reportIfEmpty: boolean;
  initialRecordTime?: string;
  watermark: Watermark;
}

export interface SubscriptionRequest {
  dest: string;
  signatureToken?: string;
  stream?: boolean;
  schedule?: QuerySchedule;
  reportIfEmpty?: boolean;
  initialRecordTime?: string;
}

/** A subscription as the API shows it (no secret). */
export interface SubscriptionView {
  subscriptionID: string;
  queryName: string;
  createdAt: string;
  dest: string;
  signed: boolean;
  stream?: boolean;
  schedule?: QuerySchedule;
  reportIfEmpty: boolean;
  initialRecordTime?: string;
  minRecordTime?: string;
  nextRunAt?: string;
  deliveries: { sent: number; failed: number; lastAt?: string; lastError?: string };
}

export interface SubscriptionsDeps {
  trace: TraceReader;
  queries: Database<NamedQuery, string>;
  subscriptions: Database<StoredSubscription, [string, string]>;
  now(): number;
  log: FastifyBaseLogger;
  maxNamedQueries: number;
  maxSubscriptionsPerQuery: number;
  scheduledBufferLimit: number;
  webhookTimeoutMs: number;
  webhookAttempts: number;
  /** Delay before retry `n` (1-based); default 1 s × 5^(n-1). */
  retryDelayMs?(attempt: number): number;
}

/** Most events in one webhook POST or WebSocket message. */
export const EVENTS_PER_MESSAGE = 500;
/** Most events a catch-up (initialRecordTime, restart) delivers. */
const BACKFILL_LIMIT = 100_000;
/** Margin under a subscription's creation time for the first catch-up query (BFT time vs node clock). */
const CLOCK_MARGIN_MS = 3_600_000;

/** Something that receives a named query's new events: a webhook subscription or a WebSocket stream. */
interface Consumer {
  id: string;
  queryName: string;
  schedule?: CompiledSchedule;
  reportIfEmpty: boolean;
  /** Events at or below this height were delivered (or are being delivered by the catch-up). */
  fromHeight: number;
  buffer: StoredEpcisEvent[];
  timer?: NodeJS.Timeout;
  nextRunAt?: number;
  deliver(events: StoredEpcisEvent[]): void;
  close(reason: string): void;
}

interface WebhookConsumer extends Consumer {
  kind: "webhook";
  stored: StoredSubscription;
  queue: Promise<void>;
  stats: { sent: number; failed: number; lastAt?: number; lastError?: string };
}

export interface StreamSink {
  send(text: string): void;
  close(code: number, reason: string): void;
}

/**
 * Named queries and their subscriptions. New events reach consumers from `TraceReader.onCommitted`:
 * each block's events are matched against every named query that has consumers by asking the
 * trace module for the query restricted to those events (`EQ_eventID`), so matching is exactly
 * the query semantics of `GET /epcis/events`. Streams deliver at once, scheduled subscriptions at
 * their next run. Webhook deliveries are serialised per subscription, retried, and advance the
 * subscription's stored watermark; after a restart, events committed past the watermark are
 * delivered again (at least once).
 */
export class Subscriptions {
  private readonly consumers = new Map<string, Consumer>();
  private stopListening: () => void = () => {};
  private processing: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly deps: SubscriptionsDeps) {}

  start(): void {
    this.stopListening = this.deps.trace.onCommitted((events) => {
      if (events.length === 0) return;
      const batch = [...events];
      this.processing = this.processing
        .then(() => this.dispatch(batch))
        .catch((e: unknown) => this.deps.log.error({ err: e }, "subscription dispatch failed"));
    });
    for (const { value } of this.deps.subscriptions.getRange({})) {
      if (!this.deps.queries.get(value.queryName)) continue;
      const consumer = this.webhookConsumer(value);
      this.consumers.set(consumer.id, consumer);
      this.arm(consumer);
      void this.catchUp(consumer, value.watermark, undefined);
    }
  }

  stop(): void {
    this.stopped = true;
    this.stopListening();
    for (const consumer of this.consumers.values()) {
      if (consumer.timer) clearTimeout(consumer.timer);
      if (!("kind" in consumer)) consumer.close("the node is stopping");
    }
    this.consumers.clear();
  }

  /** Resolves when every block's events seen so far have been matched and handed to consumers. */
  async idle(): Promise<void> {
    await this.processing;
  }

  // ---- named queries -------------------------------------------------------------------------

  async createQuery(name: string, query: SimpleEventQuery): Promise<NamedQuery> {
    if (this.deps.queries.get(name)) {
      throw new EpcisError("ResourceAlreadyExistsException", `a query named ${name} already exists`, {
        name,
      });
    }
    if (this.deps.queries.getCount() >= this.deps.maxNamedQueries) {
      throw new EpcisError(
        "ImplementationException",
        `this node keeps at most ${this.deps.maxNamedQueries} named queries`,
        {
          httpStatus: 503,
        },
      );
    }
    const named: NamedQuery = { name, query, createdAt: new Date(this.deps.now()).toISOString() };
    const created = await this.deps.queries.ifNoExists(name, () => {
      this.deps.queries.put(name, named);
    });
    if (!created)
      throw new EpcisError("ResourceAlreadyExistsException", `a query named ${name} already exists`, {
        name,
      });
    return named;
  }

  getQuery(name: string): NamedQuery {
    const named = this.deps.queries.get(name);
    if (!named) throw noSuchResource("query", name);
    return named;
  }

  listQueries(perPage: number, after?: string): { queries: NamedQuery[]; next?: string } {
    const queries: NamedQuery[] = [];
    for (const { key, value } of this.deps.queries.getRange(after === undefined ? {} : { start: after })) {
      if (key === after) continue;
      if (queries.length === perPage) return { queries, next: queries[queries.length - 1]?.name as string };
      queries.push(value);
    }
    return { queries };
  }

  /** Deletes the query, its webhook subscriptions, and closes its WebSocket streams. */
  async deleteQuery(name: string): Promise<void> {
    this.getQuery(name);
    for (const consumer of [...this.consumers.values()]) {
      if (consumer.queryName !== name) continue;
      this.drop(consumer);
      consumer.close(`query ${name} was deleted`);
    }
    for (const { key } of this.deps.subscriptions.getRange({ start: [name], end: [name, "\uffff"] })) {
      await this.deps.subscriptions.remove(key);
    }
    await this.deps.queries.remove(name);
  }

  // ---- webhook subscriptions -----------------------------------------------------------------

  async subscribe(queryName: string, request: SubscriptionRequest): Promise<SubscriptionView> {
    this.getQuery(queryName);
    const plan = checkSubscription(request);
    if (this.countFor(queryName) >= this.deps.maxSubscriptionsPerQuery) {
      throw new EpcisError(
        "SubscriptionControlsException",
        `query ${queryName} has the most subscriptions this node keeps (${this.deps.maxSubscriptionsPerQuery})`,
      );
    }
    const now = this.deps.now();
    const height = this.deps.trace.indexedHeight();
    const stored: StoredSubscription = {
      subscriptionID: randomUUID(),
      queryName,
      createdAt: new Date(now).toISOString(),
      dest: request.dest,
      ...(request.signatureToken === undefined ? {} : { signatureToken: request.signatureToken }),
      ...(plan.schedule ? { schedule: request.schedule as QuerySchedule } : { stream: true }),
      reportIfEmpty: request.reportIfEmpty ?? false,
      ...(request.initialRecordTime === undefined ? {} : { initialRecordTime: request.initialRecordTime }),
      watermark: { height, recordTime: new Date(now - CLOCK_MARGIN_MS).toISOString() },
    };
    await this.deps.subscriptions.put([queryName, stored.subscriptionID], stored);
    const consumer = this.webhookConsumer(stored);
    this.consumers.set(consumer.id, consumer);
    this.arm(consumer);
    if (request.initialRecordTime !== undefined) {
      void this.catchUp(consumer, { height: 0, recordTime: request.initialRecordTime }, height);
    }
    return this.view(consumer);
  }

  listSubscriptions(queryName: string): SubscriptionView[] {
    this.getQuery(queryName);
    const out: SubscriptionView[] = [];
    for (const { value } of this.deps.subscriptions.getRange({
      start: [queryName],
      end: [queryName, "\uffff"],
    })) {
      const consumer = this.consumers.get(value.subscriptionID);
      if (consumer && "kind" in consumer) out.push(this.view(consumer as WebhookConsumer));
    }
    return out;
  }

  getSubscription(queryName: string, id: string): SubscriptionView {
    this.getQuery(queryName);
    const consumer = this.consumers.get(id);
    if (!consumer || !("kind" in consumer) || consumer.queryName !== queryName)
      throw noSuchResource("subscription", id);
    return this.view(consumer as WebhookConsumer);
  }

  async unsubscribe(queryName: string, id: string): Promise<void> {
    this.getSubscription(queryName, id);
    const consumer = this.consumers.get(id) as WebhookConsumer;
    this.drop(consumer);
    await this.deps.subscriptions.remove([queryName, id]);
  }

  // ---- WebSocket streams ---------------------------------------------------------------------

  /** Checks a WebSocket subscription's parameters before the upgrade. */
  checkStream(queryName: string, request: Omit<SubscriptionRequest, "dest">): void {
    this.getQuery(queryName);
    checkSubscription({ ...request, dest: "ws:" });
  }

  /** Attaches an upgraded WebSocket as a consumer of the query; returns its detach function. */
  openStream(queryName: string, request: Omit<SubscriptionRequest, "dest">, sink: StreamSink): () => void {
    this.getQuery(queryName);
    const plan = checkSubscription({ ...request, dest: "ws:" });
    const id = `ws-${randomUUID()}`;
    const height = this.deps.trace.indexedHeight();
    const consumer: Consumer = {
      id,
      queryName,
      ...(plan.schedule ? { schedule: plan.schedule } : {}),
      reportIfEmpty: request.reportIfEmpty ?? false,
      fromHeight: height,
      buffer: [],
      deliver: (events) => {
        for (const chunk of chunks(events)) {
          sink.send(JSON.stringify(queryDocument(chunk, { now: this.deps.now(), queryName })));
        }
      },
      close: (reason) => sink.close(1000, reason.slice(0, 120)),
    };
    this.consumers.set(id, consumer);
    this.arm(consumer);
    if (request.initialRecordTime !== undefined) {
      void this.catchUp(consumer, { height: 0, recordTime: request.initialRecordTime }, height);
    }
    return () => this.drop(consumer);
  }

  get streamCount(): number {
    let n = 0;
    for (const c of this.consumers.values()) if (!("kind" in c)) n++;
    return n;
  }

  // ---- internals -----------------------------------------------------------------------------

  private countFor(queryName: string): number {
    let n = 0;
    for (const c of this.consumers.values()) if (c.queryName === queryName) n++;
    return n;
  }

  private drop(consumer: Consumer): void {
    if (consumer.timer) clearTimeout(consumer.timer);
    this.consumers.delete(consumer.id);
  }

  private webhookConsumer(stored: StoredSubscription): WebhookConsumer {
    const consumer: WebhookConsumer = {
      kind: "webhook",
      id: stored.subscriptionID,
      queryName: stored.queryName,
      stored,
      ...(stored.schedule ? { schedule: compileSchedule(stored.schedule) } : {}),
      reportIfEmpty: stored.reportIfEmpty,
      fromHeight: stored.watermark.height,
      buffer: [],
      queue: Promise.resolve(),
      stats: { sent: 0, failed: 0 },
      deliver: (events) => {
        const batches = events.length === 0 ? [[]] : chunks(events);
        for (const batch of batches) {
          consumer.queue = consumer.queue.then(() => this.post(consumer, batch));
        }
      },
      close: () => {},
    };
    return consumer;
  }

  /** One webhook POST with retries; then the watermark moves past the batch either way. */
  private async post(consumer: WebhookConsumer, events: StoredEpcisEvent[]): Promise<void> {
    const { stored } = consumer;
    const body = JSON.stringify(
      queryDocument(events, {
        now: this.deps.now(),
        queryName: stored.queryName,
        subscriptionID: stored.subscriptionID,
      }),
    );
    let last: string | undefined;
    for (let attempt = 1; attempt <= this.deps.webhookAttempts; attempt++) {
      if (this.stopped || !this.consumers.has(consumer.id)) return;
      const result = await postDocument(
        stored.dest,
        body,
        stored.signatureToken,
        { "GS1-Subscription-ID": stored.subscriptionID },
        this.deps.webhookTimeoutMs,
      );
      if (result.ok) {
        consumer.stats.sent++;
        consumer.stats.lastAt = this.deps.now();
        delete consumer.stats.lastError;
        last = undefined;
        break;
      }
      last = result.error ?? "delivery failed";
      if (attempt < this.deps.webhookAttempts) {
        const delay = this.deps.retryDelayMs?.(attempt) ?? 1000 * 5 ** (attempt - 1);
        await new Promise((resolve) => setTimeout(resolve, delay).unref());
      }
    }
    if (last !== undefined) {
      consumer.stats.failed++;
      consumer.stats.lastError = last;
      this.deps.log.warn(
        { subscriptionID: stored.subscriptionID, dest: stored.dest, error: last, events: events.length },
        "webhook delivery failed; events dropped for this subscription",
      );
    }
    const top = events.reduce<StoredEpcisEvent | undefined>(
      (a, e) => (!a || e.height > a.height ? e : a),
      undefined,
    );
    if (top && top.height > stored.watermark.height && !this.stopped && this.consumers.has(consumer.id)) {
      stored.watermark = { height: top.height, recordTime: top.recordTime };
      await this.deps.subscriptions.put([stored.queryName, stored.subscriptionID], stored);
    }
  }

  /** Schedules a scheduled consumer's next run. */
  private arm(consumer: Consumer): void {
    if (!consumer.schedule || this.stopped) return;
    const at = nextRun(consumer.schedule, this.deps.now());
    if (at === undefined) return;
    consumer.nextRunAt = at;
    const delay = Math.min(Math.max(at - this.deps.now(), 0), 2 ** 31 - 1);
    consumer.timer = setTimeout(() => {
      if (!this.consumers.has(consumer.id)) return;
      if (this.deps.now() + 5 < at) return this.arm(consumer);
      this.flush(consumer, true);
      this.arm(consumer);
    }, delay);
    consumer.timer.unref();
  }

  private flush(consumer: Consumer, scheduled: boolean): void {
    const events = consumer.buffer.splice(0);
    if (events.length > 0 || (scheduled && consumer.reportIfEmpty)) consumer.deliver(events);
  }

  private handOver(consumer: Consumer, events: StoredEpcisEvent[]): void {
    if (events.length === 0) return;
    if (!consumer.schedule) {
      consumer.deliver(events);
      return;
    }
    consumer.buffer.push(...events);
    if (consumer.buffer.length >= this.deps.scheduledBufferLimit) this.flush(consumer, false);
  }

  private async dispatch(events: StoredEpcisEvent[]): Promise<void> {
    const byQuery = new Map<string, Consumer[]>();
    for (const consumer of this.consumers.values()) {
      byQuery.set(consumer.queryName, [...(byQuery.get(consumer.queryName) ?? []), consumer]);
    }
    for (const [queryName, consumers] of byQuery) {
      const named = this.deps.queries.get(queryName);
      if (!named) continue;
      const matched = this.match(named.query, events);
      for (const consumer of consumers) {
        this.handOver(
          consumer,
          matched.filter((e) => e.height > consumer.fromHeight),
        );
      }
    }
  }

  /** The events among `events` that `query` selects, in the given order. */
  private match(query: SimpleEventQuery, events: readonly StoredEpcisEvent[]): StoredEpcisEvent[] {
    let candidates = events;
    if (query.EQ_eventID) {
      const wanted = new Set(query.EQ_eventID);
      candidates = events.filter(
        (e) => wanted.has(e.eventId) || wanted.has((e.event as { eventID?: string }).eventID ?? ""),
      );
    }
    if (candidates.length === 0) return [];
    const { eventCountLimit: _limit, orderBy: _orderBy, orderDirection: _direction, ...filters } = query;
    // An error declaration has the id of the event it declares erroneous: events are told apart by
    // their log position.
    const ids = [...new Set(candidates.map((e) => e.eventId))];
    const found = new Set<number>();
    let cursor: string | undefined;
    do {
      const page = this.deps.trace.queryEvents(
        { ...filters, EQ_eventID: ids },
        { perPage: Math.min(10_000, ids.length * 2), ...(cursor ? { cursor } : {}) },
      );
      for (const e of page.events) found.add(e.logIndex);
      cursor = page.nextCursor;
    } while (cursor);
    return candidates.filter((e) => found.has(e.logIndex));
  }

  /**
   * Delivers the query's events committed after `from` (recordTime ≥ from.recordTime and height >
   * from.height) up to `until` (a height; undefined: everything indexed): the initial delivery of
   * `initialRecordTime`, and what a restart interrupted.
   */
  private async catchUp(consumer: Consumer, from: Watermark, until: number | undefined): Promise<void> {
    try {
      const named = this.deps.queries.get(consumer.queryName);
      if (!named) return;
      const { eventCountLimit: _limit, ...query } = named.query;
      const lower =
        query.GE_recordTime !== undefined && Date.parse(query.GE_recordTime) > Date.parse(from.recordTime)
          ? query.GE_recordTime
          : from.recordTime;
      const events: StoredEpcisEvent[] = [];
      let cursor: string | undefined;
      do {
        const page = this.deps.trace.queryEvents(
          { ...query, GE_recordTime: lower, orderBy: "recordTime", orderDirection: "ASC" },
          { perPage: 1000, ...(cursor ? { cursor } : {}) },
        );
        for (const e of page.events) {
          if (e.height > from.height && (until === undefined || e.height <= until)) events.push(e);
        }
        cursor = page.nextCursor;
      } while (cursor && events.length < BACKFILL_LIMIT);
      if (until === undefined) {
        // A restart: stream from what is indexed now; the catch-up covers the rest.
        const now = this.deps.trace.indexedHeight();
        consumer.fromHeight = Math.max(consumer.fromHeight, now);
        for (let i = events.length - 1; i >= 0; i--)
          if ((events[i] as StoredEpcisEvent).height > now) events.splice(i, 1);
      }
      events.sort((a, b) => a.height - b.height || a.logIndex - b.logIndex);
      if (this.consumers.has(consumer.id)) this.handOver(consumer, events);
    } catch (e) {
      this.deps.log.error({ err: e, query: consumer.queryName }, "subscription catch-up failed");
    }
  }

  private view(consumer: WebhookConsumer): SubscriptionView {
    const { stored, stats } = consumer;
    return {
      subscriptionID: stored.subscriptionID,
      queryName: stored.queryName,
      createdAt: stored.createdAt,
      dest: stored.dest,
      signed: stored.signatureToken !== undefined,
      ...(stored.stream ? { stream: true } : {}),
      ...(stored.schedule ? { schedule: stored.schedule } : {}),
      reportIfEmpty: stored.reportIfEmpty,
      ...(stored.initialRecordTime ? { initialRecordTime: stored.initialRecordTime } : {}),
      minRecordTime: stored.watermark.recordTime,
      ...(consumer.nextRunAt ? { nextRunAt: new Date(consumer.nextRunAt).toISOString() } : {}),
      deliveries: {
        sent: stats.sent,
        failed: stats.failed,
        ...(stats.lastAt ? { lastAt: new Date(stats.lastAt).toISOString() } : {}),
        ...(stats.lastError ? { lastError: stats.lastError } : {}),
      },
    };
  }
}

function* chunks<T>(items: readonly T[]): Generator<T[]> {
  for (let i = 0; i < items.length; i += EVENTS_PER_MESSAGE) yield items.slice(i, i + EVENTS_PER_MESSAGE);
}

/** `stream: true` xor a schedule (SubscriptionControlsException otherwise); a valid http(s) `dest`. */
function checkSubscription(request: SubscriptionRequest): { schedule?: CompiledSchedule } {
  const hasSchedule = request.schedule !== undefined && Object.keys(request.schedule).length > 0;
  if (hasSchedule && request.stream) {
    throw new EpcisError("SubscriptionControlsException", "stream and schedule are mutually exclusive", {
      problems: [{ path: "stream", message: "given together with a schedule" }],
    });
  }
  if (!hasSchedule && request.stream !== true) {
    throw new EpcisError("SubscriptionControlsException", "a subscription needs stream: true or a schedule", {
      problems: [{ path: "stream", message: "neither stream nor schedule given" }],
    });
  }
  if (request.dest !== "ws:") {
    let url: URL | undefined;
    try {
      url = new URL(request.dest);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || url.username || url.password) {
      throw new EpcisError(
        "ValidationException",
        "dest must be an absolute http(s) URL without credentials",
        {
          problems: [{ path: "dest", message: "not an http(s) URL", value: request.dest }],
        },
      );
    }
  }
  if (request.initialRecordTime !== undefined && Number.isNaN(Date.parse(request.initialRecordTime))) {
    throw new EpcisError("SubscriptionControlsException", "initialRecordTime must be an RFC 3339 date-time", {
      problems: [{ path: "initialRecordTime", message: "not a date-time", value: request.initialRecordTime }],
    });
  }
  return hasSchedule ? { schedule: compileSchedule(request.schedule as QuerySchedule) } : {};
}
