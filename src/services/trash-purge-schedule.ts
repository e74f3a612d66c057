import type { Logger } from 'pino';
import type { TrashRepository } from '../repositories/trash.repository';
import type { UnitOfWork } from '../repositories/unit-of-work';
import type { Clock } from './clock';
import type { TrashSettings } from './record-lifecycle';
import { PeriodicPurge } from './periodic-purge';
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
 * The trash purge inside the server: once at start-up, then every interval (PeriodicPurge).
 * A run deletes what outlived the retention batch after batch, each batch its own short
 * write, so requests wait at most one batch behind it.
 */
export class TrashPurgeSchedule extends PeriodicPurge {
  constructor({ uow, clock, settings, logger, intervalMs = TRASH_PURGE_INTERVAL_MS }: TrashPurgeDeps) {
    super({
      intervalMs,
      logger,
      failure: 'trash purge failed',
      async purge(stopping) {
        const removed = await new TrashService(stopBetweenBatches(uow, stopping), clock, settings).purgeExpired();
        if (removed > 0) logger.info({ removed, retentionDays: settings.retentionDays }, 'expired trash purged');
        return removed;
      },
    });
  }
}

/**
 * The unit of work the purge runs on: once `stopping()`, the trash reports nothing more
 * to purge, which ends TrashService.purgeExpired's loop after the batch in progress.
 */
function stopBetweenBatches(uow: UnitOfWork, stopping: () => boolean): UnitOfWork {
  const { repositories } = uow;
  const trash: TrashRepository = {
    list: (query) => repositories.trash.list(query),
    stats: () => repositories.trash.stats(),
    purgeBefore: (cutoff, limit) => (stopping() ? Promise.resolve(0) : repositories.trash.purgeBefore(cutoff, limit)),
  };
  return { repositories: { ...repositories, trash }, transaction: (work) => uow.transaction(work) };
}
