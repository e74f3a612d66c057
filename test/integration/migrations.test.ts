import { migrations } from '../../migrations';
import { SEARCH_TEXT_STATISTICS_TARGET } from '../../migrations/0006_client_search_statistics';
import { MIGRATIONS_TABLE } from '../../src/db/knex-migration-storage';
import { spawnEntry } from '../support/spawn-app';
import { createScratchDatabase, testBackends, type ScratchDatabase } from '../support/test-databases';

const ALL = migrations.map((m) => m.name);
/** How many down steps revert the named migration and every later one. */
const stepsToRevert = (name: string): number => ALL.length - ALL.indexOf(name);
const TABLES = ['clients', 'client_tags', 'exchanges', 'idempotency_keys'];

describe.each(testBackends())('migrations on %s', (backend) => {
  let scratch: ScratchDatabase;
  beforeEach(async () => {
    scratch = await createScratchDatabase(backend);
  });
  afterEach(async () => {
    await scratch.drop();
  });

  it('go up, down and up again, leaving exactly the expected tables', async () => {
    const db = scratch.open();
    try {
      expect(await db.migrator.status()).toEqual({ applied: [], pending: ALL });
      expect(await db.migrator.up()).toEqual(ALL);
      for (const table of TABLES) expect(await db.knex.schema.hasTable(table)).toBe(true);
      expect(await db.migrator.up()).toEqual([]);

      expect(await db.migrator.down(Infinity)).toEqual([...ALL].reverse());
      for (const table of TABLES) expect(await db.knex.schema.hasTable(table)).toBe(false);
      expect(await db.migrator.status()).toEqual({ applied: [], pending: ALL });

      expect(await db.migrator.up()).toEqual(ALL);
      expect(await db.migrator.status()).toEqual({ applied: ALL, pending: [] });
    } finally {
      await db.close();
    }
  });

  it('creates the search index (FTS5 trigram / pg_trgm) and removes it on the way down', async () => {
    const db = scratch.open();
    const hasIndex = async () =>
      backend === 'postgres'
        ? (await db.knex.raw("SELECT 1 FROM pg_indexes WHERE indexname = 'clients_search_text_trgm_idx'")).rows.length > 0
        : (await db.knex.raw("SELECT 1 FROM sqlite_master WHERE name = 'client_search_fts'")).length > 0;
    try {
      await db.migrator.up();
      expect(await hasIndex()).toBe(true);
      await db.migrator.down(stepsToRevert('0004_client_search_index'));
      expect(await hasIndex()).toBe(false);
    } finally {
      await db.close();
    }
  });

  it('creates the common-term scan index on SQLite only, and removes it on the way down', async () => {
    const db = scratch.open();
    const indexes = async (): Promise<string[]> =>
      backend === 'postgres'
        ? (await db.knex.raw("SELECT indexname AS name FROM pg_indexes WHERE tablename = 'clients'")).rows.map(
            (r: { name: string }) => r.name,
          )
        : (await db.knex.raw("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'clients'")).map(
            (r: { name: string }) => r.name,
          );
    try {
      await db.migrator.up();
      const withScan = await indexes();
      expect(withScan.includes('clients_created_at_search_idx')).toBe(backend === 'sqlite');
      await db.migrator.down(stepsToRevert('0005_client_search_scan_index'));
      // Reverting 0005 reverts the later steps first: 0009's duplicate-key indexes go too.
      const later = ['clients_email_key_idx', 'clients_phone_key_idx', 'clients_name_key_idx'];
      expect(await indexes()).toEqual(withScan.filter((name) => name !== 'clients_created_at_search_idx' && !later.includes(name)));
    } finally {
      await db.close();
    }
  });

  it('samples search_text more widely for the PostgreSQL planner, and resets it on the way down', async () => {
    const db = scratch.open();
    // PostgreSQL 17 and later say NULL for the default, earlier versions -1.
    const target = async (): Promise<number | null> => {
      const result = await db.knex.raw(
        "SELECT attstattarget AS target FROM pg_attribute WHERE attrelid = 'clients'::regclass AND attname = 'search_text'",
      );
      const value = result.rows[0]?.target;
      return value === null || Number(value) === -1 ? null : Number(value);
    };
    try {
      await db.migrator.up();
      if (backend === 'postgres') expect(await target()).toBe(SEARCH_TEXT_STATISTICS_TARGET);
      expect((await db.migrator.down(stepsToRevert('0006_client_search_statistics'))).at(-1)).toBe('0006_client_search_statistics');
      if (backend === 'postgres') expect(await target()).toBeNull();
    } finally {
      await db.close();
    }
  });

  it('reverts one step at a time', async () => {
    const db = scratch.open();
    try {
      await db.migrator.up();
      expect(await db.migrator.down()).toEqual([ALL.at(-1)]);
      expect((await db.migrator.status()).pending).toEqual([ALL.at(-1)]);
    } finally {
      await db.close();
    }
  });

  it('enforces the foreign key from exchanges to clients, cascading deletes on SQLite only', async () => {
    const db = scratch.open();
    try {
      await db.migrator.up();
      const now = new Date().toISOString();
      const clientId = '01900000-0000-7000-8000-000000000001';
      await db.knex('clients').insert({ id: clientId, name: 'A', created_at: now, updated_at: now });
      await db.knex('exchanges').insert({
        id: '01900000-0000-7000-8000-000000000002',
        client_id: clientId,
        kind: 'call',
        subject: 's',
        occurred_at: now,
        created_at: now,
        updated_at: now,
      });
      const orphan = {
        id: '01900000-0000-7000-8000-000000000003',
        client_id: '01900000-0000-7000-8000-00000000dead',
        kind: 'call',
        occurred_at: now,
        created_at: now,
        updated_at: now,
      };
      let refused: unknown = null;
      try {
        await db.knex('exchanges').insert(orphan);
      } catch (error) {
        refused = error;
      }
      expect(db.dialect.classifyError(refused)).toBe('foreign_key_violation');
      if (backend === 'postgres') {
        // No cascade: a client leaves only once its exchanges have (moved to the trash or deleted), so none vanishes unseen.
        const kept = await db
          .knex('clients')
          .where({ id: clientId })
          .delete()
          .catch((error: unknown) => error);
        expect(db.dialect.classifyError(kept)).toBe('foreign_key_violation');
        await db.knex('exchanges').where({ client_id: clientId }).delete();
      }
      await db.knex('clients').where({ id: clientId }).delete();
      expect(await db.knex('exchanges').count({ n: '*' })).toEqual([{ n: 0 }]);
    } finally {
      await db.close();
    }
  });

  it('applies each migration exactly once when two processes start at the same time', async () => {
    const children = [0, 1].map(() => spawnEntry('test/support/migrate-child.ts', [], scratch.env));
    const codes = await Promise.all(children.map((child) => child.exited));
    expect(codes).toEqual([0, 0]);
    const results = children.map((child) => JSON.parse(child.output().trim().split('\n').at(-1) ?? '{}') as { applied: string[] });
    // One process did all the work; the other found nothing left to do.
    expect(results.map((r) => r.applied.length).sort()).toEqual([0, ALL.length + 1]);

    const db = scratch.open();
    try {
      const rows: Array<{ name: string }> = await db.knex(MIGRATIONS_TABLE).select('name');
      expect(rows.map((r) => r.name).sort()).toEqual([...ALL, '9999_test_slow_step'].sort());
      expect(await db.knex('test_slow_step_runs').count({ n: '*' })).toEqual([{ n: 1 }]);
    } finally {
      await db.close();
    }
  });

  it('is not blocked by the lock of a process killed while migrating', async () => {
    const victim = spawnEntry('test/support/migrate-child.ts', [], { ...scratch.env, SLOW_STEP_MS: '60000' });
    await victim.waitForOutput(/slow-step-started/);
    victim.child.kill('SIGKILL');
    expect(await victim.exited).toBe('SIGKILL');

    const db = scratch.open();
    try {
      // The killed run's transaction never committed: everything is still pending.
      expect(await db.migrator.up()).toEqual(ALL);
      expect(await db.knex.schema.hasTable('test_slow_step_runs')).toBe(false);
    } finally {
      await db.close();
    }
  });
});
