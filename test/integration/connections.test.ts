import knexFactory from 'knex';
import type { Database } from '../../src/db/open-database';
import { createScratchDatabase, testBackends, testConfig, type ScratchDatabase } from '../support/test-databases';

const POOL_MAX = 3;

describe.each(testBackends())('connections on %s', (backend) => {
  let scratch: ScratchDatabase;
  let database: Database;
  beforeEach(async () => {
    scratch = await createScratchDatabase(backend);
    database = scratch.open(testConfig({ DATABASE_POOL_MAX: String(POOL_MAX), SQLITE_SYNCHRONOUS: 'EXTRA' }));
    await database.migrator.up();
  });
  afterEach(async () => {
    await database.close();
    await scratch.drop();
  });

  if (backend === 'sqlite') {
    it('configures every connection the same way, whoever opens it', async () => {
      // EXTRA is 3, WAL is wal: the executor's writer, Knex's connection and a copy's connection.
      const executor = await database.sql.transaction(async (session) => [
        await session.firstValues('PRAGMA foreign_keys'),
        await session.firstValues('PRAGMA synchronous'),
        await session.firstValues('PRAGMA journal_mode'),
        await session.firstValues('PRAGMA busy_timeout'),
      ]);
      expect(executor).toEqual([[1], [3], ['wal'], [5000]]);
      const viaKnex = async (pragma: string) => Object.values((await database.knex.raw(`PRAGMA ${pragma}`))[0])[0];
      expect([await viaKnex('foreign_keys'), await viaKnex('synchronous'), await viaKnex('journal_mode')]).toEqual([1, 3, 'wal']);
      const lent = await database.connect();
      try {
        if (lent.driver !== 'sqlite') throw new Error('expected a SQLite connection');
        const pragma = (name: string) => lent.connection.pragma(name, { simple: true });
        expect([pragma('foreign_keys'), pragma('synchronous'), pragma('busy_timeout')]).toEqual([1, 3, 5000]);
      } finally {
        await lent.release();
      }
    });
  }

  if (backend === 'postgres') {
    it(`opens at most DATABASE_POOL_MAX (${POOL_MAX}) connections, whatever runs at once`, async () => {
      const admin = knexFactory({ client: 'pg', connection: process.env.TEST_DATABASE_URL, pool: { min: 0, max: 1 } });
      const name = new URL(scratch.env.DATABASE_URL as string).pathname.slice(1);
      let most = 0;
      const sample = async () => {
        const result = await admin.raw('SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = ?', [name]);
        most = Math.max(most, result.rows[0].n as number);
      };
      try {
        const slow = 'SELECT pg_sleep(0.05)';
        const work = [
          ...Array.from({ length: 12 }, () => database.sql.all(slow)),
          ...Array.from({ length: 3 }, () => database.sql.transaction((session) => session.all(slow))),
          database.ping(5000),
          database.migrator.status(),
          database.knex.raw(slow),
          (async () => {
            const lent = await database.connect();
            if (lent.driver !== 'postgres') throw new Error('expected a PostgreSQL connection');
            await lent.connection.query(slow);
            await lent.release();
          })(),
        ];
        const sampling = (async () => {
          for (let i = 0; i < 10; i++) await sample();
        })();
        await Promise.all([...work, sampling]);
        await sample();
      } finally {
        await admin.destroy();
      }
      expect(most).toBeGreaterThan(0);
      expect(most).toBeLessThanOrEqual(POOL_MAX);
    });
  }
});
