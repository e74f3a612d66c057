import type { Logger } from 'pino';

export interface PurgeJob {
  readonly intervalMs: number;
  readonly logger: Logger;
  /** The warning logged when a run fails; the next tick tries again. */
  readonly failure: string;
  /** Removes what is due, batch after batch, asking `stopping()` between batches; resolves with the count. */
  purge(stopping: () => boolean): Promise<number>;
}

/**
 * A purge inside the server: once at start-up, then every interval. Runs never overlap (a tick
 * that finds one still going joins it); a failure is logged and counts as nothing removed;
 * stop() ends the current run between two batches and waits for it, so the database can close
 * behind it.
 */
export class PeriodicPurge {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | null = null;
  private stopped = false;

  constructor(private readonly job: PurgeJob) {}

  start(): void {
    if (this.stopped) return;
    void this.runNow();
    this.timer = setInterval(() => void this.runNow(), this.job.intervalMs).unref();
  }

  /** Purges now, or joins the run already going; resolves with what was removed (0 after a failure). */
  runNow(): Promise<number> {
    this.running ??= this.runOnce().finally(() => (this.running = null));
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  private async runOnce(): Promise<number> {
    if (this.stopped) return 0;
    try {
      return await this.job.purge(() => this.stopped);
    } catch (error) {
      this.job.logger.warn({ err: error }, this.job.failure);
      return 0;
    }
  }
}
