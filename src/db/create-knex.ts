import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import type { Config } from '../config/config';
import type { StorageTarget } from '../storage/storage-target';
import { installPgTimestampParser } from './dialects/pg-timestamps';

export const SQLITE_BUSY_TIMEOUT_MS = 5000;

// int8 (COUNT, SUM, sizes) comes back as a string by default; our values fit a double.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));
installPgTimestampParser();

/** A Knex instance for the resolved storage, with the connection settings DESIGN section 6 asks. */
export function createKnex(target: StorageTarget, database: Config['database']): Knex {
  if (target.driver === 'postgres') {
    return knexFactory({
      client: 'pg',
      // pg lets sslmode in the connection string override the ssl option (and reads "require"
      // as verify-full), so the URL goes in without it and the decision made here stands.
      connection: { connectionString: withoutSslMode(target.url), ssl: postgresSsl(target.url, database.ssl) },
      pool: { min: 0, max: Math.max(1, database.poolMax) },
      acquireConnectionTimeout: 10000,
    });
  }

  fs.mkdirSync(path.dirname(target.path), { recursive: true });
  return knexFactory({
    client: 'better-sqlite3',
    connection: { filename: target.path },
    useNullAsDefault: true,
    // better-sqlite3 is synchronous: one connection serialises writers, which SQLite requires
    // anyway, and makes a transaction own the database until it commits.
    pool: {
      min: 1,
      max: 1,
      afterCreate(connection: SqliteConnection, done: (error: Error | null, connection: unknown) => void) {
        try {
          // busy_timeout first, so that switching to WAL waits for another process instead
          // of failing at once.
          connection.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
          connection.pragma('foreign_keys = ON');
          connection.pragma('journal_mode = WAL');
          connection.pragma(`synchronous = ${database.sqliteSynchronous}`);
          done(null, connection);
        } catch (error) {
          done(error as Error, connection);
        }
      },
    },
  });
}

interface SqliteConnection {
  pragma(source: string): unknown;
}

/**
 * Render's internal database URL needs no TLS; its external URL does. The URL's sslmode wins
 * when DATABASE_SSL is auto, as libpq users expect.
 */
export function postgresSsl(url: string, setting: Config['database']['ssl']): false | { rejectUnauthorized: boolean } {
  if (setting === 'true') return { rejectUnauthorized: true };
  if (setting === 'no-verify') return { rejectUnauthorized: false };
  if (setting === 'false') return false;
  let mode: string | null = null;
  try {
    mode = new URL(url).searchParams.get('sslmode');
  } catch {
    return false;
  }
  if (mode === 'verify-full' || mode === 'verify-ca') return { rejectUnauthorized: true };
  if (mode === 'require' || mode === 'prefer') return { rejectUnauthorized: false };
  return false;
}

function withoutSslMode(url: string): string {
  const parsed = new URL(url);
  parsed.searchParams.delete('sslmode');
  return parsed.toString();
}
