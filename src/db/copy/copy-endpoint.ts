import type { RowBatch } from './row-batch';
import type { TableSpec } from './table-specs';

/** Reads tables in primary-key order, in canonical form, a bounded batch at a time. */
export interface TableReader {
  count(table: TableSpec): Promise<number>;
  /** Keyset batches of at most batchSize rows: memory stays flat however large the table. */
  batches(table: TableSpec, batchSize: number): AsyncIterable<RowBatch>;
}

/**
 * One transaction on the target that receives every row. Nothing is visible to anyone else until
 * commit(); a process that dies before it leaves the target as it was.
 */
export interface WriteSession extends TableReader {
  /** Empties the given tables (children first), inside the transaction. */
  truncate(tables: readonly TableSpec[]): Promise<void>;
  /** Before the first write: whatever makes a bulk load fast (and is undone by finishLoad). */
  beginLoad(tables: readonly TableSpec[]): Promise<void>;
  /** Resolves once the rows are accepted; a slow database slows the reader down (backpressure). */
  write(table: TableSpec, batch: RowBatch): Promise<void>;
  /** Every row of this table has been written. */
  endTable(table: TableSpec): Promise<void>;
  /** After the last table: indexes and constraints back in place, checked against the rows. */
  finishLoad(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
}

/** A database taking part in a copy, whichever engine it runs on (chosen once, in open-endpoint). */
export interface CopyEndpoint {
  readonly driver: 'sqlite' | 'postgres';
  /** Where it is, safe to print (no password). */
  readonly location: string;
  /** Names recorded in crm_migrations, or null when the database has no CRM schema at all. */
  recordedMigrations(): Promise<string[] | null>;
  migrateUp(): Promise<string[]>;
  /** Row counts of tables that exist (missing tables count as 0). */
  countRows(tables: readonly TableSpec[]): Promise<Map<string, number>>;
  /** Runs fn over one consistent, read-only view of the database that later commits do not change. */
  withSnapshot<T>(fn: (reader: TableReader) => Promise<T>): Promise<T>;
  beginWrite(): Promise<WriteSession>;
  /** After a committed copy: planner statistics for the new rows (Dialect.refreshPlannerStatistics). */
  refreshPlannerStatistics(): Promise<void>;
  close(): Promise<void>;
}
