import type { Logger } from 'pino';
import type { ImportService } from './import.service';
import { PeriodicPurge } from './periodic-purge';

/** How often the server looks for expired uploads once it has started. */
export const IMPORT_PURGE_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Uploads nobody committed within their day, expired inside the server: once at start-up,
 * then every interval, in small batches (PeriodicPurge).
 */
export class ImportPurgeSchedule extends PeriodicPurge {
  constructor(imports: ImportService, logger: Logger, intervalMs = IMPORT_PURGE_INTERVAL_MS) {
    super({
      intervalMs,
      logger,
      failure: 'CSV upload purge failed',
      async purge(stopping) {
        const changed = await imports.purgeExpired(stopping);
        if (changed > 0) logger.info({ changed }, 'expired CSV uploads purged');
        return changed;
      },
    });
  }
}
