import type { Client, ClientSort } from '../../domain/client';
import type { ChangeContext, HistoryEntry } from '../../domain/history';
import type { ClientListQuery, ClientRepository, ClientTrashAction, TrashedClient } from '../../repositories/client.repository';
import type { Page } from '../../repositories/page';
import type { Dialect } from '../dialects';
import { storedChange, type StoredChange } from '../dialects/trash-moves';
import { changeRecordRows } from '../sql/outbox';
import type { InsertedRow } from '../sql/compound-write';
import { findByKey, keyLookup } from '../sql/key-lookup';
import type { SqlSession, StatementOptions } from '../sql/sql-executor';
import { CLIENT_AT, CLIENT_READ_COLUMNS, clientToRow, clientsTable, valuesToClient, type ClientRow } from '../tables/clients.table';
import { clientTagRows, clientTagsTable } from '../tables/client-tags.table';
import { insertSql, writeColumns } from '../tables/table-definition';
import { Conditions, keysetQuery, toPage, type KeysetOrder } from './keyset';

const COLUMNS = CLIENT_READ_COLUMNS.join(', ');
// Read with concurrent reads of other ids where the database offers that (findByKey).
const BY_ID = keyLookup(clientsTable, CLIENT_READ_COLUMNS);
const FIND_IN_TRASH_SQL = `SELECT ${COLUMNS}, deleted_at FROM clients_trash WHERE id = ?`;
// Insert-only columns first, then those an UPDATE rewrites.
const { insertOnly: INSERT_ONLY_COLUMNS, updated: UPDATE_COLUMNS } = writeColumns(clientsTable);
const INSERT_COLUMNS = [...INSERT_ONLY_COLUMNS, ...UPDATE_COLUMNS];
const INSERT_SQL = insertSql(clientsTable, INSERT_COLUMNS);
const INSERTED_ROW: InsertedRow = { table: clientsTable, columns: INSERT_COLUMNS };
const UPDATE_SQL = `UPDATE clients SET ${UPDATE_COLUMNS.map((c) => `${c} = ?`).join(', ')} WHERE id = ? AND version = ?`;
// Fixed statements, planned once per PostgreSQL connection (StatementOptions).
const REUSABLE: StatementOptions = { reusable: true };

type SortColumn = 'created_at' | 'sort_name' | 'updated_at';

const SORT_ORDERS: Record<ClientSort, KeysetOrder & { column: SortColumn }> = {
  '-createdAt': { column: 'created_at', direction: 'desc' },
  createdAt: { column: 'created_at', direction: 'asc' },
  name: { column: 'sort_name', direction: 'asc' },
  '-name': { column: 'sort_name', direction: 'desc' },
  updatedAt: { column: 'updated_at', direction: 'asc' },
  '-updatedAt': { column: 'updated_at', direction: 'desc' },
};

export class SqlClientRepository implements ClientRepository {
  constructor(
    private readonly sql: SqlSession,
    private readonly dialect: Dialect,
  ) {}

  async insert(client: Client, entry: HistoryEntry): Promise<void> {
    await this.dialect.applyCompoundWrite(this.sql, {
      sql: INSERT_SQL,
      params: this.rowValues(client, INSERT_COLUMNS),
      insertsRow: INSERTED_ROW,
      inserts: [{ table: clientTagsTable, rows: clientTagRows(client) }, ...changeRecordRows(entry, client, this.dialect)],
    });
  }

  async findById(id: string): Promise<Client | null> {
    const values = await findByKey(this.sql, BY_ID, id);
    return values ? valuesToClient(values, this.dialect) : null;
  }

  async replace(client: Client, expectedVersion: number, entry: HistoryEntry): Promise<boolean> {
    const changed = await this.dialect.applyCompoundWrite(this.sql, {
      sql: UPDATE_SQL,
      params: [...this.rowValues(client, UPDATE_COLUMNS), client.id, expectedVersion],
      children: { table: clientTagsTable, parentColumn: 'client_id', parentId: client.id, rows: clientTagRows(client) },
      inserts: changeRecordRows(entry, client, this.dialect),
    });
    return changed > 0;
  }

  async trash(id: string, expectedVersion: number | undefined, change: ChangeContext, as: ClientTrashAction = 'deleted'): Promise<boolean> {
    const stored = { ...this.stored(change), trashedAs: as };
    return (await this.dialect.trashMoves.trashClient(this.sql, id, expectedVersion, stored)) > 0;
  }

  async findLiveForUpdate(ids: readonly string[]): Promise<Client[]> {
    if (ids.length === 0) return [];
    const placeholders = ids.map(() => '?').join(', ');
    const sql = `SELECT ${COLUMNS} FROM clients WHERE id IN (${placeholders}) ORDER BY id${this.dialect.lockReadRows}`;
    return (await this.sql.values(sql, ids)).map((values) => valuesToClient(values, this.dialect));
  }

  async findInTrash(id: string): Promise<TrashedClient | null> {
    const values = await this.sql.firstValues(FIND_IN_TRASH_SQL, [id], REUSABLE);
    if (!values) return null;
    return { client: valuesToClient(values, this.dialect), deletedAt: this.dialect.fromDbTimestamp(values[CLIENT_READ_COLUMNS.length]) };
  }

  async restore(id: string, change: ChangeContext): Promise<Client | null> {
    const values = await this.dialect.trashMoves.restoreClient(this.sql, id, this.stored(change));
    return values ? valuesToClient(values, this.dialect) : null;
  }

  async deletePermanently(id: string, expectedVersion: number | undefined, change: ChangeContext): Promise<boolean> {
    return (await this.dialect.trashMoves.deleteClientPermanently(this.sql, id, expectedVersion, this.stored(change))) > 0;
  }

  async list(query: ClientListQuery): Promise<Page<Client>> {
    const order = SORT_ORDERS[query.sort];
    const conditions = new Conditions();
    // Unfiltered pages (any sort, any cursor) are a dozen fixed texts, and so is a common search
    // term's page; other filters' best plans depend on their values (a rare or a common status,
    // tag or date), so those are planned per call.
    let reusable = true;
    if (query.search) {
      const search = await this.dialect.clientSearchCondition(this.sql, query.search, order.column);
      conditions.add(search.sql, ...search.params);
      reusable = search.reusable;
    }
    if (query.status) conditions.add('status = ?', query.status);
    if (query.updatedSince) conditions.add('updated_at >= ?', this.dialect.toDbTimestamp(query.updatedSince));
    if (query.tag)
      conditions.add('EXISTS (SELECT 1 FROM client_tags WHERE client_tags.client_id = clients.id AND client_tags.tag = ?)', query.tag);
    if (query.status || query.updatedSince || query.tag) reusable = false;
    const { sql, params } = keysetQuery(`SELECT ${COLUMNS} FROM clients`, conditions, order, query.after, query.limit);
    const rows = await this.sql.values(sql, params, reusable ? REUSABLE : undefined);
    return toPage(
      rows,
      query.limit,
      (values) => valuesToClient(values, this.dialect),
      (values) => this.positionOf(values, order.column),
    );
  }

  private positionOf(values: readonly unknown[], column: SortColumn): { value: string; id: string } {
    const value = values[CLIENT_AT[column]];
    return { value: column === 'sort_name' ? (value as string) : this.dialect.fromDbTimestamp(value), id: values[CLIENT_AT.id] as string };
  }

  private stored(change: ChangeContext): StoredChange {
    return storedChange(change, this.dialect);
  }

  /** Values of the given columns, derived ones included (the row mapper computes them). */
  private rowValues(client: Client, columns: readonly (keyof ClientRow)[]): unknown[] {
    const row = clientToRow(client, this.dialect);
    return columns.map((column) => row[column]);
  }
}
