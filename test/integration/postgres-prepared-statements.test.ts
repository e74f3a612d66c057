import { SqlClientRepository } from '../../src/db/adapters/sql-client.repository';
import { SqlExchangeRepository } from '../../src/db/adapters/sql-exchange.repository';
import type { SqlSession } from '../../src/db/sql/sql-executor';
import { createdEntry, makeClient, updatedEntry } from '../factories/records';
import { testBackends, testConfig, useMigratedScratchDatabase } from '../support/test-databases';

const describeOnPostgres = testBackends().includes('postgres') ? describe : describe.skip;

/** The statements prepared under a name on the session's connection. */
async function preparedOn(session: SqlSession): Promise<string[]> {
  const rows = await session.all<{ statement: string }>('SELECT statement FROM pg_prepared_statements ORDER BY statement');
  return rows.map((row) => row.statement);
}

/** Fixed statements are parsed and planned once per connection; value-dependent ones every call. */
describeOnPostgres('PostgreSQL named prepared statements', () => {
  const db = useMigratedScratchDatabase('postgres');

  it('names the fixed statements of the repositories, and not those whose plan depends on the values', async () => {
    const { database } = db;
    const client = makeClient();
    const statements = await database.sql.transaction(async (session) => {
      // Repositories on the transaction's session: everything below runs on the one connection inspected after.
      const clients = new SqlClientRepository(session, database.dialect);
      const exchanges = new SqlExchangeRepository(session, database.dialect);
      const tagged = { ...client, tags: ['vip'] };
      await clients.insert(tagged, createdEntry(tagged));
      for (let i = 0; i < 3; i++) expect(await clients.findById(client.id)).toMatchObject({ id: client.id });
      const retagged = { ...client, tags: ['new'], version: 2 };
      expect(await clients.replace(retagged, 1, updatedEntry(tagged, retagged))).toBe(true);
      await clients.list({ limit: 5, sort: 'name', after: null });
      await clients.list({ limit: 5, sort: '-createdAt', after: null, search: 'client' });
      await clients.list({ limit: 5, sort: '-createdAt', after: null, status: 'lead' });
      await exchanges.list({ limit: 5, sort: '-occurredAt', after: null, clientId: client.id });
      await exchanges.list({ limit: 5, sort: '-occurredAt', after: null, kind: 'call' });
      return preparedOn(session);
    });
    const expected = [
      // A write and its tags: one statement each, whatever the number of tags.
      /^WITH written AS \(INSERT INTO clients \(.*\(INSERT INTO client_tags .* FROM unnest\(.*INSERT INTO webhook_events /,
      /^WITH written AS \(UPDATE clients SET .*DELETE FROM client_tags .*INSERT INTO client_tags .*NOT EXISTS/,
      /FROM clients WHERE id = \$1$/,
      /FROM clients\s+ORDER BY sort_name ASC, id ASC LIMIT \$1$/,
      /FROM exchanges WHERE client_id = \$1 ORDER BY occurred_at DESC, id DESC LIMIT \$2$/,
    ];
    expect(statements).toHaveLength(expected.length);
    for (const pattern of expected) expect(statements.filter((text) => pattern.test(text))).toHaveLength(1);
    // A rare search term (one client matches 'client' here; a common term's search is named:
    // postgres-search-plan) or a filter value is never part of a named statement (the outbox's
    // check of the subscriptions is a constant LIKE, the same plan for every write).
    expect(statements.join('\n')).not.toMatch(/LIKE \$|WHERE status =|WHERE kind =/);
  });

  it('keeps at most 64 named statements on a connection, and still answers past that', async () => {
    const { database } = db;
    const answers = await database.sql.transaction(async (session) => {
      const results: unknown[] = [];
      for (let i = 0; i < 70; i++) results.push((await session.firstValues(`SELECT ${i} + ?::int`, [1], { reusable: true }))?.[0]);
      return { results, named: (await preparedOn(session)).length };
    });
    expect(answers.results).toEqual(Array.from({ length: 70 }, (_, i) => i + 1));
    expect(answers.named).toBe(64);
  });

  it('keeps a connection and its statements after an error the server reports', async () => {
    // DATABASE_POOL_MAX 2: Knex may hold one, so the API's statements all share one connection.
    const single = db.scratch.open(testConfig({ DATABASE_POOL_MAX: '2' }));
    try {
      const client = makeClient();
      const insert = 'INSERT INTO clients (id, name, created_at, updated_at) VALUES (?, ?, ?, ?)';
      const values = [client.id, client.name, client.createdAt, client.updatedAt];
      const pid = async () => (await single.sql.firstValues('SELECT pg_backend_pid()'))?.[0];
      const before = await pid();
      await single.sql.run(insert, values, { reusable: true });
      await expect(single.sql.run(insert, values, { reusable: true })).rejects.toMatchObject({ code: '23505' });
      expect(await pid()).toBe(before);
      const statements = (await single.sql.all<{ statement: string }>('SELECT statement FROM pg_prepared_statements')).map(
        (r) => r.statement,
      );
      expect(statements).toEqual(['INSERT INTO clients (id, name, created_at, updated_at) VALUES ($1, $2, $3, $4)']);
    } finally {
      await single.close();
    }
  });
});
