import { migrations } from '../../migrations';
import { configurePhoneRegion, emailKey, nameCompanyKey, phoneKey } from '../../src/domain/duplicate-keys';
import { seedDatabase } from '../../src/seed/seed-database';
import { exportText, importText } from '../support/export-text';
import { useMigratedScratchDatabase, testBackends } from '../support/test-databases';

/** Migration 0009 on a database that already holds clients, live and in the trash. */
const ALL = migrations.map((m) => m.name);
/** Down steps that revert 0009 (and any later step, re-applied with it). */
const REVERT_0009 = ALL.length - ALL.indexOf('0009_client_duplicate_keys');
const NOW = '2026-01-02T03:04:05.678Z';

function clientRow(id: string, fields: { name: string; email?: string; phone?: string; company?: string }) {
  return {
    id,
    name: fields.name,
    email: fields.email ?? null,
    phone: fields.phone ?? null,
    company: fields.company ?? null,
    status: 'lead',
    tags: '[]',
    notes: null,
    search_text: '',
    sort_name: fields.name,
    created_at: NOW,
    updated_at: NOW,
    version: 1,
  };
}

describe.each(testBackends())('migration 0009 (duplicate keys) on %s', (backend) => {
  const scratch = useMigratedScratchDatabase(backend, 'each');
  afterEach(() => configurePhoneRegion('FR'));

  it('computes the keys of existing clients, live and trashed, in batches, and indexes them', async () => {
    const { knex, migrator } = scratch.database;
    await migrator.down(REVERT_0009);
    const live = Array.from({ length: 4500 }, (_, n) =>
      clientRow(`0190a000-0000-7000-8000-${String(n).padStart(12, '0')}`, { name: `Client ${n}`, email: `C${n}@Example.COM` }),
    );
    live.push(
      clientRow('0190a000-0000-7000-9000-000000000001', {
        name: 'Hélène Dupont',
        email: ' Hélène@Exemple.fr',
        phone: '+33 6 12 34 56 78',
        company: 'Dupont & Fils',
      }),
    );
    for (let start = 0; start < live.length; start += 500) await knex('clients').insert(live.slice(start, start + 500));
    await knex('clients_trash').insert({
      ...clientRow('0190a000-0000-7000-9000-000000000002', { name: 'Jean', phone: '02 123 45 67' }),
      deleted_at: NOW,
    });

    configurePhoneRegion('BE');
    await migrator.up();

    const keysOf = async (table: string, id: string) => knex(table).select('email_key', 'phone_key', 'name_key').where({ id }).first();
    expect(await keysOf('clients', '0190a000-0000-7000-9000-000000000001')).toEqual({
      email_key: 'helene@exemple.fr',
      phone_key: '+33612345678',
      name_key: 'helenedupont|dupontfils',
    });
    // Read in the region configured when the step ran.
    expect(await keysOf('clients_trash', '0190a000-0000-7000-9000-000000000002')).toEqual({
      email_key: null,
      phone_key: '+3221234567',
      name_key: null,
    });
    // Past the first batches too.
    expect(await keysOf('clients', live[4499]!.id)).toEqual({ email_key: 'c4499@example.com', phone_key: null, name_key: null });
    const [counted] = await knex('clients').count({ missing: '*' }).whereNull('email_key');
    expect(Number(counted?.missing)).toBe(0);
  });

  it('leaves the schema as it found it on the way down: every other index and trigger of clients kept', async () => {
    const { knex, migrator } = scratch.database;
    const objects = async (): Promise<string[]> =>
      backend === 'postgres'
        ? (
            await knex.raw(
              `SELECT 'index:' || indexname AS name FROM pg_indexes WHERE tablename IN ('clients', 'clients_trash')
               UNION ALL SELECT 'trigger:' || tgname FROM pg_trigger WHERE tgrelid IN ('clients'::regclass, 'clients_trash'::regclass)
               UNION ALL SELECT 'constraint:' || conname FROM pg_constraint WHERE conrelid IN ('clients'::regclass, 'clients_trash'::regclass)
               ORDER BY 1`,
            )
          ).rows.map((r: { name: string }) => r.name)
        : (
            await knex.raw(
              "SELECT type || ':' || name AS name FROM sqlite_master WHERE tbl_name IN ('clients', 'clients_trash') ORDER BY 1",
            )
          ).map((r: { name: string }) => r.name);
    const withKeys = await objects();
    await migrator.down(REVERT_0009);
    const before = await objects();
    expect(before).toEqual(withKeys.filter((name) => !/_key_idx$/.test(name)));
    if (backend === 'sqlite') expect(before).toContain('trigger:clients_search_after_insert');
    await migrator.up();
    expect(await objects()).toEqual(withKeys);
  });

  it('creates the three indexes and removes them, with the columns, on the way down', async () => {
    const { knex, migrator } = scratch.database;
    const indexes = async (): Promise<string[]> =>
      backend === 'postgres'
        ? (await knex.raw("SELECT indexname AS name FROM pg_indexes WHERE tablename = 'clients' AND indexname LIKE '%key_idx'")).rows.map(
            (r: { name: string }) => r.name,
          )
        : (await knex.raw("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'clients' AND name LIKE '%key_idx'")).map(
            (r: { name: string }) => r.name,
          );
    expect((await indexes()).sort()).toEqual(['clients_email_key_idx', 'clients_name_key_idx', 'clients_phone_key_idx']);
    await migrator.down(REVERT_0009);
    expect(await indexes()).toEqual([]);
    for (const table of ['clients', 'clients_trash']) expect(await knex.schema.hasColumn(table, 'email_key')).toBe(false);
  });
});

/** Writes below the services (seed, NDJSON import) go through the row writer too: every row gets its keys. */
describe.each(testBackends())('bulk writes fill the duplicate keys on %s', (backend) => {
  const source = useMigratedScratchDatabase(backend, 'each');
  const target = useMigratedScratchDatabase(backend, 'each');

  /** Clients whose stored keys differ from what the domain functions give now. */
  async function wrongKeys(database: typeof source.database): Promise<string[]> {
    const rows: Array<
      { id: string; name: string; email: string | null; phone: string | null; company: string | null } & Record<string, unknown>
    > = await database.knex('clients').select('id', 'name', 'email', 'phone', 'company', 'email_key', 'phone_key', 'name_key');
    expect(rows.length).toBeGreaterThan(0);
    return rows
      .filter(
        (row) =>
          row.email_key !== emailKey(row.email) ||
          row.phone_key !== phoneKey(row.phone, 'FR') ||
          row.name_key !== nameCompanyKey(row.name, row.company),
      )
      .map((row) => row.id);
  }

  it('crm seed and crm import write the keys of every client', async () => {
    await seedDatabase(source.database, { clients: 300, exchanges: 0, seed: 'keys' });
    const [counted] = await source.database.knex('clients').count({ keyed: '*' }).whereNotNull('phone_key');
    expect(Number(counted?.keyed)).toBeGreaterThan(0);
    expect(await wrongKeys(source.database)).toEqual([]);
    await importText(target.database, await exportText(source.database));
    expect(await wrongKeys(target.database)).toEqual([]);
  });
});
