import { AsyncResource } from 'node:async_hooks';
import type { Logger } from 'pino';
import { systemClock, type Clock } from '../services/clock';
import type { OutboxSignal } from '../services/outbox-signal';
import type { AttemptResult } from './http-delivery';
import type { ClaimedDelivery, OutboxStore } from './outbox-store';
import { failingCutoff, nextAttemptAt } from './retry-schedule';
import { deliveryBody, messageIdOf, signAttempt } from './signature';

/** Sends one signed attempt; never rejects. HttpDelivery in the server. */
export interface DeliveryTransport {
  post(url: string, headers: Readonly<Record<string, string>>, body: string, signal?: AbortSignal): Promise<AttemptResult>;
  close(): void;
}

export interface DispatcherOptions {
  readonly store: OutboxStore;
  readonly transport: DeliveryTransport;
  readonly logger: Logger;
  /** WEBHOOK_RETRY_DELAYS, in milliseconds. */
  readonly retryDelays: readonly number[];
  /** How long a claimed delivery stays this instance's: longer than an attempt (WEBHOOK_TIMEOUT_MS) can take. */
  readonly leaseMs: number;
  readonly clock?: Clock;
  /** Deliveries in flight at once. */
  readonly concurrency?: number;
  /** The slow poll: what other instances wrote, retries come due, subscriptions created elsewhere. */
  readonly pollMs?: number;
  /** Events per fan-out transaction. */
  readonly batchSize?: number;
  readonly random?: () => number;
}

const DEFAULT_CONCURRENCY = 8;
const DEFAULT_POLL_MS = 2000;
const DEFAULT_BATCH = 100;

/**
 * Delivers the outbox from inside the server process. It runs a pass (fan out new events, lease
 * due deliveries, send them) when told that a write may have left events (notify), when a
 * retry it scheduled comes due, and at a slow poll for everything else. Passes never overlap;
 * notifications arriving during one coalesce into one more. With no active subscription a
 * notification costs nothing: the flag saying so is refreshed by the poll, so a subscription
 * created on another instance is served within one poll.
 */
export class WebhookDispatcher implements OutboxSignal {
  private readonly clock: Clock;
  private readonly concurrency: number;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly abandon = new AbortController();
  private anyActive = false;
  private unreadable = false;
  private started = false;
  private stopping = false;
  private passing: Promise<void> | null = null;
  private passAgain = false;
  private wakeQueued = false;
  private pollTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private retryAt = Infinity;
  // Bound at construction: passes run outside the context of the request that notified
  // (its transaction, its request id), whichever request that was.
  private readonly wake = AsyncResource.bind(() => {
    this.wakeQueued = false;
    this.runPass();
  });

  constructor(private readonly options: DispatcherOptions) {
    this.clock = options.clock ?? systemClock;
    this.concurrency = options.concurrency ?? DEFAULT_CONCURRENCY;
  }

  start(): void {
    if (this.started || this.stopping) return;
    this.started = true;
    void this.poll();
    this.pollTimer = setInterval(() => void this.poll(), this.options.pollMs ?? DEFAULT_POLL_MS).unref();
  }

  /** A hint that events may be waiting; many in a row cost one pass, after the current tick. */
  notify(): void {
    if (!this.started || this.stopping || !this.anyActive || this.wakeQueued) return;
    this.wakeQueued = true;
    setImmediate(this.wake);
  }

  /** Subscriptions changed here (created, switched on): look again without waiting for the poll. */
  async refreshSubscriptions(): Promise<void> {
    this.anyActive = await this.options.store.anyActiveSubscription();
    if (this.anyActive) this.runPass();
  }

  /** Resolves once no pass runs and no delivery is in flight (tests; a fresh pass may start later). */
  async idle(): Promise<void> {
    while (this.passing || this.inFlight.size > 0 || this.wakeQueued) {
      await Promise.all([this.passing, ...this.inFlight]);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }

  /**
   * Stops claiming at once and waits for the deliveries in flight, up to timeoutMs. Those still
   * running then are abandoned unrecorded: their leases expire and an instance (this one after
   * a restart) delivers them again.
   */
  async stop(timeoutMs: number): Promise<void> {
    this.stopping = true;
    clearInterval(this.pollTimer);
    clearTimeout(this.retryTimer);
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const drained = (async () => {
      await this.passing;
      await Promise.all(this.inFlight);
    })();
    const outcome = await Promise.race([drained.then(() => 'drained' as const), deadline]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.options.logger.warn({ inFlight: this.inFlight.size }, 'webhook deliveries still in flight at shutdown are left to their leases');
      this.abandon.abort();
      await drained;
    }
    this.options.transport.close();
  }

  private async poll(): Promise<void> {
    if (this.stopping) return;
    try {
      this.anyActive = await this.options.store.anyActiveSubscription();
      if (this.unreadable) this.options.logger.info('webhook dispatcher reads the subscriptions again');
      this.unreadable = false;
    } catch (error) {
      // Once per outage, not at every poll (e.g. the webhook tables' migration is pending).
      if (!this.unreadable) this.options.logger.warn({ err: error }, 'webhook dispatcher cannot read the subscriptions');
      this.unreadable = true;
      return;
    }
    // With no active subscription there is nothing to fan out to nor any delivery to claim.
    if (this.anyActive) this.runPass();
  }

  private runPass(): void {
    if (this.stopping) return;
    if (this.passing) {
      this.passAgain = true;
      return;
    }
    this.passing = this.pass()
      .catch((error: unknown) => this.options.logger.warn({ err: error }, 'webhook dispatch pass failed'))
      .finally(() => {
        this.passing = null;
        if (this.passAgain) {
          this.passAgain = false;
          this.runPass();
        }
      });
  }

  private async pass(): Promise<void> {
    const { store, batchSize = DEFAULT_BATCH, leaseMs } = this.options;
    const now = this.clock();
    while (!this.stopping && (await store.fanOut(now, batchSize)) === batchSize);
    const room = this.concurrency - this.inFlight.size;
    if (this.stopping || room <= 0) return;
    const leaseUntil = new Date(Date.parse(now) + leaseMs).toISOString();
    const claimed = await store.claimDue(now, leaseUntil, room);
    for (const delivery of claimed) this.launch(delivery, claimed.length === room);
  }

  /** `more`: the claim was full, so more may be due; the end of this delivery makes room for them. */
  private launch(delivery: ClaimedDelivery, more: boolean): void {
    const task = this.deliver(delivery)
      .catch((error: unknown) => this.options.logger.warn({ err: error, deliveryId: delivery.id }, 'webhook delivery not recorded'))
      .finally(() => {
        this.inFlight.delete(task);
        if (more) this.runPass();
      });
    this.inFlight.add(task);
  }

  private async deliver(delivery: ClaimedDelivery): Promise<void> {
    const { store, transport, logger, retryDelays } = this.options;
    const body = deliveryBody(delivery.type, delivery.eventCreatedAt, delivery.payload);
    // The signature's timestamp is the wall clock's: receivers compare it with theirs.
    const headers = signAttempt(delivery.secret, messageIdOf(delivery.id), new Date(), body);
    const result = await transport.post(delivery.url, headers, body, this.abandon.signal);
    if (this.abandon.signal.aborted) return;
    const at = this.clock();
    const attempt = delivery.attempts + 1;
    const context = { webhookId: delivery.webhookId, deliveryId: delivery.id, eventId: delivery.eventId, attempt };
    if (result.delivered) {
      const recorded = await store.recordDelivered(delivery, { at, status: result.status });
      if (!recorded) logger.warn(context, 'webhook delivered after its lease expired; another attempt may follow');
      return;
    }
    const next = nextAttemptAt(attempt, at, retryDelays, this.options.random);
    const outcome = await store.recordFailed(delivery, {
      at,
      status: result.status,
      error: result.error,
      nextAttemptAt: next,
      deactivateIfFailingSince: failingCutoff(at),
    });
    if (!outcome.recorded) return;
    logger.info(
      { ...context, status: result.status, error: result.error, nextAttemptAt: next },
      next ? 'webhook delivery failed; will retry' : 'webhook delivery failed for good',
    );
    if (outcome.deactivated)
      logger.warn({ webhookId: delivery.webhookId }, 'webhook subscription switched off: every delivery to it has failed for 24 hours');
    if (next) this.retryWhen(next);
  }

  /** Wakes up for the earliest retry this instance scheduled, when it comes sooner than the poll. */
  private retryWhen(next: string): void {
    const due = Date.parse(next);
    if (this.stopping || due >= this.retryAt) return;
    clearTimeout(this.retryTimer);
    this.retryAt = due;
    const delay = Math.max(0, due - Date.parse(this.clock()));
    this.retryTimer = setTimeout(() => {
      this.retryAt = Infinity;
      this.runPass();
    }, delay).unref();
  }
}
