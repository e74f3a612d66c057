import { SqlClientRepository } from '../../src/db/adapters/sql-client.repository';
import { SqlExchangeRepository } from '../../src/db/adapters/sql-exchange.repository';
import type { Database } from '../../src/db/open-database';
import type { SqlSession } from '../../src/db/sql/sql-executor';

export interface RecordedStatement {
  readonly sql: string;
  readonly params: readonly unknown[];
}

/** The database's own statements outside transactions, each one's text and parameters recorded. */
export function recorded(database: Database): { session: SqlSession; statements: RecordedStatement[] } {
  const statements: RecordedStatement[] = [];
  const { sql } = database;
  const session: SqlSession = {
    all: (text, params = [], options) => (statements.push({ sql: text, params }), sql.all(text, params, options)),
    values: (text, params = [], options) => (statements.push({ sql: text, params }), sql.values(text, params, options)),
    firstValues: (text, params = [], options) => (statements.push({ sql: text, params }), sql.firstValues(text, params, options)),
    run: (text, params = [], options) => (statements.push({ sql: text, params }), sql.run(text, params, options)),
    atomically: (work) => sql.atomically(work),
  };
  return { session, statements };
}

/**
 * Client and exchange repositories over the recorded session, with the capabilities `share`
 * builds on it (a batcher, lookups): what they send is in `statements`.
 */
export function recordedRepositories(database: Database, share: (session: SqlSession) => Partial<SqlSession>) {
  const { session, statements } = recorded(database);
  const sharing: SqlSession = { ...session, ...share(session) };
  return {
    statements,
    clients: new SqlClientRepository(sharing, database.dialect),
    exchanges: new SqlExchangeRepository(sharing, database.dialect),
  };
}
