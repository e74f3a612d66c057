import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import type { Config } from '../config/config';
import type { StorageTarget } from '../storage/storage-target';
import type { Connections, DriverConnection } from './connections/connections';
import { postgresConnections } from './connections/postgres-connections';
import { sqliteConnections } from './connections/sqlite-connections';
import { dialectFor, toolsFor, type Dialect, type DialectTools } from './dialects';
import { installPgTimestampParser } from './dialects/pg-timestamps';
import { Migrator } from './migrator';
import type { SqlExecutor } from './sql/sql-executor';

// int8 (COUNT, SUM, sizes) comes back as a string by default; our values fit a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
installPgTimestampParser();

/** An open database: its connections, its dialect helpers and its migrator, closed together. */
export interface Database {
  readonly target: StorageTarget;
  /** Schema migrations, export snapshots and operator tools; the API's statements use `sql`. */
  readonly knex: Knex;
  readonly dialect: Dialect;
  readonly tools: DialectTools;
  readonly migrator: Migrator;
  /** The statement executor of the repositories, opened on first use. */
  readonly sql: SqlExecutor;
  /** A driver connection for a tool that drives the engine itself; release it when done. */
  connect(): Promise<DriverConnection>;
  /** Answers when the database does; rejects (bounded by timeoutMs) when it does not. */
  ping(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

function connectionsFor(target: StorageTarget, database: Config['database']): Connections {
  return target.driver === 'postgres'
    ? postgresConnections(target.url, database)
    : sqliteConnections(target.path, { synchronous: database.sqliteSynchronous });
}

export function openDatabase(target: StorageTarget, database: Config['database']): Database {
  const connections = connectionsFor(target, database);
  const knex = knexFactory(connections.knexConfig);
  const dialect = dialectFor(target.driver);
  const tools = toolsFor(target.driver);
  let closed = false;
  let sql: SqlExecutor | undefined;
  return {
    target,
    knex,
    dialect,
    tools,
    migrator: new Migrator(knex, tools),
    get sql() {
      if (closed) throw new Error('the database is closed');
      sql ??= connections.createExecutor();
      return sql;
    },
    connect() {
      if (closed) throw new Error('the database is closed');
      return connections.connect();
    },
    async ping(timeoutMs = 2000) {
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_resolve, reject) => {
        timer = setTimeout(() => reject(new Error('database ping timed out')), timeoutMs);
      });
      try {
        await Promise.race([knex.raw('SELECT 1'), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async close() {
      if (closed) return;
      closed = true;
      try {
        await sql?.close();
        await connections.close();
        await tools.beforeClose(knex);
      } finally {
        await knex.destroy();
      }
    },
  };
}
