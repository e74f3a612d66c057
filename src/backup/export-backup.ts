import path from 'node:path';
import type { Database } from '../db/open-database';
import { exportDatabase } from '../transfer/export';
import { ExportFormatError, type RecordCounts } from '../transfer/format';
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
      if (read.clients !== written.clients || read.exchanges !== written.exchanges) {
        throw new ExportFormatError(
          `the export file holds other counts than were written (${describe(read)} read, ${describe(written)} written)`,
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
 * object of a known type, clients before exchanges, and counts that match the end line. The
 * records' fields are checked again, one by one, by the import that restores them.
 */
export async function checkExportFile(file: string): Promise<RecordCounts> {
  const counts: RecordCounts = { clients: 0, exchanges: 0 };
  let lineNumber = 0;
  let trailer: RecordCounts | null = null;
  for await (const line of readExportLines(file)) {
    lineNumber += 1;
    if (lineNumber === 1) {
      checkHeader(line);
      continue;
    }
    const at = `${path.basename(file)} line ${lineNumber}`;
    if (trailer) throw new ExportFormatError(`${at}: data after the end line`);
    let record: { type?: unknown; counts?: RecordCounts };
    try {
      record = JSON.parse(line) as typeof record;
    } catch {
      throw new ExportFormatError(`${at}: not valid JSON`);
    }
    if (record.type === 'client' && counts.exchanges === 0) counts.clients += 1;
    else if (record.type === 'exchange') counts.exchanges += 1;
    else if (record.type === 'end' && record.counts) trailer = record.counts;
    else throw new ExportFormatError(`${at}: unexpected ${JSON.stringify(record.type)} record`);
  }
  if (lineNumber === 0) throw new ExportFormatError(`${file} is empty: not a crm export`);
  if (!trailer) throw new ExportFormatError(`${file} stops at line ${lineNumber} without its end line: the file is truncated`);
  if (trailer.clients !== counts.clients || trailer.exchanges !== counts.exchanges) {
    throw new ExportFormatError(`${file}: the end line announces ${describe(trailer)}; the file holds ${describe(counts)}`);
  }
  return counts;
}

function describe(counts: RecordCounts): string {
  return `${counts.clients} clients and ${counts.exchanges} exchanges`;
}
