import fs from 'node:fs';
import type { Command } from 'commander';
import { describeCounts, ExportFormatError } from '../../transfer/format';
import { importDatabase, ImportRefusedError } from '../../transfer/import';
import { readExportLines } from '../../transfer/ndjson-files';
import { EXIT, out, UsageError, withConfiguredDatabase } from '../cli-support';
import { createProgress, formatElapsed } from '../progress-lines';

export function registerImportCommand(program: Command): void {
  program
    .command('import')
    .description('load a crm export (NDJSON, optionally gzipped) into the database, all or nothing')
    .requiredOption('--in <file>', 'the export file')
    .option('--truncate', 'replace the clients, exchanges, trash and history already in the database')
    .action(async (options: { in: string; truncate?: boolean }) => {
      try {
        fs.accessSync(options.in, fs.constants.R_OK);
      } catch {
        throw new UsageError(`cannot read ${options.in}`);
      }
      process.exitCode = await withConfiguredDatabase(async (database) => {
        await database.migrator.up();
        const progress = createProgress('importing', null);
        const started = Date.now();
        try {
          const counts = await importDatabase(database, readExportLines(options.in), {
            truncate: options.truncate,
            onProgress: (done) =>
              progress.update(done.clients + done.exchanges + done.trashedClients + done.trashedExchanges + done.history),
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
    });
}
