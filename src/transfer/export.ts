import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { Knex } from 'knex';
import type { Database } from '../db/open-database';
import type { Dialect } from '../db/dialects';
import { emptyCounts, EXPORT_FORMAT, EXPORT_FORMAT_VERSION, toLine, type ExportCounts, type ExportHeader } from './format';
import { clientsTable, rowToClient, type ClientRow } from '../db/tables/clients.table';
import { exchangesTable, rowToExchange, type ExchangeRow } from '../db/tables/exchanges.table';
import { HISTORY_COLUMNS, historyEntryFrom, historyTable } from '../db/tables/history.table';
import { domainColumns } from '../db/tables/table-definition';
import { clientsTrashTable, exchangesTrashTable } from '../db/tables/trash.tables';

export interface ExportOptions {
  /** Rows read per query; memory use is bounded by one batch whatever the table size. */
  batchSize?: number;
  /** Injected by tests; the header is the only line that differs between two exports of the same data. */
  now?: () => string;
  onProgress?: (exported: Readonly<ExportCounts>) => void;
}

// A record holds the domain fields only: derived columns are recomputed by the importer.
const CLIENT_COLUMNS = domainColumns(clientsTable);
const EXCHANGE_COLUMNS = domainColumns(exchangesTable);
type TrashedClientRow = ClientRow & { deleted_at: unknown };
type TrashedExchangeRow = ExchangeRow & { deleted_at: unknown; trashed_with_client: string | null };
type HistoryObjectRow = Record<string, unknown> & { record_id: string; version: number };

/**
 * Streams the whole database into `destinations` (e.g. a gzip stream then a file) as NDJSON,
 * from one consistent snapshot: rows committed while the export runs are either all in it or
 * not at all, so the counts in the trailer describe a state that existed.
 */
export async function exportDatabase(
  database: Pick<Database, 'knex' | 'dialect' | 'tools' | 'target'>,
  destinations: readonly Writable[],
  options: ExportOptions = {},
): Promise<ExportCounts> {
  const { knex, dialect, tools } = database;
  return tools.readSnapshot(knex, async (trx) => {
    const counts = emptyCounts();
    const source = Readable.from(exportChunks(trx, dialect, database.target.driver, counts, options), { objectMode: false });
    await pipeline([source, ...destinations]);
    return counts;
  });
}

async function* exportChunks(
  trx: Knex,
  dialect: Dialect,
  driver: ExportHeader['source']['driver'],
  counts: ExportCounts,
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
  // The trash and the history have no foreign keys: any order would load, this one is fixed.
  for await (const rows of byId<TrashedClientRow>(trx, clientsTrashTable.name, [...CLIENT_COLUMNS, 'deleted_at'], batchSize)) {
    yield rows
      .map((row) => toLine({ type: 'trashedClient', deletedAt: dialect.fromDbTimestamp(row.deleted_at), data: rowToClient(row, dialect) }))
      .join('');
    counts.trashedClients += rows.length;
    options.onProgress?.(counts);
  }
  const trashedExchangeColumns = [...EXCHANGE_COLUMNS, 'deleted_at', 'trashed_with_client'];
  for await (const rows of byId<TrashedExchangeRow>(trx, exchangesTrashTable.name, trashedExchangeColumns, batchSize)) {
    yield rows
      .map((row) =>
        toLine({
          type: 'trashedExchange',
          deletedAt: dialect.fromDbTimestamp(row.deleted_at),
          trashedWithClient: row.trashed_with_client,
          data: rowToExchange(row, dialect),
        }),
      )
      .join('');
    counts.trashedExchanges += rows.length;
    options.onProgress?.(counts);
  }
  for await (const rows of historyByKey(trx, batchSize)) {
    yield rows
      .map((row) =>
        toLine({
          type: 'history',
          data: historyEntryFrom(
            HISTORY_COLUMNS.map((column) => row[column]),
            dialect,
          ),
        }),
      )
      .join('');
    counts.history += rows.length;
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

/** The history in primary-key order (record id, then version), by keyset on both columns. */
async function* historyByKey(trx: Knex, batchSize: number): AsyncGenerator<HistoryObjectRow[]> {
  let after: HistoryObjectRow | null = null;
  for (;;) {
    const query = trx(historyTable.name).select(HISTORY_COLUMNS).orderBy(['record_id', 'version']).limit(batchSize);
    if (after !== null) {
      const { record_id: id, version } = after;
      query.where((where) =>
        where.where('record_id', '>', id).orWhere((same) => same.where('record_id', id).andWhere('version', '>', version)),
      );
    }
    const rows = (await query) as HistoryObjectRow[];
    const last = rows[rows.length - 1];
    if (!last) return;
    yield rows;
    if (rows.length < batchSize) return;
    after = last;
  }
}
