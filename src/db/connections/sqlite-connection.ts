import Sqlite from 'better-sqlite3';

export const SQLITE_BUSY_TIMEOUT_MS = 5000;

export interface SqliteSettings {
  readonly synchronous: string;
}

/** The part of a better-sqlite3 connection the pragmas need (Knex hands over its own connections). */
interface PragmaTarget {
  pragma(source: string): unknown;
}

/**
 * The one place SQLite connections are configured, whoever opens them (the API's executor,
 * Knex, the copy, backups). busy_timeout first, so that switching to WAL waits for another
 * process instead of failing at once.
 */
export function applySqlitePragmas(connection: PragmaTarget, settings: SqliteSettings, readonly = false): void {
  connection.pragma(`busy_timeout = ${SQLITE_BUSY_TIMEOUT_MS}`);
  connection.pragma('foreign_keys = ON');
  // A read-only connection can change neither; the writer already put the file in WAL mode.
  if (readonly) return;
  connection.pragma('journal_mode = WAL');
  connection.pragma(`synchronous = ${settings.synchronous}`);
}

/** A connection of its own on the file; read-only ones need the file (and its WAL) to exist. */
export function openSqliteConnection(path: string, settings: SqliteSettings, readonly = false): Sqlite.Database {
  const connection = new Sqlite(path, { readonly, fileMustExist: readonly });
  try {
    applySqlitePragmas(connection, settings, readonly);
  } catch (error) {
    connection.close();
    throw error;
  }
  return connection;
}
