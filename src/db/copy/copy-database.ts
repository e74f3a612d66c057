import type { CopyEndpoint, TableReader, WriteSession } from './copy-endpoint';
import type { CopyReport, TableComparison } from './copy-report';
import { tableMatches } from './copy-report';
import { CopyRefusedError, planMigrations } from './migration-state';
import { TableChecksum } from './table-checksum';
import { COPY_TABLES, type TableSpec } from './table-specs';

export interface CopyProgress {
  (phase: 'copying' | 'verifying', done: number, total: number): void;
}

export interface CopyOptions {
  readonly batchSize: number;
  /** Replace the rows a target already holds (inside the copy's transaction). */
  readonly truncate?: boolean;
  /** Check and count; write nothing (not even the target's migrations). */
  readonly dryRun?: boolean;
  readonly onProgress?: CopyProgress;
  /** Ctrl-C: stop between two batches and roll back. */
  readonly signal?: AbortSignal;
  readonly tables?: readonly TableSpec[];
}

/** Ctrl-C (or another abort) during the copy; the target transaction was rolled back. */
export class CopyInterruptedError extends Error {}

/**
 * Source -> target, all or nothing: the target's rows are written in ONE transaction from ONE
 * snapshot of the source, then read back and compared table by table (count and checksum) before
 * that transaction commits. A mismatch, an error or an interruption rolls it back, so the target
 * never holds a partial or unverified copy.
 */
export async function copyDatabase(source: CopyEndpoint, target: CopyEndpoint, options: CopyOptions): Promise<CopyReport> {
  const started = Date.now();
  const tables = options.tables ?? COPY_TABLES;
  const plan = planMigrations(await source.recordedMigrations(), await target.recordedMigrations());
  const existing = await target.countRows(tables);
  const occupied = tables.filter((table) => (existing.get(table.name) ?? 0) > 0);
  if (occupied.length > 0 && !options.truncate) {
    const list = occupied.map((table) => `${table.name}: ${existing.get(table.name)}`).join(', ');
    throw new CopyRefusedError(
      `the target already holds CRM rows (${list}); copy into an empty database, or pass --truncate to replace them`,
    );
  }
  const notes: string[] = [];
  const phases = new PhaseTimer();
  if (plan.targetPending.length > 0)
    notes.push(`Target ${options.dryRun ? 'would be' : 'was'} migrated to ${plan.version} (${plan.targetPending.length} migration(s)).`);
  if (occupied.length > 0) notes.push(`Target rows ${options.dryRun ? 'would be' : 'were'} replaced (--truncate).`);
  const report = (mode: CopyReport['mode'], compared: TableComparison[], committed: boolean): CopyReport => ({
    mode,
    from: source.location,
    to: target.location,
    tables: compared,
    committed,
    elapsedMs: Date.now() - started,
    notes,
  });

  if (options.dryRun) {
    const counts = await source.withSnapshot((reader) => countAll(reader, tables));
    return report(
      'dry-run',
      tables.map((table) => ({
        table: table.name,
        sourceRows: counts.get(table.name) ?? 0,
        targetRows: existing.get(table.name) ?? 0,
        sourceChecksum: null,
        targetChecksum: null,
      })),
      false,
    );
  }

  if (plan.targetPending.length > 0) await target.migrateUp();
  phases.lap('checks');
  const session = await target.beginWrite();
  try {
    const copied = await source.withSnapshot((reader) => copyTables(reader, session, tables, occupied.length > 0, options));
    phases.lap('copy');
    await session.finishLoad();
    phases.lap('indexes');
    const compared = await verifyTables(copied, session, options, tables);
    phases.lap('verify');
    const ok = compared.every(tableMatches);
    await (ok ? session.commit() : session.rollback());
    phases.lap(ok ? 'commit' : 'rollback');
    if (ok) {
      // The rows are committed by now: statistics are an optimisation, so a failure is a note.
      await target.refreshPlannerStatistics().catch((error: Error) => notes.push(`Planner statistics not refreshed: ${error.message}`));
      phases.lap('analyze');
    }
    notes.push(`Time: ${phases.summary()}.`);
    return report('copy', compared, ok);
  } catch (error) {
    // The original error is the one worth reporting; a broken connection has rolled back anyway.
    await session.rollback().catch(() => undefined);
    throw error;
  }
}

/** Where the time went, for the operator and the benchmark. */
class PhaseTimer {
  private last = Date.now();
  private readonly laps: string[] = [];

  lap(name: string): void {
    const now = Date.now();
    this.laps.push(`${name} ${((now - this.last) / 1000).toFixed(1)} s`);
    this.last = now;
  }

  summary(): string {
    return this.laps.join(', ');
  }
}

interface SourceTable {
  readonly table: TableSpec;
  readonly rows: number;
  readonly checksum: string;
}

async function copyTables(
  reader: TableReader,
  session: WriteSession,
  tables: readonly TableSpec[],
  truncate: boolean,
  options: CopyOptions,
): Promise<SourceTable[]> {
  const counts = await countAll(reader, tables);
  const total = sum(counts);
  if (truncate) await session.truncate(tables);
  await session.beginLoad(tables);
  let done = 0;
  options.onProgress?.('copying', 0, total);
  const copied: SourceTable[] = [];
  for (const table of tables) {
    const checksum = new TableChecksum();
    for await (const batch of reader.batches(table, options.batchSize)) {
      if (options.signal?.aborted) throw new CopyInterruptedError('interrupted');
      checksum.add(batch);
      await session.write(table, batch);
      done += batch.count;
      options.onProgress?.('copying', done, total);
    }
    await session.endTable(table);
    // The snapshot cannot change under the reader; a difference here is a bug, never data.
    if (checksum.rows !== counts.get(table.name))
      throw new Error(`${table.name}: read ${checksum.rows} rows, counted ${counts.get(table.name)}`);
    copied.push({ table, rows: checksum.rows, checksum: checksum.digest() });
  }
  return copied;
}

async function verifyTables(
  copied: readonly SourceTable[],
  reader: TableReader,
  options: CopyOptions,
  tables: readonly TableSpec[],
): Promise<TableComparison[]> {
  const total = copied.reduce((n, table) => n + table.rows, 0);
  let done = 0;
  options.onProgress?.('verifying', 0, total);
  const compared: TableComparison[] = [];
  for (const table of tables) {
    const source = copied.find((candidate) => candidate.table === table) as SourceTable;
    const { rows, checksum } = await checksumOf(reader, table, options, (n) => options.onProgress?.('verifying', (done += n), total));
    compared.push({
      table: table.name,
      sourceRows: source.rows,
      targetRows: rows,
      sourceChecksum: source.checksum,
      targetChecksum: checksum,
    });
  }
  return compared;
}

/**
 * Compares two databases that are not being copied (crm db copy --verify-only): each is read in
 * its own snapshot, table by table, with the same checksum as a copy.
 */
export async function verifyDatabases(
  source: CopyEndpoint,
  target: CopyEndpoint,
  options: Pick<CopyOptions, 'batchSize' | 'onProgress' | 'signal' | 'tables'>,
): Promise<CopyReport> {
  const started = Date.now();
  const tables = options.tables ?? COPY_TABLES;
  const plan = planMigrations(await source.recordedMigrations(), await target.recordedMigrations());
  if (plan.targetPending.length > 0)
    throw new CopyRefusedError(`the target is not at migration ${plan.version}: it cannot hold the same rows`);
  const compared = await source.withSnapshot((sourceReader) =>
    target.withSnapshot(async (targetReader) => {
      const total = sum(await countAll(sourceReader, tables)) * 2;
      let done = 0;
      const tick = (n: number) => options.onProgress?.('verifying', (done += n), total);
      const results: TableComparison[] = [];
      for (const table of tables) {
        const source = await checksumOf(sourceReader, table, options, tick);
        const copy = await checksumOf(targetReader, table, options, tick);
        results.push({
          table: table.name,
          sourceRows: source.rows,
          targetRows: copy.rows,
          sourceChecksum: source.checksum,
          targetChecksum: copy.checksum,
        });
      }
      return results;
    }),
  );
  return {
    mode: 'verify-only',
    from: source.location,
    to: target.location,
    tables: compared,
    committed: false,
    elapsedMs: Date.now() - started,
    notes: [],
  };
}

async function checksumOf(
  reader: TableReader,
  table: TableSpec,
  options: Pick<CopyOptions, 'batchSize' | 'signal'>,
  tick: (rows: number) => void,
) {
  const checksum = new TableChecksum();
  for await (const batch of reader.batches(table, options.batchSize)) {
    if (options.signal?.aborted) throw new CopyInterruptedError('interrupted');
    checksum.add(batch);
    tick(batch.count);
  }
  const counted = await reader.count(table);
  const digest = checksum.digest();
  // Counted apart from the walk: a row the keyset walk skipped (or saw twice) must not pass.
  return { rows: counted, checksum: counted === checksum.rows ? digest : `walked ${checksum.rows} of ${counted} rows` };
}

async function countAll(reader: TableReader, tables: readonly TableSpec[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const table of tables) counts.set(table.name, await reader.count(table));
  return counts;
}

function sum(counts: Map<string, number>): number {
  let total = 0;
  for (const n of counts.values()) total += n;
  return total;
}
