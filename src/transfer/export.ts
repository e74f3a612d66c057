import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Knex } from 'knex';
import type { Database } from '../db/open-database';
import type { Dialect } from '../db/dialects';
import { EXPORT_FORMAT, EXPORT_FORMAT_VERSION, toLine, type ExportHeader, type RecordCounts } from './format';
import { clientsTable, rowToClient, type ClientRow } from '../db/tables/clients.table';
import { exchangesTable, rowToExchange, type ExchangeRow } from '../db/tables/exchanges.table';
import { domainColumns } from '../db/tables/table-definition';

export interface ExportOptions {
  /** Rows read per query; memory use is bounded by one batch whatever the table size. */
  batchSize?: number;
  /** Injected by tests; the header is the only line that differs between two exports of the same data. */
  now?: () => string;
  onProgress?: (exported: Readonly<RecordCounts>) => void;
}

// A record holds the domain fields only: derived columns are recomputed by the importer.
const CLIENT_COLUMNS = domainColumns(clientsTable);
const EXCHANGE_COLUMNS = domainColumns(exchangesTable);

/**
 * Streams the whole database into `destinations` (e.g. a gzip stream then a file) as NDJSON,
 * from one consistent snapshot: rows committed while the export runs are either all in it or
 * not at all, so the counts in the trailer describe a state that existed.
 */
export async function exportDatabase(
  database: Pick<Database, 'knex' | 'dialect' | 'tools' | 'target'>,
  destinations: readonly Writable[],
  options: ExportOptions = {},
): Promise<RecordCounts> {
  const { knex, dialect, tools } = database;
  return tools.readSnapshot(knex, async (trx) => {
    const counts: RecordCounts = { clients: 0, exchanges: 0 };
    const source = Readable.from(exportChunks(trx, dialect, database.target.driver, counts, options), { objectMode: false });
    await pipeline([source, ...destinations]);
    return counts;
  });
}

async function* exportChunks(
  trx: Knex,
  dialect: Dialect,
  driver: ExportHeader['source']['driver'],
  counts: RecordCounts,
  options: ExportOptions,
): AsyncGenerator<string> {
  const header: ExportHeader = {
    format: EXPORT_FORMAT,
    version: EXPORT_FORMAT_VERSION,
    exportedAt: (options.now ?? (() => new Date().toISOString()))(),
    source: { driver },
  };
  yield toLine(header);
  const batchSize = options.batchSize ?? 2000;
  // Clients first, then exchanges: an importer can insert in file order and foreign keys hold.
  for await (const rows of byId<ClientRow>(trx, 'clients', CLIENT_COLUMNS, batchSize)) {
    yield rows.map((row) => toLine({ type: 'client', data: rowToClient(row, dialect) })).join('');
    counts.clients += rows.length;
    options.onProgress?.(counts);
  }
  for await (const rows of byId<ExchangeRow>(trx, 'exchanges', EXCHANGE_COLUMNS, batchSize)) {
    yield rows.map((row) => toLine({ type: 'exchange', data: rowToExchange(row, dialect) })).join('');
    counts.exchanges += rows.length;
    options.onProgress?.(counts);
  }
  yield toLine({ type: 'end', counts: { ...counts } });
}

/**
 * Keyset iteration on the primary key: each batch costs the same however deep into the table,
 * unlike OFFSET. Ids are lower-case UUIDs, ordered identically on both backends (SQLite text
 * compares bytes; PostgreSQL's uuid compares the same 16 bytes), so exports are comparable.
 */
async function* byId<Row extends { id: string }>(trx: Knex, table: string, columns: string[], batchSize: number): AsyncGenerator<Row[]> {
  let after: string | null = null;
  for (;;) {
    const query = trx(table).select(columns).orderBy('id').limit(batchSize);
    if (after !== null) query.where('id', '>', after);
    const rows = (await query) as Row[];
    const last = rows[rows.length - 1];
    if (!last) return;
    yield rows;
    if (rows.length < batchSize) return;
    after = last.id;
  }
}
