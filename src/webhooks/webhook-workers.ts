import type { Logger } from 'pino';
import type { Config } from '../config/config';
import { SqlWebhookOutbox } from '../db/adapters/sql-webhook-outbox';
import type { Database } from '../db/open-database';
import { systemClock, type Clock } from '../services/clock';
import { WebhookDispatcher } from './dispatcher';
import { HttpDelivery } from './http-delivery';
import { WebhookLogPurgeSchedule } from './log-purge-schedule';

/**
 * Beyond WEBHOOK_TIMEOUT_MS, the time to record an attempt: a lease shorter than an attempt
 * would let another instance send the same delivery while this one is still at it. An instance
 * that dies holds its deliveries this much longer than the timeout, no more.
 */
export const LEASE_MARGIN_MS = 5000;

/** The webhook work a server process runs beside the API: the dispatcher and the log purge. */
export interface WebhookWorkers {
  /** Pass it to the app as its OutboxSignal. */
  readonly dispatcher: WebhookDispatcher;
  start(): void;
  /** Waits for deliveries in flight up to timeoutMs (see WebhookDispatcher.stop) and for a purge batch. */
  stop(timeoutMs: number): Promise<void>;
}

export function createWebhookWorkers(deps: { database: Database; config: Config; logger: Logger; clock?: Clock }): WebhookWorkers {
  const { database, config, logger, clock = systemClock } = deps;
  const { timeoutMs, retryDelays, allowPrivateNetworks, logRetentionDays } = config.webhooks;
  const store = new SqlWebhookOutbox(database.sql, database.dialect);
  const dispatcher = new WebhookDispatcher({
    store,
    transport: new HttpDelivery({ timeoutMs, allowPrivateNetworks }),
    logger,
    clock,
    retryDelays,
    leaseMs: timeoutMs + LEASE_MARGIN_MS,
  });
  const purge = new WebhookLogPurgeSchedule({ store, clock, retentionDays: logRetentionDays, logger });
  return {
    dispatcher,
    start() {
      // READ_ONLY freezes the database (e.g. while `crm db copy` moves it): delivering would
      // write attempts and leases behind the copy's back. The events wait in the outbox and
      // go out once writes are allowed again, from whichever database then serves them.
      if (config.server.readOnly) {
        logger.info('READ_ONLY: webhook deliveries wait until writes are allowed again');
        return;
      }
      dispatcher.start();
      purge.start();
    },
    async stop(timeoutMs) {
      await Promise.all([dispatcher.stop(timeoutMs), purge.stop()]);
    },
  };
}
