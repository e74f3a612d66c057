import { performance } from 'node:perf_hooks';
import type Database from 'better-sqlite3';
import type { SqlSession } from '../sql/sql-executor';

type Work<T> = (session: SqlSession) => Promise<T>;

interface Job {
  readonly work: Work<unknown>;
  /** Commits alone: the batch before it commits first, and nothing joins it. */
  readonly alone: boolean;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
}

/** A batch stops taking jobs past either bound, so one busy moment never holds answers back long. */
const MAX_JOBS_PER_COMMIT = 64;
const MAX_BATCH_MS = 10;

/**
 * Group commit on SQLite's one writer connection. With synchronous=FULL every commit waits for
 * an fsync of the WAL, which costs far more than the statements of a create; while one commit
 * waits, other requests arrive. So writes queue here and run one after the other as today, but
 * the writes that queued together share one transaction and one fsync: each in a savepoint of
 * its own (a failing write is undone alone, the others go on), all answered only once the
 * COMMIT has returned, so an answer still means the write is on disk. Alone, a write waits for
 * nothing: the batch starts on the next turn of the event loop (setImmediate, after the
 * requests that arrived with it have been read) and commits as soon as the queue is empty.
 * Reads use the reader connection and never see a batch before its commit.
 */
export class GroupCommitWriter {
  private readonly jobs: Job[] = [];
  private draining = false;

  constructor(
    private readonly db: Database.Database,
    private readonly session: SqlSession,
  ) {}

  /**
   * Runs work in a transaction shared with the writes queued beside it, or in one of its own
   * (`alone`: a long import, whose neighbours must not wait for its end); resolves after the commit.
   */
  submit<T>(work: Work<T>, alone = false): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.jobs.push({ work, alone, resolve: resolve as (value: unknown) => void, reject });
      if (!this.draining) {
        this.draining = true;
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    while (this.jobs.length > 0) await this.commitBatch();
    this.draining = false;
  }

  /** Whether the next queued job runs in the open batch, which has `done` jobs so far. */
  private mayJoin(done: number, started: number): boolean {
    if (done === 0) return true;
    return !(this.jobs[0] as Job).alone && done < MAX_JOBS_PER_COMMIT && performance.now() - started < MAX_BATCH_MS;
  }

  private async commitBatch(): Promise<void> {
    const { db } = this;
    try {
      // IMMEDIATE takes the write lock up front: another process writing makes us wait (busy
      // timeout) here rather than fail half-way with SQLITE_BUSY.
      db.exec('BEGIN IMMEDIATE');
    } catch (error) {
      this.jobs.shift()?.reject(error);
      return;
    }
    const done: Array<{ job: Job; result: unknown }> = [];
    const started = performance.now();
    while (this.jobs.length > 0 && this.mayJoin(done.length, started)) {
      const job = this.jobs.shift() as Job;
      db.exec('SAVEPOINT write');
      try {
        const result = await job.work(this.session);
        db.exec('RELEASE write');
        done.push({ job, result });
        if (job.alone) break;
      } catch (error) {
        job.reject(error);
        if (db.inTransaction) {
          db.exec('ROLLBACK TO write');
          db.exec('RELEASE write');
          if (job.alone) break;
          continue;
        }
        // SQLite rolled the whole transaction back (an I/O error, a full disk): the writes done
        // before in it are undone too, and none of them was answered yet.
        for (const { job: undone } of done) undone.reject(error);
        return;
      }
    }
    try {
      db.exec('COMMIT');
    } catch (error) {
      if (db.inTransaction) db.exec('ROLLBACK');
      for (const { job } of done) job.reject(error);
      return;
    }
    for (const { job, result } of done) job.resolve(result);
  }
}
