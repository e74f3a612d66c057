import type { Knex } from 'knex';
import type { DriverConnection } from '../connections/connections';
import type { SqlSession } from '../sql/sql-executor';

/** A lock one process holds until it releases it (or dies). */
export interface HeldLock {
  release(): Promise<void>;
}

/**
 * What migrations and operator tools (seed, import, export, copy, doctor) need of a database
 * beyond the API's Dialect: locks, bulk loads, snapshots, statistics, size and integrity.
 */
export interface DialectTools {
  readonly name: 'sqlite' | 'postgres';
  /** Run fn in one transaction that no other process can run at the same time. */
  withMigrationLock<T>(knex: Knex, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T>;
  /**
   * The backup lock, tried and never waited for: null when another instance holds it. It lives
   * on a connection taken from `connect` for as long as it is held, and dies with it.
   */
  tryBackupLock(connect: () => Promise<DriverConnection>): Promise<HeldLock | null>;
  /**
   * Insert rows (all with the same columns, values already in DB form) in as few statements as
   * the engine allows, in the session's transaction.
   */
  bulkInsert(session: SqlSession, table: string, rows: ReadonlyArray<Record<string, unknown>>): Promise<void>;
  /** Run fn in a read-only transaction that sees one consistent snapshot, whatever commits meanwhile. */
  readSnapshot<T>(knex: Knex, fn: (trx: Knex.Transaction) => Promise<T>): Promise<T>;
  /**
   * After a bulk load (seed, import, copy): give the query planner statistics for the new rows
   * now rather than whenever a background job gets to them.
   */
  refreshPlannerStatistics(knex: Knex): Promise<void>;
  /** Bytes used by the database, for doctor and health. */
  databaseSize(knex: Knex): Promise<number | null>;
  /** Problems found by the engine's own consistency check; empty means healthy. */
  integrityCheck(knex: Knex): Promise<string[]>;
  /** Flush what a clean shutdown should leave behind (SQLite: fold the WAL into the file). */
  beforeClose(knex: Knex): Promise<void>;
}
