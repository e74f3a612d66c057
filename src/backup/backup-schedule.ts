import type { Logger } from 'pino';
import type { Database } from '../db/open-database';
import type { BackupReport, BackupReporter } from '../services/backup-report';
import { listLocalBackups } from './backup-files';
import type { BackupPlan } from './backup-plan';
import { messageOf, recordOutcome, stateAfter, stateAfterFailure, takeBackup, type BackupSource } from './backup-run';
import { backupReport, readBackupState, type BackupState } from './backup-status';
import { DEFAULT_RETRY, type RetryPolicy } from './retry';
import { openS3Store, type RemoteBackupStore } from './s3-store';

interface ScheduleDeps {
  readonly plan: BackupPlan;
  /** The server's database: its target, and its tools and a pooled connection for the backup lock. */
  readonly database: Pick<Database, 'target' | 'connect' | 'tools'>;
  /** PostgreSQL: a Database of its own for the export, so its long snapshot never holds a connection /health needs. */
  readonly openExportDatabase: () => Database;
  readonly logger: Logger;
  readonly clock?: () => Date;
  readonly retry?: RetryPolicy;
}

// setTimeout's limit; a longer wait is cut into pieces.
const MAX_TIMER_MS = 2 ** 31 - 1;
// The first backup waits a little after start-up, not a whole interval: a service redeployed
// more often than its interval would otherwise never take one.
const FIRST_BACKUP_DELAY_MS = 30_000;
// How soon an instance that found the lock taken looks again.
const LOCK_RETRY_MS = 15_000;

/**
 * Backups on a schedule, inside the server. The next one is due an interval after the newest
 * backup (found on disk, or in the bucket when several instances share it), so restarts and
 * deploys do not push it back. One runs at a time; a stop lets it finish or abandons it cleanly.
 */
export class BackupSchedule implements BackupReporter {
  private state: BackupState;
  private readonly since: Date;
  private nextAt: Date | null = null;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | null = null;
  private readonly abort = new AbortController();
  private stopped = false;
  private store: Promise<RemoteBackupStore> | null = null;
  private readonly clock: () => Date;

  constructor(private readonly deps: ScheduleDeps) {
    this.clock = deps.clock ?? (() => new Date());
    this.since = this.clock();
    this.state = readBackupState(deps.plan.dir);
  }

  start(): void {
    const { intervalMs } = this.deps.plan;
    const last = this.state.last ? new Date(this.state.last.at).getTime() : null;
    const soonest = this.since.getTime() + Math.min(intervalMs, FIRST_BACKUP_DELAY_MS);
    this.scheduleAt(new Date(Math.max(soonest, last === null ? 0 : last + intervalMs)));
    this.deps.logger.info(
      { intervalMs, keep: this.deps.plan.keep, dir: this.deps.plan.dir, offsite: this.deps.plan.s3 !== null },
      'backups scheduled',
    );
  }

  report(): BackupReport {
    return backupReport(this.deps.plan, this.state, {
      now: this.clock(),
      since: this.since,
      nextAt: this.nextAt,
      running: this.running !== null,
    });
  }

  /** Runs a backup now unless one is running (then waits for that one). */
  runNow(): Promise<void> {
    this.running ??= this.run().finally(() => (this.running = null));
    return this.running;
  }

  /** Waits for a running backup up to `timeoutMs`, then abandons it; no partial file is left looking finished. */
  async stop(timeoutMs: number): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const running = this.running;
    if (running) {
      let timer: NodeJS.Timeout | undefined;
      const late = new Promise<'late'>((resolve) => (timer = setTimeout(() => resolve('late'), Math.max(0, timeoutMs - 1000))));
      if ((await Promise.race([running.then(() => 'done' as const), late])) === 'late') {
        this.deps.logger.warn('backup abandoned at shutdown; its partial file is removed and the next start takes one');
        this.abort.abort();
        await running;
      }
      clearTimeout(timer);
    }
    if (this.store) (await this.store.catch(() => null))?.close();
  }

  private scheduleAt(at: Date): void {
    if (this.stopped) return;
    this.nextAt = at;
    clearTimeout(this.timer);
    const wait = Math.min(MAX_TIMER_MS, Math.max(0, at.getTime() - this.clock().getTime()));
    this.timer = setTimeout(() => {
      if (this.clock() < at) this.scheduleAt(at);
      else void this.runNow();
    }, wait).unref();
  }

  private async run(): Promise<void> {
    const { plan, logger } = this.deps;
    const startedAt = this.clock();
    let next = new Date(startedAt.getTime() + plan.intervalMs);
    try {
      const lock = await this.deps.database.tools.tryBackupLock(() => this.deps.database.connect());
      if (!lock) {
        // Another instance is taking it; look again soon, and adopt its copy once it is done.
        logger.debug('backup skipped: another instance holds the backup lock');
        next = new Date(startedAt.getTime() + Math.min(plan.intervalMs / 4, LOCK_RETRY_MS));
        return;
      }
      try {
        next = await this.backUpUnlessRecent(startedAt);
      } finally {
        await lock.release();
      }
    } catch (error) {
      if (this.abort.signal.aborted) return;
      this.state = this.record({ error });
      logger.error({ error: this.state.error }, 'backup failed');
    } finally {
      this.warnIfOverdue();
      this.scheduleAt(next < this.clock() ? new Date(this.clock().getTime() + Math.min(plan.intervalMs, FIRST_BACKUP_DELAY_MS)) : next);
    }
  }

  /** Under the lock: skip when another instance (or `crm db backup`) made one recently. Returns when the next is due. */
  private async backUpUnlessRecent(startedAt: Date): Promise<Date> {
    const { plan, logger } = this.deps;
    const store = await this.openStore();
    const newest = await this.newestBackup(store);
    if (newest && startedAt.getTime() - newest.at.getTime() < plan.intervalMs / 2) {
      if (newest.at.toISOString() !== this.state.last?.at) {
        this.state = { last: { at: newest.at.toISOString(), local: newest.local, remote: newest.remote }, error: null };
        logger.info({ at: newest.at, location: newest.remote ?? newest.local }, 'backup skipped: a recent one exists');
      }
      return new Date(newest.at.getTime() + plan.intervalMs);
    }
    const exportDatabase = plan.kind === 'export' ? this.deps.openExportDatabase() : null;
    try {
      const source: BackupSource = exportDatabase
        ? { kind: 'export', database: exportDatabase }
        : { kind: 'sqlite', path: this.sqlitePath() };
      const outcome = await takeBackup(plan, source, store, { signal: this.abort.signal, clock: this.clock });
      this.state = this.record(outcome);
      const { file, bytes } = outcome.local;
      const durationMs = this.clock().getTime() - startedAt.getTime();
      if (outcome.uploadError) logger.error({ error: outcome.uploadError, file }, 'backup failed');
      else
        logger.info(
          { file, bytes, durationMs, remote: outcome.remote?.url, removed: outcome.local.removed.length + outcome.removedRemote.length },
          'backup made',
        );
      return new Date(outcome.local.startedAt.getTime() + plan.intervalMs);
    } finally {
      await exportDatabase?.close();
    }
  }

  private async newestBackup(store: RemoteBackupStore | null): Promise<{ at: Date; local: string | null; remote: string | null } | null> {
    const local = listLocalBackups(this.deps.plan.dir)[0];
    const remote = store ? ((await store.list().catch(() => []))[0] ?? null) : null;
    if (remote && (!local || remote.at >= local.at))
      return { at: remote.at, local: remote.name === local?.name ? local.file : null, remote: remote.url };
    return local ? { at: local.at, local: local.file, remote: null } : null;
  }

  private openStore(): Promise<RemoteBackupStore | null> {
    const { s3 } = this.deps.plan;
    if (!s3) return Promise.resolve(null);
    // A failed load is retried at the next backup rather than remembered.
    this.store ??= openS3Store(s3, this.deps.retry ?? retryWithin(this.deps.plan.intervalMs)).catch((error: unknown) => {
      this.store = null;
      throw error;
    });
    return this.store;
  }

  private record(outcome: Parameters<typeof recordOutcome>[1]): BackupState {
    try {
      return recordOutcome(this.deps.plan, outcome);
    } catch (error) {
      // The folder cannot be written: the outcome still shows in /health.
      this.deps.logger.warn({ error: messageOf(error) }, 'backup state not saved');
      return 'error' in outcome ? stateAfterFailure(this.state, outcome.error) : stateAfter(outcome);
    }
  }

  private warnIfOverdue(): void {
    const report = this.report();
    if (report.overdue)
      this.deps.logger.warn(
        { lastAt: report.lastAt, ageSeconds: report.ageSeconds, intervalSeconds: report.intervalSeconds },
        'backup overdue',
      );
  }

  private sqlitePath(): string {
    const { target } = this.deps.database;
    if (target.driver !== 'sqlite') throw new Error('a SQLite backup needs a SQLite database');
    return target.path;
  }
}

/** Retries that fit in a short interval: a schedule of seconds (tests) does not wait seconds per try. */
function retryWithin(intervalMs: number): RetryPolicy {
  return { ...DEFAULT_RETRY, firstDelayMs: Math.min(DEFAULT_RETRY.firstDelayMs, intervalMs / 20) };
}
