import fs from 'node:fs';
import path from 'node:path';
import { createSqliteSqlExecutor } from '../dialects/sqlite-sql-executor';
import type { Connections } from './connections';
import { applySqlitePragmas, openSqliteConnection, type SqliteSettings } from './sqlite-connection';

interface PragmaConnection {
  pragma(source: string): unknown;
}

/**
 * SQLite: a connection is a file handle, so each user opens its own (the executor a writer and
 * a reader, Knex one, a copy one per session), all with the same pragmas.
 */
export function sqliteConnections(file: string, settings: SqliteSettings): Connections {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  return {
    knexConfig: {
      client: 'better-sqlite3',
      connection: { filename: file },
      useNullAsDefault: true,
      // better-sqlite3 is synchronous: one connection serialises Knex's writers, which SQLite
      // requires anyway, and makes a transaction own the connection until it commits.
      pool: {
        min: 1,
        max: 1,
        afterCreate(connection: PragmaConnection, done: (error: Error | null, connection: unknown) => void) {
          try {
            applySqlitePragmas(connection, settings);
            done(null, connection);
          } catch (error) {
            done(error as Error, connection);
          }
        },
      },
    },
    createExecutor: () => createSqliteSqlExecutor(file, settings),
    async connect() {
      const connection = openSqliteConnection(file, settings);
      return { driver: 'sqlite', connection, release: async () => void connection.close() };
    },
    close: async () => undefined,
  };
}
