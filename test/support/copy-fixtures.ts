import { v7 as uuidv7 } from 'uuid';
import type { Client } from '../../src/domain/client';
import type { Exchange } from '../../src/domain/exchange';
import type { Database } from '../../src/db/open-database';
import { clientTagRows } from '../../src/db/tables/client-tags.table';
import { clientToRow } from '../../src/db/tables/clients.table';
import { exchangeToRow } from '../../src/db/tables/exchanges.table';
import { seedDatabase } from '../../src/seed/seed-database';
import type { ScratchDatabase } from './test-databases';

export const CRM_TABLES = ['clients', 'client_tags', 'exchanges', 'idempotency_keys'] as const;

/** Every character COPY's text format escapes, plus accents, emoji and a lone quote. */
export const AWKWARD_TEXT = "tab\there, new\nline, cr\r, back\\slash, \\N, \b\f\v, quote' Hélène 🎉";

/**
 * Migrated database filled with seeded demo data plus rows chosen to break a careless copy:
 * control characters, nulls, emoji, millisecond timestamps, both idempotency states.
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
