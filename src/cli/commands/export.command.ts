import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { SqlUnitOfWork } from '../../db/adapters/sql-unit-of-work';
import type { Database } from '../../db/open-database';
import type { Client } from '../../domain/client';
import { clientCsvStream, CSV_DELIMITERS, matchingClients, type CsvDelimiterName } from '../../services/client-csv-export';
import { exportDatabase } from '../../transfer/export';
import { describeCounts } from '../../transfer/format';
import { openExportTarget, type ExportTarget } from '../../transfer/ndjson-files';
import { EXIT, UsageError, withConfiguredDatabase } from '../cli-support';
import { createProgress, formatElapsed } from '../progress-lines';

interface ExportOptions {
  out?: string;
  gzip?: boolean;
  csv?: boolean;
  delimiter?: string;
}

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description(
      'write every client and exchange, the trash and the history as portable NDJSON (docs/export-format.md), or the clients as CSV (--csv)',
    )
    .option('--out <file>', 'write to this file instead of standard output (gzip when it ends with .gz)')
    .option('--gzip', 'compress with gzip (implied by --out FILE.gz)')
    .option('--csv', 'the live clients as a spreadsheet: the columns of GET /api/v1/clients with Accept: text/csv (docs/spreadsheets.md)')
    .option('--delimiter <name>', 'with --csv: comma (default) or semicolon, as French Excel expects')
    .action(async (options: ExportOptions) => {
      const delimiter = csvDelimiter(options);
      const gzip = options.gzip === true || (options.out?.endsWith('.gz') ?? false);
      if (gzip && options.out === undefined && process.stdout.isTTY)
        throw new UsageError('refusing to write gzip to a terminal; use --out FILE or a pipe');
      // Standard output may be the export itself: everything else goes to stderr then.
      const report = (line: string) => (options.out === undefined ? process.stderr : process.stdout).write(line + '\n');
      process.exitCode = await withConfiguredDatabase(async (database) => {
        const { pending } = await database.migrator.status();
        if (pending.length > 0) {
          process.stderr.write(`crm export: the database has ${pending.length} pending migration(s); run "crm migrate up" first\n`);
          return EXIT.failed;
        }
        const target = openExportTarget(options.out, gzip);
        const started = Date.now();
        const where = `from ${database.target.driver} at ${database.target.location} to ${options.out ?? 'standard output'}`;
        try {
          const what = delimiter === null ? await writeNdjson(database, target) : await writeCsv(database, target, delimiter);
          await target.commit();
          report(`Exported ${what} ${where} in ${formatElapsed(Date.now() - started)}.`);
          return EXIT.ok;
        } catch (error) {
          await target.abandon();
          // `crm export | head`: the reader has all it wanted. Stop without a message, with the
          // status of a process killed by SIGPIPE, so `set -o pipefail` still sees a short export.
          if (options.out === undefined && (error as { code?: string }).code === 'EPIPE') return EXIT.brokenPipe;
          throw error;
        }
      });
    });
}

/** The CSV delimiter asked for, or null for the NDJSON export. */
function csvDelimiter(options: ExportOptions): CsvDelimiterName | null {
  if (options.csv !== true) {
    if (options.delimiter !== undefined) throw new UsageError('--delimiter goes with --csv');
    return null;
  }
  const name = options.delimiter ?? 'comma';
  if (!Object.hasOwn(CSV_DELIMITERS, name)) throw new UsageError(`--delimiter must be comma or semicolon, not "${name}"`);
  return name as CsvDelimiterName;
}

async function writeNdjson(database: Database, target: ExportTarget): Promise<string> {
  const progress = createProgress('exporting', null);
  try {
    const counts = await exportDatabase(database, target.streams, {
      onProgress: (done) => progress.update(done.clients + done.exchanges + done.trashedClients + done.trashedExchanges + done.history),
    });
    return describeCounts(counts);
  } finally {
    progress.finish();
  }
}

/**
 * The same walk as the API's CSV export (the list query, newest first), so the file has the
 * same rows and columns; like the API's, it reads page by page and is not a snapshot (the
 * NDJSON export is).
 */
async function writeCsv(database: Database, target: ExportTarget, delimiter: CsvDelimiterName): Promise<string> {
  const uow = new SqlUnitOfWork(database.sql, database.dialect, { checkTransactionScope: false });
  const progress = createProgress('exporting clients', null);
  let written = 0;
  async function* counted(): AsyncGenerator<Client> {
    for await (const client of matchingClients(uow, { sort: '-createdAt' })) {
      written += 1;
      if (written % 1000 === 0) progress.update(written);
      yield client;
    }
  }
  try {
    await pipeline([clientCsvStream(counted(), delimiter), ...target.streams]);
    progress.update(written);
    return `${written.toLocaleString('en-US')} clients as CSV (${delimiter})`;
  } finally {
    progress.finish();
  }
}
