import type { ColumnType, Table } from '../tables/table-definition';
import type { SqlSession, StatementOptions } from './sql-executor';

/** A SELECT of at most one row by its key column: what a by-id read sends. */
export interface KeyLookup {
  readonly table: Table;
  /** The select list, in the order the row's values come back. */
  readonly columns: readonly string[];
  readonly keyColumn: string;
  /** `SELECT columns FROM table WHERE keyColumn = ?`. */
  readonly sql: string;
}

export function keyLookup(table: Table, columns: readonly string[], keyColumn = 'id'): KeyLookup {
  if (!columns.includes(keyColumn)) throw new Error(`${table.name}: a lookup by ${keyColumn} must select it`);
  return { table, columns, keyColumn, sql: `SELECT ${columns.join(', ')} FROM ${table.name} WHERE ${keyColumn} = ?` };
}

/**
 * A SELECT whose rows all belong to the key one of its parameters holds (a client's timeline:
 * `client_id = ?`): run for several keys with the same other parameters, one statement can
 * answer them all.
 */
export interface KeyedList {
  /** The statement, `?` placeholders, ending with its ORDER BY and LIMIT. */
  readonly sql: string;
  /** Which placeholder, from 0, holds the key. */
  readonly keyAt: number;
  readonly keyType: ColumnType;
  /** The statement's sort, as `column ASC|DESC` terms over columns of its select list. */
  readonly orderBy: readonly string[];
}

/**
 * Reads asked for together, answered as if each ran alone: offered by a session outside any
 * transaction where one statement for many keys saves the database work (PostgreSQL).
 */
export interface ConcurrentLookups {
  /** The row's values in select-list order, or undefined when no row has the key. */
  find(lookup: KeyLookup, key: string): Promise<unknown[] | undefined>;
  /** The rows of `list` for these parameters, as values in select-list order. */
  list(list: KeyedList, params: readonly unknown[]): Promise<unknown[][]>;
}

const REUSABLE: StatementOptions = { reusable: true };

/** The row with this key: shared with concurrent reads where the session offers that, on its own otherwise. */
export function findByKey(session: SqlSession, lookup: KeyLookup, key: string): Promise<unknown[] | undefined> {
  return session.concurrentLookups ? session.concurrentLookups.find(lookup, key) : session.firstValues(lookup.sql, [key], REUSABLE);
}

/** The rows of a keyed list: shared with concurrent reads of other keys where the session offers that. */
export function listByKey(session: SqlSession, list: KeyedList, params: readonly unknown[]): Promise<unknown[][]> {
  return session.concurrentLookups ? session.concurrentLookups.list(list, params) : session.values(list.sql, params, REUSABLE);
}
