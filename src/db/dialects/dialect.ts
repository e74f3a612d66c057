import type { Knex } from 'knex';
import type { SqlExecutor, SqlSession } from '../sql/sql-executor';

export interface SqlExecutorSettings {
  /** The SQLite file (unused by PostgreSQL, which shares Knex's pool). */
  readonly path?: string;
  readonly sqliteSynchronous: string;
}

/**
 * Everything that differs between SQLite and PostgreSQL, chosen once per connection. Adapters
 * and the migrator call these; nothing else asks which database it is talking to.
 */
export interface Dialect {
  readonly name: 'sqlite' | 'postgres';
  /** The executor the repositories use for their statements. */
  createSqlExecutor(knex: Knex, settings: SqlExecutorSettings): SqlExecutor;
  /** Creates (and backfills) / drops the client search index; used by a migration. */
  createClientSearchIndex(knex: Knex): Promise<void>;
  dropClientSearchIndex(knex: Knex): Promise<void>;
  /**
   * Creates / drops what makes a search for a common term cheap while it walks the newest
   * clients first (the default order); used by a migration. May be nothing.
   */
  createClientSearchScanIndex(knex: Knex): Promise<void>;
  dropClientSearchScanIndex(knex: Knex): Promise<void>;
  /**
   * Raises / resets what the query planner knows of search_text, where its plan for a search
   * depends on it; used by a migration. May be nothing.
   */
  raiseClientSearchStatistics(knex: Knex): Promise<void>;
  resetClientSearchStatistics(knex: Knex): Promise<void>;
  /**
   * The condition selecting clients whose search_text contains the folded term literally,
   * index-backed where the database allows it; the list's sort column informs the plan.
   */
  clientSearchCondition(sql: SqlSession, foldedTerm: string, sortColumn: string): Promise<{ sql: string; params: unknown[] }>;
  /** A text column type compared byte by byte (UTF-8), the same on every backend. */
  bytewiseTextType(length: number): string;
  /** Run fn in one transaction that no other process can run at the same time. */
  withMigrationLock<T>(knex: Knex, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T>;
  /** A JS value the driver stores as the column's timestamp type. */
  toDbTimestamp(iso: string): string | Date;
  /** Whatever the driver returned for a timestamp column, as ISO-8601 UTC with milliseconds. */
  fromDbTimestamp(value: unknown): string;
  /** Driver error -> a stable kind the adapters can translate, or null when unknown. */
  classifyError(error: unknown): 'unique_violation' | 'foreign_key_violation' | null;
  /** Bytes used by the database, for doctor and health. */
  databaseSize(knex: Knex): Promise<number | null>;
  /** Problems found by the engine's own consistency check; empty means healthy. */
  integrityCheck(knex: Knex): Promise<string[]>;
  /**
   * After a bulk load (seed, import, copy): give the query planner statistics for the new rows
   * now rather than whenever a background job gets to them.
   */
  refreshPlannerStatistics(knex: Knex): Promise<void>;
  /** Flush what a clean shutdown should leave behind (SQLite: fold the WAL into the file). */
  beforeClose(knex: Knex): Promise<void>;
  /** Insert rows (all with the same columns, values already in DB form) in as few round trips as the engine allows; inside `knex`'s transaction when it is one. */
  bulkInsert(knex: Knex, table: string, rows: ReadonlyArray<Record<string, unknown>>): Promise<void>;
  /** Run fn in a read-only transaction that sees one consistent snapshot, whatever commits meanwhile. */
  readSnapshot<T>(knex: Knex, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T>;
}

export function toIsoTimestamp(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return new Date(value).toISOString();
  if (typeof value === 'number') return new Date(value).toISOString();
  throw new TypeError(`Not a timestamp: ${typeof value}`);
}
