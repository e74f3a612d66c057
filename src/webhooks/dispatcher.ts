import { AsyncResource } from 'node:async_hooks';
import type { Logger } from 'pino';
import { systemClock, type Clock } from '../services/clock';
import type { OutboxSignal } from '../services/outbox-signal';
import { attemptDelivery, type AttemptSettings, type DeliveryTransport } from './delivery-attempt';
import type { ClaimedDelivery, MadeAttempt, OutboxStore, RoundOutcome } from './outbox-store';
import { RoundPacing } from './round-pacing';

export type { DeliveryTransport } from './delivery-attempt';

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
  /** Events per fan-out. */
  readonly batchSize?: number;
  /** Rounds follow each other at least this far apart when work keeps coming (RoundPacing widens it while the API is busy). */
  readonly roundGapMs?: number;
  readonly random?: () => number;
}

const DEFAULT_CONCURRENCY = 8;
const DEFAULT_POLL_MS = 2000;
const DEFAULT_BATCH = 100;
const DEFAULT_ROUND_GAP_MS = 10;

/**
 * Delivers the outbox from inside the server process. A pass is one round in the database
 * (record the attempts just made, fan out new events, lease due deliveries: one transaction),
 * then the leased deliveries are sent, at most `concurrency` at once; their results are
 * recorded by the next round. A pass runs when a write may have left events (notify), when an
 * attempt ends, when a retry comes due, and at a slow poll. Passes never overlap; a request for
 * one during another coalesces into one more, at least roundGapMs after (at most a hundred rounds
 * a second with the default, five while requests keep the event loop busy: RoundPacing), so a
 * busy API shares the database (SQLite's single writer) with a bounded number of rounds rather
 * than one per write.
 * With no active subscription a notification costs nothing: the flag saying so is refreshed by
 * the poll, so a subscription created on another instance is served within one poll.
 */
export class WebhookDispatcher implements OutboxSignal {
  private readonly clock: Clock;
  private readonly concurrency: number;
  private readonly attempt: AttemptSettings;
  private readonly inFlight = new Set<Promise<void>>();
  private readonly made: MadeAttempt[] = [];
  private readonly abandon = new AbortController();
  private anyActive = false;
  private unreadable = false;
  private started = false;
  private stopping = false;
  private passing: Promise<void> | null = null;
  private passAgain = false;
  private lastPassAt = 0;
  private readonly pacing: RoundPacing;
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
    this.pacing = new RoundPacing(options.roundGapMs ?? DEFAULT_ROUND_GAP_MS);
    this.attempt = { transport: options.transport, clock: this.clock, retryDelays: options.retryDelays, random: options.random };
  }

  start(): void {
    if (this.started || this.stopping) return;
    this.started = true;
    void this.poll();
    this.pollTimer = setInterval(() => void this.poll(), this.options.pollMs ?? DEFAULT_POLL_MS).unref();
  }

  /** A hint that events may be waiting; many in a row cost one pass. */
  notify(): void {
    if (!this.started || this.stopping || !this.anyActive) return;
    this.schedule(0);
  }

  /** Subscriptions changed here (created, switched on): look again without waiting for the poll. */
  async refreshSubscriptions(): Promise<void> {
    this.anyActive = await this.options.store.anyActiveSubscription();
    if (this.anyActive) this.runPass();
  }

  /** Resolves once no pass runs or is due and nothing is in flight or unrecorded (tests). */
  async idle(): Promise<void> {
    while (this.passing || this.inFlight.size > 0 || this.wakeQueued || this.made.length > 0) {
      await Promise.all([this.passing, ...this.inFlight]);
      await new Promise((resolve) => setTimeout(resolve, DEFAULT_ROUND_GAP_MS));
    }
  }

  /**
   * Stops claiming at once and waits for the deliveries in flight, up to timeoutMs, then records
   * their results. Those still running at the deadline are abandoned unrecorded: their leases
   * expire and an instance (this one after a restart) delivers them again.
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
    if (this.made.length > 0) await this.round(false).catch((error: unknown) => this.logRoundError(error));
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

  /** A pass after `delayMs` (and at least roundGapMs after the last), unless one is already due. */
  private schedule(delayMs: number): void {
    if (this.wakeQueued) return;
    this.wakeQueued = true;
    const gap = this.lastPassAt + this.pacing.gapMs - Date.now();
    const wait = Math.max(delayMs, gap);
    if (wait > 0) setTimeout(this.wake, wait);
    else setImmediate(this.wake);
  }

  private runPass(): void {
    if (this.stopping) return;
    if (this.passing) {
      this.passAgain = true;
      return;
    }
    this.lastPassAt = Date.now();
    this.pacing.roundStarted();
    this.passing = this.round(true)
      .catch((error: unknown) => this.logRoundError(error))
      .finally(() => {
        this.passing = null;
        if (this.passAgain) {
          this.passAgain = false;
          this.schedule(0);
        }
      });
  }

  private async round(claiming: boolean): Promise<void> {
    const { store, batchSize = DEFAULT_BATCH, leaseMs } = this.options;
    const now = this.clock();
    const attempts = this.made.splice(0);
    const room = claiming ? this.concurrency - this.inFlight.size : 0;
    const outcome = await store.cycle({
      now,
      attempts,
      fanOutLimit: claiming ? batchSize : 0,
      claim: room > 0 ? { leaseUntil: new Date(Date.parse(now) + leaseMs).toISOString(), limit: room } : null,
    });
    this.report(attempts, outcome);
    for (const delivery of outcome.claimed) this.launch(delivery);
    // Full batches: more may be waiting right now.
    if (claiming && (outcome.fannedOut === batchSize || (room > 0 && outcome.claimed.length === room))) this.passAgain = true;
  }

  private launch(delivery: ClaimedDelivery): void {
    const task = attemptDelivery(delivery, this.attempt, this.abandon.signal)
      .then((made) => {
        if (made) this.made.push(made);
      })
      .finally(() => {
        this.inFlight.delete(task);
        this.schedule(0);
      });
    this.inFlight.add(task);
  }

  private report(attempts: readonly MadeAttempt[], outcome: RoundOutcome): void {
    const { logger } = this.options;
    attempts.forEach((made, index) => {
      const recorded = outcome.recorded[index];
      const { delivery } = made;
      const context = { webhookId: delivery.webhookId, deliveryId: delivery.id, eventId: delivery.eventId, attempt: delivery.attempts + 1 };
      if (!recorded?.recorded)
        return logger.warn(context, 'webhook attempt not recorded: its lease had expired; another attempt may follow');
      if (!('failed' in made)) return;
      const { status, error, nextAttemptAt } = made.failed;
      logger.info(
        { ...context, status, error, nextAttemptAt },
        nextAttemptAt ? 'webhook delivery failed; will retry' : 'webhook delivery failed for good',
      );
      if (recorded.deactivated)
        logger.warn({ webhookId: delivery.webhookId }, 'webhook subscription switched off: every delivery to it has failed for 24 hours');
      if (nextAttemptAt) this.retryWhen(nextAttemptAt);
    });
  }

  private logRoundError(error: unknown): void {
    // The attempts of the failed round stay unrecorded: their leases expire and they are sent again.
    this.options.logger.warn({ err: error }, 'webhook dispatch round failed');
  }

  /** Wakes up for the earliest retry this instance scheduled, when it comes sooner than the poll. */
  private retryWhen(next: string): void {
    const due = Date.parse(next);
    if (this.stopping || due >= this.retryAt) return;
    clearTimeout(this.retryTimer);
    this.retryAt = due;
    this.retryTimer = setTimeout(
      () => {
        this.retryAt = Infinity;
        this.runPass();
      },
      Math.max(0, due - Date.parse(this.clock())),
    ).unref();
  }
}
