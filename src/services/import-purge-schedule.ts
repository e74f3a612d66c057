import type { Logger } from 'pino';
import type { ImportService } from './import.service';

/** How often the server looks for expired uploads once it has started. */
export const IMPORT_PURGE_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Uploads nobody committed within their day, expired inside the server: once at start-up,
 * then every interval, in small batches. Runs never overlap; a failure is logged and the next
 * tick tries again; stop() ends a run between two batches and waits for it.
 */
export class ImportPurgeSchedule {
  private stopped = false;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | null = null;

  constructor(
    private readonly imports: ImportService,
    private readonly logger: Logger,
    private readonly intervalMs = IMPORT_PURGE_INTERVAL_MS,
  ) {}

  start(): void {
    if (this.stopped) return;
    void this.runNow();
    this.timer = setInterval(() => void this.runNow(), this.intervalMs).unref();
  }

  /** Purges now, or joins the run already going; resolves with the jobs expired or deleted (0 after a failure). */
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
    if (this.stopped) return 0;
    try {
      const changed = await this.imports.purgeExpired(() => this.stopped);
      if (changed > 0) this.logger.info({ changed }, 'expired CSV uploads purged');
      return changed;
    } catch (error) {
      this.logger.warn({ err: error }, 'CSV upload purge failed');
      return 0;
    }
  }
}
