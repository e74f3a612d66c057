import type { Logger } from 'pino';
import type { TrashRepository } from '../repositories/trash.repository';
import type { UnitOfWork } from '../repositories/unit-of-work';
import type { Clock } from './clock';
import type { TrashSettings } from './record-lifecycle';
import { TrashService } from './trash.service';

/** How often the server purges the trash once it has started. */
export const TRASH_PURGE_INTERVAL_MS = 60 * 60 * 1000;

interface TrashPurgeDeps {
  readonly uow: UnitOfWork;
  readonly clock: Clock;
  readonly settings: TrashSettings;
  readonly logger: Logger;
  readonly intervalMs?: number;
}

/**
 * The trash purge inside the server: once at start-up, then every interval. A run deletes
 * what outlived the retention batch after batch, each batch its own short write, so requests
 * wait at most one batch behind it. Runs never overlap: a tick that finds one still going
 * skips. A failure is logged and the next tick tries again. stop() ends the current run
 * between two batches and waits for it, so the database can close behind it.
 */
export class TrashPurgeSchedule {
  private readonly service: TrashService;
  private readonly stopping = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | null = null;

  constructor(private readonly deps: TrashPurgeDeps) {
    this.service = new TrashService(stopBetweenBatches(deps.uow, this.stopping.signal), deps.clock, deps.settings);
  }

  start(): void {
    if (this.stopping.signal.aborted) return;
    void this.runNow();
    this.timer = setInterval(() => void this.runNow(), this.deps.intervalMs ?? TRASH_PURGE_INTERVAL_MS).unref();
  }

  /** Purges now, or joins the run already going; resolves with the records removed (0 after a failure). */
  runNow(): Promise<number> {
    this.running ??= this.purge().finally(() => (this.running = null));
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopping.abort();
    clearInterval(this.timer);
    await this.running;
  }

  private async purge(): Promise<number> {
    if (this.stopping.signal.aborted) return 0;
    const { logger, settings } = this.deps;
    try {
      const removed = await this.service.purgeExpired();
      if (removed > 0) logger.info({ removed, retentionDays: settings.retentionDays }, 'expired trash purged');
      return removed;
    } catch (error) {
      logger.warn({ err: error }, 'trash purge failed');
      return 0;
    }
  }
}

/**
 * The unit of work the purge runs on: once `signal` is aborted, the trash reports nothing more
 * to purge, which ends TrashService.purgeExpired's loop after the batch in progress.
 */
function stopBetweenBatches(uow: UnitOfWork, signal: AbortSignal): UnitOfWork {
  const { repositories } = uow;
  const trash: TrashRepository = {
    list: (query) => repositories.trash.list(query),
    stats: () => repositories.trash.stats(),
    purgeBefore: (cutoff, limit) => (signal.aborted ? Promise.resolve(0) : repositories.trash.purgeBefore(cutoff, limit)),
  };
  return { repositories: { ...repositories, trash }, transaction: (work) => uow.transaction(work) };
}
