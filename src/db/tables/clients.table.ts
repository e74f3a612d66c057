import type { Client } from '../../domain/client';
import { emailKey, nameCompanyKey, phoneKey, phoneRegion } from '../../domain/duplicate-keys';
import { buildSearchText, buildSortName } from '../../domain/text-normalization';
import { compileObjectRowReader, compileRowReader, compileRowWriter } from './row-mappers';
import { defineTable, positionsOf, readColumns, type RowOf } from './table-definition';

export const clientsTable = defineTable<Client>()({
  name: 'clients',
  primaryKey: ['id'],
  columns: [
    { sql: 'id', api: 'id', type: 'uuid', insertOnly: true },
    { sql: 'name', api: 'name', type: 'text' },
    { sql: 'email', api: 'email', type: 'text', nullable: true },
    { sql: 'phone', api: 'phone', type: 'text', nullable: true },
    { sql: 'company', api: 'company', type: 'text', nullable: true },
    { sql: 'status', api: 'status', type: 'text' },
    // client_tags holds the same tags one per row, so that a tag filter is an index lookup.
    { sql: 'tags', api: 'tags', type: 'json-text' },
    { sql: 'notes', api: 'notes', type: 'text', nullable: true },
    // Lower-cased, accent-free copies made by the application, so search and name order are the
    // same on both backends whatever the database collation.
    { sql: 'search_text', type: 'text', derive: (client) => buildSearchText([client.name, client.email, client.company, client.phone]) },
    { sql: 'sort_name', type: 'text', derive: (client) => buildSortName(client.name), readBack: true },
    // Duplicate keys (src/domain/duplicate-keys.ts), indexed: duplicates and import matching are lookups.
    { sql: 'email_key', type: 'text', nullable: true, derive: (client) => emailKey(client.email) },
    { sql: 'phone_key', type: 'text', nullable: true, derive: (client) => phoneKey(client.phone, phoneRegion()) },
    { sql: 'name_key', type: 'text', nullable: true, derive: (client) => nameCompanyKey(client.name, client.company) },
    { sql: 'created_at', api: 'createdAt', type: 'timestamp', insertOnly: true },
    { sql: 'updated_at', api: 'updatedAt', type: 'timestamp' },
    { sql: 'version', api: 'version', type: 'int' },
  ],
});

export type ClientRow = RowOf<typeof clientsTable>;

/** The select list of the read paths, which fetch rows as arrays (SqlSession.values). */
export const CLIENT_READ_COLUMNS = readColumns(clientsTable);
export const CLIENT_AT = positionsOf(CLIENT_READ_COLUMNS);

/** Key order is the API's and is part of the export format: it makes exports byte-comparable. */
export const valuesToClient = compileRowReader<Client>(clientsTable);
export const rowToClient = compileObjectRowReader<Client>(clientsTable);
export const clientToRow = compileRowWriter<Client, ClientRow>(clientsTable);
