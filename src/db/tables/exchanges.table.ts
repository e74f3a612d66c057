import type { Exchange } from '../../domain/exchange';
import { compileObjectRowReader, compileRowReader, compileRowWriter } from './row-mappers';
import { defineTable, positionsOf, readColumns, type RowOf } from './table-definition';

export const exchangesTable = defineTable<Exchange>()({
  name: 'exchanges',
  primaryKey: ['id'],
  columns: [
    { sql: 'id', api: 'id', type: 'uuid', insertOnly: true },
    { sql: 'client_id', api: 'clientId', type: 'uuid', insertOnly: true },
    { sql: 'kind', api: 'kind', type: 'text' },
    { sql: 'direction', api: 'direction', type: 'text', nullable: true },
    { sql: 'subject', api: 'subject', type: 'text', nullable: true },
    { sql: 'body', api: 'body', type: 'text', nullable: true },
    { sql: 'occurred_at', api: 'occurredAt', type: 'timestamp' },
    { sql: 'follow_up_at', api: 'followUpAt', type: 'timestamp', nullable: true },
    { sql: 'created_at', api: 'createdAt', type: 'timestamp', insertOnly: true },
    { sql: 'updated_at', api: 'updatedAt', type: 'timestamp' },
    { sql: 'version', api: 'version', type: 'int' },
  ],
});

export type ExchangeRow = RowOf<typeof exchangesTable>;

/** The select list of the read paths, which fetch rows as arrays (SqlSession.values). */
export const EXCHANGE_READ_COLUMNS = readColumns(exchangesTable);
export const EXCHANGE_AT = positionsOf(EXCHANGE_READ_COLUMNS);

/** Key order is the API's and is part of the export format: it makes exports byte-comparable. */
export const valuesToExchange = compileRowReader<Exchange>(exchangesTable);
export const rowToExchange = compileObjectRowReader<Exchange>(exchangesTable);
export const exchangeToRow = compileRowWriter<Exchange, ExchangeRow>(exchangesTable);
