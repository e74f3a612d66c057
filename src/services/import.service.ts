import { v7 as uuidv7 } from 'uuid';
import { ConflictError, GoneError, NotFoundError, ValidationError } from '../domain/errors';
import type { Actor } from '../domain/history';
import { resolveMapping, suggestMapping, type ColumnMapping } from '../imports/column-mapping';
import { detectDelimiter } from '../imports/csv-delimiter';
import { decodeUpload } from '../imports/csv-encoding';
import { readCsv, readHeader } from '../imports/csv-records';
import { CsvCommit } from '../imports/import-commit';
import {
  PREVIEW_ROWS,
  UPLOAD_LIFETIME_MS,
  type CommitResult,
  type DuplicatePolicy,
  type ImportJob,
  type PreviewRow,
  type UndoResult,
} from '../imports/import-job';
import { undoImport } from '../imports/import-undo';
import { newClientFields, readRow, rowPlan, type RowPlan } from '../imports/row-fields';
import type { ImportSession, ImportStore } from '../repositories/import-store';
import type { Clock } from './clock';

export interface CommitRequest {
  readonly mapping?: ColumnMapping;
  readonly onDuplicate: DuplicatePolicy;
  readonly dryRun?: boolean;
}

export interface CommitOutcome extends CommitResult {
  readonly id: string;
  readonly status: 'committed' | 'dry_run';
}

export interface UndoOutcome extends UndoResult {
  readonly id: string;
  readonly status: 'undone';
}

/** Expired uploads are kept as a record (status expired, file dropped) this long, then deleted. */
const EXPIRED_KEPT_MS = 30 * 24 * 60 * 60 * 1000;
const PURGE_BATCH = 200;

/** Thrown inside a dry run's transaction to roll it back with its result. */
class DryRunRollback extends Error {
  constructor(readonly result: CommitResult) {
    super('dry run');
  }
}

/**
 * CSV imports in two steps: an upload becomes a pending job (encoding, delimiter, columns,
 * suggested mapping, preview); its commit imports the rows in one transaction, or, as a dry
 * run, does all of it and rolls back. A committed import can be undone.
 */
export class ImportService {
  constructor(
    private readonly store: ImportStore,
    private readonly clock: Clock,
  ) {}

  async upload(bytes: Uint8Array, charset?: string): Promise<ImportJob> {
    const { text, encoding } = decodeUpload(bytes, charset);
    const delimiter = detectDelimiter(text);
    const columns = readHeader(text, delimiter);
    const mapping = suggestMapping(columns);
    const plan = rowPlan(columns, mapping);
    const preview: PreviewRow[] = [];
    let rows = 0;
    for await (const { row, cells } of readCsv(text, delimiter)) {
      rows += 1;
      if (preview.length < PREVIEW_ROWS) preview.push(previewRow(row, cells, plan));
    }
    if (rows === 0)
      throw new ValidationError([{ path: 'body', message: 'has no data rows' }], 'The file has a header row but no data rows');
    const now = this.clock();
    const job: ImportJob = {
      id: uuidv7(),
      status: 'pending',
      encoding,
      delimiter,
      columns,
      mapping,
      preview,
      rows,
      createdAt: now,
      expiresAt: new Date(Date.parse(now) + UPLOAD_LIFETIME_MS).toISOString(),
      committedAt: null,
      undoneAt: null,
      result: null,
      undo: null,
    };
    await this.store.jobs.insert(job, text);
    return job;
  }

  async get(id: string): Promise<ImportJob> {
    const job = await this.store.jobs.find(id);
    if (!job) throw new NotFoundError('Import', id);
    return job;
  }

  /**
   * Imports the job's rows, all in one transaction: a failure midway imports nothing. 409 for a
   * job already committed (or undone), 410 for an expired upload, 422 for a mapping naming
   * columns the file does not have or filling a field twice.
   */
  async commit(id: string, request: CommitRequest, actor: Actor = null, onProgress?: (rows: number) => void): Promise<CommitOutcome> {
    const job = await this.pendingJob(id);
    const { mapping, problems } = resolveMapping(job.columns, job.mapping, request.mapping);
    if (problems.length > 0) throw new ValidationError([...problems], 'The mapping is not valid');
    const source = await this.store.jobs.source(id);
    if (source === null) throw new ConflictError(`Import ${id} was committed meanwhile`);
    const at = this.clock();
    const plan = rowPlan(job.columns, mapping);
    const run = async (session: ImportSession) => {
      if (!request.dryRun && !(await session.jobs.claimForCommit(id, at))) throw new ConflictError(`Import ${id} was committed meanwhile`);
      const commit = new CsvCommit(session, { jobId: id, plan, onDuplicate: request.onDuplicate, at, actor, onProgress });
      const tally = await commit.run(readCsv(source, job.delimiter));
      const result: CommitResult = { ...tally, onDuplicate: request.onDuplicate, mapping };
      if (request.dryRun) throw new DryRunRollback(result);
      await session.jobs.saveResult(id, result);
      return result;
    };
    try {
      return { id, status: 'committed', ...(await this.store.transaction(run)) };
    } catch (error) {
      if (error instanceof DryRunRollback) return { id, status: 'dry_run', ...error.result };
      throw error;
    }
  }

  /**
   * A pending (or expired) job is discarded: null. A committed one is undone, in one
   * transaction; an undone one answers what its undo did, so a retried DELETE is harmless.
   */
  async remove(id: string, actor: Actor = null): Promise<UndoOutcome | null> {
    let job = await this.get(id);
    if (job.status === 'pending' || job.status === 'expired') {
      if (await this.store.jobs.discard(id)) return null;
      // Committed since it was read: undo it, as a DELETE of a committed import does.
      job = await this.get(id);
    }
    if (job.status === 'undone') return { id, status: 'undone', ...job.undo! };
    const at = this.clock();
    const undo = await this.store.transaction(async (session) => {
      if (!(await session.jobs.markUndone(id, at))) return null;
      const result = await undoImport(session, id, at, actor);
      await session.jobs.saveUndo(id, result);
      return result;
    });
    // Null: a concurrent DELETE undid it first; answer what that one did.
    return { id, status: 'undone', ...(undo ?? (await this.get(id)).undo!) };
  }

  /**
   * Pending uploads past their day become expired (their file dropped), in small batches; expired
   * records are deleted a month on. Resolves with the number of jobs changed.
   */
  async purgeExpired(stopped: () => boolean = () => false): Promise<number> {
    const now = this.clock();
    const cutoff = new Date(Date.parse(now) - EXPIRED_KEPT_MS).toISOString();
    let changed = 0;
    for (let batch = -1; batch !== 0 && !stopped(); changed += batch)
      batch = Math.max(0, await this.store.jobs.expirePending(now, PURGE_BATCH));
    for (let batch = -1; batch !== 0 && !stopped(); changed += batch)
      batch = Math.max(0, await this.store.jobs.deleteExpiredBefore(cutoff, PURGE_BATCH));
    return changed;
  }

  private async pendingJob(id: string): Promise<ImportJob> {
    const job = await this.get(id);
    if (job.status === 'committed' || job.status === 'undone') {
      throw new ConflictError(
        `Import ${id} was already committed${job.status === 'undone' ? ' and undone' : ''}; upload the file again to import it again`,
      );
    }
    if (job.status === 'expired' || job.expiresAt <= this.clock()) {
      throw new GoneError(`Import ${id} expired at ${job.expiresAt}: uploads wait one day for their commit; upload the file again`);
    }
    return job;
  }
}

function previewRow(row: number, cells: readonly string[], plan: RowPlan): PreviewRow {
  const reading = readRow(row, cells, plan);
  if (reading.errors.length > 0) return { row, client: reading.fields, errors: reading.errors };
  const fields = newClientFields(row, reading.fields, plan);
  return 'message' in fields ? { row, client: reading.fields, errors: [fields] } : { row, client: fields, errors: [] };
}
