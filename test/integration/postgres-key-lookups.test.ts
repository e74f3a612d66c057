import { v7 as uuidv7 } from 'uuid';
import { SqlExchangeRepository } from '../../src/db/adapters/sql-exchange.repository';
import { SqlUnitOfWork } from '../../src/db/adapters/sql-unit-of-work';
import { MAX_KEYS_PER_STATEMENT, PostgresKeyLookups } from '../../src/db/dialects/postgres-key-lookups';
import type { Database } from '../../src/db/open-database';
import type { SqlSession } from '../../src/db/sql/sql-executor';
import { ClientService } from '../../src/services/client.service';
import { createdEntry, makeClient, makeExchange } from '../factories/records';
import { recorded, recordedRepositories } from '../support/recorded-session';
import { testBackends, useMigratedScratchDatabase } from '../support/test-databases';

const describeOnPostgres = testBackends().includes('postgres') ? describe : describe.skip;

/** Repositories whose reads go through a lookup service over recorded statements. */
const batchedClients = (database: Database) =>
  recordedRepositories(database, (session) => ({ concurrentLookups: new PostgresKeyLookups(session) }));

/** A timeline's page as the repository reads it when nothing is shared: the reference. */
function timelineAlone(database: Database, clientId: string, limit: number, sort: '-occurredAt' | 'occurredAt' = '-occurredAt') {
  return new SqlExchangeRepository(recorded(database).session, database.dialect).list({ clientId, limit, sort, after: null });
}

describeOnPostgres('PostgreSQL reads by id that come together share one statement', () => {
  const db = useMigratedScratchDatabase('postgres');

  it('answers each concurrent read with its own row, or none, from one statement', async () => {
    const { database } = db;
    const { clients, statements } = batchedClients(database);
    const stored = Array.from({ length: 6 }, (_, i) => makeClient({ tags: i % 2 ? ['vip'] : [] }));
    for (const client of stored) await clients.insert(client, createdEntry(client));
    statements.length = 0;

    const missing = uuidv7();
    const asked = [stored[2], stored[0], undefined, stored[5], stored[2]].map((client) => client?.id ?? missing);
    const found = await Promise.all(asked.map((id) => clients.findById(id)));

    expect(found).toEqual([stored[2], stored[0], null, stored[5], stored[2]]);
    expect(statements).toHaveLength(1);
    expect(statements[0]?.sql).toMatch(/FROM clients WHERE id = ANY \(\?::uuid\[\]\)$/);
  });

  it('reads a lone id with its own statement, and splits past the bound', async () => {
    const { database } = db;
    const { clients, statements } = batchedClients(database);
    const client = makeClient();
    await clients.insert(client, createdEntry(client));
    statements.length = 0;

    expect(await clients.findById(client.id)).toEqual(client);
    expect(statements.map((statement) => statement.sql)).toEqual([expect.stringMatching(/FROM clients WHERE id = \?$/)]);

    statements.length = 0;
    const ids = [client.id, ...Array.from({ length: MAX_KEYS_PER_STATEMENT + 3 }, () => uuidv7())];
    const found = await Promise.all(ids.map((id) => clients.findById(id)));
    expect(found.filter((row) => row !== null)).toEqual([client]);
    expect(statements.map((statement) => (statement.params[0] as unknown[]).length)).toEqual([MAX_KEYS_PER_STATEMENT, 4]);
  });

  it('reads each key alone when the database refuses the statement, so one bad key fails only its read', async () => {
    const { database } = db;
    const { clients, statements } = batchedClients(database);
    const client = makeClient();
    await clients.insert(client, createdEntry(client));
    statements.length = 0;

    // The API only ever asks for well-formed ids; a key PostgreSQL cannot read as a uuid stands
    // here for any error the database reports about the shared statement.
    const [good, bad] = await Promise.allSettled([clients.findById(client.id), clients.findById('not-a-uuid')]);
    expect(good).toEqual({ status: 'fulfilled', value: client });
    expect(bad).toMatchObject({ status: 'rejected', reason: { code: '22P02' } });
    expect(statements).toHaveLength(3);
  });

  it('answers concurrent timelines each with its own page, from one statement per limit and sort', async () => {
    const { database } = db;
    const { clients, exchanges, statements } = batchedClients(database);
    const [busy, quiet, empty] = [makeClient(), makeClient(), makeClient()];
    for (const client of [busy, quiet, empty]) await clients.insert(client, createdEntry(client));
    // The same moment for several exchanges: the id breaks the tie, in the page's order.
    const at = (i: number) => new Date(Date.UTC(2026, 0, 1 + (i % 12))).toISOString();
    for (let i = 0; i < 25; i++) {
      const exchange = makeExchange(busy.id, { occurredAt: at(i) });
      await exchanges.insert(exchange, createdEntry(exchange));
    }
    for (let i = 0; i < 3; i++) {
      const exchange = makeExchange(quiet.id, { occurredAt: at(i) });
      await exchanges.insert(exchange, createdEntry(exchange));
    }
    statements.length = 0;

    const asked = [
      { id: busy.id, limit: 20 },
      { id: empty.id, limit: 20 },
      { id: quiet.id, limit: 20 },
      { id: busy.id, limit: 20 },
      { id: busy.id, limit: 5 },
      { id: quiet.id, limit: 5 },
    ];
    const pages = await Promise.all(
      asked.map(({ id, limit }) => exchanges.list({ clientId: id, limit, sort: '-occurredAt', after: null })),
    );
    const expected = await Promise.all(asked.map(({ id, limit }) => timelineAlone(database, id, limit)));

    expect(pages).toEqual(expected);
    expect(pages[0]?.data).toHaveLength(20);
    expect(pages[0]?.nextPosition).not.toBeNull();
    expect(pages[1]).toEqual({ data: [], nextPosition: null });
    expect(statements.map((statement) => (statement.params[0] as unknown[]).length)).toEqual([4, 2]);
    expect(statements[0]?.sql).toMatch(
      /CROSS JOIN LATERAL \(SELECT .* FROM exchanges WHERE client_id = asked\.key ORDER BY occurred_at DESC/,
    );

    statements.length = 0;
    const oldestFirst = await Promise.all(
      [busy, quiet].map((client) => exchanges.list({ clientId: client.id, limit: 4, sort: 'occurredAt', after: null })),
    );
    expect(oldestFirst).toEqual(await Promise.all([busy, quiet].map((client) => timelineAlone(database, client.id, 4, 'occurredAt'))));
    expect(statements).toHaveLength(1);
  });

  it('is offered by the executor outside transactions only, and used by the API services', async () => {
    const { database } = db;
    expect(await database.sql.transaction(async (session) => session.concurrentLookups)).toBeUndefined();
    const lookups = database.sql.concurrentLookups as NonNullable<SqlSession['concurrentLookups']>;
    const find = jest.spyOn(lookups, 'find');
    const service = new ClientService(new SqlUnitOfWork(database.sql, database.dialect), () => new Date().toISOString());
    const created = await service.create({ name: 'Ada', email: null, phone: null, company: null, status: 'lead', tags: [], notes: null });
    expect(await Promise.all([service.get(created.id), service.get(created.id)])).toEqual([created, created]);
    expect(find).toHaveBeenCalledTimes(2);
  });
});
