import type Sqlite from 'better-sqlite3';
import type { Knex } from 'knex';
import type pg from 'pg';
import type { SqlExecutor } from '../sql/sql-executor';

/** A driver connection lent to a tool that drives the engine itself (crm db copy). */
export type DriverConnection =
  | { readonly driver: 'sqlite'; readonly connection: Sqlite.Database; release(): Promise<void> }
  | { readonly driver: 'postgres'; readonly connection: pg.PoolClient; release(): Promise<void> };

/**
 * Every way the program reaches one database, opened with the same settings: the API's
 * executor, Knex (schema migrations, snapshots for export, operator tools), and driver
 * connections for the copy. One factory per engine (sqlite-connections.ts,
 * postgres-connections.ts) is the only code that opens connections.
 */
export interface Connections {
  readonly knexConfig: Knex.Config;
  createExecutor(): SqlExecutor;
  connect(): Promise<DriverConnection>;
  /** Closes what the factory itself holds (the PostgreSQL pool), after the executor has closed. */
  close(): Promise<void>;
}
