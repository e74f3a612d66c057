import type { Client } from '../../src/domain/client';
import type { Exchange } from '../../src/domain/exchange';
import { buildSearchText, buildSortName } from '../../src/domain/text-normalization';
import { clientTagRows } from '../../src/db/tables/client-tags.table';
import { CLIENT_AT, CLIENT_READ_COLUMNS, clientToRow, rowToClient, valuesToClient } from '../../src/db/tables/clients.table';
import { EXCHANGE_AT, EXCHANGE_READ_COLUMNS, exchangeToRow, rowToExchange, valuesToExchange } from '../../src/db/tables/exchanges.table';
import { compileRowReader, compileRowWriter, type TimestampCodec } from '../../src/db/tables/row-mappers';
import { defineTable } from '../../src/db/tables/table-definition';

/** Marks what it stores, so a test sees that each timestamp went through the codec both ways. */
const codec: TimestampCodec = {
  toDbTimestamp: (iso) => `stored ${iso}`,
  fromDbTimestamp: (value) => String(value).replace(/^stored /, ''),
};

// Fields in the API's order: an exported record keeps it, and exports are compared byte for byte.
const client: Client = {
  id: '0190a0b0-0000-7000-8000-000000000001',
  name: 'Hélène Dupont',
  email: 'helene@example.com',
  phone: null,
  company: 'ACME',
  status: 'customer',
  tags: ['vip', 'b2b'],
  notes: null,
  createdAt: '2026-11-24T18:00:00.000Z',
  updatedAt: '2026-11-25T09:30:00.500Z',
  version: 3,
};
const exchange: Exchange = {
  id: '0190a0b0-0000-7000-8000-000000000002',
  clientId: client.id,
  kind: 'call',
  direction: null,
  subject: 'Renewal',
  body: null,
  occurredAt: '2026-11-24T18:00:00.000Z',
  followUpAt: null,
  createdAt: '2026-11-24T18:01:00.000Z',
  updatedAt: '2026-11-24T18:02:00.000Z',
  version: 1,
};

describe('row mappers compiled from the table specs', () => {
  it('store every client field and read each one back from its position, in the API key order', () => {
    const row = clientToRow(client, codec);
    const values = CLIENT_READ_COLUMNS.map((column) => row[column]);
    const read = valuesToClient(values, codec);
    expect(read).toStrictEqual(client);
    expect(Object.keys(read)).toEqual(Object.keys(client));
    expect(rowToClient(row, codec)).toStrictEqual(client);
    expect(row).toMatchObject({ tags: '["vip","b2b"]', created_at: 'stored 2026-11-24T18:00:00.000Z', phone: null });
  });

  it('compute the derived client columns; the read path selects sort_name for the cursor but not search_text', () => {
    const row = clientToRow(client, codec);
    expect(row.search_text).toBe(buildSearchText([client.name, client.email, client.company, client.phone]));
    expect(row.sort_name).toBe(buildSortName(client.name));
    expect(CLIENT_READ_COLUMNS).not.toContain('search_text');
    expect(CLIENT_READ_COLUMNS[CLIENT_AT.sort_name]).toBe('sort_name');
    expect(clientTagRows(client)).toEqual([
      { client_id: client.id, tag: 'vip' },
      { client_id: client.id, tag: 'b2b' },
    ]);
  });

  it('store every exchange field, a null timestamp as null, and read them back in the API key order', () => {
    for (const sample of [exchange, { ...exchange, direction: 'inbound', followUpAt: '2026-12-01T08:00:00.000Z' } satisfies Exchange]) {
      const row = exchangeToRow(sample, codec);
      const read = valuesToExchange(
        EXCHANGE_READ_COLUMNS.map((column) => row[column]),
        codec,
      );
      expect(read).toStrictEqual(sample);
      expect(Object.keys(read)).toEqual(Object.keys(exchange));
      expect(rowToExchange(row, codec)).toStrictEqual(sample);
      expect(row.follow_up_at).toBe(sample.followUpAt === null ? null : `stored ${sample.followUpAt}`);
    }
    expect(EXCHANGE_AT.occurred_at).toBe(EXCHANGE_READ_COLUMNS.indexOf('occurred_at'));
  });

  it('refuse names that are not plain identifiers, and columns no writer can fill', () => {
    const unsafe = defineTable<Client>()({ name: 'clients', primaryKey: [], columns: [{ sql: 'id); drop', api: 'id', type: 'uuid' }] });
    expect(() => compileRowReader(unsafe)).toThrow('not a plain identifier');
    const unfilled = defineTable<Client>()({ name: 'clients', primaryKey: ['id'], columns: [{ sql: 'id', type: 'uuid' }] });
    expect(() => compileRowWriter(unfilled)).toThrow('neither a domain field nor derived');
  });
});
