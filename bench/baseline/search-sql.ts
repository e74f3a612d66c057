import { dialectFor } from '../../src/db/dialects';
import type { SqlSession } from '../../src/db/sql/sql-executor';

/**
 * The search predicate is whatever the app's dialect sends for `q` (FTS5 trigram on SQLite,
 * LIKE over a pg_trgm index on PostgreSQL at the time of writing), taken from the same
 * function, so the baseline asks the database exactly the app's question even as it changes.
 */
export function searchCondition(
  backend: 'sqlite' | 'postgres',
  session: SqlSession,
  foldedTerm: string,
): Promise<{ sql: string; params: unknown[] }> {
  return dialectFor(backend).clientSearchCondition(session, foldedTerm, 'created_at');
}

/** A session over any query function, for the dialect's (read-only) search probe. */
export function probeSession(query: (sql: string, params: unknown[]) => Promise<unknown[]> | unknown[]): SqlSession {
  const values = async (sql: string, params: readonly unknown[] = []) =>
    ((await query(sql, [...params])) as object[]).map((row) => Object.values(row));
  return {
    all: async <Row>(sql: string, params: readonly unknown[] = []) => (await query(sql, [...params])) as Row[],
    values,
    firstValues: async (sql, params) => (await values(sql, params))[0],
    run: async () => {
      throw new Error('the search probe only reads');
    },
    atomically: async () => {
      throw new Error('the search probe only reads');
    },
  };
}

/** The app's select list (SqlClientRepository's COLUMNS): search_text is never read back. */
export const CLIENT_COLUMNS = 'id, name, email, phone, company, status, tags, notes, sort_name, created_at, updated_at, version';
export const EXCHANGE_COLUMNS = 'id, client_id, kind, direction, subject, body, occurred_at, follow_up_at, created_at, updated_at, version';

/** `?` placeholders to pg's `$n`, numbering from `first`. */
export function numbered(sql: string, first = 1): string {
  let n = first - 1;
  return sql.replace(/\?/g, () => `$${++n}`);
}
