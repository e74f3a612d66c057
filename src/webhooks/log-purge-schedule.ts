import type { Logger } from 'pino';
import type { Clock } from '../services/clock';
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
 * events left without any delivery: at start-up and hourly, batch after batch, never two runs
 * at once. stop() ends a run between two batches and waits for it.
 */
export class WebhookLogPurgeSchedule {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | null = null;
  private stopped = false;

  constructor(private readonly deps: WebhookLogPurgeDeps) {}

  start(): void {
    if (this.stopped) return;
    void this.runNow();
    this.timer = setInterval(() => void this.runNow(), this.deps.intervalMs ?? WEBHOOK_LOG_PURGE_INTERVAL_MS).unref();
  }

  /** Purges now, or joins the run in progress; resolves with the rows removed (0 after a failure). */
  runNow(): Promise<number> {
    this.running ??= this.purge().finally(() => (this.running = null));
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  private async purge(): Promise<number> {
    const { store, clock, retentionDays, logger } = this.deps;
    const cutoff = new Date(Date.parse(clock()) - retentionDays * DAY_MS).toISOString();
    let removed = 0;
    try {
      for (;;) {
        if (this.stopped) break;
        const batch = await store.purgeBefore(cutoff, WEBHOOK_LOG_PURGE_BATCH);
        removed += batch;
        if (batch === 0) break;
      }
    } catch (error) {
      logger.warn({ err: error }, 'webhook delivery log purge failed');
    }
    if (removed > 0) logger.info({ removed, retentionDays }, 'old webhook deliveries purged');
    return removed;
  }
}
