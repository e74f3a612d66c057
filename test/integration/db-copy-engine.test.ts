import { copyDatabase, type CopyOptions } from '../../src/db/copy/copy-database';
import type { CopyEndpoint, WriteSession } from '../../src/db/copy/copy-endpoint';
import { planMigrations } from '../../src/db/copy/migration-state';
import { openCopyEndpoint } from '../../src/db/copy/open-endpoint';
import { batchOfRows, type RowBatch } from '../../src/db/copy/row-batch';
import { COPY_TABLES, primaryKeyPositions, type TableSpec } from '../../src/db/copy/table-specs';
import type { Database } from '../../src/db/open-database';
import { addDemoRows, allRows, CRM_TABLES, crmRowCount, fillCrmDatabase } from '../support/copy-fixtures';
import { spawnEntry } from '../support/spawn-app';
import { createScratchDatabase, testBackends, testConfig, type Backend, type ScratchDatabase } from '../support/test-databases';

const bothBackends = testBackends().length === 2;
const other = (backend: Backend): Backend => (backend === 'sqlite' ? 'postgres' : 'sqlite');

/** The engine in-process, where a test can step in between its phases. */
(bothBackends ? describe.each(['sqlite', 'postgres'] as const) : describe.skip.each(['sqlite', 'postgres'] as const))(
  'copy engine from %s',
  (from) => {
    let source: ScratchDatabase;
    let sourceDb: Database;
    const cleanup: Array<() => Promise<void>> = [];

    beforeAll(async () => {
      source = await createScratchDatabase(from);
      sourceDb = source.open();
      await fillCrmDatabase(sourceDb, { clients: 20, exchanges: 200 });
    });
    afterAll(async () => {
      for (const step of cleanup.splice(0)) await step();
      await sourceDb.close();
      await source.drop();
    });

    async function endpoints(): Promise<{ src: CopyEndpoint; dst: CopyEndpoint; target: Database }> {
      const scratch = await createScratchDatabase(other(from));
      const src = openCopyEndpoint(source.target, testConfig(), 'source');
      const dst = openCopyEndpoint(scratch.target, testConfig(), 'target');
      const target = scratch.open();
      cleanup.push(
        () => src.close(),
        () => dst.close(),
        () => target.close(),
        () => scratch.drop(),
      );
      return { src, dst, target };
    }
    const options: CopyOptions = { batchSize: 16 };

    it('reads one snapshot: rows committed to the source while the copy runs are not copied', async () => {
      const { src, dst, target } = await endpoints();
      const before = await crmRowCount(sourceDb);
      const writer = source.open();
      cleanup.push(() => writer.close());
      // Commit through another connection once the snapshot is open, before any table is read.
      const racing: CopyEndpoint = Object.assign(Object.create(src) as CopyEndpoint, {
        withSnapshot: <T>(fn: Parameters<CopyEndpoint['withSnapshot']>[0]) =>
          src.withSnapshot(async (reader) => {
            await addDemoRows(writer, { clients: 3, exchanges: 30 }, 'written-during-copy');
            return fn(reader) as Promise<T>;
          }),
      });
      const report = await copyDatabase(racing, dst, options);
      expect(report.committed).toBe(true);
      expect(await crmRowCount(sourceDb)).toBeGreaterThan(before);
      expect(await crmRowCount(target)).toBe(before);
    });

    it('rolls the whole copy back when verification finds a difference', async () => {
      const { src, dst, target } = await endpoints();
      const tampering: CopyEndpoint = Object.assign(Object.create(dst) as CopyEndpoint, {
        beginWrite: async () => tamperWith(await dst.beginWrite()),
      });
      const result = await copyDatabase(src, tampering, options);
      expect(result.committed).toBe(false);
      const exchanges = result.tables.find((t) => t.table === 'exchanges');
      expect(exchanges?.targetRows).toBe(exchanges?.sourceRows);
      expect(exchanges?.targetChecksum).not.toBe(exchanges?.sourceChecksum);
      expect(await crmRowCount(target)).toBe(0);
    });

    it('refuses a target that holds rows unless --truncate; --dry-run writes nothing', async () => {
      const { src, dst, target } = await endpoints();
      const dry = await copyDatabase(src, dst, { ...options, dryRun: true });
      expect(dry.mode).toBe('dry-run');
      expect(dry.tables.find((t) => t.table === 'exchanges')?.sourceRows).toBeGreaterThan(200);
      expect(await dst.recordedMigrations()).toBeNull();

      expect((await copyDatabase(src, dst, options)).committed).toBe(true);
      await expect(copyDatabase(src, dst, options)).rejects.toThrow(/already holds CRM rows .*--truncate/);
      await target.knex('clients').update({ name: 'edited on the target' });
      const replaced = await copyDatabase(src, dst, { ...options, truncate: true });
      expect(replaced.committed).toBe(true);
      for (const table of CRM_TABLES) expect(await allRows(target, table)).toEqual(await allRows(sourceDb, table));
    });
  },
);

function tamperWith(session: WriteSession): WriteSession {
  let tampered = false;
  const change = (table: TableSpec, batch: RowBatch): RowBatch => {
    if (tampered || table.name !== 'exchanges') return batch;
    tampered = true;
    const rows = batch.rows().map((row) => [...row]);
    (rows[0] as unknown[])[4] = 'changed in flight';
    return batchOfRows(rows, primaryKeyPositions(table));
  };
  return {
    truncate: (tables) => session.truncate(tables),
    beginLoad: (tables) => session.beginLoad(tables),
    write: (table, batch) => session.write(table, change(table, batch)),
    endTable: (table) => session.endTable(table),
    finishLoad: () => session.finishLoad(),
    commit: () => session.commit(),
    rollback: () => session.rollback(),
    count: (table) => session.count(table),
    batches: (table, size) => session.batches(table, size),
  };
}

describe('migration versions', () => {
  const known = ['0001_a', '0002_b', '0003_c'];
  it('migrates an empty or older target to the source version', () => {
    expect(planMigrations(known, null, known).targetPending).toEqual(known);
    expect(planMigrations(known, ['0001_a'], known).targetPending).toEqual(['0002_b', '0003_c']);
    expect(planMigrations(known, known, known).targetPending).toEqual([]);
  });
  it.each([
    ['a source behind this release', ['0001_a'], null, /source is at migration 0001_a/],
    ['a source from a newer release', [...known, '0004_d'], null, /newer release/],
    ['a source without schema', null, null, /no CRM schema/],
    ['a target ahead', known, [...known, '0004_d'], /target is ahead/],
    ['a target with another history', known, ['0002_b'], /different migration history/],
  ])('refuses %s', (_name, sourceNames, targetNames, message) => {
    expect(() => planMigrations(sourceNames, targetNames, known)).toThrow(message);
  });
});

(bothBackends ? describe : describe.skip)('the table specs', () => {
  it.each(['sqlite', 'postgres'] as const)('name every column of the migrated schema on %s', async (backend) => {
    const scratch = await createScratchDatabase(backend);
    const database = scratch.open();
    try {
      await database.migrator.up();
      for (const table of COPY_TABLES) {
        expect(Object.keys(await database.knex(table.name).columnInfo()).sort()).toEqual(table.columns.map((c) => c.name).sort());
      }
    } finally {
      await database.close();
      await scratch.drop();
    }
  });
});

describe('crm db copy usage', () => {
  it.each([
    [['db', 'copy', '--from', '/tmp/crm-copy-usage.db']],
    [['db', 'copy', '--from', '/tmp/crm-copy-never-there.db', '--to', 'postgres://u:pw@127.0.0.1:1/x']],
    [['db', 'copy', '--from', 'mysql://x/y', '--to', '/tmp/crm-copy-usage.db', '--batch-size', '0']],
  ])('exits 2 for %j', async (args) => {
    const child = spawnEntry('src/cli/crm.ts', args, {});
    expect(await child.exited).toBe(2);
    expect(child.output()).not.toContain(':pw@');
  });
});
