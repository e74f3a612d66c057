/**
 * What history costs on disk: writes N clients through the services (create, update, one
 * exchange each: three history entries per client), then reads the size of the history table
 * with its primary-key index, per entry, and what a year of 1,000 writes a day makes.
 * `tsx bench/history-size.ts [--writes 20000]`; prints one line per backend. Not part of CI.
 */
import { loadConfig } from '../src/config/load-config';
import { SqlUnitOfWork } from '../src/db/adapters/sql-unit-of-work';
import { openDatabase, type Database } from '../src/db/open-database';
import { ClientService } from '../src/services/client.service';
import { ExchangeService } from '../src/services/exchange.service';
import { systemClock } from '../src/services/clock';
import { createMountProbe } from '../src/storage/mount-probe';
import { resolveStorage } from '../src/storage/resolve-storage';
import { createBenchDatabase, type Backend } from './bench-database';

const WRITES_PER_DAY = 1000;

async function historyBytes(database: Database): Promise<number> {
  if (database.dialect.name === 'postgres') {
    const row = await database.sql.firstValues("SELECT pg_total_relation_size('history')");
    return Number(row?.[0]);
  }
  // dbstat counts every page of the table and of its primary-key index.
  const row = await database.sql.firstValues(
    "SELECT sum(pgsize) FROM dbstat WHERE name = 'history' OR name LIKE 'sqlite_autoindex_history%'",
  );
  return Number(row?.[0]);
}

async function measure(backend: Backend, clients: number): Promise<void> {
  const bench = await createBenchDatabase(backend);
  const config = loadConfig({ env: { NODE_ENV: 'production', AUTH_DISABLED: 'true', ...bench.env } });
  const database = openDatabase(resolveStorage(config, { probe: createMountProbe() }), config.database);
  try {
    await database.migrator.up();
    const uow = new SqlUnitOfWork(database.sql, database.dialect, { checkTransactionScope: false });
    const clientService = new ClientService(uow, systemClock);
    const exchangeService = new ExchangeService(uow, systemClock);
    for (let i = 0; i < clients; i++) {
      const client = await clientService.create(
        {
          name: `History ${i}`,
          email: `history-${i}@example.com`,
          phone: null,
          company: 'Bench SARL',
          status: 'lead',
          tags: ['bench'],
          notes: null,
        },
        'bench',
      );
      await clientService.update(client.id, { status: 'customer' }, client.version, 'bench');
      await exchangeService.create(client.id, { kind: 'call', direction: 'outbound', subject: 'Bench follow-up call' }, 'bench');
    }
    if (backend === 'postgres') await database.sql.run('VACUUM ANALYZE history');
    const entries = Number((await database.sql.firstValues('SELECT count(*) FROM history'))?.[0]);
    const bytes = await historyBytes(database);
    const perEntry = bytes / entries;
    const year = (perEntry * WRITES_PER_DAY * 365) / 1024 ** 2;
    process.stdout.write(
      `${backend}: ${entries} entries, ${(bytes / 1024 ** 2).toFixed(1)} MiB, ${perEntry.toFixed(0)} bytes an entry; ` +
        `a year of ${WRITES_PER_DAY} writes a day: ${year.toFixed(0)} MiB\n`,
    );
  } finally {
    await database.close();
    await bench.drop();
  }
}

async function main(): Promise<void> {
  const at = process.argv.indexOf('--writes');
  const writes = at > 0 ? Number(process.argv[at + 1]) : 30_000;
  for (const backend of ['sqlite', 'postgres'] as const) await measure(backend, Math.ceil(writes / 3));
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
