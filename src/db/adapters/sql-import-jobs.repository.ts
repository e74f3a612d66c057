import type { ClientFields } from '../../domain/client';
import type { CommitResult, ImportChange, ImportJob, UndoResult } from '../../imports/import-job';
import type { ImportJobRepository } from '../../repositories/import-store';
import type { Dialect, DialectTools } from '../dialects';
import type { SqlSession } from '../sql/sql-executor';
import { boundedBulkInsert } from './bounded-bulk-insert';
import { importJobsTable, type ImportJobChangeRow, type ImportJobRow } from '../tables/import-jobs.tables';

/** Every column but the file, which only a commit reads. */
const JOB_COLUMNS = importJobsTable.columns.map((column) => column.sql).filter((column) => column !== 'source');
const FIND_SQL = `SELECT ${JOB_COLUMNS.join(', ')} FROM import_jobs WHERE id = ?`;
const INSERT_SQL = `INSERT INTO import_jobs (${[...JOB_COLUMNS, 'source'].join(', ')}) VALUES (${[...JOB_COLUMNS, 'source'].map(() => '?').join(', ')})`;

type JobRow = Omit<ImportJobRow, 'source'>;

export class SqlImportJobRepository implements ImportJobRepository {
  constructor(
    private readonly sql: SqlSession,
    private readonly dialect: Dialect,
    private readonly tools: DialectTools,
  ) {}

  async insert(job: ImportJob, source: string): Promise<void> {
    const row = this.toRow(job);
    await this.sql.run(INSERT_SQL, [...JOB_COLUMNS.map((column) => row[column as keyof JobRow]), source]);
  }

  async find(id: string): Promise<ImportJob | null> {
    const [row] = await this.sql.all<JobRow>(FIND_SQL, [id]);
    return row ? this.toJob(row) : null;
  }

  async source(id: string): Promise<string | null> {
    const [row] = await this.sql.all<{ source: string | null }>('SELECT source FROM import_jobs WHERE id = ?', [id]);
    return row?.source ?? null;
  }

  async claimForCommit(id: string, committedAt: string): Promise<boolean> {
    const sql = "UPDATE import_jobs SET status = 'committed', committed_at = ?, source = NULL WHERE id = ? AND status = 'pending'";
    return (await this.sql.run(sql, [this.dialect.toDbTimestamp(committedAt), id])) > 0;
  }

  async saveResult(id: string, result: CommitResult): Promise<void> {
    await this.sql.run('UPDATE import_jobs SET result = ? WHERE id = ?', [JSON.stringify(result), id]);
  }

  async markUndone(id: string, undoneAt: string): Promise<boolean> {
    const sql = "UPDATE import_jobs SET status = 'undone', undone_at = ? WHERE id = ? AND status = 'committed'";
    return (await this.sql.run(sql, [this.dialect.toDbTimestamp(undoneAt), id])) > 0;
  }

  async saveUndo(id: string, undo: UndoResult): Promise<void> {
    await this.sql.run('UPDATE import_jobs SET undo = ? WHERE id = ?', [JSON.stringify(undo), id]);
  }

  async discard(id: string): Promise<boolean> {
    // Never a committed job: its changes are what an undo needs (a commit may have just taken it).
    return (await this.sql.run("DELETE FROM import_jobs WHERE id = ? AND status IN ('pending', 'expired')", [id])) > 0;
  }

  async expirePending(now: string, limit: number): Promise<number> {
    const sql = `UPDATE import_jobs SET status = 'expired', source = NULL
      WHERE id IN (SELECT id FROM import_jobs WHERE status = 'pending' AND expires_at <= ? ORDER BY expires_at LIMIT ?)`;
    return this.sql.run(sql, [this.dialect.toDbTimestamp(now), limit]);
  }

  async deleteExpiredBefore(cutoff: string, limit: number): Promise<number> {
    const sql = `DELETE FROM import_jobs
      WHERE id IN (SELECT id FROM import_jobs WHERE status = 'expired' AND expires_at < ? ORDER BY expires_at LIMIT ?)`;
    return this.sql.run(sql, [this.dialect.toDbTimestamp(cutoff), limit]);
  }

  async addChanges(changes: readonly ImportChange[]): Promise<void> {
    const rows: ImportJobChangeRow[] = changes.map((change) => ({
      job_id: change.jobId,
      client_id: change.clientId,
      kind: change.kind,
      before: change.before === null ? null : JSON.stringify(change.before),
      version_after: change.versionAfter,
    }));
    await boundedBulkInsert(this.tools, this.sql, 'import_job_changes', rows);
  }

  async changes(jobId: string, afterClientId: string | null, limit: number): Promise<ImportChange[]> {
    const columns = 'job_id, client_id, kind, before, version_after';
    const rows =
      afterClientId === null
        ? await this.sql.all<ImportJobChangeRow>(`SELECT ${columns} FROM import_job_changes WHERE job_id = ? ORDER BY client_id LIMIT ?`, [
            jobId,
            limit,
          ])
        : await this.sql.all<ImportJobChangeRow>(
            `SELECT ${columns} FROM import_job_changes WHERE job_id = ? AND client_id > ? ORDER BY client_id LIMIT ?`,
            [jobId, afterClientId, limit],
          );
    return rows.map((row) => ({
      jobId: row.job_id,
      clientId: row.client_id,
      kind: row.kind as ImportChange['kind'],
      before: row.before === null ? null : (JSON.parse(row.before) as ClientFields),
      versionAfter: Number(row.version_after),
    }));
  }

  private toRow(job: ImportJob): JobRow {
    const at = (iso: string | null) => (iso === null ? null : this.dialect.toDbTimestamp(iso));
    return {
      id: job.id,
      status: job.status,
      encoding: job.encoding,
      delimiter: job.delimiter,
      columns: JSON.stringify(job.columns),
      mapping: JSON.stringify(job.mapping),
      preview: JSON.stringify(job.preview),
      row_count: job.rows,
      created_at: at(job.createdAt),
      expires_at: at(job.expiresAt),
      committed_at: at(job.committedAt),
      undone_at: at(job.undoneAt),
      result: job.result === null ? null : JSON.stringify(job.result),
      undo: job.undo === null ? null : JSON.stringify(job.undo),
    };
  }

  private toJob(row: JobRow): ImportJob {
    const at = (value: unknown) => (value === null || value === undefined ? null : this.dialect.fromDbTimestamp(value));
    const json = <T>(text: string | null): T | null => (text === null ? null : (JSON.parse(text) as T));
    return {
      id: row.id,
      status: row.status as ImportJob['status'],
      encoding: row.encoding as ImportJob['encoding'],
      delimiter: row.delimiter as ImportJob['delimiter'],
      columns: JSON.parse(row.columns) as string[],
      mapping: JSON.parse(row.mapping) as ImportJob['mapping'],
      preview: JSON.parse(row.preview) as ImportJob['preview'],
      rows: Number(row.row_count),
      createdAt: this.dialect.fromDbTimestamp(row.created_at),
      expiresAt: this.dialect.fromDbTimestamp(row.expires_at),
      committedAt: at(row.committed_at),
      undoneAt: at(row.undone_at),
      result: json<CommitResult>(row.result),
      undo: json<UndoResult>(row.undo),
    };
  }
}
