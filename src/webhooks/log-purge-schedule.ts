import type { Logger } from 'pino';
import type { Clock } from '../services/clock';
import { PeriodicPurge } from '../services/periodic-purge';
import type { OutboxStore } from './outbox-store';

export const WEBHOOK_LOG_PURGE_INTERVAL_MS = 60 * 60 * 1000;
/** Rows per purge statement: each stays a short write that requests wait behind at most once. */
export const WEBHOOK_LOG_PURGE_BATCH = 500;
const DAY_MS = 24 * 60 * 60 * 1000;

interface WebhookLogPurgeDeps {
  readonly store: Pick<OutboxStore, 'purgeBefore'>;
  readonly clock: Clock;
  readonly retentionDays: number;
  readonly logger: Logger;
  readonly intervalMs?: number;
}

/**
 * Deletes delivered and failed deliveries older than WEBHOOK_LOG_RETENTION_DAYS, then the
 * events left without any delivery: at start-up and hourly, batch after batch (PeriodicPurge).
 */
export class WebhookLogPurgeSchedule extends PeriodicPurge {
  constructor({ store, clock, retentionDays, logger, intervalMs = WEBHOOK_LOG_PURGE_INTERVAL_MS }: WebhookLogPurgeDeps) {
    super({
      intervalMs,
      logger,
      failure: 'webhook delivery log purge failed',
      async purge(stopping) {
        const cutoff = new Date(Date.parse(clock()) - retentionDays * DAY_MS).toISOString();
        let removed = 0;
        try {
          while (!stopping()) {
            const batch = await store.purgeBefore(cutoff, WEBHOOK_LOG_PURGE_BATCH);
            removed += batch;
            if (batch === 0) break;
          }
        } finally {
          // What was removed before a failure is logged too.
          if (removed > 0) logger.info({ removed, retentionDays }, 'old webhook deliveries purged');
        }
        return removed;
      },
    });
  }
}
