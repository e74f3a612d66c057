import { v7 as uuidv7 } from 'uuid';
import { SqlUnitOfWork } from '../../src/db/adapters/sql-unit-of-work';
import type { Database } from '../../src/db/open-database';
import { clientToRow } from '../../src/db/tables/clients.table';
import { exchangeToRow } from '../../src/db/tables/exchanges.table';
import type { Client } from '../../src/domain/client';
import type { Exchange } from '../../src/domain/exchange';
import { createLogger } from '../../src/logging/create-logger';
import type { UnitOfWork } from '../../src/repositories/unit-of-work';
import { startServer } from '../../src/server';
import { TrashPurgeSchedule } from '../../src/services/trash-purge-schedule';
import { PURGE_BATCH } from '../../src/services/trash.service';
import { testBackends, testConfig, useMigratedScratchDatabase } from '../support/test-databases';

const NOW = '2026-11-24T18:00:00.000Z';
const DAY_MS = 24 * 60 * 60 * 1000;
const daysBefore = (days: number) => new Date(Date.parse(NOW) - days * DAY_MS).toISOString();

function logCapture() {
  const lines: string[] = [];
  const logger = createLogger(
    { env: 'test', log: { level: 'info', format: 'json', lang: 'en' } },
    { write: (line: string) => void lines.push(line) },
  );
  const entries = () => lines.map((line) => JSON.parse(line) as { level: number; msg: string; removed?: number });
  return { logger, entries };
}

interface TrashRows {
  readonly expiredClients: number;
  readonly exchangesPerClient: number;
  readonly expiredAlone: number;
  readonly recent: number;
}

const trashedClient = (): Client => ({
  id: uuidv7(),
  name: 'Trashed client',
  email: null,
  phone: null,
  company: null,
  status: 'lead',
  tags: ['old'],
  notes: null,
  createdAt: '2020-01-01T00:00:00.000Z',
  updatedAt: '2020-01-01T00:00:00.000Z',
  version: 2,
});
const trashedExchange = (clientId: string): Exchange => ({
  id: uuidv7(),
  clientId,
  kind: 'note',
  direction: null,
  subject: 'Trashed exchange',
  body: null,
  occurredAt: '2020-01-01T00:00:00.000Z',
  followUpAt: null,
  createdAt: '2020-01-01T00:00:00.000Z',
  updatedAt: '2020-01-01T00:00:00.000Z',
  version: 2,
});

/** Trash rows written with plain SQL, as the services leave them (a client with the exchanges trashed with it). */
async function fillTrash(database: Database, rows: TrashRows, retentionDays: number): Promise<void> {
  const { knex, dialect } = database;
  const [expired, recent] = [daysBefore(retentionDays + 1), daysBefore(Math.max(0, retentionDays - 1))];
  const clientRows: Record<string, unknown>[] = [];
  const exchangeRows: Record<string, unknown>[] = [];
  const trashClient = (deletedAt: string) => {
    const c = trashedClient();
    clientRows.push({ ...clientToRow(c, dialect), deleted_at: dialect.toDbTimestamp(deletedAt) });
    for (let n = 0; n < rows.exchangesPerClient; n++) {
      exchangeRows.push({
        ...exchangeToRow(trashedExchange(c.id), dialect),
        deleted_at: dialect.toDbTimestamp(deletedAt),
        trashed_with_client: c.id,
      });
    }
  };
  const trashAlone = (deletedAt: string) =>
    exchangeRows.push({
      ...exchangeToRow(trashedExchange(uuidv7()), dialect),
      deleted_at: dialect.toDbTimestamp(deletedAt),
      trashed_with_client: null,
    });
  for (let n = 0; n < rows.expiredClients; n++) trashClient(expired);
  for (let n = 0; n < rows.expiredAlone; n++) trashAlone(expired);
  for (let n = 0; n < rows.recent; n++) {
    trashClient(recent);
    trashAlone(recent);
  }
  await knex.batchInsert('clients_trash', clientRows, 100);
  await knex.batchInsert('exchanges_trash', exchangeRows, 100);
}

async function trashCounts(database: Database): Promise<{ clients: number; exchanges: number }> {
  const count = async (table: string) => Number((await database.knex(table).count({ n: '*' }))[0]?.n ?? 0);
  return { clients: await count('clients_trash'), exchanges: await count('exchanges_trash') };
}

/** The unit of work with every purge batch counted, and an optional step run before each. */
function countingBatches(uow: UnitOfWork, before?: (batch: number) => void | Promise<void>) {
  const batches: number[] = [];
  const { repositories } = uow;
  const trash = {
    list: repositories.trash.list.bind(repositories.trash),
    stats: repositories.trash.stats.bind(repositories.trash),
    purgeBefore: async (cutoff: string, limit: number) => {
      await before?.(batches.length + 1);
      const removed = await repositories.trash.purgeBefore(cutoff, limit);
      batches.push(removed);
      return removed;
    },
  };
  return { uow: { repositories: { ...repositories, trash }, transaction: uow.transaction.bind(uow) } as UnitOfWork, batches };
}

describe.each(testBackends())('the trash purge schedule on %s', (backend) => {
  const scratch = useMigratedScratchDatabase(backend);
  const uowOf = (database: Database) => new SqlUnitOfWork(database.sql, database.dialect);

  it('removes what outlived the retention in batches, keeps recent records, logs the count', async () => {
    const { database } = scratch;
    // 450 clients with 2 exchanges each and 250 lone exchanges: several batches of each kind.
    await fillTrash(database, { expiredClients: 450, exchangesPerClient: 2, expiredAlone: 250, recent: 7 }, 30);
    const { logger, entries } = logCapture();
    const { uow, batches } = countingBatches(uowOf(database));
    const schedule = new TrashPurgeSchedule({ uow, clock: () => NOW, settings: { retentionDays: 30 }, logger });
    try {
      // Two calls at once share one run: runs never overlap.
      const [first, second] = [schedule.runNow(), schedule.runNow()];
      expect(second).toBe(first);
      expect(await first).toBe(450 + 900 + 250);
    } finally {
      await schedule.stop();
    }
    expect(await trashCounts(database)).toEqual({ clients: 7, exchanges: 21 });
    // Each batch takes at most PURGE_BATCH clients (with their exchanges) and PURGE_BATCH lone exchanges.
    expect(batches.length).toBeGreaterThanOrEqual(Math.ceil(450 / PURGE_BATCH) + 1);
    for (const removed of batches) expect(removed).toBeLessThanOrEqual(PURGE_BATCH * 4);
    expect(batches.at(-1)).toBe(0);
    expect(entries()).toEqual([expect.objectContaining({ level: 30, msg: 'expired trash purged', removed: 1600 })]);

    // Nothing left to purge: no log line.
    const again = new TrashPurgeSchedule({ uow: uowOf(database), clock: () => NOW, settings: { retentionDays: 30 }, logger });
    expect(await again.runNow()).toBe(0);
    await again.stop();
    expect(entries()).toHaveLength(1);
  });

  it('stops between two batches when the server stops, and logs a failure instead of throwing', async () => {
    const { database } = scratch;
    await fillTrash(database, { expiredClients: 3 * PURGE_BATCH, exchangesPerClient: 0, expiredAlone: 0, recent: 0 }, 30);
    const { logger, entries } = logCapture();
    const holder: { schedule?: TrashPurgeSchedule } = {};
    let stopped: Promise<void> | undefined;
    const { uow, batches } = countingBatches(uowOf(database), (batch) => {
      if (batch === 2) stopped = holder.schedule?.stop();
    });
    const schedule = (holder.schedule = new TrashPurgeSchedule({ uow, clock: () => NOW, settings: { retentionDays: 30 }, logger }));
    expect(await schedule.runNow()).toBe(2 * PURGE_BATCH);
    await stopped;
    expect(batches).toEqual([PURGE_BATCH, PURGE_BATCH]);
    expect((await trashCounts(database)).clients).toBe(PURGE_BATCH);
    // A stopped schedule does not run again.
    expect(await schedule.runNow()).toBe(0);

    const failing = countingBatches(uowOf(database), () => {
      throw new Error('database is locked');
    });
    const broken = new TrashPurgeSchedule({ uow: failing.uow, clock: () => NOW, settings: { retentionDays: 30 }, logger });
    await expect(broken.runNow()).resolves.toBe(0);
    await broken.stop();
    expect(entries().map((entry) => [entry.level, entry.msg])).toEqual([
      [30, 'expired trash purged'],
      [40, 'trash purge failed'],
    ]);
  });

  it('with a retention of 0, purges whatever the trash still holds', async () => {
    const { database } = scratch;
    await fillTrash(database, { expiredClients: 2, exchangesPerClient: 1, expiredAlone: 1, recent: 0 }, 0);
    const { logger } = logCapture();
    const schedule = new TrashPurgeSchedule({ uow: uowOf(database), clock: () => NOW, settings: { retentionDays: 0 }, logger });
    expect(await schedule.runNow()).toBe(5);
    await schedule.stop();
    expect(await trashCounts(database)).toEqual({ clients: 0, exchanges: 0 });
  });

  it('runs in the server at start-up with TRASH_RETENTION_DAYS, and stops with it', async () => {
    const { database } = scratch;
    // Relative to the real clock: the server's purge reads the time itself.
    const realNow = Date.now();
    const at = (days: number) => database.dialect.toDbTimestamp(new Date(realNow - days * DAY_MS).toISOString());
    const rows = (deletedAt: string | Date, n: number) =>
      Array.from({ length: n }, () => ({
        ...clientToRow(trashedClient(), database.dialect),
        deleted_at: deletedAt,
      }));
    await database.knex.batchInsert('clients_trash', [...rows(at(8), 250), ...rows(at(6), 3)], 100);
    const lines: string[] = [];
    const logger = createLogger(
      { env: 'test', log: { level: 'info', format: 'json', lang: 'en' } },
      { write: (line: string) => void lines.push(line) },
    );
    const config = testConfig({ ...scratch.scratch.env, TRASH_RETENTION_DAYS: '7', PORT: '0', HOST: '127.0.0.1' });
    const running = await startServer({ config, logger });
    try {
      const deadline = Date.now() + 15_000;
      while (!lines.some((line) => line.includes('"msg":"expired trash purged"')) && Date.now() < deadline) await sleep(50);
      expect(lines.find((line) => line.includes('expired trash purged'))).toContain('"removed":250');
      expect(await trashCounts(database)).toEqual({ clients: 3, exchanges: 0 });
    } finally {
      await running.close();
    }
    expect(lines.some((line) => line.includes('trash purge failed'))).toBe(false);
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
