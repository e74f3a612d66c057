import type { Command } from 'commander';
import { exportDatabase } from '../../transfer/export';
import { describeCounts } from '../../transfer/format';
import { openExportTarget } from '../../transfer/ndjson-files';
import { EXIT, UsageError, withConfiguredDatabase } from '../cli-support';
import { createProgress, formatElapsed } from '../progress-lines';

export function registerExportCommand(program: Command): void {
  program
    .command('export')
    .description('write every client and exchange, the trash and the history as portable NDJSON (docs/export-format.md)')
    .option('--out <file>', 'write to this file instead of standard output (gzip when it ends with .gz)')
    .option('--gzip', 'compress with gzip (implied by --out FILE.gz)')
    .action(async (options: { out?: string; gzip?: boolean }) => {
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
        const progress = createProgress('exporting', null);
        const started = Date.now();
        try {
          const counts = await exportDatabase(database, target.streams, {
            onProgress: (done) =>
              progress.update(done.clients + done.exchanges + done.trashedClients + done.trashedExchanges + done.history),
          });
          await target.commit();
          progress.finish();
          report(
            `Exported ${describeCounts(counts)} from ${database.target.driver} at ${database.target.location} ` +
              `to ${options.out ?? 'standard output'} in ${formatElapsed(Date.now() - started)}.`,
          );
          return EXIT.ok;
        } catch (error) {
          progress.finish();
          await target.abandon();
          // `crm export | head`: the reader has all it wanted. Stop without a message, with the
          // status of a process killed by SIGPIPE, so `set -o pipefail` still sees a short export.
          if (options.out === undefined && (error as { code?: string }).code === 'EPIPE') return EXIT.brokenPipe;
          throw error;
        }
      });
    });
}
