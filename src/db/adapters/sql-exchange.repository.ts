import { NotFoundError } from '../../domain/errors';
import type { Exchange, ExchangeSort } from '../../domain/exchange';
import type { ExchangeListQuery, ExchangeRepository } from '../../repositories/exchange.repository';
import type { Page } from '../../repositories/page';
import type { Dialect } from '../dialects';
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
import { Conditions, keysetQuery, toPage, type KeysetOrder } from './keyset';

const COLUMNS = EXCHANGE_READ_COLUMNS.join(', ');
const FIND_BY_ID_SQL = `SELECT ${COLUMNS} FROM exchanges WHERE id = ?`;
// Insert-only columns first, then those an UPDATE rewrites.
const { insertOnly: INSERT_ONLY_COLUMNS, updated: UPDATE_COLUMNS } = writeColumns(exchangesTable);
const INSERT_COLUMNS = [...INSERT_ONLY_COLUMNS, ...UPDATE_COLUMNS];
const INSERT_SQL = insertSql(exchangesTable, INSERT_COLUMNS);
const UPDATE_SQL = `UPDATE exchanges SET ${UPDATE_COLUMNS.map((c) => `${c} = ?`).join(', ')} WHERE id = ? AND version = ?`;

// Fixed statements, planned once per PostgreSQL connection (StatementOptions).
const REUSABLE: StatementOptions = { reusable: true };

const SORT_ORDERS: Record<ExchangeSort, KeysetOrder> = {
  '-occurredAt': { column: 'occurred_at', direction: 'desc' },
  occurredAt: { column: 'occurred_at', direction: 'asc' },
};

export class SqlExchangeRepository implements ExchangeRepository {
  constructor(
    private readonly sql: SqlSession,
    private readonly dialect: Dialect,
  ) {}

  async insert(exchange: Exchange): Promise<void> {
    try {
      await this.sql.run(INSERT_SQL, this.rowValues(exchange, INSERT_COLUMNS), REUSABLE);
    } catch (error) {
      if (this.dialect.classifyError(error) === 'foreign_key_violation') throw new NotFoundError('Client', exchange.clientId);
      throw error;
    }
  }

  async findById(id: string): Promise<Exchange | null> {
    const values = await this.sql.firstValues(FIND_BY_ID_SQL, [id], REUSABLE);
    return values ? valuesToExchange(values, this.dialect) : null;
  }

  async replace(exchange: Exchange, expectedVersion: number): Promise<boolean> {
    return (await this.sql.run(UPDATE_SQL, [...this.rowValues(exchange, UPDATE_COLUMNS), exchange.id, expectedVersion], REUSABLE)) > 0;
  }

  async delete(id: string, expectedVersion?: number): Promise<boolean> {
    if (expectedVersion === undefined) return (await this.sql.run('DELETE FROM exchanges WHERE id = ?', [id], REUSABLE)) > 0;
    return (await this.sql.run('DELETE FROM exchanges WHERE id = ? AND version = ?', [id, expectedVersion], REUSABLE)) > 0;
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
    const rows = await this.sql.values(sql, params, fixed ? REUSABLE : undefined);
    return toPage(
      rows,
      query.limit,
      (values) => valuesToExchange(values, this.dialect),
      (values) => ({ value: this.dialect.fromDbTimestamp(values[EXCHANGE_AT.occurred_at]), id: values[EXCHANGE_AT.id] as string }),
    );
  }

  private rowValues(exchange: Exchange, columns: readonly (keyof ExchangeRow)[]): unknown[] {
    const row = exchangeToRow(exchange, this.dialect);
    return columns.map((column) => row[column]);
  }
}
