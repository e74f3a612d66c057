import { Prng } from '../../src/seed/prng';
import { DEFAULT_REFERENCE_DATE } from '../../src/seed/demo-data';
import { seedDatabase, SeedRefusedError } from '../../src/seed/seed-database';
import type { Database } from '../../src/db/open-database';
import { exportText, rowCounts } from '../support/export-text';
import { spawnEntry } from '../support/spawn-app';
import { createScratchDatabase, testBackends, type ScratchDatabase } from '../support/test-databases';

const CRM = 'src/cli/crm.ts';
const SMALL = { clients: 40, exchanges: 600 };

describe('seeded random numbers', () => {
  it('repeat for a seed and differ between seeds', () => {
    const draw = (seed: string) => {
      const random = new Prng(seed);
      return Array.from({ length: 5 }, () => random.nextUint32());
    };
    expect(draw('a')).toEqual(draw('a'));
    expect(draw('a')).not.toEqual(draw('b'));
  });
});

describe.each(testBackends())('crm seed on %s', (backend) => {
  const opened: Array<{ scratch: ScratchDatabase; database: Database }> = [];
  async function freshDatabase(): Promise<Database> {
    const scratch = await createScratchDatabase(backend);
    const database = scratch.open();
    await database.migrator.up();
    opened.push({ scratch, database });
    return database;
  }
  afterEach(async () => {
    for (const { scratch, database } of opened.splice(0)) {
      await database.close();
      await scratch.drop();
    }
  });

  it('writes the same bytes, ids included, for the same seed, and other data for another seed', async () => {
    const [first, second, other] = [await freshDatabase(), await freshDatabase(), await freshDatabase()];
    expect(await seedDatabase(first, { ...SMALL, seed: 'same' })).toEqual(SMALL);
    await seedDatabase(second, { ...SMALL, seed: 'same' });
    await seedDatabase(other, { ...SMALL, seed: 'different' });
    const exported = await exportText(first);
    expect(await exportText(second)).toBe(exported);
    expect(await exportText(other)).not.toBe(exported);
    expect(exported.split('\n').filter(Boolean)).toHaveLength(1 + SMALL.clients + SMALL.exchanges + 1);
  });

  it('leaves the planner statistics for the seeded rows (PostgreSQL ANALYZE; SQLite plans without them)', async () => {
    const database = await freshDatabase();
    await seedDatabase(database, { ...SMALL, seed: 'stats' });
    if (backend === 'postgres') {
      const { rows } = await database.knex.raw<{ rows: Array<{ relname: string; analyzed: boolean }> }>(
        "SELECT relname, last_analyze IS NOT NULL AS analyzed FROM pg_stat_user_tables WHERE relname IN ('clients', 'exchanges') ORDER BY relname",
      );
      expect(rows).toEqual([
        { relname: 'clients', analyzed: true },
        { relname: 'exchanges', analyzed: true },
      ]);
    } else {
      expect(await database.knex.schema.hasTable('sqlite_stat1')).toBe(false);
    }
  });

  it('makes realistic data: counts, accents, ASCII emails, derived columns, every kind, due and future follow-ups', async () => {
    const database = await freshDatabase();
    await seedDatabase(database, { clients: 60, exchanges: 1500, seed: 'realistic' });
    const counts = await rowCounts(database);
    expect(counts).toMatchObject({ clients: 60, exchanges: 1500 });

    const clients: Array<{ name: string; email: string | null; tags: string; search_text: string; sort_name: string }> = await database
      .knex('clients')
      .select('name', 'email', 'tags', 'search_text', 'sort_name');
    expect(clients.some((c) => /[À-ÿ]/.test(c.name))).toBe(true);
    for (const client of clients) {
      if (client.email !== null) expect(client.email).toMatch(/^[a-z0-9._-]+@[a-z0-9.-]+\.[a-z]+$/);
      expect(client.search_text.startsWith(client.name.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase())).toBe(true);
      expect(client.sort_name.endsWith(client.name)).toBe(true);
    }
    const tagCount = clients.reduce((sum, c) => sum + (JSON.parse(c.tags) as string[]).length, 0);
    expect(counts.client_tags).toBe(tagCount);
    expect(tagCount).toBeGreaterThan(0);

    const kinds = await database.knex('exchanges').distinct('kind').pluck('kind');
    expect([...kinds].sort()).toEqual(['call', 'email', 'meeting', 'message', 'note', 'other']);
    const reference = database.dialect.toDbTimestamp(DEFAULT_REFERENCE_DATE);
    const due = await database.knex('exchanges').where('follow_up_at', '<=', reference).count<Array<{ n: number }>>({ n: '*' });
    const ahead = await database.knex('exchanges').where('follow_up_at', '>', reference).count<Array<{ n: number }>>({ n: '*' });
    expect(Number(due[0]?.n)).toBeGreaterThan(0);
    expect(Number(ahead[0]?.n)).toBeGreaterThan(0);
    const late = await database.knex('exchanges').where('occurred_at', '>', reference).count<Array<{ n: number }>>({ n: '*' });
    expect(Number(late[0]?.n)).toBe(0);
  });

  it('refuses a database with clients unless appending, and a reused seed even then', async () => {
    const database = await freshDatabase();
    await seedDatabase(database, { clients: 5, exchanges: 20, seed: 'one' });
    await expect(seedDatabase(database, { clients: 5, exchanges: 20, seed: 'two' })).rejects.toThrow(/already has clients/);
    await expect(seedDatabase(database, { clients: 5, exchanges: 20, seed: 'one', append: true })).rejects.toThrow(SeedRefusedError);
    expect(await rowCounts(database)).toMatchObject({ clients: 5, exchanges: 20 });
    await seedDatabase(database, { clients: 5, exchanges: 20, seed: 'two', append: true });
    expect(await rowCounts(database)).toMatchObject({ clients: 10, exchanges: 40 });
  });

  it('runs from the command line: migrates, seeds, reports, then refuses a second run', async () => {
    const scratch = await createScratchDatabase(backend);
    try {
      const seed = spawnEntry(CRM, ['seed', '--clients', '7', '--exchanges', '50', '--seed', 'cli'], scratch.env);
      expect(await seed.exited).toBe(0);
      expect(seed.output()).toMatch(/Seeded 7 clients and 50 exchanges \(seed "cli".* in [\d.]+ m?s\./);
      const again = spawnEntry(CRM, ['seed', '--clients', '7', '--exchanges', '50'], scratch.env);
      expect(await again.exited).toBe(1);
      expect(again.output()).toMatch(/already has clients; pass --append/);
      const usage = spawnEntry(CRM, ['seed', '--clients', 'many'], scratch.env);
      expect(await usage.exited).toBe(2);
    } finally {
      await scratch.drop();
    }
  });
});
