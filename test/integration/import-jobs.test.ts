import { SqlImportStore } from '../../src/db/adapters/sql-import-store';
import type { Database } from '../../src/db/open-database';
import { ConflictError, GoneError } from '../../src/domain/errors';
import type { ImportSession, ImportStore } from '../../src/repositories/import-store';
import { ImportService } from '../../src/services/import.service';
import { TestClock } from '../factories/services';
import { testBackends, useMigratedScratchDatabase } from '../support/test-databases';

const DAY_MS = 24 * 60 * 60 * 1000;

/** A sheet of `rows` valid, distinct clients: several commit batches. */
function sheet(rows: number): Buffer {
  const lines = ['Nom;Courriel'];
  for (let n = 0; n < rows; n += 1) lines.push(`Client ${n};client${n}@batch.fr`);
  return Buffer.from(lines.join('\r\n') + '\r\n');
}

/** The store, except that the second batch of new clients fails to reach the database (after the first one did). */
function failingOnSecondBatch(store: ImportStore): ImportStore {
  return {
    ...store,
    transaction: (work) =>
      store.transaction((session) => {
        let batches = 0;
        const importedClients: ImportSession['importedClients'] = {
          findLiveByKeys: (column, keys) => session.importedClients.findLiveByKeys(column, keys),
          insertMany: async (clients, entries) => {
            batches += 1;
            if (batches === 2) throw new Error('connection lost');
            await session.importedClients.insertMany(clients, entries);
          },
        };
        return work({ ...session, importedClients });
      }),
  };
}

async function count(database: Database, table: string): Promise<number> {
  const [row] = await database.knex(table).count({ n: '*' });
  return Number(row?.n);
}

describe.each(testBackends())('import jobs on %s', (backend) => {
  const scratch = useMigratedScratchDatabase(backend);
  const clock = new TestClock();
  const storeOf = (database: Database) => new SqlImportStore(database.sql, database.dialect, database.tools);

  it('imports nothing when a commit fails midway, and the job can be committed again', async () => {
    const { database } = scratch;
    const store = storeOf(database);
    const job = await new ImportService(store, clock.now).upload(sheet(2500));
    await expect(new ImportService(failingOnSecondBatch(store), clock.now).commit(job.id, { onDuplicate: 'skip' })).rejects.toThrow(
      'connection lost',
    );
    expect(await count(database, 'clients')).toBe(0);
    expect(await count(database, 'history')).toBe(0);
    expect(await count(database, 'import_job_changes')).toBe(0);
    const imports = new ImportService(store, clock.now);
    expect((await imports.get(job.id)).status).toBe('pending');
    expect(await imports.commit(job.id, { onDuplicate: 'skip' })).toMatchObject({ status: 'committed', created: 2500, failed: 0 });
    expect(await count(database, 'clients')).toBe(2500);
    expect(await count(database, 'import_job_changes')).toBe(2500);
  });

  it('commits a job once when two commits race', async () => {
    const imports = new ImportService(storeOf(scratch.database), clock.now);
    const job = await imports.upload(sheet(1200));
    const outcomes = await Promise.allSettled([
      imports.commit(job.id, { onDuplicate: 'create' }),
      imports.commit(job.id, { onDuplicate: 'create' }),
    ]);
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    const refused = outcomes.find((outcome) => outcome.status === 'rejected');
    expect((refused as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
    expect(await count(scratch.database, 'clients')).toBe(1200);
  });

  it('expires an upload after a day (410 on commit), drops its file, and deletes the record a month later', async () => {
    const { database } = scratch;
    const imports = new ImportService(storeOf(database), clock.now);
    const job = await imports.upload(sheet(3));
    expect(await imports.purgeExpired()).toBe(0);
    clock.advance(DAY_MS + 1000);
    await expect(imports.commit(job.id, { onDuplicate: 'skip' })).rejects.toBeInstanceOf(GoneError);
    expect(await imports.purgeExpired()).toBe(1);
    expect(await imports.get(job.id)).toMatchObject({ status: 'expired', rows: 3 });
    expect(await database.knex('import_jobs').where({ id: job.id }).first('source')).toEqual({ source: null });
    await expect(imports.commit(job.id, { onDuplicate: 'skip' })).rejects.toBeInstanceOf(GoneError);
    clock.advance(31 * DAY_MS);
    expect(await imports.purgeExpired()).toBe(1);
    expect(await count(database, 'import_jobs')).toBe(0);
    expect(await count(database, 'clients')).toBe(0);
  });
});
