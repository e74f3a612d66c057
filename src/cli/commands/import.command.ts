import fs from 'node:fs';
import type { Command } from 'commander';
import { describeCounts, ExportFormatError } from '../../transfer/format';
import { importDatabase, ImportRefusedError } from '../../transfer/import';
import { readExportLines } from '../../transfer/ndjson-files';
import { EXIT, out, UsageError, withConfiguredDatabase } from '../cli-support';
import { createProgress, formatElapsed } from '../progress-lines';
import { importCsvFile, parseColumnMap, parseDuplicatePolicy } from './import-csv';

interface ImportOptions {
  in?: string;
  truncate?: boolean;
  csv?: string;
  map?: string;
  onDuplicate?: string;
  dryRun?: boolean;
}

export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description('load a crm export (NDJSON, optionally gzipped) all or nothing, or clients from a CSV spreadsheet (--csv)')
    .option('--in <file>', 'the export file')
    .option('--truncate', 'replace the clients, exchanges, trash and history already in the database')
    .option('--csv <file>', 'a spreadsheet saved as CSV: UTF-8 or Windows-1252, `,` `;` or tab, a header row')
    .option('--map <pairs>', 'columns to fields, over the suggested mapping: "Nom=name,Courriel=email,Ville=" (empty: not imported)')
    .option('--on-duplicate <policy>', 'a row matching a client (email, else phone) or an earlier row: skip, update or create', 'skip')
    .option('--dry-run', 'check every row and report, importing nothing')
    .action(async (options: ImportOptions) => {
      if ((options.in === undefined) === (options.csv === undefined))
        throw new UsageError('give either --in FILE (a crm export) or --csv FILE');
      const file = options.csv ?? options.in!;
      try {
        fs.accessSync(file, fs.constants.R_OK);
      } catch {
        throw new UsageError(`cannot read ${file}`);
      }
      if (options.csv === undefined) {
        if (options.map !== undefined || options.dryRun || options.onDuplicate !== 'skip') {
          throw new UsageError('--map, --on-duplicate and --dry-run go with --csv');
        }
        process.exitCode = await importExport(file, options.truncate === true);
        return;
      }
      if (options.truncate) throw new UsageError('--truncate goes with --in, not --csv');
      const request = {
        mapping: parseColumnMap(options.map),
        onDuplicate: parseDuplicatePolicy(options.onDuplicate),
        dryRun: options.dryRun === true,
      };
      process.exitCode = await withConfiguredDatabase((database) => importCsvFile(database, file, request));
    });
}

async function importExport(file: string, truncate: boolean): Promise<number> {
  return withConfiguredDatabase(async (database) => {
    await database.migrator.up();
    const progress = createProgress('importing', null);
    const started = Date.now();
    try {
      const counts = await importDatabase(database, readExportLines(file), {
        truncate,
        onProgress: (done) => progress.update(done.clients + done.exchanges + done.trashedClients + done.trashedExchanges + done.history),
      });
      progress.finish();
      out(
        `Imported ${describeCounts(counts)} into ${database.target.driver} at ` +
          `${database.target.location} in ${formatElapsed(Date.now() - started)}; counts match the file's end line.`,
      );
      return EXIT.ok;
    } catch (error) {
      progress.finish();
      if (!(error instanceof ExportFormatError || error instanceof ImportRefusedError)) throw error;
      process.stderr.write(`crm import: ${error.message}\nNothing was imported.\n`);
      return EXIT.failed;
    }
  });
}
