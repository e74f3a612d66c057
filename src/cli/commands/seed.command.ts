import type { Command } from 'commander';
import { DEFAULT_REFERENCE_DATE } from '../../seed/demo-data';
import { seedDatabase, SeedRefusedError } from '../../seed/seed-database';
import { EXIT, out, UsageError, withConfiguredDatabase } from '../cli-support';
import { createProgress, formatElapsed } from '../progress-lines';

interface SeedCommandOptions {
  clients: string;
  exchanges: string;
  seed: string;
  append?: boolean;
}

export function registerSeedCommand(program: Command): void {
  program
    .command('seed')
    .description('fill the database with deterministic demo clients and exchanges')
    .option('--clients <n>', 'how many clients', '100')
    .option('--exchanges <m>', 'how many exchanges, spread over the clients', '1000')
    .option('--seed <s>', 'same seed, same data (ids included)', 'crm-demo')
    .option('--append', 'add to a database that already has clients')
    .action(async (options: SeedCommandOptions) => {
      const clients = count(options.clients, '--clients');
      const exchanges = count(options.exchanges, '--exchanges');
      if (exchanges > 0 && clients === 0) throw new UsageError('--exchanges needs at least one client (--clients 1 or more)');
      process.exitCode = await withConfiguredDatabase(async (database) => {
        await database.migrator.up();
        const started = Date.now();
        const progress = createProgress('seeding', clients + exchanges);
        try {
          const written = await seedDatabase(database, {
            clients,
            exchanges,
            seed: options.seed,
            append: options.append,
            onProgress: (done) => progress.update(done.clients + done.exchanges),
          });
          progress.finish();
          out(
            `Seeded ${written.clients} clients and ${written.exchanges} exchanges (seed "${options.seed}", ` +
              `up to ${DEFAULT_REFERENCE_DATE}) into ${database.target.driver} at ${database.target.location} in ${formatElapsed(Date.now() - started)}.`,
          );
          return EXIT.ok;
        } catch (error) {
          progress.finish();
          if (!(error instanceof SeedRefusedError)) throw error;
          process.stderr.write(`crm seed: ${error.message}\n`);
          return EXIT.failed;
        }
      });
    });
}

function count(value: string, flag: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new UsageError(`${flag} must be a whole number`);
  return n;
}
