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
  await addWebhooksAndImports(database, client);
}

/**
 * A subscription with its secret, an event and a delivery whose last error holds awkward text,
 * and a committed CSV import with the change undo would need: configuration and pending work a
 * move to another database must not lose.
 */
async function addWebhooksAndImports(database: Database, client: Client): Promise<void> {
  const { knex, dialect } = database;
  const at = (iso: string) => dialect.toDbTimestamp(iso);
  const webhookId = uuidv7();
  const eventId = uuidv7();
  await knex('webhooks').insert({
    id: webhookId,
    url: 'https://hooks.example.fr/crm?q=é',
    events: JSON.stringify(['client.created', 'client.deleted']),
    // Switched off for failing: a server started on the copy must not announce or deliver anything.
    active: 0,
    description: AWKWARD_TEXT,
    secret: 'whsec_dGhpcyBpcyBub3QgYSByZWFsIHNlY3JldA==',
    created_at: at('2026-11-01T00:00:00.001Z'),
    updated_at: at('2026-11-02T00:00:00.002Z'),
    version: 3,
    failing_since: at('2026-11-24T17:00:00.999Z'),
  });
  await knex('webhook_events').insert({
    id: eventId,
    type: 'client.created',
    record_id: client.id,
    payload: JSON.stringify({ ...client, notes: AWKWARD_TEXT }),
    created_at: at('2026-11-24T16:00:00.123Z'),
    fanned_out_at: at('2026-11-24T16:00:00.456Z'),
  });
  await knex('webhook_deliveries').insert({
    id: uuidv7(),
    webhook_id: webhookId,
    event_id: eventId,
    status: 'pending',
    attempts: 2,
    next_attempt_at: at('2026-11-24T18:30:00.000Z'),
    lease_until: null,
    last_status: 503,
    last_error: `HTTP 503: ${AWKWARD_TEXT}`,
    delivered_at: null,
    created_at: at('2026-11-24T16:00:00.456Z'),
    updated_at: at('2026-11-24T17:00:00.999Z'),
  });
  const jobId = uuidv7();
  await knex('import_jobs').insert({
    id: jobId,
    status: 'committed',
    source: null,
    encoding: 'windows-1252',
    delimiter: ';',
    columns: JSON.stringify(['Nom', 'Société']),
    mapping: JSON.stringify({ Nom: 'name', Société: 'company' }),
    preview: JSON.stringify([{ row: 2, client: { name: client.name } }]),
    row_count: 1,
    created_at: at('2026-11-23T10:00:00.010Z'),
    expires_at: at('2026-11-24T10:00:00.010Z'),
    committed_at: at('2026-11-23T10:05:00.050Z'),
    undone_at: null,
    result: JSON.stringify({ created: 0, updated: 1, skipped: 0, failed: 0, errors: [] }),
    undo: null,
  });
  await knex('import_job_changes').insert({
    job_id: jobId,
    client_id: client.id,
    kind: 'updated',
    before: JSON.stringify({ notes: AWKWARD_TEXT }),
    version_after: client.version,
  });
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
