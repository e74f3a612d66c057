import type { Table } from '../tables/table-definition';

/** Rows of one table, each holding a value for every column of the table. */
export interface TableRows {
  readonly table: Table;
  readonly rows: readonly Readonly<Record<string, unknown>>[];
  /**
   * A FROM item (SQL, no parameters) with one row when the rows are to be written and none
   * otherwise, besides the change matching (the outbox's subscription check).
   */
  readonly onlyWith?: string;
  /** Always exactly one row (a history entry, an event): a dialect may send its values as they are. */
  readonly single?: boolean;
}

/** The child rows a parent must have after the write: those not listed go, new ones come. */
export interface ChildRows extends TableRows {
  /** The column naming the parent; the table's other primary-key column identifies a child. */
  readonly parentColumn: string;
  readonly parentId: unknown;
}

/**
 * A change to one row together with the rows that depend on it (a client's tags; entries that
 * record the change), applied all or none. The dependent rows are written only when the
 * statement changed a row: an UPDATE or DELETE guarded by id and version may match none. Each
 * dialect applies it as fast as its database allows (Dialect.applyCompoundWrite).
 */
export interface CompoundWrite {
  /** INSERT, UPDATE or DELETE of the row itself, with `?` placeholders and no RETURNING. */
  readonly sql: string;
  readonly params: readonly unknown[];
  /** Child rows replaced as a set (tables whose columns are all primary key). */
  readonly children?: ChildRows;
  /** Rows added with the change. */
  readonly inserts?: readonly TableRows[];
  /**
   * Set when `sql` is a plain INSERT of one row of `table`, `params` holding the values of
   * `columns` in order: such a write changes exactly one row or fails, so a dialect may write
   * it in one statement with concurrent inserts of the same shape (ConcurrentInserts).
   */
  readonly insertsRow?: InsertedRow;
}

/** The table and columns of a single-row INSERT, its parameters in the same order. */
export interface InsertedRow {
  readonly table: Table;
  readonly columns: readonly string[];
  /**
   * The column referencing a parent row, if any: rows written together go in its order, so a
   * statement takes its parents' key locks in id order, as every transaction that locks
   * several rows does (findLiveForUpdate), and cannot deadlock with one.
   */
  readonly parentColumn?: string;
}

/**
 * Writes several compound writes that arrive together as one, each answered as if it ran
 * alone: offered by a session outside any transaction where that saves the database work
 * (PostgreSQL: one statement and one commit for many creates), absent otherwise.
 */
export interface ConcurrentInserts {
  /** Applies an insert (CompoundWrite.insertsRow set, no children); resolves with 1. */
  apply(write: CompoundWrite): Promise<number>;
}

/** The one primary-key column of a child table besides its parent column. */
export function childKeyColumn(children: ChildRows): string {
  const { table, parentColumn } = children;
  const others = table.primaryKey.filter((column) => column !== parentColumn);
  if (others.length !== 1 || table.columns.length !== table.primaryKey.length)
    throw new Error(`${table.name} is not a child table of (${parentColumn}, key) columns only`);
  return others[0] as string;
}
