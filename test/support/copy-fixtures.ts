import { v7 as uuidv7 } from 'uuid';
import type { Client } from '../../src/domain/client';
import type { Exchange } from '../../src/domain/exchange';
import type { Database } from '../../src/db/open-database';
import { clientTagRows } from '../../src/db/tables/client-tags.table';
import { clientToRow } from '../../src/db/tables/clients.table';
import { exchangeToRow } from '../../src/db/tables/exchanges.table';
import { seedDatabase } from '../../src/seed/seed-database';
import type { ScratchDatabase } from './test-databases';

export const CRM_TABLES = [
  'clients',
  'client_tags',
  'exchanges',
  'idempotency_keys',
  'clients_trash',
  'exchanges_trash',
  'history',
  'webhooks',
  'webhook_events',
  'webhook_deliveries',
  'import_jobs',
  'import_job_changes',
] as const;

/** Every character COPY's text format escapes, plus accents, emoji and a lone quote. */
export const AWKWARD_TEXT = "tab\there, new\nline, cr\r, back\\slash, \\N, \b\f\v, quote' Hélène 🎉";

/**
 * Migrated database filled with seeded demo data plus rows chosen to break a careless copy:
 * control characters, nulls, emoji, millisecond timestamps, both idempotency states, a trash
 * (a client with its exchanges, an exchange on its own) and history entries.
 */
export async function fillCrmDatabase(database: Database, size: { clients: number; exchanges: number }, seed = 'copy-test'): Promise<void> {
  await database.migrator.up();
  await seedDatabase(database, { ...size, seed });
  await addAwkwardRows(database);
}

/** More demo rows in a database that has some (another seed, so other ids). */
export async function addDemoRows(database: Database, size: { clients: number; exchanges: number }, seed: string): Promise<void> {
  await seedDatabase(database, { ...size, seed, append: true });
}

async function addAwkwardRows(database: Database): Promise<void> {
  const { knex, dialect } = database;
  const client: Client = {
    id: uuidv7(),
    name: 'Hélène Dupont 🎉',
    email: null,
    phone: null,
    company: 'Société Générale de Tests',
    status: 'customer',
    tags: ['vip', 'émoji 🎉', 'tab\tin tag'],
    notes: AWKWARD_TEXT,
    createdAt: '2021-02-03T04:05:06.007Z',
    updatedAt: '2026-11-24T18:00:00.999Z',
    version: 7,
  };
  const exchange: Exchange = {
    id: uuidv7(),
    clientId: client.id,
    kind: 'note',
    direction: null,
    subject: null,
    body: AWKWARD_TEXT,
    occurredAt: '1999-12-31T23:59:59.999Z',
    followUpAt: '2030-01-01T00:00:00.001Z',
    createdAt: '2021-02-03T04:05:06.000Z',
    updatedAt: '2021-02-03T04:05:06.100Z',
    version: 2,
  };
  await knex('clients').insert(clientToRow(client, dialect));
  await knex('client_tags').insert(clientTagRows(client));
  await knex('exchanges').insert(exchangeToRow(exchange, dialect));
  const idempotency = (key: string, status: number | null) => ({
    scope: 'a'.repeat(64),
    key,
    request_hash: 'b'.repeat(64),
    status_code: status,
    response_body: status === null ? null : JSON.stringify({ id: client.id, note: AWKWARD_TEXT }),
    location: status === null ? null : `/api/v1/clients/${client.id}`,
    created_at: dialect.toDbTimestamp('2026-11-24T18:00:00.000Z'),
    expires_at: dialect.toDbTimestamp('2026-11-25T18:00:00.000Z'),
  });
  await knex('idempotency_keys').insert([idempotency('Zeta-key', 201), idempotency('alpha-key', null), idempotency('Émile\tkey', 200)]);
  await addTrashAndHistory(database, client, exchange);
}

/**
 * Trash and history rows written with plain SQL into the migrated schema, as the services
 * leave them: a client trashed with two of its exchanges, an exchange of `live` trashed on its
 * own, and history entries (one of a record purged since) whose changes hold awkward text.
 */
export async function addTrashAndHistory(database: Database, live: Client, liveExchange: Exchange): Promise<void> {
  const { knex, dialect } = database;
  const at = (iso: string) => dialect.toDbTimestamp(iso);
  const trashed: Client = { ...live, id: uuidv7(), name: 'Zoë Trashed 🗑', tags: ['ex-vip'], email: 'zoe@example.fr', version: 4 };
  const deletedAt = '2026-11-20T09:30:00.123Z';
  const withClient = [1, 2].map((n): Exchange => ({
    ...liveExchange,
    id: uuidv7(),
    clientId: trashed.id,
    subject: `Trashed with the client ${n}`,
    version: n,
  }));
  const alone: Exchange = { ...liveExchange, id: uuidv7(), subject: 'Trashed alone\tagain', body: null, followUpAt: null, version: 3 };
  await knex('clients_trash').insert({ ...clientToRow(trashed, dialect), deleted_at: at(deletedAt) });
  await knex('exchanges_trash').insert([
    ...withClient.map((e) => ({ ...exchangeToRow(e, dialect), deleted_at: at(deletedAt), trashed_with_client: trashed.id })),
    { ...exchangeToRow(alone, dialect), deleted_at: at('2026-11-01T00:00:00.000Z'), trashed_with_client: null },
  ]);
  const entry = (
    recordType: string,
    recordId: string,
    version: number,
    action: string,
    when: string,
    actor: string | null,
    changes: object,
  ) => ({
    record_id: recordId,
    version,
    record_type: recordType,
    action,
    at: at(when),
    actor,
    changes: JSON.stringify(changes),
  });
  await knex('history').insert([
    entry('client', live.id, 1, 'created', '2021-02-03T04:05:06.007Z', 'ops', {
      name: { from: null, to: live.name },
      tags: { from: null, to: live.tags },
    }),
    entry('client', live.id, 2, 'updated', '2022-01-01T00:00:00.001Z', 'key-0a1b2c3d', { notes: { from: null, to: AWKWARD_TEXT } }),
    entry('client', trashed.id, 4, 'deleted', deletedAt, null, {}),
    entry('exchange', alone.id, 3, 'deleted', '2026-11-01T00:00:00.000Z', 'ops', {}),
    // The record was deleted for good; its history stays.
    entry('exchange', uuidv7(), 1, 'created', '2020-05-05T05:05:05.555Z', null, {
      subject: { from: null, to: 'gone' },
      kind: { from: null, to: 'call' },
    }),
  ]);
}

/**
 * Every row of a table by plain SELECT, timestamps made ISO by the dialect, sorted in JS: a view
 * of the data that shares nothing with the copy engine's readers.
 */
export async function allRows(database: Database, table: string): Promise<Array<Record<string, unknown>>> {
  const rows: Array<Record<string, unknown>> = await database.knex(table).select('*');
  const normalised = rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([column, value]) => [
        column,
        column.endsWith('_at') && value !== null ? database.dialect.fromDbTimestamp(value) : value,
      ]),
    ),
  );
  return normalised
    .map((row) => JSON.stringify(row))
    .sort()
    .map((json) => JSON.parse(json) as Record<string, unknown>);
}

export async function crmRowCount(database: Database): Promise<number> {
  let total = 0;
  for (const table of CRM_TABLES) {
    if (!(await database.knex.schema.hasTable(table))) continue;
    const [row] = await database.knex(table).count<Array<{ n: number | string }>>({ n: '*' });
    total += Number(row?.n ?? 0);
  }
  return total;
}

/** What --from / --to take for a scratch database. */
export function locationOf(scratch: ScratchDatabase): string {
  return scratch.target.driver === 'postgres' ? scratch.target.url : scratch.target.path;
}
