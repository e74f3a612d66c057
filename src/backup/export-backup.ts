import path from 'node:path';
import type { Database } from '../db/open-database';
import { exportDatabase } from '../transfer/export';
import {
  describeCountMismatch,
  describeCounts,
  ExportFormatError,
  parseCounts,
  RecordSequence,
  type ExportCounts,
} from '../transfer/format';
import { checkHeader } from '../transfer/import';
import { openExportTarget, readExportLines } from '../transfer/ndjson-files';
import { writeBackup, type BackupOptions, type BackupResult } from './sqlite-backup';
import { abortError } from './sqlite-copy-worker';

// Rows are mapped and serialised on the server's thread. Measured on 100,000 clients and as many
// exchanges: 2,000 per batch (the export's default) held the event loop up to 35 ms at a time
// (p99 18 ms); 250 kept it to 10 ms at most (p99 4 ms) for about the same total time.
const EXPORT_BATCH_ROWS = 250;

/**
 * The PostgreSQL backup: a `crm export` (gzip NDJSON, one consistent snapshot) written under a
 * temporary name, read back and checked, then renamed into place. It restores into either
 * backend with `crm db restore` or `crm import`.
 */
export async function backupByExport(
  database: Pick<Database, 'knex' | 'dialect' | 'tools' | 'target'>,
  dir: string,
  options: BackupOptions,
): Promise<BackupResult> {
  return writeBackup(dir, 'export', options, async (partial) => {
    const target = openExportTarget(partial, true);
    // openExportTarget writes its own hidden partial beside `partial`; commit renames it there.
    const [gzip] = target.streams;
    const onAbort = () => gzip?.destroy(abortError());
    options.signal?.addEventListener('abort', onAbort, { once: true });
    try {
      if (options.signal?.aborted) throw abortError();
      const written = await exportDatabase(database, target.streams, { batchSize: EXPORT_BATCH_ROWS });
      await target.commit();
      const read = await checkExportFile(partial);
      if (describeCountMismatch(written, read)) {
        throw new ExportFormatError(
          `the export file holds other counts than were written (${describeCounts(read)} read, ${describeCounts(written)} written)`,
        );
      }
    } catch (error) {
      await target.abandon();
      throw error;
    } finally {
      options.signal?.removeEventListener('abort', onAbort);
    }
  });
}

/**
 * Reads an export file to its end line without writing anything: the header, every line a JSON
 * object of a known type, the types in the format's order, and counts that match the end line.
 * The records' fields are checked again, one by one, by the import that restores them.
 */
export async function checkExportFile(file: string): Promise<ExportCounts> {
  let lineNumber = 0;
  let sequence: RecordSequence | null = null;
  let version = 0;
  let trailer: ExportCounts | null = null;
  for await (const line of readExportLines(file)) {
    lineNumber += 1;
    if (sequence === null) {
      version = checkHeader(line);
      sequence = new RecordSequence(version);
      continue;
    }
    const at = `${path.basename(file)} line ${lineNumber}`;
    if (trailer) throw new ExportFormatError(`${at}: data after the end line`);
    let record: { type?: unknown; counts?: unknown };
    try {
      record = JSON.parse(line) as typeof record;
    } catch {
      throw new ExportFormatError(`${at}: not valid JSON`);
    }
    if (typeof record !== 'object' || record === null) throw new ExportFormatError(`${at}: not a JSON object`);
    if (sequence.next(record.type, at) === null) trailer = parseCounts(record.counts, version, at);
  }
  if (sequence === null) throw new ExportFormatError(`${file} is empty: not a crm export`);
  if (!trailer) throw new ExportFormatError(`${file} stops at line ${lineNumber} without its end line: the file is truncated`);
  const mismatch = describeCountMismatch(trailer, sequence.counts);
  if (mismatch) throw new ExportFormatError(`${file}: ${mismatch}`);
  return sequence.counts;
}
