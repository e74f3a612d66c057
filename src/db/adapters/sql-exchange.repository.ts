import { NotFoundError } from '../../domain/errors';
import type { Exchange, ExchangeSort } from '../../domain/exchange';
import type { ChangeContext, HistoryEntry } from '../../domain/history';
import type { ExchangeListQuery, ExchangeRepository, TrashedExchange } from '../../repositories/exchange.repository';
import type { Page } from '../../repositories/page';
import type { Dialect } from '../dialects';
import { storedChange, type StoredChange } from '../dialects/trash-moves';
import { changeRecordRows } from '../sql/outbox';
import type { InsertedRow } from '../sql/compound-write';
import { findByKey, keyLookup, listByKey, type KeyedList } from '../sql/key-lookup';
import type { SqlSession, StatementOptions } from '../sql/sql-executor';
import {
  EXCHANGE_AT,
  EXCHANGE_READ_COLUMNS,
  exchangeToRow,
  exchangesTable,
  valuesToExchange,
  type ExchangeRow,
} from '../tables/exchanges.table';
import { insertSql, writeColumns } from '../tables/table-definition';
import { Conditions, keysetQuery, orderByTerms, toPage, type KeysetOrder } from './keyset';
import { moveExchangesToClient } from './sql-exchange-moves';

const COLUMNS = EXCHANGE_READ_COLUMNS.join(', ');
// Read with concurrent reads of other ids where the database offers that (findByKey).
const BY_ID = keyLookup(exchangesTable, EXCHANGE_READ_COLUMNS);
const FIND_IN_TRASH_SQL = `SELECT ${COLUMNS}, deleted_at, trashed_with_client FROM exchanges_trash WHERE id = ?`;
// Insert-only columns first, then those an UPDATE rewrites.
const { insertOnly: INSERT_ONLY_COLUMNS, updated: UPDATE_COLUMNS } = writeColumns(exchangesTable);
const INSERT_COLUMNS = [...INSERT_ONLY_COLUMNS, ...UPDATE_COLUMNS];
const INSERT_SQL = insertSql(exchangesTable, INSERT_COLUMNS);
const INSERTED_ROW: InsertedRow = { table: exchangesTable, columns: INSERT_COLUMNS, parentColumn: 'client_id' };
const UPDATE_SQL = `UPDATE exchanges SET ${UPDATE_COLUMNS.map((c) => `${c} = ?`).join(', ')} WHERE id = ? AND version = ?`;

// Fixed statements, planned once per PostgreSQL connection (StatementOptions).
const REUSABLE: StatementOptions = { reusable: true };

const SORT_ORDERS: Record<ExchangeSort, KeysetOrder> = {
  '-occurredAt': { column: 'occurred_at', direction: 'desc' },
  occurredAt: { column: 'occurred_at', direction: 'asc' },
};

// A client's timeline pages (each sort, with and without a cursor), read with other clients'
// where the database offers that (listByKey). The client's id is the first parameter.
const timelinePages = new Map<string, KeyedList>();

function timelinePage(sql: string, order: KeysetOrder): KeyedList {
  let page = timelinePages.get(sql);
  if (page === undefined) {
    page = { sql, keyAt: 0, keyType: 'uuid', orderBy: orderByTerms(order) };
    timelinePages.set(sql, page);
  }
  return page;
}

export class SqlExchangeRepository implements ExchangeRepository {
  constructor(
    private readonly sql: SqlSession,
    private readonly dialect: Dialect,
  ) {}

  async insert(exchange: Exchange, entry: HistoryEntry): Promise<void> {
    await this.clientMustBeLive(exchange.clientId, () =>
      this.dialect.applyCompoundWrite(this.sql, {
        sql: INSERT_SQL,
        params: this.rowValues(exchange, INSERT_COLUMNS),
        insertsRow: INSERTED_ROW,
        inserts: changeRecordRows(entry, exchange, this.dialect),
      }),
    );
  }

  async findById(id: string): Promise<Exchange | null> {
    const values = await findByKey(this.sql, BY_ID, id);
    return values ? valuesToExchange(values, this.dialect) : null;
  }

  async replace(exchange: Exchange, expectedVersion: number, entry: HistoryEntry): Promise<boolean> {
    const changed = await this.dialect.applyCompoundWrite(this.sql, {
      sql: UPDATE_SQL,
      params: [...this.rowValues(exchange, UPDATE_COLUMNS), exchange.id, expectedVersion],
      inserts: changeRecordRows(entry, exchange, this.dialect),
    });
    return changed > 0;
  }

  async trash(id: string, expectedVersion: number | undefined, change: ChangeContext): Promise<boolean> {
    return (await this.dialect.trashMoves.trashExchange(this.sql, id, expectedVersion, this.stored(change))) > 0;
  }

  async findInTrash(id: string): Promise<TrashedExchange | null> {
    const values = await this.sql.firstValues(FIND_IN_TRASH_SQL, [id], REUSABLE);
    if (!values) return null;
    const width = EXCHANGE_READ_COLUMNS.length;
    return {
      exchange: valuesToExchange(values, this.dialect),
      deletedAt: this.dialect.fromDbTimestamp(values[width]),
      withClient: values[width + 1] !== null,
    };
  }

  async moveToClient(fromClientId: string, toClientId: string, change: ChangeContext): Promise<number> {
    return this.clientMustBeLive(toClientId, () => moveExchangesToClient(this.sql, this.dialect, fromClientId, toClientId, change));
  }

  async restore(id: string, change: ChangeContext): Promise<Exchange | null> {
    const trashed = await this.findInTrash(id);
    if (!trashed) return null;
    const values = await this.clientMustBeLive(trashed.exchange.clientId, () =>
      this.dialect.trashMoves.restoreExchange(this.sql, id, this.stored(change)),
    );
    return values ? valuesToExchange(values, this.dialect) : null;
  }

  async deletePermanently(id: string, expectedVersion: number | undefined, change: ChangeContext): Promise<boolean> {
    return (await this.dialect.trashMoves.deleteExchangePermanently(this.sql, id, expectedVersion, this.stored(change))) > 0;
  }

  async list(query: ExchangeListQuery): Promise<Page<Exchange>> {
    const order = SORT_ORDERS[query.sort];
    const ts = (iso: string) => this.dialect.toDbTimestamp(iso);
    const conditions = new Conditions();
    if (query.clientId) conditions.add('client_id = ?', query.clientId);
    if (query.kind) conditions.add('kind = ?', query.kind);
    if (query.direction) conditions.add('direction = ?', query.direction);
    if (query.occurredFrom) conditions.add('occurred_at >= ?', ts(query.occurredFrom));
    if (query.occurredTo) conditions.add('occurred_at < ?', ts(query.occurredTo));
    if (query.followUpDueAt) conditions.add('follow_up_at IS NOT NULL AND follow_up_at <= ?', ts(query.followUpDueAt));
    if (query.updatedSince) conditions.add('updated_at >= ?', ts(query.updatedSince));
    // A client's timeline and the unfiltered list are fixed texts served by one index whatever
    // the values; the other filters' best plan depends on them (a rare kind, a short period).
    const fixed = conditions.params.length === (query.clientId ? 1 : 0);
    const { sql, params } = keysetQuery(`SELECT ${COLUMNS} FROM exchanges`, conditions, order, query.after, query.limit);
    const rows =
      query.clientId && fixed
        ? await listByKey(this.sql, timelinePage(sql, order), params)
        : await this.sql.values(sql, params, fixed ? REUSABLE : undefined);
    return toPage(
      rows,
      query.limit,
      (values) => valuesToExchange(values, this.dialect),
      (values) => ({ value: this.dialect.fromDbTimestamp(values[EXCHANGE_AT.occurred_at]), id: values[EXCHANGE_AT.id] as string }),
    );
  }

  /** A write that needs its client live: the foreign key says when it is not (unknown, trashed or deleted). */
  private async clientMustBeLive<T>(clientId: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (this.dialect.classifyError(error) === 'foreign_key_violation') throw new NotFoundError('Client', clientId);
      throw error;
    }
  }

  private stored(change: ChangeContext): StoredChange {
    return storedChange(change, this.dialect);
  }

  private rowValues(exchange: Exchange, columns: readonly (keyof ExchangeRow)[]): unknown[] {
    const row = exchangeToRow(exchange, this.dialect);
    return columns.map((column) => row[column]);
  }
}
