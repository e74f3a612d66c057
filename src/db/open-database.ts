import type { Knex } from 'knex';
import type { Config } from '../config/config';
import type { StorageTarget } from '../storage/storage-target';
import { createKnex } from './create-knex';
import { dialectFor, type Dialect } from './dialects';
import { Migrator } from './migrator';
import type { SqlExecutor } from './sql/sql-executor';

/** An open database: the connection, its dialect helpers and its migrator, closed together. */
export interface Database {
  readonly target: StorageTarget;
  readonly knex: Knex;
  readonly dialect: Dialect;
  readonly migrator: Migrator;
  /** The statement executor of the repositories, opened on first use. */
  readonly sql: SqlExecutor;
  /** Answers when the database does; rejects (bounded by timeoutMs) when it does not. */
  ping(timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export function openDatabase(target: StorageTarget, database: Config['database']): Database {
  const knex = createKnex(target, database);
  const dialect = dialectFor(target.driver);
  let closed = false;
  let sql: SqlExecutor | undefined;
  return {
    target,
    knex,
    dialect,
    migrator: new Migrator(knex, dialect),
    get sql() {
      if (closed) throw new Error('the database is closed');
      sql ??= dialect.createSqlExecutor(knex, {
        path: target.driver === 'sqlite' ? target.path : undefined,
        sqliteSynchronous: database.sqliteSynchronous,
      });
      return sql;
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
        await dialect.beforeClose(knex);
      } finally {
        await knex.destroy();
      }
    },
  };
}
