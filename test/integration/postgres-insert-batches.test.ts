import { v7 as uuidv7 } from 'uuid';
import { SqlUnitOfWork } from '../../src/db/adapters/sql-unit-of-work';
import { MAX_INSERTS_PER_STATEMENT, PostgresInsertBatcher } from '../../src/db/dialects/postgres-insert-batcher';
import type { Database } from '../../src/db/open-database';
import type { SqlSession } from '../../src/db/sql/sql-executor';
import { NotFoundError } from '../../src/domain/errors';
import { ClientService } from '../../src/services/client.service';
import { clientFields } from '../factories/clients';
import { createdEntry, makeClient, makeExchange } from '../factories/records';
import { recordedRepositories } from '../support/recorded-session';
import { testBackends, useMigratedScratchDatabase } from '../support/test-databases';

const describeOnPostgres = testBackends().includes('postgres') ? describe : describe.skip;

/** Repositories whose creates go through a batcher over recorded statements. */
const batchedRepositories = (database: Database) =>
  recordedRepositories(database, (session) => ({ concurrentInserts: new PostgresInsertBatcher(session) }));

async function subscribeToEverything(database: Database): Promise<void> {
  const now = database.dialect.toDbTimestamp(new Date().toISOString());
  await database.sql.run(
    'INSERT INTO webhooks (id, url, events, active, description, secret, created_at, updated_at, version, failing_since) VALUES (?, ?, ?, 1, NULL, ?, ?, ?, 1, NULL)',
    [uuidv7(), 'https://hooks.example.com/crm', '["*"]', 'whsec_dGVzdA==', now, now],
  );
}

async function countWhere(database: Database, table: string, column: string, ids: readonly string[]): Promise<number> {
  const row = await database.sql.firstValues(`SELECT count(*)::int FROM ${table} WHERE ${column} = ANY (?::uuid[])`, [ids]);
  return Number(row?.[0]);
}

describeOnPostgres('PostgreSQL creates that come together share one statement', () => {
  const db = useMigratedScratchDatabase('postgres');

  it('writes concurrent creates in one statement, each with its tags, history entry and event', async () => {
    const { database } = db;
    await subscribeToEverything(database);
    const { clients, statements } = batchedRepositories(database);
    const created = Array.from({ length: 20 }, (_, i) => makeClient({ tags: i % 2 ? ['vip', 'b2b'] : [] }));
    await Promise.all(created.map((client) => clients.insert(client, createdEntry(client))));

    expect(statements).toHaveLength(1);
    expect(statements[0]?.sql).toMatch(/^WITH written AS \(INSERT INTO clients \(.*\) SELECT \* FROM unnest\(/);
    const ids = created.map((client) => client.id);
    for (const client of created) expect(await clients.findById(client.id)).toEqual(client);
    expect(await countWhere(database, 'client_tags', 'client_id', ids)).toBe(20);
    expect(await countWhere(database, 'history', 'record_id', ids)).toBe(20);
    expect(await countWhere(database, 'webhook_events', 'record_id', ids)).toBe(20);
  });

  it('writes no event for a batch while nobody subscribed', async () => {
    const { database } = db;
    const { clients, statements } = batchedRepositories(database);
    const created = Array.from({ length: 5 }, () => makeClient());
    await Promise.all(created.map((client) => clients.insert(client, createdEntry(client))));
    expect(statements).toHaveLength(1);
    const ids = created.map((client) => client.id);
    expect(await countWhere(database, 'history', 'record_id', ids)).toBe(5);
    expect(await countWhere(database, 'webhook_events', 'record_id', ids)).toBe(0);
  });

  it('sends a lone create as its own statement, and splits a batch past its bound', async () => {
    const { database } = db;
    const { clients, statements } = batchedRepositories(database);
    const lone = makeClient();
    await clients.insert(lone, createdEntry(lone));
    expect(statements.map((statement) => statement.sql)).toEqual([
      expect.stringMatching(/^WITH written AS \(INSERT INTO clients \(.*\) VALUES \(\?/),
    ]);

    statements.length = 0;
    const many = Array.from({ length: MAX_INSERTS_PER_STATEMENT + 8 }, () => makeClient());
    await Promise.all(many.map((client) => clients.insert(client, createdEntry(client))));
    expect(statements.map((statement) => (statement.params[0] as unknown[]).length)).toEqual([MAX_INSERTS_PER_STATEMENT, 8]);
    const ids = many.map((client) => client.id);
    expect(await countWhere(database, 'clients', 'id', ids)).toBe(many.length);
  });

  it('answers each write of a refused batch on its own: the one for a missing client fails, the others are written', async () => {
    const { database } = db;
    const { clients, exchanges, statements } = batchedRepositories(database);
    const owner = makeClient();
    await clients.insert(owner, createdEntry(owner));
    statements.length = 0;
    const good = Array.from({ length: 4 }, () => makeExchange(owner.id));
    const orphan = makeExchange(uuidv7());
    const outcomes = await Promise.allSettled([...good, orphan].map((exchange) => exchanges.insert(exchange, createdEntry(exchange))));

    expect(outcomes.slice(0, 4).map((outcome) => outcome.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled']);
    expect(outcomes[4]).toMatchObject({ status: 'rejected', reason: expect.any(NotFoundError) });
    // The batch (refused whole), then each write alone.
    expect(statements).toHaveLength(6);
    const written = good.map((exchange) => exchange.id);
    expect(await countWhere(database, 'exchanges', 'id', written)).toBe(4);
    expect(await countWhere(database, 'history', 'record_id', [orphan.id])).toBe(0);
  });

  it("writes a batch's exchanges in their clients' id order, the order transactions lock clients in", async () => {
    const { database } = db;
    const { clients, exchanges, statements } = batchedRepositories(database);
    const owners = Array.from({ length: 6 }, () => makeClient());
    await Promise.all(owners.map((client) => clients.insert(client, createdEntry(client))));
    statements.length = 0;
    const shuffled = [owners[3], owners[0], owners[5], owners[1], owners[4], owners[2]].map((client) => makeExchange(client?.id ?? ''));
    await Promise.all(shuffled.map((exchange) => exchanges.insert(exchange, createdEntry(exchange))));

    expect(statements).toHaveLength(1);
    const clientIds = statements[0]?.params[1] as string[];
    expect(clientIds).toEqual(owners.map((client) => client.id).sort());
  });

  it('is offered by the executor outside transactions only, and used by the API services', async () => {
    const { database } = db;
    expect(database.sql.concurrentInserts).toBeDefined();
    expect(await database.sql.transaction(async (session) => session.concurrentInserts)).toBeUndefined();

    const batcher = database.sql.concurrentInserts as NonNullable<SqlSession['concurrentInserts']>;
    const apply = jest.spyOn(batcher, 'apply');
    const service = new ClientService(new SqlUnitOfWork(database.sql, database.dialect), () => new Date().toISOString());
    const created = await Promise.all(Array.from({ length: 10 }, (_, i) => service.create(clientFields({ tags: [`t${i}`] }))));
    expect(apply).toHaveBeenCalledTimes(10);
    for (const client of created) expect(await service.get(client.id)).toEqual(client);
  });
});
